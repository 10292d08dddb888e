// The gradients that GaitLab's wasm kernels compute (dense products in every transposition, the fused conv1d op
// with its bias, the bias sums) against central finite differences of their forward pass, on wasm. The losses are
// linear in the perturbed tensor (Σ f ⊙ r with a linear activation), so a central difference is exact up to
// float32 rounding.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../../src-main/compute/tfjs/backend';
import { conv1dBiasActivation } from '../../src-main/compute/tfjs/ops/conv1d-bias-activation';
import { seededRandom } from '../helpers';

function randomTensor(shape: number[], seed: number): tf.Tensor {
  const rnd = seededRandom(seed);
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rnd() * 2 - 1), shape);
}

/** Checks d loss / d inputs[i] at `probes` random elements of each input against (L(v + ε) − L(v − ε)) / 2ε. */
function checkGradients(name: string, inputs: tf.Tensor[], loss: (...xs: tf.Tensor[]) => tf.Scalar, probes = 10, eps = 0.05): void {
  const grads = tf.tidy(() => tf.grads((...xs: tf.Tensor[]) => loss(...xs))(inputs).map((g) => g.dataSync() as Float32Array));
  const rnd = seededRandom(name.length);
  inputs.forEach((input, which) => {
    const base = input.dataSync() as Float32Array;
    for (let p = 0; p < probes; p++) {
      const i = Math.floor(rnd() * base.length);
      const at = (delta: number) =>
        tf.tidy(() => {
          const v = base.slice();
          v[i] += delta;
          const args = inputs.map((t, k) => (k === which ? tf.tensor(v, t.shape) : t));
          return loss(...args).dataSync()[0];
        });
      const fd = (at(eps) - at(-eps)) / (2 * eps);
      assert.ok(Math.abs(fd - grads[which][i]) < 2e-3 * Math.max(1, Math.abs(fd)), `${name}: input ${which}[${i}]: analytic ${grads[which][i]}, finite difference ${fd}`);
    }
  });
}

before(async () => {
  await initTfjsBackend({ order: ['wasm'] });
});

for (const [transposeA, transposeB] of [[false, false], [true, false], [false, true], [true, true]]) {
  test(`matMul gradients, transposeA ${transposeA}, transposeB ${transposeB}, batch 5 against 60 × 40`, () => {
    const a = randomTensor(transposeA ? [60, 5] : [5, 60], 1);
    const b = randomTensor(transposeB ? [40, 60] : [60, 40], 2);
    const r = randomTensor([5, 40], 3);
    checkGradients(`matMul ${transposeA} ${transposeB}`, [a, b], (x, y) => tf.sum(tf.mul(tf.matMul(x, y, transposeA, transposeB), r)));
    tf.dispose([a, b, r]);
  });
}

test('fused dense (bias, new weights: the SIMD path) gradients of input, weights and bias', () => {
  const x = randomTensor([5, 70], 4);
  const w = randomTensor([70, 24], 5);
  const bias = randomTensor([24], 6);
  const r = randomTensor([5, 24], 7);
  checkGradients('fused dense', [x, w, bias], (xv, wv, bv) => tf.sum(tf.mul(tf.fused.matMul({ a: xv as tf.Tensor2D, b: wv as tf.Tensor2D, bias: bv }), r)));
  tf.dispose([x, w, bias, r]);
});

for (const [stride, pad] of [[1, 'same'], [2, 'valid']] as const) {
  test(`conv1dBiasActivation (stride ${stride}, ${pad}) gradients of input, filter and bias`, () => {
    const x = randomTensor([3, 31, 4], 8);
    const w = randomTensor([5, 4, 9], 9);
    const bias = randomTensor([9], 10);
    const shape = tf.tidy(() => conv1dBiasActivation({ x: x as tf.Tensor3D, filter: w as tf.Tensor3D, bias: bias as tf.Tensor1D, stride, pad }).shape);
    const r = randomTensor(shape, 11);
    checkGradients(`conv1d ${stride} ${pad}`, [x, w, bias], (xv, wv, bv) =>
      tf.sum(tf.mul(conv1dBiasActivation({ x: xv as tf.Tensor3D, filter: wv as tf.Tensor3D, bias: bv as tf.Tensor1D, stride, pad }), r)));
    tf.dispose([x, w, bias, r]);
  });
}
