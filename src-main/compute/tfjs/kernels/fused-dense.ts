// The wasm kernel behind ops/dense-bias-activation.ts: GaitLab's _FusedMatMul (SIMD kernel for new weights,
// XNNPACK otherwise; bias and relu fused) on rank-2 tensors, without the op's reshapes to rank 3.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { GAITLAB_DENSE, type DenseAttrs } from '../ops/kernel-names';
import { fastFusedMatMulConfig } from './fast-matmul';
import { view } from './wasm-kernel-api';

const dense: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, kernel, bias } = inputs as { x: TensorInfo; kernel: TensorInfo; bias: TensorInfo };
  const { activation } = attrs as unknown as DenseAttrs;
  const [M, K] = x.shape;
  const N = kernel.shape[1];
  const out = fastFusedMatMulConfig.kernelFunc({
    inputs: { a: view(x, [1, M, K]), b: view(kernel, [1, K, N]), bias },
    backend,
    attrs: { transposeA: false, transposeB: false, activation, leakyreluAlpha: 0 },
  }) as TensorInfo;
  out.shape = [M, N];
  return out;
};

export const gaitlabDenseConfig: KernelConfig = { kernelName: GAITLAB_DENSE, backendName: 'wasm', kernelFunc: dense };
