// GaitLab's fused conv1d + bias + activation op: on wasm it runs GaitLab's kernels, elsewhere the standard
// composition; values and gradients must be those of the standard composition on the cpu backend.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../../src-main/compute/tfjs/backend';
import { conv1dBiasActivation } from '../../src-main/compute/tfjs/ops/conv1d-bias-activation';
import { GAITLAB_CONV1D } from '../../src-main/compute/tfjs/ops/kernel-names';
import { seededRandom } from '../helpers';

function randomTensor(shape: number[], seed: number): tf.Tensor {
  const rnd = seededRandom(seed);
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rnd() * 2 - 1), shape);
}

interface Result {
  y: Float32Array;
  grads: Float32Array[];
}

/** Forward value and the gradients of Σ y ⊙ r with respect to x, filter and bias. */
function run(backend: 'wasm' | 'cpu', useOp: boolean, x: tf.Tensor3D, w: tf.Tensor3D, b: tf.Tensor1D, stride: number, pad: 'same' | 'valid', activation: 'relu' | 'linear'): Result {
  tf.setBackend(backend);
  return tf.tidy(() => {
    const f = (xv: tf.Tensor3D, wv: tf.Tensor3D, bv: tf.Tensor1D) => {
      if (useOp) return conv1dBiasActivation({ x: xv, filter: wv, bias: bv, stride, pad, activation });
      const z = tf.add(tf.conv1d(xv, wv, stride, pad), bv) as tf.Tensor3D;
      return activation === 'relu' ? tf.relu(z) : z;
    };
    const y = f(x, w, b);
    const r = randomTensor(y.shape, 99);
    const grads = tf.grads((xv: tf.Tensor, wv: tf.Tensor, bv: tf.Tensor) => tf.sum(tf.mul(f(xv as tf.Tensor3D, wv as tf.Tensor3D, bv as tf.Tensor1D), r)))([x, w, b]);
    return { y: y.dataSync() as Float32Array, grads: grads.map((g) => g.dataSync() as Float32Array) };
  });
}

function assertClose(a: Float32Array, b: Float32Array, what: string): void {
  assert.equal(a.length, b.length, `${what}: length`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  assert.ok(worst < 1e-4, `${what}: largest difference ${worst}`);
}

before(async () => {
  await initTfjsBackend({ order: ['wasm'] });
});

describe('conv1dBiasActivation', () => {
  test('the wasm backend has GaitLab’s kernel and the cpu backend does not (it uses the standard composition)', () => {
    assert.ok(tf.getKernel(GAITLAB_CONV1D, 'wasm'));
    assert.equal(tf.getKernel(GAITLAB_CONV1D, 'cpu'), undefined);
  });

  const CASES: [number[], number[], number, 'same' | 'valid', 'relu' | 'linear'][] = [
    [[5, 101, 6], [7, 6, 32], 1, 'same', 'relu'],
    [[5, 101, 6], [7, 6, 32], 1, 'same', 'linear'],
    [[3, 30, 4], [5, 4, 9], 2, 'valid', 'relu'],
    [[2, 17, 3], [4, 3, 8], 3, 'same', 'relu'],
  ];
  for (const [xShape, wShape, stride, pad, activation] of CASES) {
    test(`x [${xShape}], filter [${wShape}], stride ${stride}, ${pad}, ${activation}: value and gradients equal the standard ops on cpu`, () => {
      const x = randomTensor(xShape, 1) as tf.Tensor3D;
      const w = randomTensor(wShape, 2) as tf.Tensor3D;
      const b = randomTensor([wShape[2]], 3) as tf.Tensor1D;
      const reference = run('cpu', false, x, w, b, stride, pad, activation);
      for (const [backend, useOp] of [['wasm', true], ['cpu', true], ['wasm', false]] as const) {
        const got = run(backend, useOp, x, w, b, stride, pad, activation);
        const what = `${backend} ${useOp ? 'GaitLab op' : 'standard ops'}`;
        assertClose(got.y, reference.y, `${what}: y`);
        ['x', 'filter', 'bias'].forEach((name, i) => assertClose(got.grads[i], reference.grads[i], `${what}: d${name}`));
      }
      tf.dispose([x, w, b]);
    });
  }

  test('shapes that do not fit are refused by name', () => {
    tf.setBackend('wasm');
    const x = tf.zeros([2, 10, 3]) as tf.Tensor3D;
    const w = tf.zeros([3, 4, 5]) as tf.Tensor3D;
    const b = tf.zeros([5]) as tf.Tensor1D;
    assert.throws(() => conv1dBiasActivation({ x, filter: w, bias: b }), /^Error: conv1dBiasActivation: x \[2,10,3\], filter \[3,4,5\] and bias \[5\] do not fit together$/);
    tf.dispose([x, w, b]);
  });

  test('a training step with the op leaves no tensor behind', () => {
    tf.setBackend('wasm');
    const x = randomTensor([5, 101, 6], 4) as tf.Tensor3D;
    const w = tf.variable(randomTensor([7, 6, 32], 5));
    const b = tf.variable(tf.zeros([32]));
    const before = tf.memory().numTensors;
    const optimizer = tf.train.adam(0.01);
    const losses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const loss = optimizer.minimize(() => tf.mean(tf.square(conv1dBiasActivation({ x, filter: w as unknown as tf.Tensor3D, bias: b as unknown as tf.Tensor1D, activation: 'relu' }))), true);
      losses.push(loss!.dataSync()[0]);
      loss!.dispose();
    }
    assert.ok(losses[4] < losses[0], losses.join(' → '));
    // Adam's own state (moments, β powers) goes with it; nothing else may remain.
    optimizer.dispose();
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([x, w, b]);
  });
});
