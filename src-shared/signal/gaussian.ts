// Gaussian smoothing and Gaussian-derivative filtering of a sampled signal: the continuous wavelet transform with a
// Gaussian ('gaus1') wavelet at one scale is, up to sign and a constant, the derivative of the Gaussian-smoothed
// signal, which is how McCamley et al. 2012 differentiate the trunk's integrated vertical acceleration.
// Edges repeat the first and last samples (a walk starts and ends standing still, where the signal is flat).

/**
 * The signal convolved with a unit-area Gaussian of standard deviation `sigmaSamples` (order 0), or with its
 * derivative (order 1: the smoothed signal's slope per sample). The kernel is cut at ±4σ.
 */
export function gaussianFilter(values: ArrayLike<number>, sigmaSamples: number, order: 0 | 1 = 0): Float64Array {
  if (!(sigmaSamples > 0) || !Number.isFinite(sigmaSamples)) throw new RangeError(`sigmaSamples must be a positive number, got ${sigmaSamples}`);
  const r = Math.max(1, Math.ceil(4 * sigmaSamples));
  const kernel = new Float64Array(2 * r + 1);
  let area = 0, moment = 0;
  for (let j = -r; j <= r; j++) {
    const g = Math.exp(-(j * j) / (2 * sigmaSamples * sigmaSamples));
    area += g;
    moment += j * j * g;
  }
  for (let j = -r; j <= r; j++) {
    const g = Math.exp(-(j * j) / (2 * sigmaSamples * sigmaSamples));
    // The derivative kernel j·g / Σ j²·g (≈ the Gaussian's derivative, −t/σ²·g, applied as a correlation) is scaled
    // so that a straight line's slope comes out exactly despite the sampling and the cut.
    kernel[j + r] = order === 0 ? g / area : (j * g) / moment;
  }
  const n = values.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = -r; j <= r; j++) {
      const k = i + j;
      sum += kernel[j + r] * values[k < 0 ? 0 : k >= n ? n - 1 : k];
    }
    out[i] = sum;
  }
  return out;
}
