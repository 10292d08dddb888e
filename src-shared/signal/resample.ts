// Resampling on typed arrays: linear interpolation (uniform rate change, or irregular time stamps onto a uniform
// grid) and anti-aliased rate reduction. The anti-aliasing is FFT-free and zero-phase: a Butterworth low-pass run
// forward and backward (sosfiltfilt) at cutoffFraction × the new Nyquist frequency, then linear interpolation onto
// the new grid (an integer factor picks every q-th sample) — the scheme of scipy.signal.decimate(ftype='iir',
// zero_phase=True), with a Butterworth (flat pass band) where scipy uses an order-8 Chebyshev I.
import { ButterworthLowPass } from './butterworth';

/** values at fractional sample positions, linearly interpolated (position p lies between ⌊p⌋ and ⌊p⌋ + 1). */
export function interpolateAt(values: ArrayLike<number>, position: number): number {
  const n = values.length;
  if (!(position >= 0 && position <= n - 1)) throw new RangeError(`position ${position} is outside the signal (0 … ${n - 1})`);
  const i = Math.floor(position);
  if (i >= n - 1) return values[n - 1];
  const f = position - i;
  return f === 0 ? values[i] : values[i] + f * (values[i + 1] - values[i]);
}

/** A uniform signal at `fromRateHz` resampled to `toRateHz` by linear interpolation; samples at k / toRateHz up to the last input time. */
export function resampleLinear(values: ArrayLike<number>, fromRateHz: number, toRateHz: number): Float64Array {
  checkRates(fromRateHz, toRateHz);
  if (values.length === 0) return new Float64Array(0);
  const durationS = (values.length - 1) / fromRateHz;
  const n = Math.floor(durationS * toRateHz + 1e-9) + 1;
  const out = new Float64Array(n);
  const step = fromRateHz / toRateHz;
  for (let k = 0; k < n; k++) out[k] = interpolateAt(values, Math.min(k * step, values.length - 1));
  return out;
}

/**
 * Samples taken at increasing time stamps `timeS` (gaitpdb's 100.007 Hz clock) onto a uniform grid
 * timeS[0] + k / rateHz up to the last stamp, by linear interpolation in time.
 */
export function resampleToUniform(timeS: ArrayLike<number>, values: ArrayLike<number>, rateHz: number): Float64Array {
  if (timeS.length !== values.length) throw new RangeError(`${timeS.length} time stamps for ${values.length} samples`);
  checkRates(rateHz, rateHz);
  const n = timeS.length;
  if (n === 0) return new Float64Array(0);
  for (let i = 1; i < n; i++) {
    if (!(timeS[i] > timeS[i - 1])) throw new RangeError(`time stamps must increase: sample ${i} (${timeS[i]} s) follows ${timeS[i - 1]} s`);
  }
  const t0 = timeS[0];
  const m = Math.floor((timeS[n - 1] - t0) * rateHz + 1e-9) + 1;
  const out = new Float64Array(m);
  let j = 0;
  for (let k = 0; k < m; k++) {
    const t = t0 + k / rateHz;
    while (j < n - 2 && timeS[j + 1] <= t) j++;
    const span = timeS[j + 1] - timeS[j];
    const f = n === 1 ? 0 : Math.min(1, Math.max(0, (t - timeS[j]) / span));
    out[k] = n === 1 ? values[0] : values[j] + f * (values[j + 1] - values[j]);
  }
  return out;
}

export interface AntiAliasedResampleParams {
  toRateHz: number;
  /** Order of one pass of the Butterworth anti-alias filter (zero-phase: twice the attenuation). */
  filterOrder: number;
  /** Cutoff as a fraction of the new Nyquist frequency (0.8, as scipy.signal.decimate). */
  cutoffFraction: number;
}

/**
 * `new AntiAliasedResample({ toRateHz: 100 }).run(values, 1000)`: low-pass below the new Nyquist frequency, then
 * linear interpolation onto the new grid. Raising the rate only interpolates (nothing to alias).
 */
export class AntiAliasedResample {
  readonly params: AntiAliasedResampleParams;

  constructor(params: Partial<AntiAliasedResampleParams> & { toRateHz: number }) {
    this.params = { filterOrder: 8, cutoffFraction: 0.8, ...params };
    const { cutoffFraction } = this.params;
    if (!(cutoffFraction > 0 && cutoffFraction < 1)) throw new RangeError(`cutoffFraction must be in (0, 1), got ${cutoffFraction}`);
  }

  run(values: ArrayLike<number>, rateHz: number): Float64Array {
    const { toRateHz, filterOrder, cutoffFraction } = this.params;
    checkRates(rateHz, toRateHz);
    if (toRateHz >= rateHz || values.length === 0) return resampleLinear(values, rateHz, toRateHz);
    const filter = new ButterworthLowPass({
      order: filterOrder, cutoffHz: cutoffFraction * (toRateHz / 2),
      // Short signals: shrink the padding rather than refuse (scipy would raise).
      padLength: Math.min(3 * (filterOrder + 1), Math.max(0, values.length - 1)),
    });
    return resampleLinear(filter.run(values, rateHz), rateHz, toRateHz);
  }
}

function checkRates(fromRateHz: number, toRateHz: number): void {
  for (const r of [fromRateHz, toRateHz]) if (!(r > 0) || !Number.isFinite(r)) throw new RangeError(`sample rates must be positive, got ${r} Hz`);
}
