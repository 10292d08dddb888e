// The training steps timed by bench/kernels.ts, written with standard tfjs ops as a GaitLab model writes them
// (bench/kernels_torch.py is the same computation in PyTorch).
import * as tf from '@tensorflow/tfjs';
import { conv1dBiasActivation } from '../src-main/compute/tfjs/ops/conv1d-bias-activation';

export interface ConvProblem {
  x: tf.Tensor3D;
  w: tf.Tensor3D;
  b: tf.Tensor1D;
}

export function makeConvProblem(): ConvProblem {
  return { x: tf.randomNormal([5, 101, 6]), w: tf.mul(tf.randomNormal([7, 6, 32]), 0.1), b: tf.zeros([32]) };
}

// Each step reads its loss back (as a training loop logs it), not the gradients: kernels on wasm and cpu run
// eagerly, so the step is complete when it returns, and PyTorch's side does the same (loss.item()).

/** conv1d 'same' + bias + relu, loss mean(y²), gradients of the filter and the bias. */
export function conv1dStep({ x, w, b }: ConvProblem): number {
  return tf.tidy(() => {
    const { value } = tf.valueAndGrads((wv: tf.Tensor, bv: tf.Tensor) => {
      const y = tf.relu(tf.add(tf.conv1d(x, wv as tf.Tensor3D, 1, 'same'), bv));
      return tf.mean(tf.square(y));
    })([w, b]);
    return value.dataSync()[0];
  });
}

/** The same step with GaitLab's fused op (one dispatch forward, two backward): what GaitLab's models use. */
export function conv1dFusedStep({ x, w, b }: ConvProblem): number {
  return tf.tidy(() => {
    const { value } = tf.valueAndGrads((wv: tf.Tensor, bv: tf.Tensor) => {
      const y = conv1dBiasActivation({ x, filter: wv as tf.Tensor3D, bias: bv as tf.Tensor1D, activation: 'relu' });
      return tf.mean(tf.square(y));
    })([w, b]);
    return value.dataSync()[0];
  });
}

export interface DenseProblem {
  x: tf.Tensor2D;
  w1: tf.Tensor2D;
  b1: tf.Tensor1D;
  w2: tf.Tensor2D;
  b2: tf.Tensor1D;
}

export function makeDenseProblem(): DenseProblem {
  return {
    x: tf.randomNormal([5, 606]),
    w1: tf.mul(tf.randomNormal([606, 1024]), 0.04),
    b1: tf.zeros([1024]),
    w2: tf.mul(tf.randomNormal([1024, 194]), 0.03),
    b2: tf.zeros([194]),
  };
}

/** dense 606 → 1024 relu → 194, loss mean(y²), gradients of both weights and biases. */
export function denseStep({ x, w1, b1, w2, b2 }: DenseProblem): number {
  return tf.tidy(() => {
    const { value } = tf.valueAndGrads((w1v: tf.Tensor, b1v: tf.Tensor, w2v: tf.Tensor, b2v: tf.Tensor) => {
      const h = tf.fused.matMul({ a: x, b: w1v as tf.Tensor2D, bias: b1v, activation: 'relu' });
      const y = tf.fused.matMul({ a: h, b: w2v as tf.Tensor2D, bias: b2v });
      return tf.mean(tf.square(y));
    })([w1, b1, w2, b2]);
    return value.dataSync()[0];
  });
}
