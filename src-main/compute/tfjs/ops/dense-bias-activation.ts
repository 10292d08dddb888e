// dense + bias + activation as one op whose gradient computes only what is asked for. tfjs's fused.matMul is one
// dispatch forward but, inside a gradient, either splits into matMul → add → relu (relu) or, through customGrad,
// computes the input's gradient even when the input is data (linear): a 606 × 1024 product wasted per step for a
// first layer. Here: one dispatch forward; backward the activation gradient once, then each of dx, dW, db only
// when needed. Where the backend lacks GaitLab's kernel it is the standard composition.
import * as tf from '@tensorflow/tfjs';
import { GAITLAB_DENSE, type DenseAttrs, type FusedActivation } from './kernel-names';

export interface DenseBiasActivationArgs {
  /** [batch, inUnits] */
  x: tf.Tensor2D;
  /** [inUnits, outUnits], as tf.layers.dense's kernel */
  kernel: tf.Tensor2D;
  /** [outUnits] */
  bias: tf.Tensor1D;
  activation?: FusedActivation;
}

export function denseBiasActivation({ x, kernel, bias, activation = 'linear' }: DenseBiasActivationArgs): tf.Tensor2D {
  if (x.rank !== 2 || kernel.rank !== 2 || bias.rank !== 1 || x.shape[1] !== kernel.shape[0] || bias.shape[0] !== kernel.shape[1]) {
    throw new Error(`denseBiasActivation: x [${x.shape}], kernel [${kernel.shape}] and bias [${bias.shape}] do not fit together`);
  }
  if (!tf.getKernel(GAITLAB_DENSE, tf.getBackend())) {
    const y = tf.add(tf.matMul(x, kernel), bias) as tf.Tensor2D;
    return activation === 'relu' ? tf.relu(y) : y;
  }
  const attrs: DenseAttrs = { activation };
  return tf.engine().runKernel(GAITLAB_DENSE, { x, kernel, bias }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor2D;
}

tf.registerGradient({
  kernelName: GAITLAB_DENSE,
  inputsToSave: ['x', 'kernel'],
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [x, kernel, y] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
    const { activation } = attrs as unknown as DenseAttrs;
    // Once, in the backward pass's scope (disposed with it), shared by the three gradients.
    const dyAct = (activation === 'relu' ? tf.mul(dy as tf.Tensor, tf.step(y)) : dy) as tf.Tensor2D;
    return {
      x: () => tf.matMul(dyAct, kernel, false, true),
      kernel: () => tf.matMul(x, dyAct, true, false),
      bias: () => tf.sum(dyAct, 0),
    };
  },
});
