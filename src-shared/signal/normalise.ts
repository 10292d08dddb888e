// Amplitude and time normalisation of gait curves.
import { interpolateAt } from './resample';

/** Standard acceleration of gravity, m/s² (3rd CGPM 1901; ISO 80000-3). */
export const STANDARD_GRAVITY_MS2 = 9.80665;

/** Force in N as a multiple of body weight (×BW): F / (m·g). */
export function toBodyWeight(forceN: ArrayLike<number>, massKg: number, gravityMs2 = STANDARD_GRAVITY_MS2): Float64Array {
  if (!(massKg > 0) || !Number.isFinite(massKg)) throw new RangeError(`body mass must be a positive number of kg, got ${massKg}`);
  if (!(gravityMs2 > 0)) throw new RangeError(`gravity must be positive, got ${gravityMs2} m/s²`);
  const weightN = massKg * gravityMs2;
  const out = new Float64Array(forceN.length);
  for (let i = 0; i < out.length; i++) out[i] = forceN[i] / weightN;
  return out;
}

/** The x axis of a time-normalised curve: `points` values from 0 to 100 % (0, 1, …, 100 for 101 points). */
export function percentAxis(points = 101): Float64Array {
  checkPoints(points);
  return Float64Array.from({ length: points }, (_, k) => (100 * k) / (points - 1));
}

/** A whole segment (first to last sample) resampled to `points` equally spaced points over 0–100 %, linearly. */
export function timeNormalise(segment: ArrayLike<number>, points = 101): Float64Array {
  checkPoints(points);
  if (segment.length < 2) throw new RangeError(`a segment needs at least 2 samples to normalise, got ${segment.length}`);
  const out = new Float64Array(points);
  const last = segment.length - 1;
  for (let k = 0; k < points; k++) out[k] = interpolateAt(segment, (k * last) / (points - 1));
  return out;
}

/**
 * The interval [startS, endS] of a signal sampled at rateHz (first sample at signalStartS) resampled to `points`
 * over 0–100 %, by linear interpolation: event times fall between samples, so the curve starts exactly at the event.
 */
export function timeNormaliseInterval(values: ArrayLike<number>, rateHz: number, startS: number, endS: number, points = 101, signalStartS = 0): Float64Array {
  checkPoints(points);
  if (!(endS > startS)) throw new RangeError(`interval end ${endS} s must be after its start ${startS} s`);
  const first = (startS - signalStartS) * rateHz, last = (endS - signalStartS) * rateHz;
  const lastSample = values.length - 1;
  // Tolerate float rounding of event times at the very ends of the signal.
  const eps = 1e-9 * Math.max(1, lastSample);
  if (first < -eps || last > lastSample + eps) {
    throw new RangeError(`interval ${startS}–${endS} s is outside the signal (${signalStartS}–${signalStartS + lastSample / rateHz} s)`);
  }
  const out = new Float64Array(points);
  for (let k = 0; k < points; k++) {
    const p = first + ((last - first) * k) / (points - 1);
    out[k] = interpolateAt(values, Math.min(lastSample, Math.max(0, p)));
  }
  return out;
}

function checkPoints(points: number): void {
  if (!Number.isInteger(points) || points < 2) throw new RangeError(`points must be an integer ≥ 2, got ${points}`);
}
