// Registers GaitLab's kernels on the wasm backend. Called once the wasm backend is ready (the replaced kernels'
// originals must have run their setup); calling it again changes nothing.
import { findBackend, getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input';
import { fastBatchMatMulConfig, fastFusedMatMulConfig } from './fast-matmul';
import { gaitlabConv1dBackpropFilterConfig, gaitlabConv1dConfig } from './fused-conv1d';
import { sharedIdentityConfig } from './identity';
import { sumLeadingAxesConfig } from './sum-leading-axes';
import { captureOriginal } from './wasm-kernel-api';

const GAITLAB_KERNELS: KernelConfig[] = [
  fastBatchMatMulConfig,
  fastFusedMatMulConfig,
  conv2dBackpropFilterConfig,
  conv2dBackpropInputConfig,
  sharedIdentityConfig,
  sumLeadingAxesConfig,
  gaitlabConv1dConfig,
  gaitlabConv1dBackpropFilterConfig,
];

/** Kernels of the wasm backend that GaitLab's kernels call or replace. */
const ORIGINALS = ['BatchMatMul', '_FusedMatMul', 'Transpose', 'Identity', 'Sum', 'FusedConv2D', 'Conv2DBackpropInput'];

/** Names of the kernels GaitLab provides on wasm, for the backend report. */
export function gaitlabKernelNames(): string[] {
  return GAITLAB_KERNELS.map((k) => k.kernelName);
}

export function registerGaitlabKernels(): string[] {
  // The kernels replaced here run their setup (binding their wasm functions) when the backend initialises; a
  // replacement registered before that would leave the originals unbound.
  if (!findBackend('wasm')) throw new Error('registerGaitlabKernels: initialise the wasm backend first (initTfjsBackend)');
  for (const name of ORIGINALS) captureOriginal(name);
  for (const config of GAITLAB_KERNELS) {
    const current = getKernel(config.kernelName, 'wasm');
    if (current?.kernelFunc === config.kernelFunc) continue;
    if (current) unregisterKernel(config.kernelName, 'wasm');
    registerKernel(config);
  }
  return gaitlabKernelNames();
}
