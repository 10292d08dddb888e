// Sum over every axis but the last, on wasm: the gradient of a bias (dense [batch, units], conv1d
// [batch, 1, width, filters]). The wasm Sum kernel reduces inner axes only, so it first transposes the tensor,
// which costs more than the sum (45 µs for [5, 1, 101, 32] here). Here the column sums are 1ᵀ·X on the SIMD
// kernel, reading X once in place (5 µs), or a JS loop where SIMD is missing.
import type { KernelBackend, KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { asWasm, dispose, heapF32, offsetOf, runOriginal, simdGemmFor } from './wasm-kernel-api';

/** The reduced axes, sorted and non-negative. */
function normaliseAxes(axis: number | number[], rank: number): number[] {
  const list = Array.isArray(axis) ? axis : [axis];
  return [...new Set(list.map((a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
}

const sum: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = asWasm(backend as KernelBackend);
  const { x } = inputs as { x: TensorInfo };
  const { axis, keepDims } = attrs as unknown as { axis: number | number[]; keepDims: boolean };
  const rank = x.shape.length;
  const axes = normaliseAxes(axis, rank);
  const leading = rank >= 2 && axes.length === rank - 1 && axes.every((a, i) => a === i);
  if (!leading || x.dtype !== 'float32') return runOriginal('Sum', wasm, { x }, attrs as NamedAttrMap);
  const cols = x.shape[rank - 1];
  const out = wasm.makeOutput(keepDims ? [...new Array<number>(rank - 1).fill(1), cols] : [cols], 'float32');
  const rows = x.shape.slice(0, -1).reduce((a, b) => a * b, 1);
  const gemm = simdGemmFor(wasm);
  if (gemm && cols >= 8) {
    const ones = wasm.makeOutput([rows], 'float32');
    heapF32(wasm, ones).fill(1);
    gemm.runTN({ offset: offsetOf(wasm, ones), stride: 1 }, { offset: offsetOf(wasm, x), stride: cols }, { offset: offsetOf(wasm, out), stride: cols }, 1, rows, cols, false);
    dispose(wasm, ones);
    return out;
  }
  const src = heapF32(wasm, x);
  const dst = heapF32(wasm, out);
  // Double-precision sums: no worse than the original's float32 accumulation.
  const acc = new Float64Array(cols);
  for (let i = 0; i < src.length; i += cols) for (let j = 0; j < cols; j++) acc[j] += src[i + j];
  dst.set(acc);
  return out;
};

export const sumLeadingAxesConfig: KernelConfig = { kernelName: 'Sum', backendName: 'wasm', kernelFunc: sum };
