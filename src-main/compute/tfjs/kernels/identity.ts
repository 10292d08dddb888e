// Identity on wasm without a copy. tfjs-core clones every tensor it saves for the backward pass through the
// Identity kernel, and the wasm one copies the data: 2.5 MB per step for a 606 × 1024 weight. Tensor data on the
// wasm backend is never written in place (Reshape already shares it the same way), so sharing is safe, as on cpu.
import type { KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { asWasm, runOriginal } from './wasm-kernel-api';

const identity: KernelFunc = ({ inputs, backend }) => {
  const wasm = asWasm(backend as KernelBackend);
  const { x } = inputs as { x: TensorInfo };
  // String tensors keep their bytes outside the heap; the original handles them.
  if (x.dtype === 'string') return runOriginal('Identity', wasm, { x }, {});
  wasm.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
};

export const sharedIdentityConfig: KernelConfig = { kernelName: 'Identity', backendName: 'wasm', kernelFunc: identity };
