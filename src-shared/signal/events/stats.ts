// Robust statistics and running extrema shared by the detectors, cycles and parameters.

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

/**
 * Minimum over the centred window [i − h, i + h] for every i, in O(n) with a monotone deque (Lemire 2006,
 * "Streaming maximum-minimum filter using no more than three comparisons per element").
 */
export function runningMinimum(values: ArrayLike<number>, halfWidth: number): Float64Array {
  const n = values.length;
  const out = new Float64Array(n);
  const deque = new Int32Array(n);
  let head = 0, tail = 0;
  let next = 0;
  for (let i = 0; i < n; i++) {
    const right = Math.min(n - 1, i + halfWidth);
    while (next <= right) {
      while (tail > head && values[deque[tail - 1]] >= values[next]) tail--;
      deque[tail++] = next++;
    }
    while (deque[head] < i - halfWidth) head++;
    out[i] = values[deque[head]];
  }
  return out;
}

/** Offset (−0.5…0.5 samples) of the vertex of the parabola through three samples around an extremum at the middle one. */
export function parabolicOffset(before: number, at: number, after: number): number {
  const d = before - 2 * at + after;
  if (d === 0) return 0;
  const o = (0.5 * (before - after)) / d;
  return o > 0.5 ? 0.5 : o < -0.5 ? -0.5 : o;
}
