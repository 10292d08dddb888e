// Relevance maps stored per trial, model, run and composite (methods-spec §5.1.7) by `gaitlab explain --all` on a
// Horst model trained as a job on the real clinical GRF set, and aggregated per subject and per class by
// `gaitlab relevance` (§5.1.8, §5.1.10): the rows hold exactly what `explain --trial` computes (float32 BLOB,
// channel-major, little-endian; float64 logits), a second batch replaces rather than adds, bad input is one line
// and changes nothing, and deleting the model takes its maps with it. `gaitlab perturb --quick` (the quick
// setting, labelled) on the same model: its curves, AOPC/AOC and CV checked against the stored maps.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { api } from '../../../src-shared/api/schema';
import { mostRelevantPhases } from '../../../src-shared/methods/horst/phases';
import { meanMap, relevanceCV } from '../../../src-shared/methods/horst/relevance-stats';
import { dbFingerprint, gaitlab } from '../../helpers';
import { importGrf, query } from '../../compute/grf-db';

const db = importGrf('horst-relevance.db');
const trained = gaitlab(['train', 'horst', '--model', 'linear-svm', '--task', 'class', '--seed', '1234', '--db', db, '--json']);
const modelId: string = trained.json?.model?.id;

interface MapRow {
  trial_id: string; subject_id: string; dataset: string; task: string; model_kind: string; model_hash: string; run: number; run_seed: number; composite: string;
  target_index: number; target_label: string; predicted_index: number; logits: Buffer; explained_logit: number; samples: number; channels: string;
  relevance: Buffer; relevance_sum: number; residual: number;
}

const float32s = (b: Buffer) => Array.from({ length: b.length / 4 }, (_, i) => b.readFloatLE(i * 4));
const float64s = (b: Buffer) => Array.from({ length: b.length / 8 }, (_, i) => b.readDoubleLE(i * 8));

test('explain --all stores one map per trial from its test run: 970 rows whose BLOBs hold what explain --trial gives', () => {
  assert.equal(trained.code, 0, trained.stderr);
  const before = dbFingerprint(db);
  assert.equal(query(db, 'SELECT id FROM relevance_maps').length, 0, 'training stores no maps');
  const r = gaitlab(['explain', modelId, '--all', '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.notEqual(dbFingerprint(db), before);
  const e = api.explainModel.response.parse(r.json).explained;
  assert.deepEqual([e.maps, e.excludedTrials, e.runs, e.kind, e.task, e.composite, e.selection], [970, 0, 5, 'linear-svm', 'class', 'conv:alphabeta(2,1); dense:epsilon(0.00001)', e.selection]);
  assert.match(e.selection, /^cohort /);
  console.log(`explain --all: ${e.maps} maps, LRP ${e.lrpSeconds.toFixed(3)} s on ${e.lrpThreads} threads, ${e.seconds.toFixed(2)} s in all`);
  // Each run's 194 trials are shared over the machine's cores (at most 8).
  assert.equal(e.lrpThreads, Math.min(8, availableParallelism()));

  const rows = query<MapRow>(db, 'SELECT * FROM relevance_maps WHERE model_id = ? ORDER BY id', modelId);
  assert.equal(rows.length, 970);
  const selection = JSON.parse(query<{ data_selection: string }>(db, 'SELECT data_selection FROM models WHERE id = ?', modelId)[0].data_selection) as
    { folds: { byTrial: Record<string, number> } };
  const artefact = query<{ artefact: Buffer }>(db, 'SELECT artefact FROM models WHERE id = ?', modelId)[0].artefact;
  const weightsHash = createHash('sha256').update(artefact).digest('hex');
  for (const row of rows) {
    assert.equal(row.run, selection.folds.byTrial[row.trial_id]);
    assert.equal(row.model_hash, weightsHash);
    assert.equal(row.run_seed, 1234);
    assert.equal(row.relevance.length, 6 * 101 * 4);
    assert.equal(row.logits.length, 4 * 8);
    assert.equal(row.explained_logit, float64s(row.logits)[row.target_index]);
    assert.ok(Math.abs(row.explained_logit - row.relevance_sum - row.residual) <= 1e-12);
  }
  assert.equal(new Set(rows.map((x) => x.trial_id)).size, 970);
  // One stored row against the trial's own explanation.
  const row = rows[123];
  const one = gaitlab(['explain', modelId, '--trial', row.trial_id, '--db', db, '--json']);
  assert.equal(one.code, 0, one.stderr);
  const x = api.explainTrial.response.parse(one.json).explanation;
  assert.deepEqual(float32s(row.relevance), Array.from(Float32Array.from(x.relevance.flat())), 'channel-major float32 of the map');
  assert.deepEqual(float64s(row.logits), x.logits);
  assert.deepEqual(x.phases, mostRelevantPhases(x.relevance, x.channels, 'stance'));
  assert.ok(x.phases.length > 0 && x.phases.every((p) => /^(loading response|mid stance|terminal stance|pre-swing), (un)?affected (vertical|fore-aft|medial-lateral) force$/.test(p.words)), JSON.stringify(x.phases));
  assert.deepEqual([row.target_label, row.predicted_index, row.relevance_sum, row.residual, row.dataset, JSON.parse(row.channels)], [x.target.label, x.predicted.index, x.relevanceSum, x.residual, x.selection, x.channels]);

  // A second batch replaces the maps of the same model and composite; another composite adds its own.
  assert.equal(gaitlab(['explain', modelId, '--all', '--db', db, '--json']).code, 0);
  assert.equal(query(db, 'SELECT id FROM relevance_maps WHERE model_id = ?', modelId).length, 970);
  assert.equal(gaitlab(['explain', modelId, '--all', '--composite', 'epsilon(0)', '--db', db, '--json']).code, 0);
  assert.deepEqual(query(db, 'SELECT composite, COUNT(*) AS n FROM relevance_maps GROUP BY composite ORDER BY composite'),
    [{ composite: 'conv:alphabeta(2,1); dense:epsilon(0.00001)', n: 970 }, { composite: 'epsilon(0)', n: 970 }]);
});

test('explain --all on the LRP threads stores the very bytes one thread stores (GAITLAB_LRP_THREADS=1)', () => {
  const one = join(dirname(db), 'horst-relevance-one-thread.db');
  copyFileSync(db, one);
  const r = gaitlab(['explain', modelId, '--all', '--db', one, '--json'], { GAITLAB_LRP_THREADS: '1' });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(api.explainModel.response.parse(r.json).explained.lrpThreads, 1);
  const sql = "SELECT trial_id, relevance, logits, relevance_sum, residual FROM relevance_maps WHERE model_id = ? AND composite = 'conv:alphabeta(2,1); dense:epsilon(0.00001)' ORDER BY trial_id";
  const threaded = query<MapRow>(db, sql, modelId);
  const single = query<MapRow>(one, sql, modelId);
  assert.equal(threaded.length, 970);
  assert.deepEqual(single, threaded);
});

test('relevance --by class and --by subject: means of the stored maps, TP rate, CV per group and its mean ± SD', () => {
  const rows = query<MapRow>(db, "SELECT * FROM relevance_maps WHERE model_id = ? AND composite = 'epsilon(0)' ORDER BY id", modelId);
  const byClass = gaitlab(['relevance', modelId, '--by', 'class', '--composite', 'epsilon(0)', '--db', db, '--json']);
  assert.equal(byClass.code, 0, byClass.stderr);
  const c = api.relevanceSummary.response.parse(byClass.json).summary;
  assert.deepEqual([c.by, c.maps, c.groups.map((g) => g.key), c.composite], ['class', 970, ['HC', 'class-2', 'class-3', 'class-4'].filter((k) => c.groups.some((g) => g.key === k)), 'epsilon(0)']);
  assert.equal(c.groups.reduce((n, g) => n + g.trials.length, 0), 970);
  for (const g of c.groups) {
    const maps = rows.filter((r) => r.target_label === g.key).map((r) => Float32Array.from(float32s(r.relevance)));
    assert.equal(maps.length, g.trials.length);
    const mean = meanMap(maps);
    g.relevance.forEach((channel, ch) => channel.forEach((v, t) => assert.ok(Math.abs(v - mean[ch * 101 + t]) <= 1e-12 * Math.max(1, Math.abs(v)))));
    assert.equal(g.cv, relevanceCV(maps));
    const correct = rows.filter((r) => r.target_label === g.key && r.predicted_index === r.target_index).length;
    assert.equal(g.truePositiveRate, correct / maps.length);
  }

  const bySubject = gaitlab(['relevance', modelId, '--composite', 'epsilon(0)', '--db', db, '--json']);
  assert.equal(bySubject.code, 0, bySubject.stderr);
  const s = api.relevanceSummary.response.parse(bySubject.json).summary;
  assert.equal(s.groups.length, 194);
  assert.ok(s.groups.every((g) => g.trials.length === 5));
  const cvs = s.groups.map((g) => g.cv).filter((v): v is number => v !== null);
  const m = cvs.reduce((a, b) => a + b, 0) / cvs.length;
  assert.ok(s.cv !== null && s.cv.n === cvs.length && Math.abs(s.cv.mean - m) <= 1e-12 * m);
  // The subject view computed on the fly agrees with the stored maps to float32 precision.
  const subject = s.groups[7];
  const live = gaitlab(['explain', modelId, '--subject', subject.key, '--composite', 'epsilon(0)', '--db', db, '--json']);
  const l = api.explainSubject.response.parse(live.json).subject;
  l.relevance.forEach((channel, ch) => channel.forEach((v, t) => assert.ok(Math.abs(v - subject.relevance[ch][t]) <= 1e-6 * Math.max(1e-3, Math.abs(v)))));
});

test('perturb --quick (labelled): clean accuracy at step 0, AOPC/AOC from the curve, relevance order faithful, seeded, CV as stored', () => {
  const run = () => gaitlab(['perturb', modelId, '--quick', '--noise', 'gauss1', 'pepper', '--db', db, '--json']);
  const r = run();
  assert.equal(r.code, 0, r.stderr);
  const p = api.perturbModel.response.parse(r.json).perturbation;
  assert.match(p.setting.label, /^quick \(2 repetitions, steps 0–9 %\)/);
  assert.deepEqual([p.setting.repetitions, p.steps, p.trials, p.relevanceMaps, p.seed], [2, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 970, 'stored', 1234]);
  assert.deepEqual(p.curves.map((c) => `${c.noise} ${c.order}`), ['gauss1 random', 'gauss1 relevanceDescending', 'pepper random', 'pepper relevanceDescending']);
  const rows = query<MapRow>(db, "SELECT * FROM relevance_maps WHERE model_id = ? AND composite = 'conv:alphabeta(2,1); dense:epsilon(0.00001)'", modelId);
  const clean = rows.filter((x) => x.predicted_index === x.target_index).length / 970;
  for (const c of p.curves) {
    assert.ok(Math.abs(c.accuracy[0] - clean) <= 1e-12, `${c.noise} ${c.order}: step 0 is the clean accuracy`);
    assert.ok(Math.abs(c.aopc - (100 / 10) * c.accuracy.reduce((s, a) => s + (c.accuracy[0] - a), 0)) <= 1e-9);
    assert.ok(Math.abs(c.aoc - 100 * c.accuracy.reduce((s, a) => s + 0.01 * (1 - a), 0)) <= 1e-9);
    assert.equal(c.subjects.length, 194);
    // Every subject has 5 trials × 2 repetitions: the pooled curve is the mean of the subjects' curves.
    c.accuracy.forEach((a, k) => assert.ok(Math.abs(a - c.subjects.reduce((s, x) => s + x.accuracy[k], 0) / 194) <= 1e-12));
    assert.equal(c.subjectAopc?.n, 194);
  }
  const pepper = (order: string) => p.curves.find((c) => c.noise === 'pepper' && c.order === order)!.accuracy[9];
  assert.ok(pepper('relevanceDescending') < pepper('random') - 0.2, `zeroing the most relevant 9 % hurts more than zeroing 9 % at random: ${pepper('relevanceDescending')} vs ${pepper('random')}`);
  const summary = api.relevanceSummary.response.parse(gaitlab(['relevance', modelId, '--db', db, '--json']).json).summary;
  assert.deepEqual(p.relevanceCV, summary.cv);
  assert.deepEqual(api.perturbModel.response.parse(run().json).perturbation.curves, p.curves, 'seeded: the same curves again');
});

test('relevance and explain --all: bad input is one line and changes nothing; deleting the model deletes its maps', () => {
  const before = dbFingerprint(db);
  const cases: [string[], RegExp][] = [
    [['relevance', modelId, '--composite', 'epsilon(1e-3)'], new RegExp(`^gaitlab: model ${modelId} has no stored relevance maps for composite "epsilon\\(0\\.001\\)"; run gaitlab explain ${modelId} --all first$`)],
    [['relevance', modelId, '--by', 'trial'], /^gaitlab: relevance: --by must be subject or class, got "trial"$/],
    [['relevance', 'M-NOPE'], /^gaitlab: no model M-NOPE$/],
    [['explain', 'M-NOPE', '--all'], /^gaitlab: no model M-NOPE$/],
    [['explain', modelId, '--all', '--composite', 'zplus'], /^gaitlab: LRP rule "zplus" is unknown/],
    [['explain', modelId, '--all', '--trial', 'T-1'], /^gaitlab: explain: give either --trial <id>, --subject <id> or --all$/],
    [['perturb', modelId, '--quick', '--noise', 'speckle'], /^gaitlab: perturb: noise "speckle" is unknown \(gauss0\.5, gauss1, gauss2, saltMinus, pepper, saltPlus, shot\)$/],
    [['perturb', 'M-NOPE', '--quick'], /^gaitlab: no model M-NOPE$/],
  ];
  for (const [args, message] of cases) {
    const r = gaitlab([...args, '--db', db]);
    assert.equal(r.code, 1, r.stdout);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr.trim(), message);
  }
  assert.equal(dbFingerprint(db), before);
  assert.equal(gaitlab(['models', 'delete', modelId, '--db', db, '--json']).code, 0);
  assert.equal(query(db, 'SELECT id FROM relevance_maps').length, 0);
});
