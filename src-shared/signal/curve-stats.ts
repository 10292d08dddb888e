// Point-wise mean and sample SD of time-normalised curves (all of one length: 101 points over 0–100 %), as
// gait reports draw them (mean ± 1 SD bands per side).

export interface CurveStats {
  mean: Float64Array;
  /** Sample standard deviation (n − 1); zeros when there is a single curve. */
  sd: Float64Array;
  n: number;
}

/** null when there is no curve; curves of unequal length are compared over the shortest. */
export function curveMeanSd(curves: readonly ArrayLike<number>[]): CurveStats | null {
  const n = curves.length;
  if (n === 0) return null;
  let length = Infinity;
  for (const c of curves) length = Math.min(length, c.length);
  const mean = new Float64Array(length);
  const sd = new Float64Array(length);
  for (const c of curves) for (let k = 0; k < length; k++) mean[k] += c[k] / n;
  if (n > 1) {
    for (const c of curves) for (let k = 0; k < length; k++) sd[k] += (c[k] - mean[k]) ** 2;
    for (let k = 0; k < length; k++) sd[k] = Math.sqrt(sd[k] / (n - 1));
  }
  return { mean, sd, n };
}
