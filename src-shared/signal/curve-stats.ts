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

/**
 * curveMeanSd of the curves block[c·points, (c + 1)·points) for c in `cycles`, in that order: the same sums in the
 * same order (so the same bits), read straight from a channel's block of curves (cutChannelCycleBlocks) without a
 * view or an array per curve. The gait graph of a 3-minute trial runs this on 500 channel sides.
 */
export function blockMeanSd(block: Float32Array, points: number, cycles: ArrayLike<number>): CurveStats | null {
  const n = cycles.length;
  if (n === 0) return null;
  const mean = new Float64Array(points);
  const sd = new Float64Array(points);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const a = cycles[i] * points, b = cycles[i + 1] * points, c = cycles[i + 2] * points, d = cycles[i + 3] * points;
    for (let k = 0; k < points; k++) mean[k] += block[a + k] + block[b + k] + (block[c + k] + block[d + k]);
  }
  for (; i < n; i++) {
    const c = cycles[i] * points;
    for (let k = 0; k < points; k++) mean[k] += block[c + k];
  }
  for (let k = 0; k < points; k++) mean[k] /= n;
  if (n > 1) {
    i = 0;
    for (; i + 4 <= n; i += 4) {
      const a = cycles[i] * points, b = cycles[i + 1] * points, c = cycles[i + 2] * points, d = cycles[i + 3] * points;
      for (let k = 0; k < points; k++) {
        const m = mean[k];
        const da = block[a + k] - m, db = block[b + k] - m, dc = block[c + k] - m, dd = block[d + k] - m;
        sd[k] += da * da + db * db + (dc * dc + dd * dd);
      }
    }
    for (; i < n; i++) {
      const c = cycles[i] * points;
      for (let k = 0; k < points; k++) {
        const d = block[c + k] - mean[k];
        sd[k] += d * d;
      }
    }
    for (let k = 0; k < points; k++) sd[k] = Math.sqrt(sd[k] / (n - 1));
  }
  return { mean, sd, n };
}
