// Deterministic PCA of latent codes for the latent map (methods-spec §5.2.9): eigendecomposition of the
// covariance by cyclic Jacobi rotations (exact for the symmetric k × k matrix, no random start), components
// ordered by eigenvalue, each sign fixed so its largest-magnitude loading is positive (the same map every run).

export interface PcaResult {
  /** components × dim, row-major, unit length. */
  components: Float64Array;
  explainedVarianceRatio: number[];
  mean: Float64Array;
  /** rows × components scores. */
  scores: Float64Array;
}

function jacobiEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += a[i * n + j] ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) {
      const apq = a[p * n + q];
      if (Math.abs(apq) < 1e-300) continue;
      const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1);
      const s = t * c;
      for (let k = 0; k < n; k++) {
        const akp = a[k * n + p], akq = a[k * n + q];
        a[k * n + p] = c * akp - s * akq;
        a[k * n + q] = s * akp + c * akq;
      }
      for (let k = 0; k < n; k++) {
        const apk = a[p * n + k], aqk = a[q * n + k];
        a[p * n + k] = c * apk - s * aqk;
        a[q * n + k] = s * apk + c * aqk;
      }
      for (let k = 0; k < n; k++) {
        const vkp = v[k * n + p], vkq = v[k * n + q];
        v[k * n + p] = c * vkp - s * vkq;
        v[k * n + q] = s * vkp + c * vkq;
      }
    }
  }
  return { values: Float64Array.from({ length: n }, (_, i) => a[i * n + i]), vectors: v };
}

export function pca(x: ArrayLike<number>, rows: number, dim: number, components = 2): PcaResult {
  const mean = new Float64Array(dim);
  for (let r = 0; r < rows; r++) for (let d = 0; d < dim; d++) mean[d] += x[r * dim + d];
  for (let d = 0; d < dim; d++) mean[d] /= rows;
  const cov = new Float64Array(dim * dim);
  for (let r = 0; r < rows; r++) for (let i = 0; i < dim; i++) {
    const xi = x[r * dim + i] - mean[i];
    for (let j = i; j < dim; j++) cov[i * dim + j] += xi * (x[r * dim + j] - mean[j]);
  }
  for (let i = 0; i < dim; i++) for (let j = i; j < dim; j++) { cov[i * dim + j] /= rows - 1; cov[j * dim + i] = cov[i * dim + j]; }
  const { values, vectors } = jacobiEigen(cov, dim);
  const order = Array.from({ length: dim }, (_, i) => i).sort((a, b) => values[b] - values[a] || a - b);
  const total = values.reduce((s, v) => s + Math.max(v, 0), 0);
  const m = Math.min(components, dim);
  const comps = new Float64Array(m * dim);
  order.slice(0, m).forEach((col, c) => {
    let big = 0;
    for (let d = 0; d < dim; d++) if (Math.abs(vectors[d * dim + col]) > Math.abs(big)) big = vectors[d * dim + col];
    const sign = big < 0 ? -1 : 1;
    for (let d = 0; d < dim; d++) comps[c * dim + d] = sign * vectors[d * dim + col];
  });
  const scores = new Float64Array(rows * m);
  for (let r = 0; r < rows; r++) for (let c = 0; c < m; c++) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += (x[r * dim + d] - mean[d]) * comps[c * dim + d];
    scores[r * m + c] = s;
  }
  return { components: comps, explainedVarianceRatio: order.slice(0, m).map((i) => values[i] / total), mean, scores };
}
