// A fast matrix product on the wasm backend. tfjs-backend-wasm 4.22 sends a product to XNNPACK only when
// neither side is transposed and there is no batch; every other product (so every gradient of a dense layer:
// dW = xᵀ·dy, dx = dy·Wᵀ) runs a scalar triple loop, 10–50× slower. Here a transposed product is rewritten
// as an untransposed one, transposing whichever small operand it takes (Cᵀ = Bᵀ·Aᵀ when that is cheaper),
// and run on XNNPACK (dW of a 606 × 1024 layer at batch 5: 5.4 ms → 0.16 ms here). A product of a few rows
// against a B that XNNPACK has not packed yet (new weights every training step) goes to simd-gemm.ts instead.
import type { KernelBackend, KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { activeNativeBlas, asWasm, dispose, heapBuffer, heapF32, offsetOf, runOriginal, simdGemmFor, transpose2d, view, type BackendWasm } from './wasm-kernel-api';

/**
 * Up to this many rows of A, a product with a B seen for the first time runs on GaitLab's SIMD kernel: XNNPACK's
 * repacking of B costs more than the whole product then. From the second use on, B is left to XNNPACK, which caches
 * its packed copy per tensor (inference on fixed weights).
 */
export const SIMD_GEMM_MAX_ROWS = 16;

const seenAsB = new WeakSet<object>();

/**
 * op(a)·B on the SIMD kernel when it pays (B new to XNNPACK, and few rows or a stored as aᵀ), else null.
 * a is [M, K], or [K, M] when aTransposed (then it is read as it lies).
 */
function trySimdProduct(backend: BackendWasm, a: TensorInfo, aTransposed: boolean, b: TensorInfo): TensorInfo | null {
  const [M, K] = aTransposed ? [a.shape[1], a.shape[0]] : [a.shape[0], a.shape[1]];
  const N = b.shape[1];
  // Many output rows over a short K (xᵀ·dy of a dense layer: 606 rows, K = batch) are bound by writing C, which
  // XNNPACK does better; the kernel pays where K is long and C small.
  if (N < 8 || M > SIMD_GEMM_MAX_ROWS) return null;
  if (seenAsB.has(b.dataId)) return null;
  seenAsB.add(b.dataId);
  const gemm = simdGemmFor(backend);
  if (!gemm) return null;
  const out = backend.makeOutput([M, N], 'float32');
  let aT = a;
  if (!aTransposed) {
    // The kernel reads A column by column; a batch-sized A is transposed here, a few thousand elements.
    aT = backend.makeOutput([K, M], 'float32');
    const src = heapF32(backend, a);
    const dst = heapF32(backend, aT);
    for (let m = 0; m < M; m++) for (let k = 0; k < K; k++) dst[k * M + m] = src[m * K + k];
  }
  gemm.runTN({ offset: offsetOf(backend, aT), stride: M }, { offset: offsetOf(backend, b), stride: N }, { offset: offsetOf(backend, out), stride: N }, M, K, N, false);
  if (aT !== a) dispose(backend, aT);
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
  const simd = trySimdProduct(backend, a, false, b);
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
  const blas = activeNativeBlas();
  if (blas) {
    // The native tier: OpenBLAS takes every transposition as it lies, in place on the heap.
    const out = backend.makeOutput([M, N], 'float32');
    blas.sgemm(heapBuffer(backend), transposeA, transposeB, M, N, K, offsetOf(backend, a), aCols, offsetOf(backend, b), bCols, offsetOf(backend, out), N, 0);
    return out;
  }
  if (!transposeA && !transposeB) return plainProduct(backend, a, b);
  if (transposeA && transposeB) {
    // aᵀ·bᵀ = (b·a)ᵀ: one product, one transpose of the M × N result.
    const ba = plainProduct(backend, b, a);
    const out = transpose2d(backend, ba);
    dispose(backend, ba);
    return out;
  }
  if (transposeA) {
    const simd = trySimdProduct(backend, a, true, b);
    if (simd) return simd;
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

/** BatchMatMul on wasm: unbatched float32 products go through fastMatMul, batched ones to the original. */
const batchMatMul: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = asWasm(backend as KernelBackend);
  const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
  const { transposeA, transposeB } = attrs as unknown as MatMulAttrs;
  const am = asMatrix(a);
  const bm = asMatrix(b);
  if (!am || !bm || a.dtype !== 'float32' || b.dtype !== 'float32') {
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

/** Bias and activation that the GaitLab paths apply after their product (the rest go to the original kernel). */
function fusableHere(attrs: FusedAttrs, bias: TensorInfo | undefined, N: number, prelu: TensorInfo | undefined): boolean {
  if (prelu || (attrs.activation !== 'linear' && attrs.activation !== 'relu')) return false;
  return !bias || (bias.shape.length === 1 && bias.shape[0] === N);
}

/** The fused product on the SIMD kernel, bias and relu applied in one pass after it; null when not applicable. */
function trySimdFused(backend: BackendWasm, a: TensorInfo, b: TensorInfo, bias: TensorInfo | undefined, attrs: FusedAttrs, prelu: TensorInfo | undefined): TensorInfo | null {
  if (!fusableHere(attrs, bias, b.shape[1], prelu)) return null;
  const out = trySimdProduct(backend, a, false, b);
  return out ? applyBiasActivation(backend, out, bias, attrs) : null;
}

/** The fused product on the native BLAS tier. */
function blasFused(backend: BackendWasm, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, bias: TensorInfo | undefined, attrs: FusedAttrs, prelu: TensorInfo | undefined): TensorInfo | null {
  if (!fusableHere(attrs, bias, transposeB ? b.shape[0] : b.shape[1], prelu)) return null;
  return applyBiasActivation(backend, fastMatMul(backend, a, b, transposeA, transposeB), bias, attrs);
}

function applyBiasActivation(backend: BackendWasm, out: TensorInfo, bias: TensorInfo | undefined, attrs: FusedAttrs): TensorInfo {
  if (!bias && attrs.activation === 'linear') return out;
  const values = heapF32(backend, out);
  const biasValues = bias ? heapF32(backend, bias) : null;
  const relu = attrs.activation === 'relu';
  const N = out.shape[1];
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
  if (activeNativeBlas() && am && bm) {
    const fused = blasFused(wasm, view(a, am), view(b, bm), transposeA, transposeB, bias, attrs as unknown as FusedAttrs, preluActivationWeights);
    if (fused) {
      fused.shape = [...new Array<number>(a.shape.length - 2).fill(1), fused.shape[0], fused.shape[1]];
      return fused;
    }
  }
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
