// Registers GaitLab's kernels on the wasm backend. Called once the wasm backend is ready (the replaced kernels'
// originals must have run their setup); calling it again changes nothing.
import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input';
import { fastBatchMatMulConfig, fastFusedMatMulConfig } from './fast-matmul';
import { sharedIdentityConfig } from './identity';
import { captureOriginal } from './wasm-kernel-api';

const GAITLAB_KERNELS: KernelConfig[] = [
  fastBatchMatMulConfig,
  fastFusedMatMulConfig,
  conv2dBackpropFilterConfig,
  conv2dBackpropInputConfig,
  sharedIdentityConfig,
];

/** Kernels of the wasm backend that GaitLab's kernels call or replace. */
const ORIGINALS = ['BatchMatMul', '_FusedMatMul', 'Transpose', 'Identity'];

/** Names of the kernels GaitLab provides on wasm, for the backend report. */
export function gaitlabKernelNames(): string[] {
  return GAITLAB_KERNELS.map((k) => k.kernelName);
}

export function registerGaitlabKernels(): string[] {
  for (const name of ORIGINALS) captureOriginal(name);
  for (const config of GAITLAB_KERNELS) {
    const current = getKernel(config.kernelName, 'wasm');
    if (current?.kernelFunc === config.kernelFunc) continue;
    if (current) unregisterKernel(config.kernelName, 'wasm');
    registerKernel(config);
  }
  return gaitlabKernelNames();
}
