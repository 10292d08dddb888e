// SincPD's front-end kernels on wasm (front-end-ops.ts) against the standard tfjs compositions they replace: the
// same values and the same gradients, on random data and on the edge cases (odd lengths, tied maxima, a row whose
// variance is floored, parts of unequal width); and the sinc layer's folded product against the float64 published
// convolution, with its band-parameter gradients equal to those of the full [L, N] bank's product.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../../../src-main/compute/tfjs/backend';
import { sincConcatLastAxis, sincFoldedWindows, sincLayerNorm, sincLeakyRelu, sincPairMaxPool, useFrontEndKernels } from '../../../src-main/methods/sincpd/front-end-ops';
import { SincConv1D, sincConvolve, sincKernel, sincWindow } from '../../../src-main/methods/sincpd/sinc-layer';
import { referenceConv } from './reference-conv';
import { sincTaps } from '../../../src-shared/methods/sincpd/sinc-filters';
import { seededRandom } from '../../../src-shared/random';

before(async () => {
  assert.equal((await initTfjsBackend({ order: ['wasm'] })).backend, 'wasm');
});
after(() => useFrontEndKernels(true));

const kernelCount = () => tf.memory().numTensors;

/** Values and gradients (w.r.t. every input, through Σ r ⊙ f) of f with the kernels and with the compositions. */
function bothWays(f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], seed: number): { kernel: Float32Array[]; composition: Float32Array[] } {
  const run = (kernels: boolean) => {
    useFrontEndKernels(kernels);
    return tf.tidy(() => {
      const y = f(...inputs);
      const random = seededRandom(seed);
      const r = tf.tensor(Float32Array.from({ length: y.size }, () => random() * 2 - 1), y.shape);
      const grads = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), r)))(inputs);
      return [y, ...grads].map((t) => Float32Array.from(t.dataSync() as Float32Array));
    });
  };
  const composition = run(false);
  const kernel = run(true);
  return { kernel, composition };
}

function assertClose(a: Float32Array, b: Float32Array, tolerance: number, what: string): void {
  assert.equal(a.length, b.length, `${what}: lengths`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  assert.ok(worst <= tolerance, `${what}: worst relative difference ${worst}`);
}

/** Exactly equal, reading −0 as 0 (the composition multiplies some gradients by 0, the kernels write 0). */
function assertSame(a: Float32Array[], b: Float32Array[], what: string): void {
  const plain = (v: Float32Array[]) => v.map((t) => Array.from(t, (x) => (x === 0 ? 0 : x)));
  assert.deepEqual(plain(a), plain(b), what);
}

const randomTensor = (shape: number[], seed: number, scale = 1) => {
  const random = seededRandom(seed);
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (random() * 2 - 1) * scale), shape);
};

test('LayerNorm kernel: values and gradients (x, γ, β) equal the tfjs composition, a constant row (floored variance) included', () => {
  const x = randomTensor([3, 7, 10], 1, 3);
  // Row 0 of batch 0 constant: variance 0 → floored; its gradient through the std must vanish as tf.maximum's does.
  const xv = x.dataSync().slice() as Float32Array;
  xv.fill(0.75, 0, 10);
  const xc = tf.tensor(xv, x.shape);
  const gamma = randomTensor([10], 2), beta = randomTensor([10], 3);
  const before = kernelCount();
  const { kernel, composition } = bothWays((a, g, b) => sincLayerNorm(a, g, b), [xc, gamma, beta], 4);
  ['y', 'dx', 'dγ', 'dβ'].forEach((name, i) => assertClose(kernel[i], composition[i], 2e-5, name));
  assert.equal(kernelCount(), before, 'no tensor left behind');
  tf.dispose([x, xc, gamma, beta]);
});

test('LeakyReLU kernel (α 0.2): values and gradient equal tf.leakyRelu, zeros included', () => {
  const xv = randomTensor([4, 9, 5], 5).dataSync().slice() as Float32Array;
  xv[3] = 0; xv[17] = 0;
  const x = tf.tensor(xv, [4, 9, 5]);
  const { kernel, composition } = bothWays((a) => sincLeakyRelu(a, 0.2), [x], 6);
  assertSame(kernel, composition, 'leaky');
  x.dispose();
});

test('pair max-pool kernel: values and gradients equal the composition for even and odd lengths and tied pairs', () => {
  for (const length of [12, 13]) {
    const xv = randomTensor([2, length, 3], length).dataSync().slice() as Float32Array;
    xv[3] = xv[0]; // a tie in the first pair: the gradient goes to the first
    const x = tf.tensor3d(xv, [2, length, 3]);
    const { kernel, composition } = bothWays((a) => sincPairMaxPool(a as tf.Tensor3D), [x], 7);
    assertSame(kernel, composition, `length ${length}`);
    x.dispose();
  }
});

test('concatenation kernel: parts of unequal widths (a pruned front end), values and the split gradient equal tf.concat', () => {
  const parts = [randomTensor([2, 5, 4], 8), randomTensor([2, 5, 1], 9), randomTensor([2, 5, 3], 10)];
  const { kernel, composition } = bothWays((...xs) => sincConcatLastAxis(xs), parts, 11);
  assertSame(kernel, composition, 'concat');
  tf.dispose(parts);
});

test('folded windows: the kernel equals the JS fallback; the folded product equals the full-bank product (both profiles)', () => {
  const random = seededRandom(12);
  const x = tf.tensor3d(Float32Array.from({ length: 2 * 3 * 1000 }, () => random() * 2 - 1), [2, 3, 1000]);
  for (const profile of ['sincnet-gait', 'sincpd-2024'] as const) {
    const window = sincWindow(profile, 101);
    useFrontEndKernels(false);
    const fallback = tf.tidy(() => sincFoldedWindows(x, 1, window, 5).dataSync().slice());
    useFrontEndKernels(true);
    const viaKernel = tf.tidy(() => sincFoldedWindows(x, 1, window, 5).dataSync().slice());
    assert.deepEqual(viaKernel, fallback, profile);
  }
  x.dispose();
});

for (const profile of ['sincnet-gait', 'sincpd-2024'] as const) {
  test(`${profile}: SincConv1D (folded product) equals the float64 convolution, and its band gradients equal the full bank's`, () => {
    const w1 = profile === 'sincpd-2024' ? [0.3, 0.12, -0.23] : [-2.1, 0.4, 1.7];
    const w2 = profile === 'sincpd-2024' ? [0.2148067373, 0.07, 0.31] : [-1.3, 0.9, -2.9];
    const layer = new SincConv1D({ sensor: 2, filters: 3, profile, initialW1: w1, initialW2: w2 });
    const random = seededRandom(13);
    const xv = Float32Array.from({ length: 2 * 4 * 1000 }, () => random() * 2 - 1);
    const x = tf.tensor3d(xv, [2, 4, 1000]);
    const y = tf.tidy(() => (layer.apply(x) as tf.Tensor).arraySync() as number[][][]);
    let worst = 0;
    for (let i = 0; i < 3; i++) {
      const taps = sincTaps(profile, w1[i], w2[i]);
      for (let b = 0; b < 2; b++) {
        const ref = referenceConv(Float64Array.from(xv.subarray((b * 4 + 2) * 1000, (b * 4 + 3) * 1000)), taps, 5);
        for (let t = 0; t < 200; t++) worst = Math.max(worst, Math.abs(y[b][t][i] - ref[t]));
      }
    }
    assert.ok(worst < 1e-5, `worst difference from the float64 convolution ${worst}`);
    // Gradients of Σ r ⊙ y w.r.t. the two weight vectors: the layer against sincConvolve over the full bank.
    const r = tf.tensor3d(Float32Array.from({ length: 2 * 200 * 3 }, () => random() * 2 - 1), [2, 200, 3]);
    const [v1, v2] = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const viaLayer = tf.tidy(() => Object.values(tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, r)) as tf.Scalar, [v1, v2]).grads).map((g) => Array.from(g.dataSync())));
    const viaFullBank = tf.tidy(() => {
      const row = tf.reshape(tf.slice(x, [0, 2, 0], [2, 1, 1000]), [2, 1000]) as tf.Tensor2D;
      return tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(sincConvolve(row, sincKernel(profile, a, b), 5), r)))([v1, v2]).map((g) => Array.from(g.dataSync()));
    });
    for (let k = 0; k < 2; k++) {
      for (let i = 0; i < 3; i++) {
        const rel = Math.abs(viaLayer[k][i] - viaFullBank[k][i]) / Math.max(1, Math.abs(viaFullBank[k][i]));
        assert.ok(rel < 1e-4, `weight ${k + 1} filter ${i}: ${viaLayer[k][i]} vs ${viaFullBank[k][i]}`);
      }
    }
    tf.dispose([x, r]);
    layer.dispose();
  });
}
