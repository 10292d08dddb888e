// The training steps timed by bench/kernels.ts, written with standard tfjs ops as a GaitLab model writes them
// (bench/kernels_torch.py is the same computation in PyTorch). A step is a whole SGD step: forward, loss,
// gradients of every weight, the update, and the loss read back (as a training loop logs it). The update matters:
// weights that change every step are what XNNPACK must repack and GaitLab's SIMD kernel is for.
import * as tf from '@tensorflow/tfjs';
import { conv1dBiasActivation } from '../src-main/compute/tfjs/ops/conv1d-bias-activation';
import { denseBiasActivation } from '../src-main/compute/tfjs/ops/dense-bias-activation';

const LEARNING_RATE = 1e-3;

export interface ConvProblem {
  x: tf.Tensor3D;
  w: tf.Variable;
  b: tf.Variable;
  optimizer: tf.Optimizer;
  dispose(): void;
}

export function makeConvProblem(): ConvProblem {
  const x = tf.randomNormal([5, 101, 6]) as tf.Tensor3D;
  const w = tf.variable(tf.mul(tf.randomNormal([7, 6, 32]), 0.1));
  const b = tf.variable(tf.zeros([32]));
  const optimizer = tf.train.sgd(LEARNING_RATE);
  return { x, w, b, optimizer, dispose: () => { tf.dispose([x, w, b]); optimizer.dispose(); } };
}

function step(optimizer: tf.Optimizer, loss: () => tf.Scalar): number {
  const value = optimizer.minimize(loss, true)!;
  const out = value.dataSync()[0];
  value.dispose();
  return out;
}

/** conv1d 'same' + bias + relu with tfjs ops, loss mean(y²). */
export function conv1dStep({ x, w, b, optimizer }: ConvProblem): number {
  return step(optimizer, () => tf.mean(tf.square(tf.relu(tf.add(tf.conv1d(x, w as tf.Tensor as tf.Tensor3D, 1, 'same'), b)))));
}

/** The same step with GaitLab's fused op (one dispatch forward, two backward): what GaitLab's models use. */
export function conv1dFusedStep({ x, w, b, optimizer }: ConvProblem): number {
  return step(optimizer, () => tf.mean(tf.square(conv1dBiasActivation({ x, filter: w as tf.Tensor as tf.Tensor3D, bias: b as tf.Tensor as tf.Tensor1D, activation: 'relu' }))));
}

export interface DenseProblem {
  x: tf.Tensor2D;
  w1: tf.Variable;
  b1: tf.Variable;
  w2: tf.Variable;
  b2: tf.Variable;
  optimizer: tf.Optimizer;
  dispose(): void;
}

export function makeDenseProblem(): DenseProblem {
  const x = tf.randomNormal([5, 606]) as tf.Tensor2D;
  const w1 = tf.variable(tf.mul(tf.randomNormal([606, 1024]), 0.04));
  const b1 = tf.variable(tf.zeros([1024]));
  const w2 = tf.variable(tf.mul(tf.randomNormal([1024, 194]), 0.03));
  const b2 = tf.variable(tf.zeros([194]));
  const optimizer = tf.train.sgd(LEARNING_RATE);
  return { x, w1, b1, w2, b2, optimizer, dispose: () => { tf.dispose([x, w1, b1, w2, b2]); optimizer.dispose(); } };
}

/** dense 606 → 1024 relu → 194, loss mean(y²). */
export function denseStep({ x, w1, b1, w2, b2, optimizer }: DenseProblem): number {
  return step(optimizer, () => {
    const h = tf.fused.matMul({ a: x, b: w1 as tf.Tensor as tf.Tensor2D, bias: b1, activation: 'relu' });
    const y = tf.fused.matMul({ a: h, b: w2 as tf.Tensor as tf.Tensor2D, bias: b2 });
    return tf.mean(tf.square(y));
  });
}

/** The same step with GaitLab's dense op (one dispatch forward; no input gradient for the first layer). */
export function denseFusedStep({ x, w1, b1, w2, b2, optimizer }: DenseProblem): number {
  return step(optimizer, () => {
    const h = denseBiasActivation({ x, kernel: w1 as tf.Tensor as tf.Tensor2D, bias: b1 as tf.Tensor as tf.Tensor1D, activation: 'relu' });
    const y = denseBiasActivation({ x: h, kernel: w2 as tf.Tensor as tf.Tensor2D, bias: b2 as tf.Tensor as tf.Tensor1D });
    return tf.mean(tf.square(y));
  });
}
