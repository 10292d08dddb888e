// LogisticRegression keeps the one method contract (the checks of test/methods/contract-checks.ts: declared
// parameters, refusals, determinism for a seed, predictions from the model stored as JSON), on real curves
// read straight from the clinical GRF file (classes HC and 2), without a database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readHorstMat } from '../../src-main/formats/horst-mat';
import { readSourceFile } from '../../src-main/formats/source-file';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../../src-main/compute/tfjs/backend';
import { getMethod, logisticRegression, type CurveDataset } from '../../src-main/methods';
import { sharedData } from '../helpers';
import { checkDeclaration, checkModel, checkParamsRoundTrip, checkRefusals } from '../methods/contract-checks';

async function grfCurves(): Promise<CurveDataset> {
  const batch = readHorstMat(await readSourceFile(sharedData('slijepcevic2021-clinical-grf-mat', '2021_acm_small_dataset_v3_aff-unaff-nonorm_1-2_.mat')));
  const groupOf = new Map(batch.subjects.map((s) => [s.key, s.group!]));
  const trials = batch.sessions.flatMap((s) => s.trials.map((t) => ({ subject: s.subjectKey, t })));
  const channels = trials[0].t.channels.map((c) => c.name);
  const points = trials[0].t.channels[0].samples.length;
  const features = channels.length * points;
  const x = new Float32Array(trials.length * features);
  trials.forEach(({ t }, i) => t.channels.forEach((c, k) => x.set(c.samples, i * features + k * points)));
  return { x, rows: trials.length, features, labels: trials.map((r) => groupOf.get(r.subject)!), subjects: trials.map((r) => r.subject), channels, points };
}

test('LogisticRegression is registered beside the gait methods and keeps the contract on real GRF curves', async () => {
  assert.equal(getMethod('LogisticRegression'), logisticRegression);
  const { tier: backend } = await initTfjsBackend();
  const data = await grfCurves();
  assert.equal(data.rows, 525);
  assert.equal(data.features, 606);
  checkDeclaration(logisticRegression);
  checkParamsRoundTrip(logisticRegression);
  checkRefusals(logisticRegression);
  const before = tf.memory().numTensors;
  const t0 = Date.now();
  await checkModel(logisticRegression, { data, input: data });
  assert.equal(tf.memory().numTensors, before, 'tensors left behind by the fits');
  const fitted = await logisticRegression.fit(data, { epochs: 50 }, { seed: 1 });
  // Healthy controls against one impairment class from six GRF curves: far above chance (0.5).
  assert.ok(fitted.output.metrics.testAccuracy > 0.8, `test accuracy ${fitted.output.metrics.testAccuracy}`);
  console.log(`${backend}: contract checks (2 fits of 100 epochs on ${data.rows} trials, 606 features) in ${((Date.now() - t0) / 1000).toFixed(1)} s; 50 epochs: test accuracy ${fitted.output.metrics.testAccuracy.toFixed(3)}`);
});

test('a fit stops at the next epoch when its signal aborts, with no tensors left', async () => {
  await initTfjsBackend();
  const data = await grfCurves();
  const before = tf.memory().numTensors;
  const abort = new AbortController();
  let epochs = 0;
  const fit = logisticRegression.fit(data, { epochs: 1000 }, { seed: 1, signal: abort.signal, onProgress: () => { if (++epochs === 3) abort.abort(new Error('stop here')); } });
  await assert.rejects(fit, /stop here/);
  assert.equal(epochs, 3);
  assert.equal(tf.memory().numTensors, before);
});
