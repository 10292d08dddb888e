// SincConv1D on the wasm backend (GaitLab's kernels): its filter bank equals the pure reference taps, its
// im2col product equals the published convolution (y[t] = Σ h[j] x[5t + j − 48]) and tf.conv1d, and its gradients
// w.r.t. the band parameters equal float64 central finite differences of the pure reference.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../../../src-main/compute/tfjs/backend';
import { SincLayerNorm } from '../../../src-main/methods/sincpd/layers';
import { samePadding, SincConv1D, sincConvolve, sincKernel } from '../../../src-main/methods/sincpd/sinc-layer';
import { referenceConv } from './reference-conv';
import { sincTaps, type SincProfile } from '../../../src-shared/methods/sincpd/sinc-filters';
import { seededRandom } from '../../../src-shared/random';

before(async () => {
  const choice = await initTfjsBackend({ order: ['wasm'] });
  assert.equal(choice.backend, 'wasm');
});

const PAIRS: Record<SincProfile, [number, number][]> = {
  'sincnet-gait': [[-2.1, -1.3], [0.4, 0.9], [1.7, -2.9]],
  'sincpd-2024': [[0.3, 0.2148067373], [0.12, 0.07], [-0.23, 0.31]],
};

test('SAME padding of 1000 samples, L = 101, stride 5: 200 outputs, 48 zeros each side (§3.3.2)', () => {
  assert.deepEqual(samePadding(1000, 101, 5), { out: 200, left: 48, right: 48 });
});

for (const profile of ['sincnet-gait', 'sincpd-2024'] as const) {
  test(`${profile}: the tf filter bank equals the float64 reference taps (1e-5)`, () => {
    const pairs = PAIRS[profile];
    const k = tf.tidy(() => sincKernel(profile, tf.tensor2d(pairs.map((p) => p[0]), [pairs.length, 1]), tf.tensor2d(pairs.map((p) => p[1]), [pairs.length, 1])).arraySync());
    pairs.forEach(([a, b], i) => {
      const ref = sincTaps(profile, a, b);
      for (let j = 0; j < 101; j++) assert.ok(Math.abs(k[j][i] - ref[j]) < 1e-5, `filter ${i} tap ${j}: ${k[j][i]} vs ${ref[j]}`);
    });
  });
}

test('the im2col product equals the published convolution and tf.conv1d (SAME, stride 5) on 1000 samples', () => {
  const random = seededRandom(11);
  const batch = 3;
  const x = Float64Array.from({ length: batch * 1000 }, () => random() * 2 - 1);
  const pairs = PAIRS['sincnet-gait'];
  const taps = pairs.map(([a, b]) => sincTaps('sincnet-gait', a, b));
  const kernel = tf.tensor2d(Float32Array.from({ length: 101 * 3 }, (_, q) => taps[q % 3][Math.floor(q / 3)]), [101, 3]);
  const xt = tf.tensor2d(Float32Array.from(x), [batch, 1000]);
  const y = sincConvolve(xt, kernel, 5);
  assert.deepEqual(y.shape, [batch, 200, 3]);
  const yv = y.arraySync();
  const viaConv = tf.tidy(() => tf.conv1d(tf.reshape(xt, [batch, 1000, 1]) as tf.Tensor3D, tf.reshape(kernel, [101, 1, 3]) as tf.Tensor3D, 5, 'same').arraySync());
  let worst = 0;
  for (let b = 0; b < batch; b++) for (let i = 0; i < 3; i++) {
    const ref = referenceConv(x.subarray(b * 1000, (b + 1) * 1000), taps[i], 5);
    for (let t = 0; t < 200; t++) {
      worst = Math.max(worst, Math.abs(yv[b][t][i] - ref[t]), Math.abs(viaConv[b][t][i] - ref[t]));
    }
  }
  assert.ok(worst < 1e-5, `worst difference ${worst}`);
  tf.dispose([kernel, xt, y]);
});

for (const profile of ['sincnet-gait', 'sincpd-2024'] as const) {
  test(`${profile}: gradients w.r.t. both band parameters equal float64 central finite differences`, () => {
    const random = seededRandom(profile.length);
    const pairs = PAIRS[profile];
    const n = pairs.length;
    const x = Float64Array.from({ length: 2 * 1000 }, () => random() * 2 - 1);
    const r = Float64Array.from({ length: 2 * 200 * n }, () => random() * 2 - 1);
    // loss = Σ r ⊙ y, y the layer output (float64 reference for the differences).
    const loss64 = (w1: number[], w2: number[]) => {
      let s = 0;
      for (let i = 0; i < n; i++) {
        const taps = sincTaps(profile, w1[i], w2[i]);
        for (let b = 0; b < 2; b++) {
          const y = referenceConv(x.subarray(b * 1000, (b + 1) * 1000), taps, 5);
          for (let t = 0; t < 200; t++) s += r[(b * 200 + t) * n + i] * y[t];
        }
      }
      return s;
    };
    const w1 = pairs.map((p) => p[0]), w2 = pairs.map((p) => p[1]);
    const [g1, g2] = tf.tidy(() => {
      const xt = tf.tensor2d(Float32Array.from(x), [2, 1000]);
      const rt = tf.tensor3d(Float32Array.from(r), [2, 200, n]);
      const f = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(sincConvolve(xt, sincKernel(profile, a, b), 5), rt)) as tf.Scalar;
      return tf.grads(f)([tf.tensor2d(w1, [n, 1]), tf.tensor2d(w2, [n, 1])]).map((g) => Array.from(g.dataSync()));
    });
    const eps = 1e-6;
    let worst = 0, largest = 0;
    for (let i = 0; i < n; i++) {
      for (const [which, g] of [[0, g1], [1, g2]] as const) {
        const plus = [w1.slice(), w2.slice()], minus = [w1.slice(), w2.slice()];
        plus[which][i] += eps; minus[which][i] -= eps;
        const fd = (loss64(plus[0], plus[1]) - loss64(minus[0], minus[1])) / (2 * eps);
        const rel = Math.abs(g[i] - fd) / Math.max(1, Math.abs(fd));
        worst = Math.max(worst, rel);
        largest = Math.max(largest, Math.abs(fd));
        assert.ok(rel < 2e-3, `filter ${i} weight ${which + 1}: autodiff ${g[i]} vs finite difference ${fd}`);
      }
    }
    console.log(`${profile}: largest |dL/dθ| ${largest.toFixed(2)}, worst relative error ${worst.toExponential(2)}`);
    assert.ok(largest > 1, 'the probe loss is sensitive to the band parameters');
  });
}

test('SincConv1D as a layer: one sensor of [B, 8, 1000] → [B, 200, N]; it trains on wasm (loss falls, bands move)', () => {
  const layer = new SincConv1D({ sensor: 3, filters: 4, profile: 'sincnet-gait' });
  const norm = new SincLayerNorm({});
  const random = seededRandom(5);
  // Target: the energy of a 5 Hz sine (the sensor's channel) should be passed by filter 0, which starts at 1.6 Hz.
  const x = tf.tensor3d(Float32Array.from({ length: 2 * 1000 * 8 }, (_, q) => {
    const t = q % 1000;
    return Math.sin((2 * Math.PI * 5 * t) / 100) + 0.1 * (random() - 0.5);
  }), [2, 8, 1000]);
  assert.deepEqual(layer.computeOutputShape([null, 8, 1000]), [null, 200, 4]);
  const y0 = layer.apply(x) as tf.Tensor;
  assert.deepEqual(y0.shape, [2, 200, 4]);
  const z = norm.apply(y0) as tf.Tensor;
  assert.deepEqual(z.shape, [2, 200, 4]);
  tf.dispose([y0, z]);
  const before = layer.weightsNow();
  const optimizer = tf.train.adam(0.05);
  const losses: number[] = [];
  for (let step = 0; step < 15; step++) {
    const cost = optimizer.minimize(() => tf.neg(tf.mean(tf.square(tf.slice(layer.apply(x) as tf.Tensor3D, [0, 0, 0], [2, 200, 1])))) as tf.Scalar, true);
    losses.push(cost!.dataSync()[0]);
    cost!.dispose();
  }
  const after = layer.weightsNow();
  assert.ok(losses[14] < losses[0], `loss ${losses[0]} → ${losses[14]}`);
  assert.notEqual(after.w1[0], before.w1[0]);
  optimizer.dispose();
  x.dispose();
});

test('SincConv1D.getConfig() rebuilds the same layer (profile, geometry, sensor and initial weights) in another process', () => {
  const a = new SincConv1D({ name: 'sinc_a', sensor: 2, filters: 3, profile: 'sincpd-2024', initialW1: [0.1, -0.2, 0.3], initialW2: [0.05, 0.1, -0.4] });
  const x = tf.zeros([1, 8, 1000]);
  tf.dispose(a.apply(x) as tf.Tensor);
  const config = JSON.parse(JSON.stringify(a.getConfig())) as ConstructorParameters<typeof SincConv1D>[0];
  const b = new SincConv1D({ ...config, name: 'sinc_b' });
  tf.dispose(b.apply(x) as tf.Tensor);
  x.dispose();
  assert.deepEqual([b.sensor, b.filters, b.profile, b.geometry, b.stride], [2, 3, 'sincpd-2024', { fs: 100, kernelLength: 101 }, 5]);
  const ka = a.kernel(), kb = b.kernel();
  assert.deepEqual(kb.dataSync(), ka.dataSync());
  tf.dispose([ka, kb]);
  a.dispose();
  b.dispose();
});
