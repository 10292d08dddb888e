// The small part of tfjs-backend-wasm that GaitLab's kernels use: temporary tensors on the wasm heap, views of
// their memory, and the wasm backend's own kernels (XNNPACK matrix product, transpose), called directly so a
// composite kernel costs one engine dispatch instead of one per step.
import { getKernel, type KernelBackend, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { NativeBlas } from '../native-blas';
import { simdGemmOn, type SimdGemm, type WasmMemory } from './simd-gemm';

export type { BackendWasm };

/** The wasm backend behind a kernel call (the engine types it as the generic KernelBackend). */
export function asWasm(backend: KernelBackend): BackendWasm {
  return backend as BackendWasm;
}

/** A different shape over the same memory; nothing is copied and nothing needs disposing. */
export function view(t: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: t.dataId, shape, dtype: t.dtype };
}

export function heapF32(backend: BackendWasm, t: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(t) as Float32Array;
}

export function dispose(backend: BackendWasm, ...infos: TensorInfo[]): void {
  for (const t of infos) backend.disposeData(t.dataId);
}

/**
 * The wasm backend's original kernels, captured before GaitLab replaces BatchMatMul / _FusedMatMul, so the
 * replacements can call them. Captured once per process: re-registering must not capture our own kernels.
 */
const originals = new Map<string, KernelFunc>();

export function captureOriginal(kernelName: string): void {
  if (originals.has(kernelName)) return;
  const config = getKernel(kernelName, 'wasm');
  if (!config) throw new Error(`tfjs-backend-wasm has no ${kernelName} kernel to build on`);
  originals.set(kernelName, config.kernelFunc);
}

export function runOriginal(kernelName: string, backend: BackendWasm, inputs: Record<string, TensorInfo | null | undefined>, attrs: NamedAttrMap): TensorInfo {
  const kernelFunc = originals.get(kernelName);
  if (!kernelFunc) throw new Error(`wasm ${kernelName} was not captured (call registerGaitlabKernels after the wasm backend is ready)`);
  // Optional inputs the original kernels test with `!= null`: drop undefined ones rather than pass them through.
  const present: Record<string, TensorInfo> = {};
  for (const [k, v] of Object.entries(inputs)) if (v) present[k] = v;
  return kernelFunc({ inputs: present, backend, attrs }) as TensorInfo;
}

/** The wasm Transpose kernel on a 2-D tensor: a new [cols, rows] tensor the caller disposes. */
export function transpose2d(backend: BackendWasm, t: TensorInfo): TensorInfo {
  return runOriginal('Transpose', backend, { x: t }, { perm: [1, 0] });
}

/** Byte offset of a tensor's data on the wasm heap. */
export function offsetOf(backend: BackendWasm, t: TensorInfo): number {
  return backend.dataIdMap.get(t.dataId)!.memoryOffset;
}

/** GaitLab's SIMD kernel on the backend's own heap, or null where the heap or WebAssembly SIMD is not reachable. */
export function simdGemmFor(backend: BackendWasm): SimdGemm | null {
  const memory = (backend.wasm as unknown as { asm?: { memory?: WasmMemory } }).asm?.memory;
  if (!memory || memory.buffer !== backend.wasm.HEAPF32.buffer) return null;
  try {
    return simdGemmOn(memory);
  } catch {
    return null; // no WebAssembly SIMD in this runtime: XNNPACK's own path remains
  }
}

let nativeBlas: NativeBlas | null = null;

/** Routes GaitLab's matrix products through the native OpenBLAS add-on (the native tier), or back to wasm (null). */
export function useNativeBlas(blas: NativeBlas | null): void {
  nativeBlas = blas;
}

export function activeNativeBlas(): NativeBlas | null {
  return nativeBlas;
}

/** The backend's heap as an ArrayBuffer, for the native add-on (which reads and writes it in place). */
export function heapBuffer(backend: BackendWasm): ArrayBuffer {
  return backend.wasm.HEAPF32.buffer as ArrayBuffer;
}
