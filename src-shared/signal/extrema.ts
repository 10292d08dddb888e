// Extrema of sampled signals for the detectors: a running minimum (an insole's baseline) and the sub-sample
// position of a peak.

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
