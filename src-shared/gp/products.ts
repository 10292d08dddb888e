// The hierarchical GP's O(M²T) per-node products (methods-spec §5.4.4, HG-10) through the float64 matrix product
// of lrp/gemm.ts: WebAssembly SIMD where the engine has it, else its JS twin with the same summation order. Each
// C element is 0 + a₀b₀ + a₁b₁ + … in ascending inner index, so the results differ from linalg.ts's loops only
// by rounding (its dot products use four partial sums). Which kernel runs is chosen once per process.

import { gemmHeap, type GemmHeap, type KernelKind } from '../lrp/gemm';
import { lowerTransposedTimes, matMul, matMulTransB } from './linalg';

/** 'loops': linalg.ts's plain loops, the path before these products (kept as the tests' reference). */
export type GpKernelKind = KernelKind | 'loops';
let forced: GpKernelKind | undefined;
/** Names the kernel the GP's products use (tests compare them); undefined = the fastest. */
export function useGpKernel(kind: GpKernelKind | undefined): void { forced = kind; }
export function gpHeap(): GemmHeap { return gemmHeap(forced === 'loops' ? undefined : forced); }

/** C = A B for row-major m × q A and q × n B. */
export function productAB(a: Float64Array, b: Float64Array, m: number, q: number, n: number): Float64Array {
  if (forced === 'loops') return matMul(a, b, m, q, n);
  return gpHeap().multiplyDense(m, q, n, (i, h, index, stride) => {
    const r = i * q;
    for (let k = 0; k < q; k++) h[index + k * stride] = a[r + k];
  }, b, n, 1);
}

/** C = A Bᵀ for row-major m × q A and n × q B. */
export function productABt(a: Float64Array, b: Float64Array, m: number, q: number, n: number): Float64Array {
  if (forced === 'loops') return matMulTransB(a, b, m, q, n);
  return gpHeap().multiplyDense(m, q, n, (i, h, index, stride) => {
    const r = i * q;
    for (let k = 0; k < q; k++) h[index + k * stride] = a[r + k];
  }, b, 1, q);
}

/** C = Lᵀ B for lower-triangular n × n L (its strict upper triangle is not read) and n × k B. */
export function productLtB(l: Float64Array, b: Float64Array, n: number, k: number): Float64Array {
  if (forced === 'loops') return lowerTransposedTimes(l, n, b, k);
  return gpHeap().multiplyDense(n, n, k, (i, h, index, stride) => {
    // Row i of Lᵀ is column i of L: zero above the diagonal.
    for (let p = 0; p < i; p++) h[index + p * stride] = 0;
    for (let p = i; p < n; p++) h[index + p * stride] = l[p * n + i];
  }, b, k, 1, 'upperA');
}

/** C = L B for lower-triangular n × n L (its strict upper triangle is not read) and n × k B. */
export function productLB(l: Float64Array, b: Float64Array, n: number, k: number): Float64Array {
  if (forced === 'loops') return matMul(l, b, n, n, k);
  return gpHeap().multiplyDense(n, n, k, (i, h, index, stride) => {
    const r = i * n;
    for (let p = 0; p <= i; p++) h[index + p * stride] = l[r + p];
    for (let p = i + 1; p < n; p++) h[index + p * stride] = 0;
  }, b, k, 1, 'lowerA');
}

/**
 * The lower triangle (diagonal included) of A Bᵀ for row-major m × q A and n × q B: the tiles wholly above the
 * diagonal are skipped, so entries above it are 0 or computed (callers read only the lower triangle).
 */
export function productABtLower(a: Float64Array, b: Float64Array, m: number, q: number, n: number): Float64Array {
  if (forced === 'loops') return matMulTransB(a, b, m, q, n);
  return gpHeap().multiplyDense(m, q, n, (i, h, index, stride) => {
    const r = i * q;
    for (let k = 0; k < q; k++) h[index + k * stride] = a[r + k];
  }, b, 1, q, 'lowerC');
}

/**
 * The Cholesky adjoint of linalg.ts's choleskyAdjoint (Murray 2016: Ā = sym(L⁻ᵀ Φ(Lᵀ L̄) L⁻¹), Φ = lower
 * triangle with the diagonal halved) with L⁻¹ given, so both triangular solves are matrix products.
 */
export function choleskyAdjointByInverse(l: Float64Array, lInverse: Float64Array, lBar: Float64Array, n: number): Float64Array {
  const lowerBar = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) lowerBar[i * n + j] = lBar[i * n + j];
  const p = productLtB(l, lowerBar, n, n);
  for (let i = 0; i < n; i++) {
    p[i * n + i] *= 0.5;
    for (let j = i + 1; j < n; j++) p[i * n + j] = 0;
  }
  const y = productAB(productLtB(lInverse, p, n, n), lInverse, n, n, n);
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] = 0.5 * (y[i * n + j] + y[j * n + i]);
  return out;
}
