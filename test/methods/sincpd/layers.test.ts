// SincPD's LayerNorm and pooling layers on the wasm backend, against their formulas.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../../../src-main/compute/tfjs/backend';
import { PairMaxPool1D, SincLayerNorm } from '../../../src-main/methods/sincpd/layers';
import { seededRandom } from '../../../src-shared/random';

before(async () => {
  assert.equal((await initTfjsBackend({ order: ['wasm'] })).backend, 'wasm');
});

test('PairMaxPool1D (pool 2, stride 2, VALID): values and gradients equal a float64 reference (first of equal maxima), even and odd lengths', () => {
  for (const length of [200, 47]) {
    const random = seededRandom(length);
    const [B, C, H] = [3, 5, Math.floor(length / 2)];
    const xv = Float32Array.from({ length: B * length * C }, () => random() * 2 - 1);
    const rv = Float32Array.from({ length: B * H * C }, () => random());
    const x = tf.tensor3d(xv, [B, length, C]), r = tf.tensor3d(rv, [B, H, C]);
    const ours = new PairMaxPool1D({});
    const [y, g] = tf.tidy(() => [(ours.apply(x) as tf.Tensor).dataSync(), tf.grad((v: tf.Tensor) => tf.sum(tf.mul(ours.apply(v) as tf.Tensor, r)))(x).dataSync()]);
    const gRef = new Float32Array(xv.length);
    for (let b = 0; b < B; b++) for (let t = 0; t < H; t++) for (let c = 0; c < C; c++) {
      const i0 = (b * length + 2 * t) * C + c, i1 = i0 + C;
      const pick = xv[i1] > xv[i0] ? i1 : i0;
      assert.equal(y[(b * H + t) * C + c], xv[pick]);
      gRef[pick] += rv[(b * H + t) * C + c];
    }
    assert.deepEqual(Array.from(g), Array.from(gRef), `gradients, length ${length}`);
    assert.deepEqual(ours.computeOutputShape([null, length, C]), [null, H, C]);
    // Observation, not asserted: tfjs-backend-wasm 4.22's MaxPoolGrad (behind tf.layers.maxPooling1d) sends the
    // gradient of some windows to the wrong element; PairMaxPool1D does not use it.
    const theirs = tf.layers.maxPooling1d({ poolSize: 2, strides: 2, padding: 'valid' });
    const gWasm = tf.tidy(() => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(theirs.apply(v) as tf.Tensor, r)))(x).dataSync());
    let wrong = 0, wrongBothNegative = 0;
    for (let i = 0; i < gRef.length; i++) if (gWasm[i] !== gRef[i]) { wrong++; const i0 = i - (Math.floor(i / C) % length % 2) * C; if (xv[i0] < 0 && xv[i0 + C] < 0) wrongBothNegative++; }
    console.log(`length ${length}: tf.layers.maxPooling1d gradient on ${tf.getBackend()} differs from the reference at ${wrong} of ${gRef.length} elements (${wrongBothNegative} in windows whose two values are negative)`);
    tf.dispose([x, r]);
  }
});

test('LayerNorm (sincnet-tensorflow): γ (y − mean)/(population std + 1e-6) + β over the filters; with 2 filters it outputs ±1 (§3.9.9)', () => {
  const random = seededRandom(21);
  const yv = Float32Array.from({ length: 2 * 3 * 4 }, () => random() * 4 - 2);
  const norm = new SincLayerNorm({});
  const y = tf.tensor3d(yv, [2, 3, 4]);
  const out = tf.tidy(() => (norm.apply(y) as tf.Tensor).dataSync());
  norm.setWeights([tf.tensor1d([1, 2, 3, 4]), tf.tensor1d([0.5, 0, -0.5, 1])]);
  const out2 = tf.tidy(() => (norm.apply(y) as tf.Tensor).dataSync());
  for (let r = 0; r < 6; r++) {
    const row = Array.from(yv.subarray(r * 4, r * 4 + 4));
    const mean = row.reduce((a, b) => a + b) / 4;
    const std = Math.sqrt(row.reduce((a, b) => a + (b - mean) ** 2, 0) / 4);
    row.forEach((v, j) => {
      assert.ok(Math.abs(out[r * 4 + j] - (v - mean) / (std + 1e-6)) < 1e-5);
      assert.ok(Math.abs(out2[r * 4 + j] - ([1, 2, 3, 4][j] * (v - mean) / (std + 1e-6) + [0.5, 0, -0.5, 1][j])) < 1e-5);
    });
  }
  const two = new SincLayerNorm({});
  const pair = tf.tidy(() => (two.apply(tf.tensor3d([3, -1, 0.2, 0.7], [1, 2, 2])) as tf.Tensor).dataSync());
  assert.deepEqual(Array.from(pair, (v) => Math.round(v * 1e4) / 1e4), [1, -1, -1, 1]);
  tf.dispose(y);
});
