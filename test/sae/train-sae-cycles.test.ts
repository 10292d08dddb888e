// `gaitlab train sae --cohort gaitpdb` on real walks: the autoencoder trains on GaitLab's own gait cycles (one
// row per clean 101-point cycle of one side, L_total and R_total as one side-neutral channel "total"), and every
// view of the model (features, akin, the dictionary, the t-SNE map) reads the same rows again. Forces are in ×BW:
// GaPt04 has no weight in demographics.txt and is left out, named. Ten gaitpdb walks of ten subjects (five PD,
// five controls) with their demographics. QUICK SETTINGS: 5 epochs.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { closeServiceContext, openServiceContext } from '../../src-main/services/context';
import { createDispatcher } from '../../src-main/services/dispatch';
import { checkedDispatch } from '../api-contract';
import { dbFingerprint, gaitlab, sharedData, tempDir } from '../helpers';
import { query } from '../compute/grf-db';

const WALKS = ['GaCo01_01', 'GaCo02_01', 'GaCo03_01', 'GaCo04_01', 'JuCo01_01', 'GaPt03_01', 'GaPt04_01', 'GaPt05_01', 'GaPt06_01', 'JuPt01_01'];
const dir = tempDir('gaitlab-sae-cycles-');
const folder = join(dir, 'walks');
const db = join(dir, 'gaitpdb.db');
{
  mkdirSync(folder);
  for (const w of WALKS) copyFileSync(sharedData('gaitpdb', `${w}.txt.gz`), join(folder, `${w}.txt.gz`));
  copyFileSync(sharedData('gaitpdb', 'demographics.txt'), join(folder, 'demographics.txt'));
}
const imported = gaitlab(['import', folder, '--db', db, '--json']);
const trained = gaitlab(['train', 'sae', '--cohort', 'gaitpdb', '--epochs', '5', '--db', db, '--json']);
const modelId = trained.json?.model?.id as string;
const ctx = openServiceContext({ dbPath: db, mode: 'browser' });
after(() => closeServiceContext(ctx));
const call = checkedDispatch(createDispatcher(ctx));

const mass = () => new Map(query<{ subject_id: string; value_num: number }>(db, "SELECT subject_id, value_num FROM subject_attributes WHERE key = 'weight'").map((r) => [r.subject_id, r.value_num]));
const gapt04 = () => query<{ subject_id: string }>(db, "SELECT subject_id FROM subject_identity WHERE external_id = 'GaPt04'")[0].subject_id;
const trialSubject = () => new Map(query<{ id: string; subject_id: string }>(db, 'SELECT t.id, se.subject_id FROM trials t JOIN sessions se ON se.id = t.session_id').map((r) => [r.id, r.subject_id]));

/** The clean gait cycles of the side's own total channel, as `gaitlab cycles` lists them, per trial. */
let cached: Map<string, { id: string; side: string; curve: number[] }[]> | null = null;
function cleanSideCycles(): Map<string, { id: string; side: string; curve: number[] }[]> {
  if (cached) return cached;
  const trials = query<{ id: string }>(db, 'SELECT id FROM trials ORDER BY id');
  const out = new Map<string, { id: string; side: string; curve: number[] }[]>();
  for (const t of trials) {
    const r = gaitlab(['cycles', t.id, '--kind', 'gait_cycle', '--db', db, '--json']);
    assert.equal(r.code, 0, r.stderr);
    out.set(t.id, (r.json.cycles as { id: string; channel: string; side: string; flags: string[]; curve: number[] }[])
      .filter((c) => c.flags.length === 0 && ((c.channel === 'L_total' && c.side === 'left') || (c.channel === 'R_total' && c.side === 'right'))));
  }
  return (cached = out);
}

test('train sae --cohort gaitpdb: one row per clean cycle and side, channel "total" in ×BW, a subject-grouped split recorded by trial', async () => {
  assert.equal(imported.code, 0, imported.stderr);
  assert.equal(imported.json.import.trials, 10);
  assert.equal(trained.code, 0, trained.stderr);
  const left = gapt04();
  const subjectOf = trialSubject();
  const cycles = cleanSideCycles();
  const used = [...cycles].filter(([t]) => subjectOf.get(t) !== left);
  const total = used.reduce((s, [, c]) => s + c.length, 0);
  const model = (await call('getModel', { id: modelId })).model;
  const sel = model.dataSelection as { kind: string; channels: string[]; units: string[]; bodyWeight: boolean; leftOut: { subject: string; reason: string }[]; pairs: unknown[]; trials: { id: string; cycles: number }[]; split: { train: string[]; test: string[] } };
  assert.equal(sel.kind, 'side-cycles');
  assert.deepEqual(sel.channels, ['total']);
  assert.deepEqual(sel.units, ['×BW']);
  assert.equal(sel.bodyWeight, true);
  assert.deepEqual(sel.leftOut, [{ subject: left, reason: 'no body mass (body_mass or weight in kg) to express forces in ×BW' }]);
  assert.deepEqual(sel.pairs, [{ name: 'total', left: 'L_total', right: 'R_total' }]);
  assert.equal(sel.trials.length, 9);
  for (const t of sel.trials) assert.equal(t.cycles, cycles.get(t.id)!.length, t.id);
  // Every trial used once, in train or test, never both.
  assert.deepEqual([...sel.split.train, ...sel.split.test].sort(), sel.trials.map((t) => t.id).sort());
  const arch = model.architecture as { trainSubjects: string[]; validationSubjects: string[]; dim: number; channels: string[] };
  assert.equal(arch.dim, 135);
  assert.ok(arch.validationSubjects.length >= 1 && arch.validationSubjects.every((s) => !arch.trainSubjects.includes(s)));
  const job = await call('getJob', { id: trained.json.job.id });
  assert.ok(job.log.some((l) => l.line === `left out: ${left} (no body mass (body_mass or weight in kg) to express forces in ×BW)`));
  const features = await call('saeFeatures', { id: modelId });
  assert.equal(features.samples, total);
  assert.equal(features.subjects, 9);
  console.log(`gaitpdb cycles (9 walks with a weight, quick 5 epochs): ${total} side cycles; held-out R² ${Number(trained.json.model.metrics.validationR2Scaled).toFixed(3)}, firing rate ${features.summary.meanFiringRate.toFixed(3)} (paper ≈ 0.07), ${features.summary.dead.length} dead`);
});

test('akin on a cycle model: by trial and by subject, never the query subject, what each neighbour shares is active in both', async () => {
  const t = query<{ id: string; subject_id: string }>(db, 'SELECT t.id, se.subject_id FROM trials t JOIN sessions se ON se.id = t.session_id WHERE se.subject_id != ? ORDER BY t.id LIMIT 1', gapt04())[0];
  const byTrial = await call('saeAkin', { id: modelId, trial: t.id, k: 4 });
  assert.equal(byTrial.query.subject, t.subject_id);
  assert.equal(byTrial.neighbours.length, 4);
  assert.equal(byTrial.database, 8);
  assert.ok(byTrial.neighbours.every((n) => n.subject !== t.subject_id && /^(PD|control)$/.test(n.group)));
  for (const n of byTrial.neighbours) {
    assert.ok(n.shared.length <= 3);
    assert.ok(n.shared.every((s) => s.query > 0 && s.neighbour > 0));
    for (let i = 1; i < n.shared.length; i++) assert.ok(Math.min(n.shared[i].query, n.shared[i].neighbour) <= Math.min(n.shared[i - 1].query, n.shared[i - 1].neighbour));
  }
  // One walk per subject: the trial query and the subject query are the same mean code.
  const bySubject = await call('saeAkin', { id: modelId, subject: t.subject_id, k: 4 });
  assert.deepEqual(bySubject.neighbours, byTrial.neighbours);
});

test('the dictionary: 100 features with a 101-point atom each; top cycles are stored cycles of their trial and side, by activation', async () => {
  const d = await call('saeDictionary', { id: modelId, top: 3 });
  const cycles = cleanSideCycles();
  assert.equal(d.rows, 'side-cycles');
  assert.deepEqual(d.channels, [{ name: 'total', unit: '×BW' }]);
  const kg = mass();
  const subjectOf = trialSubject();
  assert.equal(d.features.length, 100);
  assert.ok(d.features.every((f) => f.atom.length === 1 && f.atom[0].length === 101 && f.atom[0].every(Number.isFinite)));
  const live = d.features.filter((f) => !f.dead);
  assert.ok(live.length > 0);
  for (const f of d.features) {
    // Every sample is counted once in the histogram: at zero, or in one of the 20 bins over [low, high].
    assert.equal(f.histogram.atZero + f.histogram.counts.reduce((a, b) => a + b, 0), d.samples);
    assert.equal(f.histogram.counts.length, 20);
    assert.equal(f.histogram.atZero, Math.round((1 - f.firingRate) * d.samples));
    // The subjects that fire it most: by mean activation, descending.
    for (let i = 1; i < f.topSubjects.length; i++) assert.ok(f.topSubjects[i].meanActivation <= f.topSubjects[i - 1].meanActivation);
    assert.equal(f.topSubjects.length > 0, !f.dead);
  }
  for (const f of live) {
    assert.ok(f.top.every((t) => t.reconstruction?.length === 1 && t.reconstruction[0].length === 101 && t.reconstruction[0].every(Number.isFinite)));
    assert.ok(f.top.length >= 1 && f.top.length <= 3);
    assert.equal(new Set(f.top.map((t) => t.subject)).size, f.top.length, 'one cycle per subject');
    for (let i = 1; i < f.top.length; i++) assert.ok(f.top[i].activation <= f.top[i - 1].activation);
    for (const t of f.top) {
      const stored = cycles.get(t.trial)!.find((c) => c.id === t.cycleId);
      assert.ok(stored, `${t.trial} ${t.cycleId}`);
      assert.equal(stored.side, t.side);
      // The curve shown is the stored cycle in ×BW (float32 in the dataset, 4 decimals in the answer).
      const bw = kg.get(subjectOf.get(t.trial)!)! * 9.80665;
      stored.curve.forEach((v, i) => assert.ok(Math.abs(v / bw - t.curves[0][i]) < 1e-4, `${t.cycleId}[${i}]`));
    }
  }
});

test('the latent map: one t-SNE point per subject with its group, the same for the same seed', async () => {
  const a = await call('saeLatentMap', { id: modelId });
  const b = await call('saeLatentMap', { id: modelId });
  assert.equal(a.points.length, 9);
  assert.equal(a.perplexity, 2);
  assert.deepEqual(a.points, b.points);
  assert.deepEqual(a.points.map((p) => p.group).sort(), ['PD', 'PD', 'PD', 'PD', 'control', 'control', 'control', 'control', 'control']);
  assert.ok(a.points.every((p) => p.subject !== gapt04()));
  assert.ok(a.points.every((p) => Number.isFinite(p.x) && Number.isFinite(p.y)));
  // PCA scores are centred; PC1 explains at least as much as PC2; k-means labels every subject, k by silhouette.
  assert.ok(Math.abs(a.points.reduce((t, p) => t + p.pc1, 0)) < 1e-6);
  assert.ok(a.pca.explainedVarianceRatio[0] >= a.pca.explainedVarianceRatio[1] && a.pca.explainedVarianceRatio[0] <= 1);
  assert.equal(a.kmeans.sizes.reduce((t, n) => t + n, 0), 9);
  assert.ok(a.points.every((p) => p.cluster >= 1 && p.cluster <= a.kmeans.k));
  assert.equal(a.kmeans.silhouette, Math.max(...a.kmeans.silhouettes.map((x) => x.silhouette)));
  // gaitpdb demographics to colour by, one value (or null) per subject and attribute.
  assert.ok(['age', 'height', 'body weight', 'sex (male = 1)'].every((n) => a.attributes.includes(n)), a.attributes.join());
  assert.ok(a.points.every((p) => Object.keys(p.metadata).join() === a.attributes.join()));
  const c = await call('saeLatentMap', { id: modelId, seed: 7 });
  assert.notDeepEqual(c.points, a.points);
});

test('bad input: an unpaired or unknown cycle channel is refused in one line and nothing is stored', () => {
  const before = dbFingerprint(db);
  const unpaired = gaitlab(['train', 'sae', '--cohort', 'gaitpdb', '--signal', 'L_total', '--db', db, '--json']);
  assert.equal(unpaired.code, 1);
  assert.match(unpaired.stderr.trim(), /field signal: L_total has no left\/right partner; name both sides \(e\.g\. L_total,R_total\)$/);
  const unknown = gaitlab(['train', 'sae', '--cohort', 'gaitpdb', '--signal', 'L_heel,R_heel', '--db', db, '--json']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr.trim(), /field signal: no clean gait cycles of L_heel, R_heel in cohort "gaitpdb"/);
  for (const r of [unpaired, unknown]) assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.equal(dbFingerprint(db), before);
  assert.equal(query(db, "SELECT id FROM jobs WHERE status != 'done'").length, 0);
});
