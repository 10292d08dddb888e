// Point-wise mean and sample SD of time-normalised curves (all the same length, 101 points over 0–100 %).

export interface CurveStats {
  mean: number[];
  /** Sample standard deviation (n − 1); zeros when there is a single curve. */
  sd: number[];
  n: number;
}

export function curveMeanSd(curves: readonly (readonly number[])[]): CurveStats | null {
  const n = curves.length;
  if (n === 0) return null;
  const length = Math.min(...curves.map((c) => c.length));
  const mean = new Array<number>(length).fill(0);
  const sd = new Array<number>(length).fill(0);
  for (const c of curves) for (let k = 0; k < length; k++) mean[k] += c[k] / n;
  if (n > 1) {
    for (const c of curves) for (let k = 0; k < length; k++) sd[k] += (c[k] - mean[k]) ** 2;
    for (let k = 0; k < length; k++) sd[k] = Math.sqrt(sd[k] / (n - 1));
  }
  return { mean, sd, n };
}

/** x of a curve's points, in % of the cycle. */
export function percentAxis(length: number): number[] {
  return Array.from({ length }, (_, k) => (length === 1 ? 0 : (100 * k) / (length - 1)));
}
