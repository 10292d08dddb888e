// Point-wise mean and sample SD of time-normalised curves (all of one length: 101 points over 0–100 %), as
// gait reports draw them (mean ± 1 SD bands per side).

export interface CurveStats {
  mean: Float64Array;
  /** Sample standard deviation (n − 1); zeros when there is a single curve. */
  sd: Float64Array;
  n: number;
}

/**
 * null when there is no curve; curves of unequal length are compared over the shortest. Two passes (mean, then the
 * squared deviations from it) rather than sums of squares, which cancel badly for forces of ~1 000 N varying by a
 * few N; the gait graph runs this over ten million points, so the loops stay plain indexed loops.
 */
export function curveMeanSd(curves: readonly ArrayLike<number>[]): CurveStats | null {
  const n = curves.length;
  if (n === 0) return null;
  let length = curves[0].length;
  for (let i = 1; i < n; i++) if (curves[i].length < length) length = curves[i].length;
  const mean = new Float64Array(length);
  const sd = new Float64Array(length);
  // Four curves per sweep: a quarter of the loads and stores of the accumulators (1.3–1.6× here).
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const a = curves[i], b = curves[i + 1], c = curves[i + 2], d = curves[i + 3];
    for (let k = 0; k < length; k++) mean[k] += a[k] + b[k] + (c[k] + d[k]);
  }
  for (; i < n; i++) {
    const c = curves[i];
    for (let k = 0; k < length; k++) mean[k] += c[k];
  }
  for (let k = 0; k < length; k++) mean[k] /= n;
  if (n > 1) {
    i = 0;
    for (; i + 4 <= n; i += 4) {
      const a = curves[i], b = curves[i + 1], c = curves[i + 2], d = curves[i + 3];
      for (let k = 0; k < length; k++) {
        const m = mean[k];
        const da = a[k] - m, db = b[k] - m, dc = c[k] - m, dd = d[k] - m;
        sd[k] += da * da + db * db + (dc * dc + dd * dd);
      }
    }
    for (; i < n; i++) {
      const c = curves[i];
      for (let k = 0; k < length; k++) {
        const d = c[k] - mean[k];
        sd[k] += d * d;
      }
    }
    for (let k = 0; k < length; k++) sd[k] = Math.sqrt(sd[k] / (n - 1));
  }
  return { mean, sd, n };
}
