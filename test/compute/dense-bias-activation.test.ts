// GaitLab's dense + bias + activation op: on wasm GaitLab's kernel, elsewhere the standard composition; values
// and gradients those of the standard composition on the cpu backend, gradients also against finite differences.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../../src-main/compute/tfjs/backend';
import { denseBiasActivation } from '../../src-main/compute/tfjs/ops/dense-bias-activation';
import { GAITLAB_DENSE } from '../../src-main/compute/tfjs/ops/kernel-names';
import { seededRandom } from '../helpers';

function randomTensor(shape: number[], seed: number): tf.Tensor {
  const rnd = seededRandom(seed);
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rnd() * 2 - 1), shape);
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

before(async () => {
  await initTfjsBackend({ order: ['wasm'] });
});

for (const activation of ['relu', 'linear'] as const) {
  for (const [M, K, N] of [[5, 606, 1024], [3, 17, 5], [40, 9, 12]]) {
    test(`x [${M},${K}] · kernel [${K},${N}] + bias, ${activation}: value and gradients equal the standard ops on cpu, twice (new, then cached weights)`, () => {
      const x = randomTensor([M, K], 1) as tf.Tensor2D;
      const w = randomTensor([K, N], 2) as tf.Tensor2D;
      const b = randomTensor([N], 3) as tf.Tensor1D;
      const r = randomTensor([M, N], 4);
      const run = (backend: 'wasm' | 'cpu', useOp: boolean) => {
        tf.setBackend(backend);
        return tf.tidy(() => {
          const f = (xv: tf.Tensor, wv: tf.Tensor, bv: tf.Tensor) => {
            if (useOp) return denseBiasActivation({ x: xv as tf.Tensor2D, kernel: wv as tf.Tensor2D, bias: bv as tf.Tensor1D, activation });
            const z = tf.add(tf.matMul(xv as tf.Tensor2D, wv as tf.Tensor2D), bv);
            return activation === 'relu' ? tf.relu(z) : z;
          };
          const y = f(x, w, b).dataSync();
          const grads = tf.grads((xv: tf.Tensor, wv: tf.Tensor, bv: tf.Tensor) => tf.sum(tf.mul(f(xv, wv, bv), r)))([x, w, b]).map((g) => g.dataSync());
          return { y, grads };
        });
      };
      const reference = run('cpu', false);
      for (const [backend, useOp] of [['wasm', true], ['wasm', true], ['cpu', true]] as const) {
        const got = run(backend, useOp);
        assert.ok(maxDiff(got.y, reference.y) < 1e-4, `${backend}: y`);
        got.grads.forEach((g, i) => assert.ok(maxDiff(g, reference.grads[i]) < 1e-3 * Math.max(1, Math.sqrt(K)), `${backend}: gradient ${i}: ${maxDiff(g, reference.grads[i])}`));
      }
      tf.setBackend('wasm');
      tf.dispose([x, w, b, r]);
    });
  }
}

test('the wasm backend has GaitLab’s dense kernel, the cpu backend does not', () => {
  assert.ok(tf.getKernel(GAITLAB_DENSE, 'wasm'));
  assert.equal(tf.getKernel(GAITLAB_DENSE, 'cpu'), undefined);
});

test('linear dense gradients match central finite differences on wasm', () => {
  tf.setBackend('wasm');
  const x = randomTensor([5, 30], 5);
  const w = randomTensor([30, 20], 6);
  const b = randomTensor([20], 7);
  const r = randomTensor([5, 20], 8);
  const loss = (xv: tf.Tensor, wv: tf.Tensor, bv: tf.Tensor) => tf.sum(tf.mul(denseBiasActivation({ x: xv as tf.Tensor2D, kernel: wv as tf.Tensor2D, bias: bv as tf.Tensor1D }), r)) as tf.Scalar;
  const grads = tf.tidy(() => tf.grads(loss)([x, w, b]).map((g) => g.dataSync() as Float32Array));
  const rnd = seededRandom(9);
  const inputs = [x, w, b];
  inputs.forEach((t, which) => {
    const base = t.dataSync() as Float32Array;
    for (let p = 0; p < 8; p++) {
      const i = Math.floor(rnd() * base.length);
      const at = (d: number) => tf.tidy(() => {
        const v = base.slice();
        v[i] += d;
        const args = inputs.map((u, k) => (k === which ? tf.tensor(v, u.shape) : u)) as [tf.Tensor, tf.Tensor, tf.Tensor];
        return loss(...args).dataSync()[0];
      });
      const fd = (at(0.05) - at(-0.05)) / 0.1;
      assert.ok(Math.abs(fd - grads[which][i]) < 2e-3 * Math.max(1, Math.abs(fd)), `input ${which}[${i}]: ${grads[which][i]} vs ${fd}`);
    }
  });
  tf.dispose([x, w, b, r]);
});

test('the input gradient is not computed when only the weights need one (a first layer)', () => {
  tf.setBackend('wasm');
  const x = randomTensor([5, 606], 10) as tf.Tensor2D;
  const w = randomTensor([606, 64], 11) as tf.Tensor2D;
  const b = tf.zeros([64]) as tf.Tensor1D;
  const products: string[] = [];
  const config = tf.getKernel('BatchMatMul', 'wasm')!;
  const original = config.kernelFunc;
  (config as { kernelFunc: tf.KernelFunc }).kernelFunc = (args) => {
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    products.push(`${transposeA ? 'T' : 'N'}${transposeB ? 'T' : 'N'}`);
    return original(args);
  };
  try {
    tf.tidy(() => { tf.grads((wv: tf.Tensor, bv: tf.Tensor) => tf.sum(denseBiasActivation({ x, kernel: wv as tf.Tensor2D, bias: bv as tf.Tensor1D, activation: 'relu' })))([w, b]); });
  } finally {
    (config as { kernelFunc: tf.KernelFunc }).kernelFunc = original;
  }
  assert.deepEqual(products, ['TN'], 'only dW = xᵀ·dy; no dx = dy·Wᵀ');
  tf.dispose([x, w, b]);
});

test('shapes that do not fit are refused by name', () => {
  const x = tf.zeros([2, 3]) as tf.Tensor2D;
  const w = tf.zeros([4, 5]) as tf.Tensor2D;
  const b = tf.zeros([5]) as tf.Tensor1D;
  assert.throws(() => denseBiasActivation({ x, kernel: w, bias: b }), /^Error: denseBiasActivation: x \[2,3\], kernel \[4,5\] and bias \[5\] do not fit together$/);
  tf.dispose([x, w, b]);
});
