// Spec §5.1.11 check 4: with ε = 0 on every layer of a ReLU network, LRP is gradient × input. The gradient comes
// from tfjs autograd (float32, cpu backend) on the same weights, built from the same §1.3 plan.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { attribute, parseComposite, type LrpModel } from '../../src-shared/lrp';
import { maxAbs, randomHorstModel, randomInput } from './random-models';

/** The LRP model's network in tfjs ops: logits of a [1, inputSize] input. */
function tfjsLogits(model: LrpModel, x: tf.Tensor2D): tf.Tensor {
  let h: tf.Tensor = x;
  for (const layer of model.layers) {
    switch (layer.kind) {
      case 'channelsToTime':
        h = h.reshape([1, layer.channels, layer.samples, 1]).transpose([0, 2, 1, 3]);
        break;
      case 'conv2d': {
        const [kh, kw] = layer.kernel;
        const filter = tf.tensor4d(Float32Array.from(layer.weight), [kh, kw, layer.input[2], layer.filters]);
        h = tf.conv2d(h as tf.Tensor4D, filter, [layer.stride[0], layer.stride[1]], 'valid').add(tf.tensor1d(Float32Array.from(layer.bias)));
        break;
      }
      case 'relu': h = tf.relu(h); break;
      case 'flatten': h = h.reshape([1, -1]); break;
      case 'dense':
        h = tf.matMul(h.reshape([1, layer.inputs]) as tf.Tensor2D, tf.tensor2d(Float32Array.from(layer.weight), [layer.inputs, layer.units]))
          .add(tf.tensor1d(Float32Array.from(layer.bias)));
        break;
    }
  }
  return h;
}

test('ε = 0 everywhere equals x ⊙ ∇f_y from tfjs autograd to 1e-4 max|R| (mlp3-64, cnn-a, cnn-c3; C = 6 and 18)', async () => {
  await tf.setBackend('cpu');
  for (const [kind, channels] of [['mlp3-64', 6], ['cnn-a', 6], ['cnn-c3', 6], ['cnn-a', 18], ['cnn-c3', 18]] as const) {
    const model = randomHorstModel(kind, channels, 4, 31);
    for (let target = 0; target < 4; target += 3) {
      const x = randomInput(channels * 101, 70 + target);
      const lrp = attribute(model, x, target, parseComposite('gradient'));
      const gradient = tf.tidy(() => {
        const f = (input: tf.Tensor) => tfjsLogits(model, input as tf.Tensor2D).gather([target], 1).sum();
        return tf.grad(f)(tf.tensor2d(Float32Array.from(x), [1, x.length])).dataSync();
      });
      const tol = 1e-4 * maxAbs(lrp.relevance);
      assert.ok(maxAbs(lrp.relevance) > 0);
      let worst = 0;
      for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(lrp.relevance[i] - x[i] * gradient[i]));
      assert.ok(worst <= tol, `${kind} C=${channels} class ${target}: worst difference ${worst} > ${tol}`);
    }
  }
});
