// Horst cross-validation on the real clinical GRF set (6-channel merge, imported by the real `gaitlab import`):
// folds of §5.1.3, scaling on the training folds, linear-svm against the scikit-learn reference figures, and a
// network trained with the `smoke` schedule (3 × 300 iterations): its numbers are smoke figures, not the paper's.
import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { before, test } from 'node:test';
import { loadCurveDataset } from '../../../src-main/compute/curve-dataset';
import { initTfjsBackend } from '../../../src-main/compute/tfjs/backend';
import { crossValidate, type HorstData } from '../../../src-main/methods/horst/cross-validate';
import { SCHEDULES } from '../../../src-shared/methods/horst/schedule';
import { openDatabase } from '../../../src-main/store/db';
import { importGrf } from '../../compute/grf-db';

let data: HorstData;

before(async () => {
  const dbPath = importGrf('horst.db');
  const db = openDatabase(dbPath);
  try {
    const loaded = loadCurveDataset(db, { cohort: 'slijepcevic2021' }, basename(dbPath)).data;
    data = { x: loaded.x, rows: loaded.rows, channels: loaded.channels, subjects: loaded.subjects, groups: loaded.labels };
  } finally {
    db.close();
  }
  await initTfjsBackend();
});

test('linear-svm, impairment class, Algorithm G 5-fold (3/1/1): within the fold spread of LinearSVC\'s 0.587 ± 0.042', async () => {
  assert.equal(data.rows, 970);
  assert.equal(data.channels.length, 6);
  const r = await crossValidate(data, 'class', 'linear-svm', SCHEDULES.paper, { seed: 1234 });
  assert.deepEqual([r.protocol.k, r.protocol.folds, r.protocol.scalingFitSet], [5, 'G', 'training folds']);
  assert.equal(r.classes.length, 4);
  assert.equal(r.accuracies.length, 5);
  assert.equal(r.confusion.flat().reduce((s, v) => s + v, 0), 970, 'every trial is a test trial exactly once');
  assert.ok(Math.abs(r.mean - 0.587) <= 0.042, `mean ${r.mean.toFixed(3)} ± ${r.sd.toFixed(3)}`);
  assert.ok(r.runs.every((run) => run.svm!.converged.every(Boolean)));
  // §5.1.12 for grouped tasks: per-class recall from the summed confusion, balanced accuracy, subject-level vote.
  r.confusion.forEach((row, k) => assert.equal(r.perClassRecall[k], row[k] / row.reduce((a, b) => a + b, 0)));
  assert.ok(Math.abs(r.balancedAccuracy - r.perClassRecall.reduce((a, b) => a! + b!, 0)! / 4) < 1e-15);
  assert.ok(r.subjectLevelAccuracy! > 0.25 && r.subjectLevelAccuracy! <= 1, `subject-level ${r.subjectLevelAccuracy}`);
  // Subject-grouped: no subject is in two test folds.
  const testFoldOf = new Map<string, number>();
  for (const run of r.runs) for (const row of run.testRows) {
    const s = data.subjects[row];
    assert.ok(!testFoldOf.has(s) || testFoldOf.get(s) === run.run, `subject ${s} in two folds`);
    testFoldOf.set(s, run.run);
  }
});

test('linear-svm, subject identification (K = 194), Algorithm T run 0 of 5: 582/194/194 trials, accuracy ≥ 0.93', async () => {
  const r = await crossValidate(data, 'subject', 'linear-svm', SCHEDULES.paper, { seed: 1234, runs: [0] });
  const run = r.runs[0];
  assert.deepEqual([run.trainTrials, run.validationTrials, run.testTrials], [582, 194, 194]);
  assert.equal(r.subjectLevelAccuracy, null);
  assert.equal(r.classes.length, 194);
  assert.ok(run.accuracy >= 0.93, `accuracy ${run.accuracy}`);
});

test('smoke schedule (labelled smoke): mlp3-64 on impairment class, run 0 — 3 phases of 300 iterations, better than the majority class, repeatable', async () => {
  const first = await crossValidate(data, 'class', 'mlp3-64', SCHEDULES.smoke, { seed: 1234, runs: [0] });
  assert.equal(first.protocol.schedule, 'smoke');
  assert.equal(first.protocol.patience, 10);
  const run = first.runs[0];
  assert.deepEqual(run.phases!.map((p) => p.learningRate), [5e-3, 1e-3, 5e-4]);
  assert.ok(run.phases!.every((p) => p.iterations <= 300 && p.bestIteration % 50 === 0 && p.bestIteration > 0));
  const truth = run.testRows.map((row) => data.groups[row]);
  const majority = Math.max(...[...new Set(truth)].map((g) => truth.filter((t) => t === g).length)) / truth.length;
  assert.ok(run.accuracy > majority, `smoke accuracy ${run.accuracy} vs majority ${majority}`);
  const again = await crossValidate(data, 'class', 'mlp3-64', SCHEDULES.smoke, { seed: 1234, runs: [0] });
  assert.deepEqual(again.runs[0].predicted, run.predicted);
  again.runs[0].weights.forEach((w, l) => w.weight.forEach((v, i) => assert.ok(Math.abs(v - run.weights[l].weight[i]) <= 1e-5)));
});

test('refusals: cnn-c3 on 2 channels, a subject without a class label — one line each, naming what is wrong', async () => {
  const vertical = [2, 5];
  const width = 101;
  const x = new Float32Array(data.rows * 2 * width);
  for (let r = 0; r < data.rows; r++) vertical.forEach((c, k) => x.set(data.x.subarray((r * 6 + c) * width, (r * 6 + c + 1) * width), (r * 2 + k) * width));
  const two: HorstData = { ...data, x, channels: vertical.map((c) => data.channels[c]) };
  await assert.rejects(crossValidate(two, 'subject', 'cnn-c3', SCHEDULES.smoke, { seed: 1 }), /^RangeError: model cnn-c3 needs at least 6 channels, the input has 2$/);
  const groups = [...data.groups];
  groups[12] = null;
  await assert.rejects(crossValidate({ ...data, groups }, 'class', 'linear-svm', SCHEDULES.smoke, { seed: 1 }), new RegExp(`task class: subject ${data.subjects[12]} has no group label`));
});
