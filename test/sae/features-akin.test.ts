// gaitlab features and gaitlab akin on a stored SAE model of the clinical GRF set (970 trials, 194 subjects,
// 4 classes): through the real command for the CLI shape and refusals, and through the real dispatcher (every
// answer schema-checked) for retrieval of every held-out subject. QUICK SETTINGS: the model trains 20 epochs.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { api } from '../../src-shared/api/schema';
import { closeServiceContext, openServiceContext } from '../../src-main/services/context';
import { createDispatcher } from '../../src-main/services/dispatch';
import { checkedDispatch } from '../api-contract';
import { gaitlab } from '../helpers';
import { importGrf, query } from '../compute/grf-db';

const db = importGrf('akin.db');
const trained = gaitlab(['train', 'sae', '--model', 'sae', '--epochs', '20', '--seed', '42', '--db', db, '--json']);
const modelId = trained.json?.model?.id as string;
const ctx = openServiceContext({ dbPath: db, mode: 'browser' });
after(() => closeServiceContext(ctx));

test('gaitlab features <model> --json: one row per feature, firing rates that agree with the summary', () => {
  assert.equal(trained.code, 0, trained.stderr);
  const r = gaitlab(['features', modelId, '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = api.saeFeatures.response.parse(r.json);
  assert.equal(out.samples, 970);
  assert.equal(out.subjects, 194);
  assert.equal(out.features.length, 100);
  const rates = out.features.map((f) => f.firingRate);
  assert.ok(Math.abs(rates.reduce((s, f) => s + f, 0) / 100 - out.summary.meanFiringRate) < 1e-12);
  assert.deepEqual(out.features.filter((f) => f.dead).map((f) => f.index), out.summary.dead);
  assert.ok(Math.abs(out.features.reduce((s, f) => s + f.varianceShare, 0) - 1) < 1e-9);
  assert.ok(out.summary.correlatedPairs.every((p) => Math.abs(p.r) > 0.3 && Math.abs(p.r) <= out.summary.maxAbsCorrelation + 1e-12));
  // Subject-level correlations with group membership: 4 groups × every non-dead feature, BH q ≥ p.
  assert.equal(out.correlations.length, 4 * (100 - out.summary.dead.length));
  assert.deepEqual([...new Set(out.correlations.map((c) => c.attribute))].sort(), ['group = HC', 'group = class-2', 'group = class-3', 'group = class-4']);
  assert.ok(out.correlations.every((c) => c.n === 194 && c.q >= c.p - 1e-15 && c.ciLow <= c.ciHigh));
  for (const c of out.correlations.slice(0, 3)) console.log(`  feature ${c.feature} vs ${c.attribute}: r ${c.r.toFixed(3)} [${c.ciLow.toFixed(3)}, ${c.ciHigh.toFixed(3)}], q ${c.q.toExponential(2)}`);
  console.log(`  trial-level (pseudo-replicated) max |r| ${out.trialLevelMaxAbsR.toFixed(3)}`);
  console.log(`features (all 970 samples): firing rate mean ${out.summary.meanFiringRate.toFixed(3)} (${out.summary.minFiringRate.toFixed(3)}–${out.summary.maxFiringRate.toFixed(3)}), L0 ${out.summary.meanL0.toFixed(1)}, dead ${out.summary.dead.length}, dense ${out.summary.dense.length}, max |r| ${out.summary.maxAbsCorrelation.toFixed(2)}`);
});

test('gaitlab akin --subject and --trial: k neighbours, never the query subject, ascending distance, with groups', () => {
  const subject = query<{ subject_id: string; id: string }>(db, 'SELECT s.subject_id, t.id FROM trials t JOIN sessions s ON s.id = t.session_id LIMIT 1')[0];
  const bySubject = gaitlab(['akin', modelId, '--subject', subject.subject_id, '--k', '10', '--db', db, '--json']);
  assert.equal(bySubject.code, 0, bySubject.stderr);
  const a = api.saeAkin.response.parse(bySubject.json);
  assert.equal(a.neighbours.length, 10);
  assert.equal(a.database, 193);
  assert.ok(a.neighbours.every((n) => n.subject !== subject.subject_id));
  for (let i = 1; i < 10; i++) assert.ok(a.neighbours[i].distance >= a.neighbours[i - 1].distance);
  const byTrial = gaitlab(['akin', modelId, '--trial', subject.id, '--k', '5', '--db', db, '--json']);
  assert.equal(byTrial.code, 0, byTrial.stderr);
  const b = api.saeAkin.response.parse(byTrial.json);
  assert.equal(b.query.subject, subject.subject_id);
  assert.equal(b.neighbours.length, 5);
  assert.ok(b.neighbours.every((n) => n.subject !== subject.subject_id));
  // The curves plotted against each other: the query trial's own curve of the model's first channel (one row per
  // trial here), and 101 points per neighbour.
  const signals = gaitlab(['signals', subject.id, '--db', db, '--json']).json as { channels: { name: string; values: number[] }[] };
  const own = signals.channels.find((c) => c.name === b.channel.name)!;
  assert.equal(b.query.curve.length, 101);
  b.query.curve.forEach((v, t) => assert.ok(Math.abs(v - own.values[t]) < 1e-4, `${b.channel.name}[${t}]: ${v} vs ${own.values[t]}`));
  assert.ok(b.neighbours.every((n) => n.curve.length === 101 && n.curve.every(Number.isFinite)));
  assert.ok(a.query.curve.length === 101 && a.query.curve.some((v) => v !== 0));
});

test('bad input: not an SAE model, unknown model, both or neither query: one line', () => {
  const both = gaitlab(['akin', modelId, '--db', db, '--json']);
  assert.notEqual(both.code, 0);
  assert.match(both.stderr.trim(), /akin: give exactly one of --trial and --subject$/);
  const none = gaitlab(['features', 'M-nope', '--db', db, '--json']);
  assert.notEqual(none.code, 0);
  assert.match(none.stderr.trim(), /no model M-nope$/);
  const lr = gaitlab(['train', 'LogisticRegression', '--param', 'epochs=2', '--db', db, '--json']);
  assert.equal(lr.code, 0, lr.stderr);
  const wrong = gaitlab(['features', lr.json.model.id, '--db', db, '--json']);
  assert.notEqual(wrong.code, 0);
  assert.match(wrong.stderr.trim(), /is a LogisticRegression model, not a sparse autoencoder \(sae-kalam2025\)$/);
  for (const r of [both, none, wrong]) assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
});

test('retrieval of every held-out subject (quick model): P@10 of the same impairment class against the base rate', async () => {
  const call = checkedDispatch(createDispatcher(ctx));
  const model = (await call('getModel', { id: modelId })).model;
  const held = (model.architecture as { validationSubjects: string[] }).validationSubjects;
  assert.equal(held.length, 39);
  let precision = 0;
  let base = 0;
  const groups = new Map<string, number>();
  for (const s of held) {
    const r = await call('saeAkin', { id: modelId, subject: s, k: 10 });
    assert.ok(r.neighbours.every((n) => n.subject !== s));
    const same = r.neighbours.filter((n) => n.group === r.query.group).length / r.neighbours.length;
    precision += same;
    groups.set(r.query.group, (groups.get(r.query.group) ?? 0) + 1);
  }
  // Base rate: the share of the other 193 subjects in the query's class, from the database itself.
  const perGroup = query<{ grp: string; n: number }>(db, 'SELECT group_label AS grp, COUNT(*) AS n FROM subjects GROUP BY group_label');
  const total = perGroup.reduce((s, g) => s + g.n, 0);
  const sizeOf = new Map(perGroup.map((g) => [g.grp, g.n]));
  for (const [g, n] of groups) base += n * (((sizeOf.get(g) ?? 0) - 1) / (total - 1));
  precision /= held.length;
  base /= held.length;
  console.log(`akin retrieval, ${held.length} held-out subjects (subject-level, cosine, k = 10): mean P@10 same class ${precision.toFixed(3)} vs base rate ${base.toFixed(3)} (lift ${(precision - base).toFixed(3)}); queries per class ${JSON.stringify(Object.fromEntries(groups))}`);
  assert.equal(total, 194);
  assert.ok(precision >= 0 && precision <= 1);
});
