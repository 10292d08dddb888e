// GaitLab's wasm kernels against tfjs's cpu backend (the reference implementation) and against finite
// differences of the forward convolution, on the shapes GaitLab's models use and on awkward ones.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../../src-main/compute/tfjs/backend';
import { seededRandom } from '../helpers';

function randomTensor(shape: number[], seed: number): tf.Tensor {
  const rnd = seededRandom(seed);
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rnd() * 2 - 1), shape);
}

/** Runs f on a backend and returns its values (tensors made on the other backend are moved by the engine). */
function on(backend: 'wasm' | 'cpu', f: () => tf.Tensor): { values: Float32Array; shape: number[] } {
  const ok = tf.setBackend(backend);
  assert.ok(ok);
  return tf.tidy(() => {
    const t = f();
    return { values: t.dataSync() as Float32Array, shape: t.shape };
  });
}

function assertClose(actual: { values: Float32Array; shape: number[] }, expected: { values: Float32Array; shape: number[] }, what: string, tol = 1e-4): void {
  assert.deepEqual(actual.shape, expected.shape, `${what}: shape`);
  let worst = 0;
  let scale = 1;
  for (let i = 0; i < expected.values.length; i++) {
    worst = Math.max(worst, Math.abs(actual.values[i] - expected.values[i]));
    scale = Math.max(scale, Math.abs(expected.values[i]));
  }
  assert.ok(worst <= tol * scale, `${what}: largest difference ${worst} (scale ${scale})`);
}

before(async () => {
  const choice = await initTfjsBackend({ order: ['wasm'] });
  assert.equal(choice.backend, 'wasm');
});

describe('GaitLab kernels on wasm', () => {
  test('the kernels are registered on wasm and Conv2DBackpropFilter, missing from tfjs-backend-wasm 4.22, now exists', () => {
    const names = tf.getKernelsForBackend('wasm').map((k) => k.kernelName);
    for (const k of ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'BatchMatMul', '_FusedMatMul', 'Identity', 'Sum']) assert.ok(names.includes(k), k);
  });

  for (const [m, k, n] of [[5, 606, 1024], [13, 20, 19], [7, 3, 2], [1, 9, 1], [64, 33, 17]]) {
    for (const transposeA of [false, true]) {
      for (const transposeB of [false, true]) {
        test(`matMul ${m}×${k}·${k}×${n}, transposeA ${transposeA}, transposeB ${transposeB}: equals the cpu backend`, () => {
          const a = randomTensor(transposeA ? [k, m] : [m, k], 1);
          const b = randomTensor(transposeB ? [n, k] : [k, n], 2);
          const f = () => tf.matMul(a, b, transposeA, transposeB);
          assertClose(on('wasm', f), on('cpu', f), 'matMul');
          tf.dispose([a, b]);
        });
      }
    }
  }

  test('a product with new weights (SIMD kernel) and again with the same weights (XNNPACK, cached) agree with cpu', () => {
    const x = randomTensor([5, 70], 20);
    const w = randomTensor([70, 41], 21);
    const bias = randomTensor([41], 22);
    const f = () => tf.fused.matMul({ a: x as tf.Tensor2D, b: w as tf.Tensor2D, bias, activation: 'relu' });
    const first = on('wasm', f);
    const second = on('wasm', f);
    const third = on('wasm', f);
    const cpu = on('cpu', f);
    assertClose(first, cpu, 'first use');
    assertClose(second, cpu, 'second use');
    assertClose(third, cpu, 'third use');
    tf.dispose([x, w, bias]);
  });

  test('batched matMul (batch 3, transposed) still goes to the original kernel and is right', () => {
    const a = randomTensor([3, 4, 5], 3);
    const b = randomTensor([3, 6, 5], 4);
    const f = () => tf.matMul(a, b, false, true);
    assertClose(on('wasm', f), on('cpu', f), 'batched matMul');
    tf.dispose([a, b]);
  });

  for (const activation of ['linear', 'relu'] as const) {
    for (const [transposeA, transposeB] of [[false, false], [true, false], [false, true], [true, true]]) {
      test(`fused matMul + bias + ${activation}, transposeA ${transposeA}, transposeB ${transposeB}: equals the cpu backend`, () => {
        const a = randomTensor(transposeA ? [12, 5] : [5, 12], 5) as tf.Tensor2D;
        const b = randomTensor(transposeB ? [8, 12] : [12, 8], 6) as tf.Tensor2D;
        const bias = randomTensor([8], 7);
        const f = () => tf.fused.matMul({ a, b, transposeA, transposeB, bias, activation });
        assertClose(on('wasm', f), on('cpu', f), 'fused matMul');
        tf.dispose([a, b, bias]);
      });
    }
  }

  const CONVS: [string, number[], number[], number | [number, number], 'same' | 'valid' | number][] = [
    ['conv1d [5, 101, 6] → 32 × 7 same (GaitLab’s shape)', [5, 1, 101, 6], [1, 7, 6, 32], 1, 'same'],
    ['conv1d valid, stride 2', [2, 1, 20, 3], [1, 4, 3, 5], [1, 2], 'valid'],
    ['conv1d valid, stride 1 (SincPD conv_1\'s geometry, smaller)', [3, 1, 12, 10], [1, 3, 10, 4], 1, 'valid'],
    ['conv2d 3 × 3, stride 2, same', [2, 7, 6, 3], [3, 3, 3, 4], 2, 'same'],
    ['conv2d 2 × 3, explicit pad 1', [1, 5, 5, 2], [2, 3, 2, 3], 1, 1],
  ];

  for (const [name, xShape, wShape, strides, pad] of CONVS) {
    test(`${name}: Conv2DBackpropFilter and Conv2DBackpropInput equal the cpu backend`, () => {
      const x = randomTensor(xShape, 8) as tf.Tensor4D;
      const w = randomTensor(wShape, 9) as tf.Tensor4D;
      const yShape = on('cpu', () => tf.conv2d(x, w, strides, pad)).shape;
      const dy = randomTensor(yShape, 10) as tf.Tensor4D;
      // The kernels themselves, as tfjs-core's conv2d gradient calls them.
      const dW = () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides, pad, dataFormat: 'NHWC', filterShape: wShape }) as tf.Tensor;
      const dX = () => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, { strides, pad, dataFormat: 'NHWC', inputShape: xShape }) as tf.Tensor;
      assertClose(on('wasm', dW), on('cpu', dW), 'Conv2DBackpropFilter');
      assertClose(on('wasm', dX), on('cpu', dX), 'Conv2DBackpropInput');
      tf.dispose([x, w, dy]);
    });

    // tfjs-backend-wasm 4.22's forward Conv2D is wrong with a numeric (explicit) pad: it leaves the last output
    // row at zero. The finite differences need a right forward pass, so that case is compared with cpu only.
    if (typeof pad === 'number') continue;
    test(`${name}: gradients match central finite differences of the forward conv on wasm`, () => {
      tf.setBackend('wasm');
      const x = randomTensor(xShape, 12) as tf.Tensor4D;
      const w = randomTensor(wShape, 13) as tf.Tensor4D;
      const yShape = tf.tidy(() => tf.conv2d(x, w, strides, pad).shape);
      const r = randomTensor(yShape, 14);
      // loss = Σ conv(x, w) ⊙ r is linear in x and in w, so a central difference is exact up to rounding.
      const loss = (xv: tf.Tensor4D, wv: tf.Tensor4D) => tf.sum(tf.mul(tf.conv2d(xv, wv, strides, pad), r));
      const [gx, gw] = tf.tidy(() => tf.grads((a: tf.Tensor, b: tf.Tensor) => loss(a as tf.Tensor4D, b as tf.Tensor4D))([x, w]).map((g) => g.dataSync() as Float32Array));
      const eps = 0.05;
      const rnd = seededRandom(15);
      for (const [which, t, grad] of [['input', x, gx], ['filter', w, gw]] as const) {
        const base = t.dataSync() as Float32Array;
        for (let trial = 0; trial < 12; trial++) {
          const i = Math.floor(rnd() * base.length);
          const fd = tf.tidy(() => {
            const plus = base.slice(); plus[i] += eps;
            const minus = base.slice(); minus[i] -= eps;
            const at = (v: Float32Array) => {
              const p = tf.tensor(v, t.shape) as tf.Tensor4D;
              return (which === 'input' ? loss(p, w) : loss(x, p)).dataSync()[0];
            };
            return (at(plus) - at(minus)) / (2 * eps);
          });
          assert.ok(Math.abs(fd - grad[i]) < 2e-3 * Math.max(1, Math.abs(fd)), `${which}[${i}]: analytic ${grad[i]}, finite difference ${fd}`);
        }
      }
      tf.dispose([x, w, r]);
    });
  }

  for (const [shape, axis, keepDims] of [[[5, 1024], 0, false], [[5, 1, 101, 32], [0, 1, 2], true], [[5, 1, 101, 32], [2, 0, -3], false], [[4, 6], 1, false], [[2, 3, 4], [0, 2], false], [[7], 0, false]] as [number[], number | number[], boolean][]) {
    test(`sum of ${JSON.stringify(shape)} over ${JSON.stringify(axis)} (keepDims ${keepDims}) equals the cpu backend`, () => {
      const x = randomTensor(shape, 30);
      const f = () => tf.sum(x, axis, keepDims);
      assertClose(on('wasm', f), on('cpu', f), 'sum', 1e-5);
      x.dispose();
    });
  }

  test('Identity shares the data instead of copying it, and the tensor count and wasm data ids return to baseline', () => {
    tf.setBackend('wasm');
    const a = randomTensor([3, 4], 16);
    const tensors = tf.memory().numTensors;
    const dataIds = tf.engine().backend.numDataIds();
    const copy = tf.tidy(() => {
      const c = tf.clone(a);
      assert.deepEqual(Array.from(c.dataSync()), Array.from(a.dataSync()));
      return c;
    });
    assert.equal(tf.engine().backend.numDataIds(), dataIds, 'a clone on wasm is one more reference, not one more buffer');
    copy.dispose();
    assert.deepEqual(Array.from(a.dataSync()).length, 12, 'the original survives its clone being disposed');
    assert.equal(tf.memory().numTensors, tensors);
    a.dispose();
  });
});
