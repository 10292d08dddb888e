// conv1d + bias + activation as one op with one gradient. At batch 5 a conv1d layer's training step is mostly
// tfjs's per-op overhead (about 7 µs a dispatch here, some 30 dispatches a step): the standard composition
// conv1d → add → relu costs 6 dispatches forward and 12 backward, this op 1 forward and 2–4 backward.
// Where the backend has GaitLab's kernel (wasm) it runs it; elsewhere it is the standard composition, so one
// model code runs on every backend with the same result.
import * as tf from '@tensorflow/tfjs';
import { GAITLAB_CONV1D, GAITLAB_CONV1D_BACKPROP_FILTER, type Conv1DAttrs, type FusedActivation } from './kernel-names';

export interface Conv1DBiasActivationArgs {
  /** [batch, width, inChannels] */
  x: tf.Tensor3D;
  /** [filterWidth, inChannels, outChannels] */
  filter: tf.Tensor3D;
  /** [outChannels] */
  bias: tf.Tensor1D;
  stride?: number;
  pad?: 'same' | 'valid';
  activation?: FusedActivation;
}

function standardComposition(x: tf.Tensor3D, filter: tf.Tensor3D, bias: tf.Tensor1D, a: Conv1DAttrs): tf.Tensor3D {
  const y = tf.add(tf.conv1d(x, filter, a.stride, a.pad), bias) as tf.Tensor3D;
  return a.activation === 'relu' ? tf.relu(y) : y;
}

export function conv1dBiasActivation({ x, filter, bias, stride = 1, pad = 'same', activation = 'linear' }: Conv1DBiasActivationArgs): tf.Tensor3D {
  if (x.rank !== 3 || filter.rank !== 3 || bias.rank !== 1) {
    throw new Error(`conv1dBiasActivation: expected x rank 3, filter rank 3, bias rank 1; got ${x.rank}, ${filter.rank}, ${bias.rank}`);
  }
  if (filter.shape[1] !== x.shape[2] || bias.shape[0] !== filter.shape[2]) {
    throw new Error(`conv1dBiasActivation: x [${x.shape}], filter [${filter.shape}] and bias [${bias.shape}] do not fit together`);
  }
  const attrs: Conv1DAttrs = { stride, pad, activation };
  if (!tf.getKernel(GAITLAB_CONV1D, tf.getBackend())) return standardComposition(x, filter, bias, attrs);
  return tf.engine().runKernel(GAITLAB_CONV1D, { x, filter, bias }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor3D;
}

/** d(activation)/d(pre-activation) applied to dy, from the saved output y (relu: y > 0). */
function activationGradient(dy: tf.Tensor, y: tf.Tensor, activation: FusedActivation): tf.Tensor {
  return activation === 'relu' ? tf.mul(dy, tf.step(y)) : dy;
}

tf.registerGradient({
  kernelName: GAITLAB_CONV1D,
  inputsToSave: ['x', 'filter'],
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [x, filter, y] = saved as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D];
    const a = attrs as unknown as Conv1DAttrs;
    // Computed once here (in the backward pass's scope, disposed with it) and shared by the three gradients;
    // each gradient itself runs only when its input needs one (the first layer's input does not).
    const dyAct = activationGradient(dy as tf.Tensor, y, a.activation) as tf.Tensor3D;
    const [batch, width, inC] = x.shape;
    const [fw, , outC] = filter.shape;
    const outW = dyAct.shape[1];
    const strides: [number, number] = [1, a.stride];
    return {
      x: () => {
        const dx = tf.engine().runKernel('Conv2DBackpropInput', { dy: tf.reshape(dyAct, [batch, 1, outW, outC]), filter: tf.reshape(filter, [1, fw, inC, outC]) }, { strides, pad: a.pad, dataFormat: 'NHWC', inputShape: [batch, 1, width, inC] });
        return tf.reshape(dx as tf.Tensor, x.shape);
      },
      filter: () => {
        if (tf.getKernel(GAITLAB_CONV1D_BACKPROP_FILTER, tf.getBackend())) {
          return tf.engine().runKernel(GAITLAB_CONV1D_BACKPROP_FILTER, { x, dy: dyAct }, { ...a, filterShape: filter.shape } as unknown as tf.NamedAttrMap) as tf.Tensor;
        }
        const dW = tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.reshape(x, [batch, 1, width, inC]), dy: tf.reshape(dyAct, [batch, 1, outW, outC]) }, { strides, pad: a.pad, dataFormat: 'NHWC', filterShape: [1, fw, inC, outC] });
        return tf.reshape(dW as tf.Tensor, filter.shape);
      },
      bias: () => tf.sum(dyAct, [0, 1]),
    };
  },
});
