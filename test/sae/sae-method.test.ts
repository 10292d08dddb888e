// The sparse autoencoder method on real curves: the clinical GRF file with all six channels (HC and class 2,
// 525 trials of 105 subjects), read straight from ../shared/data without a database. QUICK SETTINGS where
// labelled (few epochs); the figures printed are the held-out-subject reconstruction and firing rates.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { readHorstMat } from '../../src-main/formats/horst-mat';
import { readSourceFile } from '../../src-main/formats/source-file';
import { initTfjsBackend } from '../../src-main/compute/tfjs/backend';
import { getMethod, sparseAutoencoder, type CurveDataset } from '../../src-main/methods';
import { findTrainable, packTensors, unpackTensors } from '../../src-main/compute/trainable';
import { sharedData } from '../helpers';
import { checkDeclaration, checkModel, checkParamsRoundTrip, checkRefusals } from '../methods/contract-checks';

let data: CurveDataset;
let backend = '';

before(async () => {
  backend = (await initTfjsBackend()).tier;
  const batch = readHorstMat(await readSourceFile(sharedData('slijepcevic2021-clinical-grf-mat', '2021_acm_small_dataset_v3_aff-unaff-nonorm_1-2_.mat')));
  const groupOf = new Map(batch.subjects.map((s) => [s.key, s.group!]));
  const trials = batch.sessions.flatMap((s) => s.trials.map((t) => ({ subject: s.subjectKey, t })));
  const channels = trials[0].t.channels.map((c) => c.name);
  const points = trials[0].t.channels[0].samples.length;
  const features = channels.length * points;
  const x = new Float32Array(trials.length * features);
  trials.forEach(({ t }, i) => t.channels.forEach((c, k) => x.set(c.samples, i * features + k * points)));
  data = { x, rows: trials.length, features, labels: trials.map((r) => groupOf.get(r.subject)!), subjects: trials.map((r) => r.subject), channels, points };
});

test('sae-kalam2025 is registered and keeps the model contract on real GRF curves (default parameters: ≤ 100 epochs, early stopping)', async () => {
  assert.equal(getMethod('sae-kalam2025'), sparseAutoencoder);
  checkDeclaration(sparseAutoencoder);
  checkParamsRoundTrip(sparseAutoencoder);
  checkRefusals(sparseAutoencoder);
  const before = tf.memory().numTensors;
  await checkModel(sparseAutoencoder, { data, input: data });
  assert.equal(tf.memory().numTensors, before, 'tensors left behind');
});

test('gaitlab-default SAE on 6-channel GRF (quick: 30 epochs): held-out subjects reconstructed, sparse codes, stored and restored', async () => {
  const t0 = Date.now();
  const fit = await sparseAutoencoder.fit(data, { model: 'sae', epochs: 30 }, { seed: 42 });
  const { state, metrics } = fit.output;
  const s = (Date.now() - t0) / 1000;
  assert.equal(state.card.dim, 6 * 135, 'stacked layout: 6 channel blocks of 135 coefficients');
  assert.equal(state.card.validationSubjects.length, Math.ceil(0.2 * 105));
  const val = new Set(state.card.validationSubjects);
  assert.ok(state.card.trainSubjects.every((x) => !val.has(x)), 'no subject on both sides');
  assert.ok(state.split.test.every((r) => val.has(data.subjects[r])) && state.split.test.length === val.size * 5);
  const tdom = fit.summary.timeDomain as { channel: string; rmse: number; r2: number }[];
  console.log(`${backend}: SAE 810→100 on ${data.rows} trials, ${metrics.epochsRun} epochs (best ${metrics.bestEpoch}) in ${s.toFixed(1)} s; held-out: scaled MSE ${metrics.validationMseScaled.toFixed(4)}, R² ${metrics.validationR2Scaled.toFixed(3)}; firing rate mean ${metrics.meanFiringRate.toFixed(3)} (${metrics.minFiringRate.toFixed(3)}–${metrics.maxFiringRate.toFixed(3)}), dead ${metrics.deadFeatures}, max |r| ${metrics.maxAbsCorrelation.toFixed(2)}`);
  for (const c of tdom) console.log(`  ${c.channel}: time-domain RMSE ${c.rmse.toFixed(4)} BW, R² ${c.r2.toFixed(3)}`);
  assert.ok(metrics.validationR2Scaled > 0.5, `held-out R² ${metrics.validationR2Scaled}`);
  const vertical = tdom.filter((c) => /vertical/.test(c.channel));
  assert.equal(vertical.length, 2);
  for (const c of vertical) assert.ok(c.r2 > 0.5 && c.rmse < 0.1, `${c.channel}: R² ${c.r2}, RMSE ${c.rmse}`);
  assert.ok(metrics.meanFiringRate > 0 && metrics.meanFiringRate < 1);
  assert.ok(metrics.deadFeatures < 100);

  // The stored form (tensors packed as float32, card as JSON) predicts exactly the same codes.
  const trainable = findTrainable('sae')!;
  const fitted = await trainable.fit(data, { model: 'sae', epochs: 2 }, { seed: 42 });
  const { manifest, bytes } = packTensors(fitted.stored.tensors);
  const restored = trainable.fromStored({ architecture: JSON.parse(JSON.stringify(fitted.stored.architecture)), preprocessing: JSON.parse(JSON.stringify(fitted.stored.preprocessing)), tensors: unpackTensors(manifest, bytes) }, { train: [], test: [] });
  const direct = await sparseAutoencoder.fit(data, { model: 'sae', epochs: 2 }, { seed: 42 });
  const a = await sparseAutoencoder.predict(direct, data);
  const b = await sparseAutoencoder.predict({ ...direct, output: { state: restored as typeof direct.output.state, metrics: {} } }, data);
  assert.deepEqual(b.output.codes, a.output.codes);
});

test('sparse VAE and disentangled SAE train on the same curves (quick: 10 epochs) with finite held-out error', async () => {
  for (const model of ['sae-disent', 'svae'] as const) {
    const { metrics } = (await sparseAutoencoder.fit(data, { model, epochs: 10 }, { seed: 42 })).output;
    console.log(`${model}: held-out R² ${metrics.validationR2Scaled.toFixed(3)}, mean firing rate ${metrics.meanFiringRate.toFixed(3)}, dead ${metrics.deadFeatures}, max |r| ${metrics.maxAbsCorrelation.toFixed(2)}`);
    assert.ok(Number.isFinite(metrics.validationMseScaled) && metrics.validationR2Scaled > 0, `${model}: R² ${metrics.validationR2Scaled}`);
  }
});

test('bad input: curves of another length, a missing channel, unknown model kind: one-line errors', async () => {
  const short = { ...data, points: 100, features: 600 };
  await assert.rejects(sparseAutoencoder.fit(short, { epochs: 1 }), /^InputError: sae-kalam2025 input field points: the sparse autoencoders take 101-point curves; the data has 100$/);
  await assert.rejects(sparseAutoencoder.fit(data, { model: 'cnn' }), /sae-kalam2025: parameter model = "cnn" is not one of "sae", "sae-disent", "svae"/);
  const fitted = await sparseAutoencoder.fit(data, { epochs: 1 }, { seed: 1 });
  const fewer = { ...data, channels: data.channels.slice(0, 3), features: 303, x: new Float32Array(data.rows * 303) };
  await assert.rejects(sparseAutoencoder.predict(fitted, fewer), (e: Error) => /^sae-kalam2025 input field channels: the model needs channel "unaffected_fore_aft", the data has affected_fore_aft, affected_medial_lateral, affected_vertical$/.test(e.message) && !e.message.includes('\n'));
});

test('kalam2025-replication (quick: 3 epochs): per-curve layout D = 135, no scaling, no split, exactly the epochs asked, svae-code', async () => {
  const fit = await sparseAutoencoder.fit(data, { preset: 'kalam2025-replication', epochs: 3 }, { seed: 42 });
  const { card, scaling, split } = fit.output.state;
  assert.equal(card.layout, 'per-curve');
  assert.equal(card.dim, 135);
  assert.equal(card.reductions, 'code');
  assert.equal(card.epochsRun, 3);
  assert.equal(card.stoppedEarly, false);
  assert.deepEqual(card.validationSubjects, []);
  assert.equal(card.subjectIndependent, false);
  assert.equal(split.test.length, 0);
  assert.ok(scaling.every((s) => s.scale === 1 && s.mean.every((m) => m === 0)));
  // Every curve is a sample: 525 trials × 6 channels, all evaluated (the paper's protocol: no held-out data).
  assert.equal(fit.output.metrics.evaluationSamples, 525 * 6);
  const svae = await sparseAutoencoder.fit(data, { preset: 'kalam2025-replication', model: 'svae', epochs: 1 }, { seed: 42 });
  assert.equal(svae.output.state.card.variant, 'svae-code');
  assert.equal(svae.output.state.weights.V, undefined, 'the released-code SVAE has no variance head');
});

test('a fit stops at the next epoch when its signal aborts, with no tensors left', async () => {
  const before = tf.memory().numTensors;
  const abort = new AbortController();
  let epochs = 0;
  const fit = sparseAutoencoder.fit(data, { preset: 'kalam2025-replication', epochs: 1000 }, { seed: 1, signal: abort.signal, onProgress: () => { if (++epochs === 2) abort.abort(new Error('stop here')); } });
  await assert.rejects(fit, /stop here/);
  assert.equal(epochs, 2);
  assert.equal(tf.memory().numTensors, before);
});
