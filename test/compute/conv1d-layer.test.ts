// GaitlabConv1D is a drop-in for tf.layers.conv1d (same weights, same outputs, same training), and saves and
// loads as itself.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../../src-main/compute/tfjs/backend';
import { GaitlabConv1D, gaitlabConv1d } from '../../src-main/compute/tfjs/ops/conv1d-layer';
import { seededRandom } from '../helpers';

function randomTensor(shape: number[], seed: number): tf.Tensor {
  const rnd = seededRandom(seed);
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rnd() * 2 - 1), shape);
}

function model(conv: tf.layers.Layer): tf.Sequential {
  return tf.sequential({ layers: [conv, tf.layers.flatten(), tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) })] });
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

before(async () => {
  await initTfjsBackend({ order: ['wasm'] });
});

test('with the same weights GaitlabConv1D predicts and trains as tf.layers.conv1d', async () => {
  const args = { inputShape: [40, 6], filters: 8, kernelSize: 5, padding: 'same' as const, activation: 'relu' as const };
  const standard = model(tf.layers.conv1d({ ...args, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }));
  const gaitlab = model(gaitlabConv1d({ ...args }));
  assert.ok(gaitlab.layers[0] instanceof GaitlabConv1D);
  gaitlab.setWeights(standard.getWeights());
  const x = randomTensor([10, 40, 6], 4);
  const y = randomTensor([10, 2], 5);
  const p1 = standard.predict(x) as tf.Tensor;
  const p2 = gaitlab.predict(x) as tf.Tensor;
  assert.deepEqual(p2.shape, [10, 2]);
  assert.ok(maxDiff(p1.dataSync(), p2.dataSync()) < 1e-5);
  const losses: number[][] = [];
  for (const m of [standard, gaitlab]) {
    const optimizer = tf.train.adam(0.01);
    m.compile({ optimizer, loss: 'meanSquaredError' });
    const h = await m.fit(x, y, { batchSize: 5, epochs: 6, shuffle: false, verbose: 0 });
    losses.push(h.history.loss as number[]);
    optimizer.dispose();
  }
  assert.ok(maxDiff(losses[0], losses[1]) < 1e-5, `${losses[0]} vs ${losses[1]}`);
  assert.ok(losses[1][5] < losses[1][0]);
  standard.getWeights().forEach((w, i) => assert.ok(maxDiff(w.dataSync(), gaitlab.getWeights()[i].dataSync()) < 1e-5, `weight ${i}`));
  tf.dispose([x, y, p1, p2]);
  standard.dispose();
  gaitlab.dispose();
});

test('a model with GaitlabConv1D saves and loads back to the same layer class and predictions', async () => {
  const m = model(gaitlabConv1d({ inputShape: [21, 3], filters: 4, kernelSize: 3, strides: 2, padding: 'valid', activation: 'linear' }));
  const x = randomTensor([2, 21, 3], 6);
  let artifacts: tf.io.ModelArtifacts | undefined;
  await m.save(tf.io.withSaveHandler(async (a) => { artifacts = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
  const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
  assert.ok(loaded.layers[0] instanceof GaitlabConv1D);
  assert.deepEqual(loaded.layers[0].outputShape, [null, 10, 4]);
  const a = m.predict(x) as tf.Tensor;
  const b = loaded.predict(x) as tf.Tensor;
  assert.ok(maxDiff(a.dataSync(), b.dataSync()) < 1e-6);
  tf.dispose([x, a, b]);
  m.dispose();
  loaded.dispose();
});

test('impossible layer arguments are refused by name', () => {
  assert.throws(() => gaitlabConv1d({ filters: 0, kernelSize: 3 }), /^Error: GaitlabConv1D: filters, kernelSize and strides must be positive integers \(got 0, 3, 1\)$/);
  assert.throws(() => gaitlabConv1d({ filters: 2, kernelSize: 3, activation: 'tanh' as 'relu' }), /^Error: GaitlabConv1D: activation must be linear or relu, got tanh$/);
});
