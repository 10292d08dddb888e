// `gaitlab explain <model> --trial <id>` on a Horst model trained as a job on the clinical GRF set: the map
// (channel × time) comes from the run in which the trial was a test trial, for its true class; the response
// keeps its schema; with ε = 0 the residual of a linear model is its class bias (the same for two trials of one
// class in one run); bad input is one line and changes nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api } from '../../../src-shared/api/schema';
import { relevanceCV } from '../../../src-shared/methods/horst/relevance-stats';
import { dbFingerprint, gaitlab } from '../../helpers';
import { importGrf, query } from '../../compute/grf-db';

const db = importGrf('horst-explain.db');
const trained = gaitlab(['train', 'horst', '--model', 'linear-svm', '--task', 'class', '--seed', '1234', '--db', db, '--json']);
const modelId: string = trained.json?.model?.id;
const selection = JSON.parse(query<{ data_selection: string }>(db, 'SELECT data_selection FROM models WHERE id = ?', modelId)[0].data_selection) as
  { folds: { byTrial: Record<string, number> }; trials: { id: string; label: string; subject: string }[] };

function explain(trial: string, ...extra: string[]) {
  const r = gaitlab(['explain', modelId, '--trial', trial, '--db', db, '--json', ...extra]);
  assert.equal(r.code, 0, r.stderr);
  return api.explainTrial.response.parse(r.json).explanation;
}

test('explain: 6 × 101 map from the trial\'s test run, for its true class; Σ R + residual = the explained logit', () => {
  assert.equal(trained.code, 0, trained.stderr);
  const [a] = selection.trials.filter((t) => t.label === 'class-3');
  const e = explain(a.id);
  assert.equal(e.run, selection.folds.byTrial[a.id]);
  assert.equal(e.target.label, 'class-3');
  assert.equal(e.composite, 'conv:alphabeta(2,1); dense:epsilon(0.00001)');
  assert.deepEqual([e.relevance.length, ...new Set(e.relevance.map((row) => row.length))], [6, 101]);
  assert.equal(e.explainedLogit, e.logits[e.target.index]);
  const sum = e.relevance.flat().reduce((s, v) => s + v, 0);
  assert.ok(Math.abs(sum - e.relevanceSum) <= 1e-12 * Math.max(1, Math.abs(sum)));
  assert.ok(Math.abs(e.relevanceSum + e.residual - e.explainedLogit) <= 1e-12);
  assert.ok(e.relevance.flat().some((v) => v !== 0));
  assert.equal(e.predicted.index, e.logits.indexOf(Math.max(...e.logits)));
});

test('explain with epsilon(0): a linear model\'s residual is its class bias, equal for two trials of one class in one run', () => {
  const byRun = new Map<number, string[]>();
  for (const t of selection.trials.filter((x) => x.label === 'HC')) byRun.set(selection.folds.byTrial[t.id], [...(byRun.get(selection.folds.byTrial[t.id]) ?? []), t.id]);
  const [first, second] = [...byRun.values()].find((ids) => ids.length >= 2)!;
  const a = explain(first, '--composite', 'epsilon(0)');
  const b = explain(second, '--composite', 'epsilon(0)');
  assert.equal(a.composite, 'epsilon(0)');
  assert.equal(a.run, b.run);
  assert.notEqual(a.explainedLogit, b.explainedLogit);
  assert.ok(Math.abs(a.residual - b.residual) <= 1e-9, `${a.residual} vs ${b.residual}`);
  const c = explain(first);
  assert.notEqual(c.residual, a.residual, 'ε = 1e-5 leaves a different residual than ε = 0');
});

test('explain --subject: the mean of the subject\'s trial maps, its TP rate and CV (§5.1.8, §5.1.10)', () => {
  const subjectId = selection.trials[17].subject;
  const r = gaitlab(['explain', modelId, '--subject', subjectId, '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const s = api.explainSubject.response.parse(r.json).subject;
  const ids = selection.trials.filter((t) => t.subject === subjectId).map((t) => t.id);
  assert.deepEqual(s.trials, ids);
  assert.equal(ids.length, 5);
  const maps = ids.map((id) => explain(id));
  s.relevance.forEach((row, c) => row.forEach((v, t) => {
    const mean = maps.reduce((acc, m) => acc + m.relevance[c][t], 0) / maps.length;
    assert.ok(Math.abs(v - mean) <= 1e-12 * Math.max(1, Math.abs(mean)));
  }));
  assert.equal(s.truePositiveRate, maps.filter((m) => m.predicted.index === m.target.index).length / 5);
  const cv = relevanceCV(maps.map((m) => Float64Array.from(m.relevance.flat())));
  assert.ok(s.cv !== null && Math.abs(s.cv - cv!) <= 1e-12 * cv!);
});

test('explain: bad input is one line and changes nothing', () => {
  const before = dbFingerprint(db);
  const trial = selection.trials[0].id;
  const cases: [string[], RegExp][] = [
    [['explain', 'M-NOPE', '--trial', trial], /^gaitlab: no model M-NOPE$/],
    [['explain', modelId, '--trial', 'T-NOPE'], new RegExp(`^gaitlab: trial T-NOPE is not in the data of model ${modelId}$`)],
    [['explain', modelId, '--trial', trial, '--composite', 'zplus'], /^gaitlab: LRP rule "zplus" is unknown \(known: epsilon, gradient, alphabeta, wsquare, flat\)$/],
    [['explain', modelId, '--trial', trial, '--composite', 'conv:alphabeta(2,2); dense:epsilon'], /^gaitlab: alphabeta needs α − β = 1/],
    [['explain', modelId], /^gaitlab: explain: give either --trial <id>, --subject <id> or --all$/],
    [['explain', modelId, '--subject', 'S-NOPE'], new RegExp(`^gaitlab: subject S-NOPE has no explained trials in model ${modelId}$`)],
  ];
  for (const [args, message] of cases) {
    const r = gaitlab([...args, '--db', db]);
    assert.equal(r.code, 1, r.stdout);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr.trim(), message);
  }
  assert.equal(dbFingerprint(db), before);
});
