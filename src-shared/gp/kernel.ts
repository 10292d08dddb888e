// The Matérn-3/2 covariance on the cycle fraction t ∈ [0, 1] and its derivatives (methods-spec §4.1.2 (R1),
// derivatives §5.4.4), with the Gram matrices the bound needs: K(Z, Z) and B = K(Z, t).

const SQRT3 = Math.sqrt(3);

/** (R1): k(r) = σ² (1 + √3 r / ℓ) exp(−√3 r / ℓ), r = |t − t′|. */
export function matern32(r: number, variance: number, lengthscale: number): number {
  const s = (SQRT3 * r) / lengthscale;
  return variance * (1 + s) * Math.exp(-s);
}

/** K(x, y) for inputs x (length m) and y (length n), row-major m × n. */
export function matern32Matrix(x: ArrayLike<number>, y: ArrayLike<number>, variance: number, lengthscale: number, out = new Float64Array(x.length * y.length)): Float64Array {
  const n = y.length;
  for (let i = 0; i < x.length; i++) for (let j = 0; j < n; j++) out[i * n + j] = matern32(Math.abs(x[i] - y[j]), variance, lengthscale);
  return out;
}

/**
 * The kernel's parameter derivatives contracted with an adjoint: for the matrix K(x, y) and its adjoint K̄
 * (row-major m × n), returns [Σ K̄ ∂k/∂log σ², Σ K̄ ∂k/∂log ℓ] and adds Σ_j K̄_ij ∂k(x_i, y_j)/∂x_i · xScale to
 * `xBar[i]` (§5.4.4: ∂k/∂log σ² = k, ∂k/∂log ℓ = σ² s² e^{−s}, ∂k(z, x)/∂z = −3σ²/ℓ² (z − x) e^{−s}).
 * `jitterOnDiagonal` adds the jittered diagonal's own ∂/∂log σ² (K + ε σ² I scales with σ²).
 */
export function matern32Backward(
  x: ArrayLike<number>, y: ArrayLike<number>, variance: number, lengthscale: number, kBar: Float64Array,
  xBar: Float64Array | null, xScale: number, jitterOnDiagonal = 0,
): [number, number] {
  const n = y.length;
  let gVar = 0, gLen = 0;
  const zc = (3 * variance) / (lengthscale * lengthscale);
  for (let i = 0; i < x.length; i++) {
    let zb = 0;
    for (let j = 0; j < n; j++) {
      const kb = kBar[i * n + j];
      if (kb === 0) continue;
      const d = x[i] - y[j];
      const s = (SQRT3 * Math.abs(d)) / lengthscale;
      const e = Math.exp(-s);
      gVar += kb * variance * (1 + s) * e;
      gLen += kb * variance * s * s * e;
      zb -= kb * zc * d * e;
    }
    if (xBar) xBar[i] += xScale * zb;
  }
  if (jitterOnDiagonal > 0) for (let i = 0; i < Math.min(x.length, n); i++) gVar += kBar[i * n + i] * jitterOnDiagonal * variance;
  return [gVar, gLen];
}
