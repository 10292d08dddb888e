// Descriptive statistics, one home for the detectors, cycles, parameters and reports: quantiles, median, MAD,
// mean, sample standard deviation.

/** The q-quantile (0–1) by linear interpolation between order statistics (numpy's default, Hyndman & Fan type 7). */
export function quantile(values: ArrayLike<number>, q: number): number {
  const s = Float64Array.from(values).sort();
  return quantileOfSorted(s, q);
}

export function quantileOfSorted(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h), hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export const median = (values: ArrayLike<number>) => quantile(values, 0.5);

/** 1.4826: makes the median absolute deviation a consistent estimator of σ for normal data (Leys et al. 2013, J Exp Soc Psychol 49:764). */
export const MAD_TO_SD = 1.4826;

/** Median absolute deviation from the median, unscaled. */
export function mad(values: ArrayLike<number>): number {
  const m = median(values);
  const dev = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) dev[i] = Math.abs(values[i] - m);
  return median(dev);
}

export function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return values.length ? s / values.length : NaN;
}

/** Sample standard deviation (n − 1). */
export function standardDeviation(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return NaN;
  const m = mean(values);
  let s = 0;
  for (let i = 0; i < n; i++) s += (values[i] - m) ** 2;
  return Math.sqrt(s / (n - 1));
}
