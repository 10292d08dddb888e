// Registers GaitLab's kernels on the wasm backend. Called once the wasm backend is ready (the replaced kernels'
// originals must have run their setup); calling it again changes nothing.
import { findBackend, getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input';
import { denseSgdStepConfig, simdDenseBackwardFor } from './dense-sgd-step';
import { fastBatchMatMulConfig, fastFusedMatMulConfig } from './fast-matmul';
import { gaitlabConv1dBackpropFilterConfig, gaitlabConv1dConfig } from './fused-conv1d';
import { gaitlabDenseConfig } from './fused-dense';
import { sharedIdentityConfig } from './identity';
import { sumLeadingAxesConfig } from './sum-leading-axes';
import { asWasm, captureOriginal, simdGemmFor } from './wasm-kernel-api';

const GAITLAB_KERNELS: KernelConfig[] = [
  fastBatchMatMulConfig,
  fastFusedMatMulConfig,
  conv2dBackpropFilterConfig,
  conv2dBackpropInputConfig,
  sharedIdentityConfig,
  sumLeadingAxesConfig,
  gaitlabConv1dConfig,
  gaitlabConv1dBackpropFilterConfig,
  gaitlabDenseConfig,
  denseSgdStepConfig,
];

/** Kernels that need WebAssembly SIMD on the backend's heap and have no scalar path: where it is missing, their ops fall back to tfjs ops. */
const SIMD_ONLY = new Set<string>([denseSgdStepConfig.kernelName]);

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
  const backend = asWasm(findBackend('wasm')!);
  const simd = simdGemmFor(backend) !== null && simdDenseBackwardFor(backend) !== null;
  for (const config of GAITLAB_KERNELS) {
    if (!simd && SIMD_ONLY.has(config.kernelName)) continue;
    const current = getKernel(config.kernelName, 'wasm');
    if (current?.kernelFunc === config.kernelFunc) continue;
    if (current) unregisterKernel(config.kernelName, 'wasm');
    registerKernel(config);
  }
  return gaitlabKernelNames().filter((name) => simd || !SIMD_ONLY.has(name));
}
