// Per-feature statistics of a code matrix (methods-spec §5.2.6): firing rates, dead / rare / dense features,
// variance shares and redundancy (max |r| between non-dead features). Pure float64 numerics on row-major codes.

export interface FeatureStats {
  firingRate: number[];
  mean: number[];
  sd: number[];
  varianceShare: number[];
  dead: number[];
  rare: number[];
  dense: number[];
  minRate: number;
  maxRate: number;
  meanRate: number;
  /** Mean number of active features per sample. */
  meanL0: number;
  maxAbsCorrelation: number;
  correlatedPairs: { i: number; j: number; r: number }[];
}

/** SAE codes are active when > 0; SVAE means when |μ| > 0.1 (a reporting convention, §5.2.6). */
export function featureStats(codes: Float32Array | Float64Array, rows: number, k: number, kind: 'relu' | 'signed'): FeatureStats {
  const active = kind === 'relu' ? (v: number) => v > 0 : (v: number) => Math.abs(v) > 0.1;
  const fires = new Array<number>(k).fill(0);
  const mean = new Array<number>(k).fill(0);
  for (let n = 0; n < rows; n++) for (let j = 0; j < k; j++) {
    const v = codes[n * k + j];
    if (active(v)) fires[j]++;
    mean[j] += v;
  }
  for (let j = 0; j < k; j++) mean[j] /= rows;
  const variance = new Array<number>(k).fill(0);
  for (let n = 0; n < rows; n++) for (let j = 0; j < k; j++) variance[j] += (codes[n * k + j] - mean[j]) ** 2;
  for (let j = 0; j < k; j++) variance[j] /= rows;
  const totalVar = variance.reduce((s, v) => s + v, 0);
  const firingRate = fires.map((f) => f / rows);
  const dead = firingRate.flatMap((f, j) => (f === 0 ? [j] : []));
  const live = firingRate.flatMap((_, j) => (variance[j] > 0 ? [j] : []));
  const correlatedPairs: FeatureStats['correlatedPairs'] = [];
  let maxAbsCorrelation = 0;
  for (let a = 0; a < live.length; a++) for (let b = a + 1; b < live.length; b++) {
    const i = live[a];
    const j = live[b];
    let c = 0;
    for (let n = 0; n < rows; n++) c += (codes[n * k + i] - mean[i]) * (codes[n * k + j] - mean[j]);
    const r = c / rows / Math.sqrt(variance[i] * variance[j]);
    maxAbsCorrelation = Math.max(maxAbsCorrelation, Math.abs(r));
    if (Math.abs(r) > 0.3) correlatedPairs.push({ i, j, r });
  }
  return {
    firingRate, mean, sd: variance.map(Math.sqrt),
    varianceShare: variance.map((v) => (totalVar > 0 ? v / totalVar : 0)),
    dead, rare: firingRate.flatMap((f, j) => (f > 0 && f < 1e-3 ? [j] : [])), dense: firingRate.flatMap((f, j) => (f > 0.5 ? [j] : [])),
    minRate: Math.min(...firingRate), maxRate: Math.max(...firingRate), meanRate: firingRate.reduce((s, f) => s + f, 0) / k,
    meanL0: fires.reduce((s, f) => s + f, 0) / rows,
    maxAbsCorrelation, correlatedPairs,
  };
}

/** R² = 1 − Σ‖x̂ − x‖² / Σ‖x − x̄‖² over row-major matrices (x̄ the column means of x). */
export function rSquared(x: ArrayLike<number>, xHat: ArrayLike<number>, rows: number, dim: number): number {
  const mean = new Float64Array(dim);
  for (let n = 0; n < rows; n++) for (let d = 0; d < dim; d++) mean[d] += x[n * dim + d];
  for (let d = 0; d < dim; d++) mean[d] /= rows;
  let sse = 0;
  let sst = 0;
  for (let n = 0; n < rows; n++) for (let d = 0; d < dim; d++) {
    const i = n * dim + d;
    sse += (xHat[i] - x[i]) ** 2;
    sst += (x[i] - mean[d]) ** 2;
  }
  return 1 - sse / sst;
}
