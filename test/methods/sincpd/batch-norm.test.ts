// SincBatchNorm (the wasm training-mode kernel and its fallback composition) against tf.layers.batchNormalization:
// the same weight names, values, gradients (x, γ, β) and moving averages after training calls, on rank 3 and 2.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../../../src-main/compute/tfjs/backend';
import { SincBatchNorm, useBatchNormKernel } from '../../../src-main/methods/sincpd/batch-norm';
import { seededRandom } from '../../../src-shared/random';

before(async () => {
  assert.equal((await initTfjsBackend({ order: ['wasm'] })).backend, 'wasm');
});
after(() => useBatchNormKernel(true));

function closeTo(a: ArrayLike<number>, b: ArrayLike<number>, tolerance: number, what: string): void {
  assert.equal(a.length, b.length, what);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  assert.ok(worst <= tolerance, `${what}: worst relative difference ${worst}`);
}

for (const kernel of [true, false]) {
  for (const shape of [[6, 7, 5], [9, 4]]) {
    test(`SincBatchNorm (${kernel ? 'wasm kernel' : 'tfjs composition'}, [${shape}]) equals tf.layers.batchNormalization: weights, values, gradients, moving averages`, () => {
      useBatchNormKernel(kernel);
      const random = seededRandom(shape.length * 10 + (kernel ? 1 : 0));
      const size = shape.reduce((a, b) => a * b, 1);
      const x = tf.tensor(Float32Array.from({ length: size }, () => random() * 4 + 1), shape);
      const r = tf.tensor(Float32Array.from({ length: size }, () => random() * 2 - 1), shape);
      const ours = new SincBatchNorm({ name: 'bn_ours', momentum: 0.05, epsilon: 1e-3 });
      const theirs = tf.layers.batchNormalization({ name: 'bn_theirs', momentum: 0.05, epsilon: 1e-3 });
      tf.dispose([ours.apply(x) as tf.Tensor, theirs.apply(x) as tf.Tensor]);
      assert.deepEqual(ours.weights.map((w) => [w.originalName.split('/')[1], w.trainable]), theirs.weights.map((w) => [w.originalName.split('/')[1], w.trainable]));
      const c = shape[shape.length - 1];
      const gamma = Float32Array.from({ length: c }, () => random() + 0.5), beta = Float32Array.from({ length: c }, () => random() - 0.5);
      for (const layer of [ours, theirs]) layer.setWeights([tf.tensor1d(gamma), tf.tensor1d(beta), tf.zeros([c]), tf.ones([c])]);
      const run = (layer: tf.layers.Layer) => tf.tidy(() => {
        const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
        const y = (layer.apply(x, { training: true }) as tf.Tensor).dataSync().slice();
        const gx = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(layer.apply(v, { training: true }) as tf.Tensor, r)))(x).dataSync().slice();
        const { grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x, { training: true }) as tf.Tensor, r)) as tf.Scalar, vars);
        const gw = vars.map((v) => grads[v.name].dataSync().slice());
        const moving = layer.getWeights().slice(2).map((t) => t.dataSync().slice());
        const inference = (layer.apply(x, { training: false }) as tf.Tensor).dataSync().slice();
        return { y, gx, gw, moving, inference };
      });
      const a = run(ours), b = run(theirs);
      closeTo(a.y, b.y, 1e-5, 'training values');
      closeTo(a.gx, b.gx, 1e-4, 'dx');
      closeTo(a.gw[0], b.gw[0], 1e-4, 'dγ');
      closeTo(a.gw[1], b.gw[1], 1e-4, 'dβ');
      closeTo(a.moving[0], b.moving[0], 1e-5, 'moving mean after 3 training calls');
      closeTo(a.moving[1], b.moving[1], 1e-5, 'moving variance after 3 training calls');
      closeTo(a.inference, b.inference, 1e-5, 'inference values');
      assert.ok(Math.abs(a.moving[0][0]) > 0.5, 'the moving mean moved towards the batch mean (x ≈ 1..5)');
      tf.dispose([x, r]);
      ours.dispose();
      theirs.dispose();
    });
  }
}
