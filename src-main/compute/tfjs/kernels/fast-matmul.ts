// A fast matrix product on the wasm backend. tfjs-backend-wasm 4.22 sends a product to XNNPACK only when
// neither side is transposed and there is no batch; every other product (so every gradient of a dense layer:
// dW = xᵀ·dy, dx = dy·Wᵀ) runs a scalar triple loop, 10–50× slower. Here a transposed product is rewritten
// as an untransposed one, transposing whichever small operand it takes (Cᵀ = Bᵀ·Aᵀ when that is cheaper),
// and run on XNNPACK (dW of a 606 × 1024 layer at batch 5: 5.4 ms → 0.16 ms here). A product of a few rows
// against a B that XNNPACK has not packed yet (new weights every training step) goes to simd-gemm.ts instead.
import type { KernelBackend, KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { simdGemmOn, type SimdGemm } from './simd-gemm';
import { asWasm, dispose, heapF32, runOriginal, transpose2d, view, type BackendWasm } from './wasm-kernel-api';

/**
 * Up to this many rows of A, a product with a B seen for the first time runs on GaitLab's SIMD kernel: XNNPACK's
 * repacking of B costs more than the whole product then. From the second use on, B is left to XNNPACK, which caches
 * its packed copy per tensor (inference on fixed weights).
 */
export const SIMD_GEMM_MAX_ROWS = 16;

const seenAsB = new WeakSet<object>();

function simdGemmFor(backend: BackendWasm): SimdGemm | null {
  const memory = (backend.wasm as unknown as { asm?: { memory?: WebAssembly.Memory } }).asm?.memory;
  if (!memory || memory.buffer !== backend.wasm.HEAPF32.buffer) return null;
  try {
    return simdGemmOn(memory);
  } catch {
    return null; // no WebAssembly SIMD in this runtime: XNNPACK's own path remains
  }
}

function offsetOf(backend: BackendWasm, t: TensorInfo): number {
  return backend.dataIdMap.get(t.dataId)!.memoryOffset;
}

/** A·B on the SIMD kernel when it pays (few rows, new B), else null. */
function trySimdProduct(backend: BackendWasm, a: TensorInfo, b: TensorInfo): TensorInfo | null {
  const [M, K] = a.shape.slice(-2);
  const N = b.shape[b.shape.length - 1];
  if (M > SIMD_GEMM_MAX_ROWS || N < 8) return null;
  if (seenAsB.has(b.dataId)) return null;
  seenAsB.add(b.dataId);
  const gemm = simdGemmFor(backend);
  if (!gemm) return null;
  const out = backend.makeOutput([M, N], 'float32');
  gemm.run(offsetOf(backend, a), offsetOf(backend, b), offsetOf(backend, out), M, K, N);
  return out;
}

/** Rows and columns of a tensor whose leading (batch) dimensions multiply to 1, else null. */
function asMatrix(t: TensorInfo): [number, number] | null {
  const rank = t.shape.length;
  if (rank < 2) return null;
  let outer = 1;
  for (let i = 0; i < rank - 2; i++) outer *= t.shape[i];
  return outer === 1 ? [t.shape[rank - 2], t.shape[rank - 1]] : null;
}

function plainProduct(backend: BackendWasm, a: TensorInfo, b: TensorInfo): TensorInfo {
  const simd = trySimdProduct(backend, a, b);
  if (simd) return simd;
  return runOriginal('BatchMatMul', backend, { a, b }, { transposeA: false, transposeB: false });
}

/**
 * op(a)·op(b) for 2-D a and b, returned as a new 2-D tensor. Chooses, among the formulations that reach
 * XNNPACK, the one that transposes the fewest elements.
 */
export function fastMatMul(backend: BackendWasm, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): TensorInfo {
  const [aRows, aCols] = a.shape;
  const [bRows, bCols] = b.shape;
  const M = transposeA ? aCols : aRows;
  const K = transposeA ? aRows : aCols;
  const N = transposeB ? bRows : bCols;
  if (!transposeA && !transposeB) return plainProduct(backend, a, b);
  if (transposeA && transposeB) {
    // aᵀ·bᵀ = (b·a)ᵀ: one product, one transpose of the M × N result.
    const ba = plainProduct(backend, b, a);
    const out = transpose2d(backend, ba);
    dispose(backend, ba);
    return out;
  }
  if (transposeA) {
    // aᵀ·b: transpose a (K × M elements), or (bᵀ·a)ᵀ: transpose b (K × N) and the result (N × M).
    if (K * M <= K * N + N * M) {
      const aT = transpose2d(backend, a);
      const out = plainProduct(backend, aT, b);
      dispose(backend, aT);
      return out;
    }
    const bT = transpose2d(backend, b);
    const bTa = plainProduct(backend, bT, a);
    const out = transpose2d(backend, bTa);
    dispose(backend, bT, bTa);
    return out;
  }
  // a·bᵀ: transpose b (N × K elements), or (b·aᵀ)ᵀ: transpose a (M × K) and the result (N × M). The second
  // is what makes dx = dy·Wᵀ fast: W is read as it lies and only the batch-sized factors move.
  if (N * K <= M * K + N * M) {
    const bT = transpose2d(backend, b);
    const out = plainProduct(backend, a, bT);
    dispose(backend, bT);
    return out;
  }
  const aT = transpose2d(backend, a);
  const baT = plainProduct(backend, b, aT);
  const out = transpose2d(backend, baT);
  dispose(backend, aT, baT);
  return out;
}

interface MatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

/** BatchMatMul on wasm: unbatched transposed products go through fastMatMul, the rest to the original. */
const batchMatMul: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = asWasm(backend as KernelBackend);
  const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
  const { transposeA, transposeB } = attrs as unknown as MatMulAttrs;
  const am = asMatrix(a);
  const bm = asMatrix(b);
  if ((!transposeA && !transposeB) || !am || !bm || a.dtype !== 'float32' || b.dtype !== 'float32') {
    return runOriginal('BatchMatMul', wasm, { a, b }, attrs as NamedAttrMap);
  }
  const out = fastMatMul(wasm, view(a, am), view(b, bm), transposeA, transposeB);
  const rank = Math.max(a.shape.length, b.shape.length);
  out.shape = [...new Array<number>(rank - 2).fill(1), ...out.shape];
  return out;
};

interface FusedAttrs extends MatMulAttrs {
  activation: string;
}

/** The fused product on the SIMD kernel, bias and relu applied in one pass after it; null when not applicable. */
function trySimdFused(backend: BackendWasm, a: TensorInfo, b: TensorInfo, bias: TensorInfo | undefined, attrs: FusedAttrs, prelu: TensorInfo | undefined): TensorInfo | null {
  if (prelu || (attrs.activation !== 'linear' && attrs.activation !== 'relu')) return null;
  if (bias && (bias.shape.length !== 1 || bias.shape[0] !== b.shape[1])) return null;
  const out = trySimdProduct(backend, a, b);
  if (!out || (!bias && attrs.activation === 'linear')) return out;
  const values = heapF32(backend, out);
  const biasValues = bias ? heapF32(backend, bias) : null;
  const relu = attrs.activation === 'relu';
  const N = b.shape[1];
  for (let i = 0; i < values.length; i++) {
    let v = values[i] + (biasValues ? biasValues[i % N] : 0);
    if (relu && v < 0) v = 0;
    values[i] = v;
  }
  return out;
}

/**
 * _FusedMatMul on wasm (bias + activation fused into the product): transposed operands are materialised so the
 * product reaches XNNPACK; the bias runs along the columns, so the Cᵀ rewrite is not open here.
 */
const fusedMatMul: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = asWasm(backend as KernelBackend);
  const { a, b, bias, preluActivationWeights } = inputs as Record<string, TensorInfo | undefined> & { a: TensorInfo; b: TensorInfo };
  const { transposeA, transposeB } = attrs as unknown as MatMulAttrs;
  const am = asMatrix(a);
  const bm = asMatrix(b);
  const all = { a, b, bias, preluActivationWeights };
  if (!transposeA && !transposeB && am && bm) {
    const fused = trySimdFused(wasm, view(a, am), view(b, bm), bias, attrs as unknown as FusedAttrs, preluActivationWeights);
    if (fused) {
      fused.shape = [...new Array<number>(a.shape.length - 2).fill(1), am[0], bm[1]];
      return fused;
    }
  }
  if ((!transposeA && !transposeB) || !am || !bm) return runOriginal('_FusedMatMul', wasm, all, attrs as NamedAttrMap);
  const temps: TensorInfo[] = [];
  const plain = (t: TensorInfo, m: [number, number], transposed: boolean): TensorInfo => {
    if (!transposed) return view(t, [1, ...m]);
    const tT = transpose2d(wasm, view(t, m));
    temps.push(tT);
    return view(tT, [1, m[1], m[0]]);
  };
  const out = runOriginal('_FusedMatMul', wasm, { ...all, a: plain(a, am, transposeA), b: plain(b, bm, transposeB) }, { ...attrs, transposeA: false, transposeB: false });
  dispose(wasm, ...temps);
  return out;
};

export const fastBatchMatMulConfig: KernelConfig = { kernelName: 'BatchMatMul', backendName: 'wasm', kernelFunc: batchMatMul };
export const fastFusedMatMulConfig: KernelConfig = { kernelName: '_FusedMatMul', backendName: 'wasm', kernelFunc: fusedMatMul };
