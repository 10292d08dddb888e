// A small conv1d + dense model, written once with standard tfjs layers, trains on wasm (which needs GaitLab's
// Conv2DBackpropFilter) with its loss going down, to the same weights as on the cpu backend, and leaves no tensor
// behind. Inputs are windows of a real gaitpdb walk: 101 samples of 6 insole sensors.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { backendRecord, initTfjsBackend } from '../../src-main/compute/tfjs/backend';
import { withTensorScope, type TensorScopeReport } from '../../src-main/compute/tfjs/tensor-scope';
import { sharedData } from '../helpers';

const WINDOW = 101;
const CHANNELS = 6;
const BATCH = 5;

/** Windows of sensors L1–L6 (kN) and, as the target, the window's mean left and right totals (kN). */
function gaitpdbWindows(file: string, count: number): { x: Float32Array; y: Float32Array } {
  const rows = gunzipSync(readFileSync(file)).toString('utf8').trim().split('\n').map((l) => l.split('\t').map(Number));
  const x = new Float32Array(count * WINDOW * CHANNELS);
  const y = new Float32Array(count * 2);
  for (let w = 0; w < count; w++) {
    const start = 200 + w * 37; // overlapping windows from after the first steps
    for (let t = 0; t < WINDOW; t++) {
      const row = rows[start + t];
      for (let c = 0; c < CHANNELS; c++) x[(w * WINDOW + t) * CHANNELS + c] = row[1 + c] / 1000;
      y[w * 2] += row[17] / 1000 / WINDOW;
      y[w * 2 + 1] += row[18] / 1000 / WINDOW;
    }
  }
  return { x, y };
}

interface TrainResult {
  losses: number[];
  weights: Float32Array[];
}

const TWO_GIB = 2 * 1024 ** 3;

async function train(backend: 'wasm' | 'cpu', data: { x: Float32Array; y: Float32Array }, steps: number): Promise<TrainResult> {
  await initTfjsBackend({ order: [backend] });
  assert.equal(backendRecord().backend, backend);
  const onReport = (r: TensorScopeReport) => {
    assert.equal(r.leaked, 0, `${r.label}: ${r.leaked} tensors left behind`);
    assert.ok(r.rssBytes < TWO_GIB, `${r.label}: ${r.rssBytes} bytes resident`);
  };
  return withTensorScope(`train on ${backend}`, async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv1d({ inputShape: [WINDOW, CHANNELS], filters: 8, kernelSize: 7, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
      ],
    });
    const optimizer = tf.train.adam(0.01);
    model.compile({ optimizer, loss: 'meanSquaredError' });
    const n = data.y.length / 2;
    const xs = tf.tensor3d(data.x, [n, WINDOW, CHANNELS]);
    const ys = tf.tensor2d(data.y, [n, 2]);
    const history = await model.fit(xs, ys, { batchSize: BATCH, epochs: steps, shuffle: false, verbose: 0 });
    const weights = model.getWeights().map((w) => w.dataSync() as Float32Array);
    tf.dispose([xs, ys]);
    model.dispose();
    // Adam's moment estimates are tensors too; model.dispose() leaves them (withTensorScope found that).
    optimizer.dispose();
    return { losses: history.history.loss as number[], weights };
  }, { onReport });
}

let data: { x: Float32Array; y: Float32Array };
before(() => {
  data = gaitpdbWindows(sharedData('gaitpdb', 'GaCo01_01.txt.gz'), 10);
});

test('a conv1d + dense model trains on wasm with GaitLab kernels: the loss falls, matches the cpu backend to float32 tolerance, no tensor is left and RSS stays under 2 GiB', async () => {
  const epochs = 8;
  const wasm = await train('wasm', data, epochs);
  const cpu = await train('cpu', data, epochs);
  assert.equal(wasm.losses.length, epochs);
  assert.ok(wasm.losses.at(-1)! < 0.5 * wasm.losses[0], `loss should fall: ${wasm.losses.map((l) => l.toFixed(4)).join(' → ')}`);
  for (let i = 0; i < epochs; i++) {
    assert.ok(Math.abs(wasm.losses[i] - cpu.losses[i]) <= 1e-4 * Math.max(1, cpu.losses[i]), `epoch ${i}: wasm ${wasm.losses[i]}, cpu ${cpu.losses[i]}`);
  }
  assert.equal(wasm.weights.length, cpu.weights.length);
  wasm.weights.forEach((w, k) => {
    let worst = 0;
    for (let i = 0; i < w.length; i++) worst = Math.max(worst, Math.abs(w[i] - cpu.weights[k][i]));
    assert.ok(worst < 1e-4, `weight ${k}: largest difference ${worst}`);
  });
});
