// `gaitlab train sae` end to end: the real command, a real worker process, a real SQLite file holding the
// clinical GRF set (970 trials × 6 channels, the two 6-channel files merged by the importer). QUICK SETTINGS
// (5 epochs) for the stored model; the kill -9 case uses the replication preset, which has no early stopping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { jobSummary } from '../../src-shared/api/jobs';
import { modelDetail, modelSummary } from '../../src-shared/api/models';
import { gaitlab } from '../helpers';
import { importGrf, jobRow, killWorkerOfJob, query, until } from '../compute/grf-db';

const db = importGrf('sae.db');
const trainOutput = z.object({ job: jobSummary.strict(), model: modelSummary.pick({ id: true, metrics: true }).strict().nullable() }).strict();
const countModels = () => query<{ n: number }>(db, 'SELECT COUNT(*) AS n FROM models')[0].n;
const countJobs = () => query<{ n: number }>(db, 'SELECT COUNT(*) AS n FROM jobs')[0].n;

test('gaitlab train sae --model sae (quick: 5 epochs) stores a model with its card, scaling, subject split and held-out figures', () => {
  const r = gaitlab(['train', 'sae', '--model', 'sae', '--epochs', '5', '--seed', '42', '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = trainOutput.parse(r.json);
  assert.equal(out.job.status, 'done');
  assert.equal(out.job.method, 'sae-kalam2025');
  assert.deepEqual(out.job.params, { model: 'sae', epochs: 5 });
  assert.ok(out.model);
  const m = out.model.metrics as Record<string, number>;
  console.log(`job on 970 trials: held-out R² ${m.validationR2Scaled.toFixed(3)}, scaled MSE ${m.validationMseScaled.toFixed(4)}, mean firing rate ${m.meanFiringRate.toFixed(3)}, dead ${m.deadFeatures}`);
  assert.equal(m.heldOutSubjects, 39, '⌈0.2 × 194⌉ subjects held out');
  assert.equal(m.evaluationSamples, 39 * 5);
  assert.ok(m.validationR2Scaled > 0 && m.validationR2Scaled < 1);
  assert.ok(m.meanFiringRate > 0 && m.meanFiringRate < 1);

  const shown = gaitlab(['model', out.model.id, '--db', db, '--json']);
  assert.equal(shown.code, 0, shown.stderr);
  const model = z.object({ model: modelDetail }).parse(shown.json).model;
  const card = model.architecture as Record<string, unknown>;
  assert.equal(card.methodId, 'sae-kalam2025');
  assert.equal(card.variant, 'sae');
  assert.equal(card.preset, 'gaitlab-default');
  assert.equal(card.layout, 'stacked');
  assert.equal(card.dim, 810);
  assert.deepEqual((card.wavelet as { coefficientLengths: number[] }).coefficientLengths, [14, 14, 20, 32, 55]);
  assert.equal((card.trainLoss as number[]).length, 5);
  const pre = model.preprocessing as { kind: string; scale: number[]; mean: number[][] };
  assert.equal(pre.kind, 'type-rms');
  assert.equal(pre.scale.length, 6);
  assert.equal(pre.mean[0].length, 135);
  assert.deepEqual(model.weights.map((w) => [w.name, w.shape]), [['W', [100, 810]], ['be', [100]], ['bd', [810]]]);
  // Subject-grouped: the held-out trials' subjects are exactly the card's validation subjects, none trains.
  const sel = model.dataSelection as { trials: { id: string; subject: string }[]; split: { train: string[]; test: string[] } };
  const subjectOf = new Map(sel.trials.map((t) => [t.id, t.subject]));
  const testSubjects = new Set(sel.split.test.map((id) => subjectOf.get(id)));
  const trainSubjects = new Set(sel.split.train.map((id) => subjectOf.get(id)));
  assert.equal(testSubjects.size, 39);
  for (const s of testSubjects) assert.ok(!trainSubjects.has(s), `subject ${s} on both sides`);
  assert.equal(sel.split.train.length + sel.split.test.length, 970);
});

test('bad input: an unknown model kind, --model for another method, an unknown parameter: one line, nothing stored', () => {
  const models = countModels();
  const jobs = countJobs();
  const bad = gaitlab(['train', 'sae', '--model', 'cnn', '--db', db, '--json']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr.trim(), /^gaitlab: .*sae-kalam2025: parameter model = "cnn" is not one of "sae", "sae-disent", "svae"$/);
  const other = gaitlab(['train', 'LogisticRegression', '--model', 'sae', '--db', db, '--json']);
  assert.notEqual(other.code, 0);
  // A shorthand is a parameter like any other: the method that has no such parameter refuses it in one line.
  assert.match(other.stderr.trim(), /^gaitlab: LogisticRegression: unknown parameter "model" \(known: epochs, learningRate, batchSize, l2, testFraction\)$/);
  const unknown = gaitlab(['train', 'sae', '--param', 'rho=0.1', '--db', db, '--json']);
  assert.notEqual(unknown.code, 0);
  assert.match(unknown.stderr.trim(), /unknown parameter "rho" \(known: model, preset, epochs, latent, learningRate, batchSize\)$/);
  for (const r of [bad, other, unknown]) assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.equal(countModels(), models);
  assert.equal(countJobs(), jobs);
});

test('kill -9 of an SAE worker mid-training: the job ends failed "interrupted", no model is stored, nothing is left running', async () => {
  const before = countModels();
  const r = gaitlab(['train', 'sae', '--preset', 'kalam2025-replication', '--epochs', '10000', '--detach', '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const id = r.json.job.id as string;
  assert.equal(r.json.job.seed, 42, 'sae jobs default to seed 42 (§5.2.5)');
  const running = await until('the SAE job to train', () => {
    const j = jobRow(db, id);
    return j.status === 'running' && j.progress > 0 ? j : undefined;
  }, 120_000);
  const jobs = await killWorkerOfJob(db, id, running.worker_pid!);
  assert.equal(jobs.filter((j: { status: string }) => j.status === 'running').length, 0);
  assert.equal(countModels(), before);
});
