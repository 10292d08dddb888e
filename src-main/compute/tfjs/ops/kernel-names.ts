/** Kernels GaitLab adds to tfjs (registered on wasm; elsewhere the ops fall back to standard tfjs ops). */
export const GAITLAB_CONV1D = 'GaitlabConv1D';
export const GAITLAB_CONV1D_BACKPROP_FILTER = 'GaitlabConv1DBackpropFilter';
export const GAITLAB_DENSE = 'GaitlabDense';

export type FusedActivation = 'linear' | 'relu';

export interface Conv1DAttrs {
  stride: number;
  pad: 'same' | 'valid';
  activation: FusedActivation;
}

export interface DenseAttrs {
  activation: FusedActivation;
}

/** One SGD step of a stack of dense layers (ops/dense-sgd-step.ts). */
export const GAITLAB_DENSE_SGD_STEP = 'GaitlabDenseSgdStep';

export type DenseStepLoss = 'softmaxCrossEntropy' | 'halfSquaredError';

export interface DenseSgdStepAttrs {
  /** Per layer, bottom to top. */
  activations: FusedActivation[];
  /** Of the batch-summed loss: −Σ y·log softmax(z), or ½‖z − y‖². */
  loss: DenseStepLoss;
  /** Per layer: the factor on the weight's and the bias's gradient (η·s_θ). */
  weightSteps: number[];
  biasSteps: number[];
}
