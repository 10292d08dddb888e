// Turns while walking, from the angular velocity about the vertical ("yaw rate") of a lower-back or foot IMU.
// The structure follows El-Gohary et al. 2014 (Sensors 14:356, "Continuous monitoring of turning in patients with
// movement disability"): the yaw rate is low-passed so the pelvis's rotation at each stride does not count; a turn
// is a run whose filtered rate peaks above minPeakRateDegS, extended to where it falls below edgeRateDegS, and kept
// when the angle turned reaches minAngleDeg. Two changes for clinical walks (stand, walk, 180° U-turn, walk back):
// runs of one direction less than mergeGapS apart are one turn (a patient who pauses mid-turn, Voisard et al.'s
// multiple sclerosis example), and the edges are where the integrated angle has covered edgeAngleFraction of the
// turn and where it has (1 − edgeAngleFraction) of it, since the low-pass filter widens the run by about one
// stride on each side (measured against the annotated U-turns: npm run bench:voisard-events).
import { ButterworthLowPass } from './butterworth';
import type { Interval } from './cycles';
import { checkRate } from './events/types';

export interface TurnParams {
  /** Cutoff of the zero-phase 4th-order Butterworth applied to the yaw rate, Hz (below the stride frequency). */
  lowPassHz: number;
  /** A turn's filtered yaw rate peaks above this, deg/s. */
  minPeakRateDegS: number;
  /** ... and it extends to where the filtered rate falls below this, deg/s. */
  edgeRateDegS: number;
  /** Runs turning the same way less than this apart are one turn, s. */
  mergeGapS: number;
  /** A turn turns at least this far, deg. */
  minAngleDeg: number;
  /** The turn starts when the angle has covered this fraction of it, and ends when it has covered 1 − this. */
  edgeAngleFraction: number;
}

export const TURN_DEFAULTS: TurnParams = {
  lowPassHz: 0.5, minPeakRateDegS: 20, edgeRateDegS: 5, mergeGapS: 1.5, minAngleDeg: 45, edgeAngleFraction: 0.05,
};

export interface Turn {
  startS: number;
  endS: number;
  /** Angle turned, deg: positive anticlockwise seen from above when the yaw rate is about the upward vertical. */
  angleDeg: number;
  /** Largest filtered yaw rate in the turn, deg/s (signed like angleDeg). */
  peakRateDegS: number;
}


export type Axes = readonly [ArrayLike<number>, ArrayLike<number>, ArrayLike<number>];

/**
 * The angular velocity about the vertical: the gyroscope projected on the direction of the mean acceleration,
 * which over a walk is gravity's direction in the sensor's frame (so the sensor's mounting does not matter; the
 * sign is about "up" whichever way the unit is mounted). Undefined samples (NaN) count as no rotation.
 */
export function verticalAngularVelocity(gyroDegS: Axes, accMs2: Axes): Float64Array {
  const n = gyroDegS[0].length;
  for (const a of [...gyroDegS, ...accMs2]) if (a.length !== n) throw new RangeError(`${n} gyroscope samples but ${a.length} on another axis`);
  const out = new Float64Array(n);
  const up = upwardDirection(accMs2);
  if (!up) return out;
  const [ux, uy, uz] = up.unit;
  for (let i = 0; i < n; i++) {
    const w = ux * gyroDegS[0][i] + uy * gyroDegS[1][i] + uz * gyroDegS[2][i];
    out[i] = Number.isFinite(w) ? w : 0;
  }
  return out;
}

/**
 * The upward vertical in the sensor's frame, as a unit vector, and gravity's magnitude there (m/s²): the mean
 * acceleration over the recording (NaN samples left out), since the accelerometer reads the reaction to gravity
 * (up) when still and the walk's own accelerations average out. Null where the mean is zero.
 */
export function upwardDirection(accMs2: Axes): { unit: [number, number, number]; gravityMs2: number } | null {
  const n = accMs2[0].length;
  const mean = accMs2.map((a) => {
    let sum = 0, count = 0;
    for (let i = 0; i < n; i++) if (Number.isFinite(a[i])) { sum += a[i]; count++; }
    return count ? sum / count : 0;
  });
  const norm = Math.hypot(...mean);
  if (!(norm > 0)) return null;
  return { unit: [mean[0] / norm, mean[1] / norm, mean[2] / norm], gravityMs2: norm };
}

/** `new TurnDetection().run({ rateHz: 100, yawRateDegS })`: the turns in time order. */
export class TurnDetection {
  readonly params: TurnParams;

  constructor(params: Partial<TurnParams> = {}) {
    this.params = { ...TURN_DEFAULTS, ...params };
    const p = this.params;
    if (!(p.edgeRateDegS < p.minPeakRateDegS)) throw new RangeError('edgeRateDegS must be below minPeakRateDegS');
    if (!(p.edgeAngleFraction >= 0 && p.edgeAngleFraction < 0.5)) throw new RangeError('edgeAngleFraction must be in [0, 0.5)');
  }

  run(input: { rateHz: number; yawRateDegS: ArrayLike<number>; startS?: number }): Turn[] {
    checkRate(input.rateHz);
    const { rateHz } = input;
    const p = this.params;
    const n = input.yawRateDegS.length;
    if (n < 20) return [];
    const rate = Float64Array.from(input.yawRateDegS, (v) => (Number.isFinite(v) ? v : 0));
    // A long pad: the cutoff is low, and a short pad would let the ends ring.
    const smooth = new ButterworthLowPass({ order: 4, cutoffHz: p.lowPassHz, padLength: Math.min(n - 1, Math.round(3 * rateHz / p.lowPassHz)) }).run(rate, rateHz);
    const runs: Array<{ from: number; to: number; sign: number; peak: number }> = [];
    for (let i = 0; i < n; i++) {
      if (!(Math.abs(smooth[i]) >= p.minPeakRateDegS)) continue;
      const sign = Math.sign(smooth[i]);
      let from = i;
      while (from > 0 && sign * smooth[from - 1] > p.edgeRateDegS) from--;
      let peak = i;
      while (i < n - 1 && sign * smooth[i + 1] > p.edgeRateDegS) {
        i++;
        if (sign * smooth[i] > sign * smooth[peak]) peak = i;
      }
      const last = runs[runs.length - 1];
      if (last && last.sign === sign && from - last.to < p.mergeGapS * rateHz) {
        last.to = i;
        if (sign * smooth[peak] > sign * last.peak) last.peak = smooth[peak];
      } else {
        runs.push({ from, to: i, sign, peak: smooth[peak] });
      }
    }
    const t0 = input.startS ?? 0;
    const turns: Turn[] = [];
    for (const r of runs) {
      // Angle by the trapezoidal rule on the unfiltered rate.
      const angle = new Float64Array(r.to - r.from + 1);
      for (let k = 1; k < angle.length; k++) angle[k] = angle[k - 1] + (rate[r.from + k - 1] + rate[r.from + k]) / (2 * rateHz);
      const total = angle[angle.length - 1];
      if (!(Math.abs(total) >= p.minAngleDeg)) continue;
      const lo = p.edgeAngleFraction * Math.abs(total), hi = (1 - p.edgeAngleFraction) * Math.abs(total);
      let a = 0;
      while (a < angle.length - 1 && r.sign * angle[a] < lo) a++;
      let b = angle.length - 1;
      while (b > a && r.sign * angle[b] > hi) b--;
      turns.push({ startS: t0 + (r.from + a) / rateHz, endS: t0 + (r.from + b) / rateHz, angleDeg: total, peakRateDegS: r.peak });
    }
    return turns;
  }
}

const TURN_STARTS = new Set(['turn_start', 'uturn_start']);
const TURN_ENDS = new Set(['turn_end', 'uturn_end']);

/**
 * Turn intervals from turn_start / turn_end events (and the uturn_start / uturn_end of annotated files such as
 * Voisard et al.'s): each start with the first end after it (an unclosed start is dropped).
 */
export function turnIntervals(events: readonly { label: string; timeS: number }[]): Interval[] {
  const starts = events.filter((e) => TURN_STARTS.has(e.label)).map((e) => e.timeS).sort((a, b) => a - b);
  const ends = events.filter((e) => TURN_ENDS.has(e.label)).map((e) => e.timeS).sort((a, b) => a - b);
  const out: Interval[] = [];
  let k = 0;
  for (const s of starts) {
    while (k < ends.length && ends[k] < s) k++;
    if (k === ends.length) break;
    // A start inside the previous interval extends it (a manual start added beside a detected one).
    const last = out[out.length - 1];
    if (last && s <= last.endS) last.endS = Math.max(last.endS, ends[k]);
    else out.push({ startS: s, endS: ends[k] });
    k++;
  }
  return out;
}
