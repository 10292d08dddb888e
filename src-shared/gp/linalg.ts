// Dense linear algebra on row-major Float64Array matrices for the hierarchical GP (methods-spec §5.4.6): a
// blocked Cholesky with jitter escalation (HG-16), triangular solves, products and log-determinants. Matrices
// are `n × k` row-major: element (i, j) at `a[i * k + j]`. Pure functions; no allocation hidden in loops.

/** A panel of 32 columns (≈ 25 KiB of rows for n = 100) stays in L1/L2 while the rows below stream past it. */
const PANEL = 32;

/**
 * Lower Cholesky factor of the symmetric n × n matrix `a` (only its lower triangle is read), written into `out`
 * (which may be `a` itself); the strict upper triangle of `out` is zeroed. Left-looking by column panels
 * (Golub & Van Loan, Matrix Computations 4th ed., §4.2.9): each entry is one dot product of two contiguous row
 * prefixes. Returns the index of the first non-positive or non-finite pivot, or -1 on success.
 */
export function choleskyInPlace(a: Float64Array, n: number, out: Float64Array = a): number {
  if (out !== a) out.set(a.subarray(0, n * n));
  for (let jb = 0; jb < n; jb += PANEL) {
    const jEnd = Math.min(jb + PANEL, n);
    for (let i = jb; i < n; i++) {
      const ri = i * n;
      const last = Math.min(jEnd - 1, i);
      for (let j = jb; j <= last; j++) {
        const rj = j * n;
        const s = out[ri + j] - dot(out, ri, out, rj, j);
        if (i === j) {
          if (!(s > 0) || !Number.isFinite(s)) return i;
          out[ri + i] = Math.sqrt(s);
        } else {
          out[ri + j] = s / out[rj + j];
        }
      }
    }
  }
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) out[i * n + j] = 0;
  return -1;
}

/** The textbook unblocked Cholesky–Banachiewicz loop, kept as the benchmark's baseline and the tests' reference. */
export function choleskyUnblocked(a: Float64Array, n: number): Float64Array | null {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      if (i === j) {
        if (!(s > 0)) return null;
        l[i * n + i] = Math.sqrt(s);
      } else l[i * n + j] = s / l[j * n + j];
    }
  }
  return l;
}

export interface JitteredCholesky {
  /** Lower factor of `a + jitter · scale · I`. */
  l: Float64Array;
  /** The relative jitter ε that succeeded (HG-16). */
  jitter: number;
}

/**
 * HG-16: factorise `a + ε·scale·I`, starting at `startJitter` (1e-8 by default, 0 allowed) and multiplying ε by
 * 10 on failure (1e-10 after 0) up to `maxJitter`. Returns null when even the largest ε fails.
 */
export function choleskyWithJitter(a: Float64Array, n: number, scale: number, startJitter: number, maxJitter = 1e-4, out = new Float64Array(n * n)): JitteredCholesky | null {
  let jitter = startJitter;
  for (;;) {
    out.set(a.subarray(0, n * n));
    if (jitter > 0) for (let i = 0; i < n; i++) out[i * n + i] += jitter * scale;
    if (choleskyInPlace(out, n) < 0) return { l: out, jitter };
    const next = jitter === 0 ? 1e-10 : jitter * 10;
    if (next > maxJitter * (1 + 1e-12)) return null;
    jitter = next;
  }
}

/** log|A| = 2 Σ log L_ii from A's Cholesky factor. */
export function logDetFromCholesky(l: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(l[i * n + i]);
  return 2 * s;
}

/** In place, B ← L⁻¹ B for lower-triangular n × n L and n × k B (forward substitution by rows). */
export function solveLower(l: Float64Array, n: number, b: Float64Array, k: number): Float64Array {
  for (let i = 0; i < n; i++) {
    const ri = i * k;
    for (let p = 0; p < i; p++) {
      const lip = l[i * n + p];
      if (lip === 0) continue;
      const rp = p * k;
      for (let c = 0; c < k; c++) b[ri + c] -= lip * b[rp + c];
    }
    const inv = 1 / l[i * n + i];
    for (let c = 0; c < k; c++) b[ri + c] *= inv;
  }
  return b;
}

/**
 * L⁻¹ of a lower-triangular n × n L (strict upper triangle not read). Row by row, X_ic = −(Σ_{c≤p<i} L_ip X_pc)/L_ii,
 * each sum one dot product of two contiguous runs: row i of L and row c of Y = Xᵀ, which is built alongside
 * (a solve on the identity runs axpys down strided columns and was twice as slow for n = 100). n³/6 multiply-adds.
 */
export function lowerInverse(l: Float64Array, n: number): Float64Array {
  const y = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    const inv = 1 / l[ri + i];
    for (let c = 0; c < i; c++) y[c * n + i] = -dot(l, ri + c, y, c * n + c, i - c) * inv;
    y[ri + i] = inv;
  }
  return transpose(y, n, n);
}

/** In place, B ← L⁻ᵀ B for lower-triangular n × n L and n × k B (back substitution by rows). */
export function solveLowerTransposed(l: Float64Array, n: number, b: Float64Array, k: number): Float64Array {
  for (let i = n - 1; i >= 0; i--) {
    const ri = i * k;
    for (let p = i + 1; p < n; p++) {
      const lpi = l[p * n + i];
      if (lpi === 0) continue;
      const rp = p * k;
      for (let c = 0; c < k; c++) b[ri + c] -= lpi * b[rp + c];
    }
    const inv = 1 / l[i * n + i];
    for (let c = 0; c < k; c++) b[ri + c] *= inv;
  }
  return b;
}

/** C = A B for m × q A and q × n B (i-p-j loop order: unit stride in B and C). */
export function matMul(a: Float64Array, b: Float64Array, m: number, q: number, n: number, c = new Float64Array(m * n)): Float64Array {
  c.fill(0, 0, m * n);
  for (let i = 0; i < m; i++) {
    const ri = i * n;
    for (let p = 0; p < q; p++) {
      const aip = a[i * q + p];
      if (aip === 0) continue;
      const rp = p * n;
      for (let j = 0; j < n; j++) c[ri + j] += aip * b[rp + j];
    }
  }
  return c;
}

/**
 * Σ_p a[ai + p] b[bi + p] for p < n with four partial sums: one accumulator would chain every addition on the
 * previous one (floating-point add latency), four let them overlap.
 */
export function dot(a: Float64Array, ai: number, b: Float64Array, bi: number, n: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, p = 0;
  for (; p + 3 < n; p += 4) {
    s0 += a[ai + p] * b[bi + p];
    s1 += a[ai + p + 1] * b[bi + p + 1];
    s2 += a[ai + p + 2] * b[bi + p + 2];
    s3 += a[ai + p + 3] * b[bi + p + 3];
  }
  for (; p < n; p++) s0 += a[ai + p] * b[bi + p];
  return (s0 + s1) + (s2 + s3);
}

/** C = A Bᵀ for m × q A and n × q B (dot products of rows). */
export function matMulTransB(a: Float64Array, b: Float64Array, m: number, q: number, n: number, c = new Float64Array(m * n)): Float64Array {
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) c[i * n + j] = dot(a, i * q, b, j * q, q);
  return c;
}

/** C = Aᵀ B for q × m A and q × n B. */
export function matMulTransA(a: Float64Array, b: Float64Array, q: number, m: number, n: number, c = new Float64Array(m * n)): Float64Array {
  c.fill(0, 0, m * n);
  for (let p = 0; p < q; p++) {
    const rb = p * n;
    for (let i = 0; i < m; i++) {
      const api = a[p * m + i];
      if (api === 0) continue;
      const ri = i * n;
      for (let j = 0; j < n; j++) c[ri + j] += api * b[rb + j];
    }
  }
  return c;
}

/** Lᵀ B for lower-triangular n × n L and n × k B (only L's lower triangle is touched). */
export function lowerTransposedTimes(l: Float64Array, n: number, b: Float64Array, k: number, c = new Float64Array(n * k)): Float64Array {
  c.fill(0, 0, n * k);
  for (let p = 0; p < n; p++) {
    const rb = p * k;
    for (let i = 0; i <= p; i++) {
      const lpi = l[p * n + i];
      if (lpi === 0) continue;
      const ri = i * k;
      for (let j = 0; j < k; j++) c[ri + j] += lpi * b[rb + j];
    }
  }
  return c;
}

export function transpose(a: Float64Array, m: number, n: number, out = new Float64Array(m * n)): Float64Array {
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[j * m + i] = a[i * n + j];
  return out;
}

/** A⁻¹ of a symmetric positive-definite matrix from its Cholesky factor: L⁻ᵀ L⁻¹. */
export function inverseFromCholesky(l: Float64Array, n: number): Float64Array {
  const x = new Float64Array(n * n);
  for (let i = 0; i < n; i++) x[i * n + i] = 1;
  solveLower(l, n, x, n);
  return solveLowerTransposed(l, n, x, n);
}

/**
 * Reverse-mode adjoint of the Cholesky factorisation (Murray 2016, arXiv 1602.07527, eq. 10): given L and
 * L̄ (lower triangle read), Ā = sym(L⁻ᵀ Φ(Lᵀ L̄) L⁻¹), Φ = lower triangle with the diagonal halved.
 */
export function choleskyAdjoint(l: Float64Array, lBar: Float64Array, n: number): Float64Array {
  const p = new Float64Array(n * n);
  // P = Φ(Lᵀ L̄): only the lower triangle of L̄ matters.
  for (let k = 0; k < n; k++) {
    for (let i = 0; i <= k; i++) {
      const lki = l[k * n + i];
      if (lki === 0) continue;
      for (let j = 0; j <= Math.min(i, k); j++) p[i * n + j] += lki * lBar[k * n + j];
    }
  }
  for (let i = 0; i < n; i++) p[i * n + i] *= 0.5;
  // X = L⁻ᵀ P; then Yᵀ = L⁻ᵀ Xᵀ with Y = X L⁻¹, and Ā = ½(Y + Yᵀ).
  solveLowerTransposed(l, n, p, n);
  const yt = transpose(p, n, n);
  solveLowerTransposed(l, n, yt, n);
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] = 0.5 * (yt[i * n + j] + yt[j * n + i]);
  return out;
}
