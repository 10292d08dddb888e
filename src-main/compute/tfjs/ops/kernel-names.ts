/** Kernels GaitLab adds to tfjs (registered on wasm; elsewhere the ops fall back to standard tfjs ops). */
export const GAITLAB_CONV1D = 'GaitlabConv1D';
export const GAITLAB_CONV1D_BACKPROP_FILTER = 'GaitlabConv1DBackpropFilter';

export type FusedActivation = 'linear' | 'relu';

export interface Conv1DAttrs {
  stride: number;
  pad: 'same' | 'valid';
  activation: FusedActivation;
}
