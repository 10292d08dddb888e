// One plain SGD step of a stack of dense layers as one kernel: forward, the batch-summed loss's gradient,
// backward and θ ← θ − (η·s_θ)·G_θ per parameter group, without tfjs's tape. At batch 5 the step is bound by
// passes over the weights; the wasm kernel (kernels/dense-sgd-step.ts) makes one read in the forward pass and
// one read and one write in the backward pass per weight, where tfjs's composition makes about six.
// Returns the new weights and biases as new tensors (the inputs are never written), or null where the backend
// lacks the kernel: then the caller runs its tfjs composition.
import * as tf from '@tensorflow/tfjs';
import { GAITLAB_DENSE_SGD_STEP, type DenseSgdStepAttrs } from './kernel-names';

export interface DenseStepLayer {
  /** [inUnits, outUnits] */
  weight: tf.Tensor2D;
  /** [outUnits] */
  bias: tf.Tensor1D;
}

export function denseSgdStepAvailable(): boolean {
  return tf.getKernel(GAITLAB_DENSE_SGD_STEP, tf.getBackend()) !== undefined;
}

/** x [batch, in₀], target [batch, out_last] (one-hot for cross-entropy); attrs per layer. */
export function denseSgdStep(x: tf.Tensor2D, target: tf.Tensor2D, layers: readonly DenseStepLayer[], attrs: DenseSgdStepAttrs): DenseStepLayer[] | null {
  if (!denseSgdStepAvailable()) return null;
  const L = layers.length;
  if (attrs.activations.length !== L || attrs.weightSteps.length !== L || attrs.biasSteps.length !== L) {
    throw new Error(`denseSgdStep: ${L} layers, but ${attrs.activations.length} activations and ${attrs.weightSteps.length}/${attrs.biasSteps.length} steps`);
  }
  let width = x.shape[1];
  layers.forEach(({ weight, bias }, l) => {
    if (weight.rank !== 2 || weight.shape[0] !== width || bias.rank !== 1 || bias.shape[0] !== weight.shape[1]) {
      throw new Error(`denseSgdStep: layer ${l} weight [${weight.shape}] and bias [${bias.shape}] do not follow an input of width ${width}`);
    }
    width = weight.shape[1];
  });
  if (target.rank !== 2 || target.shape[0] !== x.shape[0] || target.shape[1] !== width) {
    throw new Error(`denseSgdStep: target [${target.shape}] does not fit x [${x.shape}] and ${width} outputs`);
  }
  const inputs: tf.NamedTensorMap = { x, target };
  layers.forEach(({ weight, bias }, l) => { inputs[`w${l}`] = weight; inputs[`b${l}`] = bias; });
  const out = tf.engine().runKernel(GAITLAB_DENSE_SGD_STEP, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
  return layers.map((_, l) => ({ weight: out[2 * l] as tf.Tensor2D, bias: out[2 * l + 1] as tf.Tensor1D }));
}
