// Gait events of both feet from one IMU on the lower back (L5), after McCamley et al. 2012 (Gait Posture 36:316,
// "An enhanced estimate of initial contact and final contact instants of time using lower trunk inertial sensor
// data"): the trunk's vertical acceleration, integrated and differentiated with a Gaussian continuous wavelet
// (which amounts to Gaussian smoothing of the acceleration itself: gaussian.ts), rises sharply as each foot lands and
// the body's fall is stopped; differentiated once more, its maxima after that loading peak mark the other foot's
// final contact. Here:
//   steps            = maxima of the vertical acceleration smoothed over stepSmoothingS (one loading peak per step),
//                      above minPeakMs2 and peakFraction of the walk's strong peaks (its 90th percentile), at least
//                      minStepS apart (the higher one kept);
//   initial contact  = the steepest rise of the acceleration (smoothed over edgeSmoothingS) in the icSearchS before
//                      the step's peak: the impact itself, which McCamley's smoothed-peak rule follows by 20–60 ms;
//                      from version 1.1.0 ('first_landmark') the earlier of that rise and the forward acceleration's
//                      last peak before its steepest fall (Zijlstra & Hof 2003, Gait Posture 18:1: the trunk is braked
//                      as the leading foot lands), searched from forwardSearchS before the loading peak (not before
//                      midway from the previous step's) to forwardAfterS after it. Both are consequences of the
//                      contact, neither can precede it, and the vertical one waits for the leg to take the load: a
//                      foot set down unloaded (Voisard et al.'s multiple sclerosis patient's right foot, the healthy
//                      subject 2-1's left) lifts the trunk 130–300 ms after touching down, while the braking starts
//                      at the touch-down. Forward is the principal axis of the horizontal acceleration that repeats
//                      one step later (the sideways one reverses: Moe-Nilssen & Helbostad 2004), signed so that it
//                      falls as the steps take the load (forwardAcceleration);
//   final contact    = of the other foot: the first maximum of that slope after the loading's fall (McCamley's
//                      maxima of the second derivative), within fcSearchS and before the next contact; from version
//                      1.2.0 ('first_fall') the fall is the slope's first minimum below zero after the step's steepest
//                      rise, before 1.2.0 its steepest fall after the loading peak;
//   side             = from the pelvis's rotation: the swinging leg's hip moves forward, so over the sideWindowS
//                      before a left contact the trunk turns clockwise seen from above (negative yaw rate about the
//                      upward vertical; turns removed by a high-pass at sideHighPassHz), and the reverse before a
//                      right one. Feet alternate: within a bout (steps less than maxStepS and maxStepRatio median
//                      steps apart) the alternating assignment that agrees with most of the yaw-rate evidence wins,
//                      so one ambiguous step takes its side from its neighbours.
// The sensor's mounting does not matter: the vertical is the mean acceleration's direction (turns.ts).
// Version 1.1.0 came from the asymmetry on the impaired Voisard trials (right IC 2/32 against left 27/32 for the
// multiple sclerosis patient): not the side (every detected right contact lies next to an annotated right one, a
// test holds it) but the landmark, 250 ms late on the foot that is set down unloaded.
// Version 1.2.0 came from the healthy trials' final contacts found 100–300 ms late (15 in trials 1-1, 1-2, 2-1 and
// 10-1): the trunk's vertical acceleration often falls twice after a loading peak, and where the second fall was the
// steeper, by as little as 0.1 of its smoothed slope, 1.1.0 took the maximum after it, one bump late. In 10 of them
// (1-1, 1-2, 10-1) the annotated toe-off is the slope's first maximum after the first fall (within 30 ms), and in
// 10-1 the loading peak itself can come after that fall, so the search starts at the step's steepest rise. (2-1's
// right toe-offs coincide with the loading peak, its left foot being set down unloaded: still missed.) Healthy FC
// 170 → 180 of 207 matched, false detections 17 → 7; the multiple sclerosis patient's FC 8 → 26 of 64, false 65 → 48
// (npm run bench:voisard-events).
import { ButterworthLowPass } from '../butterworth';
import { parabolicOffset } from '../extrema';
import { gaussianFilter } from '../gaussian';
import { median, quantile } from '../stats';
import { upwardDirection, verticalAngularVelocity, type Axes } from '../turns';
import { checkRate, clamp01, type FootSide, type GaitEvent } from './types';

export interface LowerBackImuSignals {
  rateHz: number;
  /** Time of the first sample, s (default 0). */
  startS?: number;
  /** Acceleration on the sensor's three axes (any orientation; gravity included), m/s². */
  accMs2: Axes;
  /** Angular velocity on the same axes, deg/s. */
  gyroDegS: Axes;
}

export interface LowerBackImuParams {
  /** Standard deviation of the Gaussian that finds the steps' loading peaks, s. */
  stepSmoothingS: number;
  /** Standard deviation of the Gaussian derivative that places the contacts, s. */
  edgeSmoothingS: number;
  /** A loading peak is a step when it exceeds this, m/s² (vertical acceleration less gravity) ... */
  minPeakMs2: number;
  /** ... and this fraction of the walk's strong peaks (the 90th percentile of all peaks above minPeakMs2). */
  peakFraction: number;
  /** Two peaks closer than this are one step (the higher kept), s. */
  minStepS: number;
  /** Initial contact is searched this long before the step's peak, s. */
  icSearchS: number;
  /** The other foot's final contact is searched this long after the step's peak, s. */
  fcSearchS: number;
  /** The pelvis's yaw rate is averaged over this long before a contact to tell its side, s. */
  sideWindowS: number;
  /** The yaw rate less its low-pass below this (the walk's turns), Hz. */
  sideHighPassHz: number;
  /** Steps further apart than this start a new bout (its own alternation), s ... */
  maxStepS: number;
  /** ... as do steps further apart than this many median steps (a step missed between them). */
  maxStepRatio: number;
  /**
   * Initial contact: 'vertical_rise' is the steepest rise alone (version 1.0.0); 'first_landmark' the earlier of it
   * and the forward acceleration's peak before the braking (Zijlstra & Hof 2003), see the file's head.
   */
  icAt: 'vertical_rise' | 'first_landmark';
  /** The forward acceleration's braking is searched this long before the step's loading peak (never before midway from the previous step's), s ... */
  forwardSearchS: number;
  /** ... and this long after it, s. */
  forwardAfterS: number;
  /**
   * The other foot's final contact: the slope's first maximum after 'steepest_fall', its steepest fall in the
   * fcSearchS after the loading peak (versions 1.0–1.1), or after 'first_fall', its first fall below zero after the
   * step's steepest rise (1.2.0).
   */
  fcAfter: 'steepest_fall' | 'first_fall';
}

export const LOWER_BACK_IMU_DEFAULTS: LowerBackImuParams = {
  stepSmoothingS: 0.05, edgeSmoothingS: 0.02, minPeakMs2: 0.5, peakFraction: 0.3, minStepS: 0.25,
  icSearchS: 0.2, fcSearchS: 0.5, sideWindowS: 0.3, sideHighPassHz: 0.5, maxStepS: 2, maxStepRatio: 1.6, 
  icAt: 'first_landmark', forwardSearchS: 0.4, forwardAfterS: 0.1, fcAfter: 'first_fall',
};

/** RMS horizontal acceleration below which the walk gives no forward landmark, m/s² (a MEMS accelerometer's noise). */
const HORIZONTAL_NOISE_MS2 = 0.01;

/**
 * `new LowerBackImuEvents().run({ rateHz: 100, accMs2: [x, y, z], gyroDegS: [x, y, z] })`: initial and final
 * contacts of both feet in time order. Confidence: the step's peak relative to the walk's strong peaks (capped at 1),
 * halved where the step's own yaw rate disagrees with the side the alternation gave it. The initial contact's
 * threshold is the acceptance level of the loading peak (m/s²); the final contact's the same.
 */
export class LowerBackImuEvents {
  static readonly source = 'LowerBackImuEvents';
  readonly params: LowerBackImuParams;

  constructor(params: Partial<LowerBackImuParams> = {}) {
    this.params = { ...LOWER_BACK_IMU_DEFAULTS, ...params };
    const p = this.params;
    for (const k of ['stepSmoothingS', 'edgeSmoothingS', 'minStepS', 'icSearchS', 'fcSearchS', 'sideWindowS', 'sideHighPassHz', 'maxStepS', 'maxStepRatio'] as const) {
      if (!(p[k] > 0) || !Number.isFinite(p[k])) throw new RangeError(`${k} must be a positive number, got ${p[k]}`);
    }
    if (!(p.minStepS < p.maxStepS)) throw new RangeError('minStepS must be below maxStepS');
  }

  run(input: LowerBackImuSignals): GaitEvent[] {
    checkRate(input.rateHz);
    const { rateHz } = input;
    const p = this.params;
    const t0 = input.startS ?? 0;
    const n = input.accMs2[0].length;
    for (const a of [...input.accMs2, ...input.gyroDegS]) if (a.length !== n) throw new RangeError(`lower back: ${n} samples on the first accelerometer axis but ${a.length} on another axis`);
    const up = upwardDirection(input.accMs2);
    if (!up || n < 4 * Math.ceil(4 * p.stepSmoothingS * rateHz)) return [];
    const [ux, uy, uz] = up.unit;
    const [ax, ay, az] = input.accMs2;
    const vertical = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = ux * ax[i] + uy * ay[i] + uz * az[i] - up.gravityMs2;
      vertical[i] = Number.isFinite(v) ? v : 0;
    }
    const loading = gaussianFilter(vertical, p.stepSmoothingS * rateHz, 0);
    const slope = gaussianFilter(vertical, p.edgeSmoothingS * rateHz, 1);
    const yaw = verticalAngularVelocity(input.gyroDegS, input.accMs2);
    const turning = new ButterworthLowPass({ order: 2, cutoffHz: p.sideHighPassHz, padLength: Math.min(n - 1, Math.round(3 * rateHz / p.sideHighPassHz)) }).run(yaw, rateHz);

    const { peaks, levelMs2, strongMs2 } = loadingPeaks(loading, p, rateHz);
    if (peaks.length === 0) return [];
    const forward = p.icAt === 'first_landmark' ? forwardAcceleration(input.accMs2, up.unit, peaks, rateHz) : null;
    const rises = peaks.map((peak) => {
      const from = Math.max(1, Math.floor(peak - p.icSearchS * rateHz));
      let steepest = from;
      for (let i = from; i <= peak; i++) if (slope[i] > slope[steepest]) steepest = i;
      return steepest + (steepest < n - 1 ? parabolicOffset(slope[steepest - 1], slope[steepest], slope[steepest + 1]) : 0);
    });
    const contacts = peaks.map((peak, k) => {
      const rise = rises[k];
      if (!forward) return rise;
      // The contact belongs to this step: after midway from the previous step's loading peak, before the next one's.
      const a = Math.max(1, Math.floor(peak - p.forwardSearchS * rateHz), k > 0 ? Math.ceil((peaks[k - 1] + peak) / 2) : 0);
      const b = Math.min(n - 2, Math.ceil(peak + p.forwardAfterS * rateHz), k + 1 < peaks.length ? peaks[k + 1] - 1 : n - 2);
      const braking = forwardPeakBeforeBraking(forward, a, b);
      return braking === null ? rise : Math.min(rise, braking);
    });
    // The pelvis's yaw rate (turns removed) over the window before each contact: negative before a left one.
    const votes = contacts.map((c) => {
      const from = Math.max(0, Math.round(c - p.sideWindowS * rateHz / 2)), to = Math.min(n, Math.round(c + p.sideWindowS * rateHz / 2));
      let sum = 0;
      for (let i = from; i < to; i++) sum += yaw[i] - turning[i];
      return to > from ? sum / (to - from) : 0;
    });
    const sides = alternatingSides(contacts, votes, p, rateHz);

    const params = { ...p };
    const threshold = { value: levelMs2, unit: 'm/s²' };
    const events: GaitEvent[] = [];
    peaks.forEach((peak, k) => {
      const side = sides[k];
      const agrees = (votes[k] < 0) === (side === 'left');
      const confidence = clamp01(loading[peak] / strongMs2) * (agrees ? 1 : 0.5);
      const base = { source: LowerBackImuEvents.source, confidence, params, threshold };
      events.push({ ...base, label: 'initial_contact', side, timeS: t0 + contacts[k] / rateHz });
      const next = k + 1 < contacts.length ? contacts[k + 1] : n - 2;
      const to = Math.min(next, peak + p.fcSearchS * rateHz);
      const fc = p.fcAfter === 'first_fall' ? otherFootOffAfterFirstFall(slope, rises[k], to) : otherFootOff(slope, peak, to);
      if (fc !== null) events.push({ ...base, label: 'final_contact', side: side === 'left' ? 'right' : 'left', timeS: t0 + fc / rateHz });
    });
    return events.sort((a, b) => a.timeS - b.timeS);
  }
}

/** The steps' loading peaks (sample indices) and the levels that accepted them, m/s². */
function loadingPeaks(loading: Float64Array, p: LowerBackImuParams, rateHz: number): { peaks: number[]; levelMs2: number; strongMs2: number } {
  const candidates: number[] = [];
  for (let i = 1; i < loading.length - 1; i++) {
    if (loading[i] > p.minPeakMs2 && loading[i] > loading[i - 1] && loading[i] >= loading[i + 1]) candidates.push(i);
  }
  if (candidates.length === 0) return { peaks: [], levelMs2: p.minPeakMs2, strongMs2: p.minPeakMs2 };
  const strongMs2 = quantile(candidates.map((i) => loading[i]), 0.9);
  const levelMs2 = Math.max(p.minPeakMs2, p.peakFraction * strongMs2);
  const minGap = p.minStepS * rateHz;
  const peaks: number[] = [];
  for (const i of candidates) {
    if (!(loading[i] >= levelMs2)) continue;
    const last = peaks[peaks.length - 1];
    if (last !== undefined && i - last < minGap) {
      if (loading[i] > loading[last]) peaks[peaks.length - 1] = i;
    } else peaks.push(i);
  }
  return { peaks, levelMs2, strongMs2 };
}

/**
 * The other foot's final contact (fcAfter 'first_fall'): after the step's steepest rise `rise`, the slope's first
 * minimum below zero (the loading's fall), then its first maximum (refined by a parabola); null where there is
 * none before `to`.
 */
function otherFootOffAfterFirstFall(slope: Float64Array, rise: number, to: number): number | null {
  const end = Math.min(slope.length - 2, Math.floor(to));
  let i = Math.max(1, Math.ceil(rise));
  while (i <= end && !(slope[i] < 0 && slope[i] <= slope[i - 1] && slope[i] < slope[i + 1])) i++;
  for (i++; i <= end; i++) {
    if (slope[i] > slope[i - 1] && slope[i] >= slope[i + 1]) return i + parabolicOffset(slope[i - 1], slope[i], slope[i + 1]);
  }
  return null;
}

/**
 * The other foot's final contact after a loading peak (fcAfter 'steepest_fall', versions 1.0–1.1): the slope's
 * steepest fall within [peak, to], then the first maximum of the slope after it (refined by a parabola); null where
 * there is none before `to`.
 */
function otherFootOff(slope: Float64Array, peak: number, to: number): number | null {
  const end = Math.min(slope.length - 2, Math.floor(to));
  let fall = peak;
  for (let i = peak; i <= end; i++) if (slope[i] < slope[fall]) fall = i;
  for (let i = fall + 1; i <= end; i++) {
    if (slope[i] > slope[i - 1] && slope[i] >= slope[i + 1]) return i + parabolicOffset(slope[i - 1], slope[i], slope[i + 1]);
  }
  return null;
}

/**
 * Sides that alternate within each bout, the phase chosen by the yaw-rate votes (negative: left), each weighed by
 * its size; a bout ends where two contacts are more than maxStepS or maxStepRatio median steps apart.
 */
function alternatingSides(contacts: number[], votes: number[], p: LowerBackImuParams, rateHz: number): FootSide[] {
  const gaps = contacts.slice(1).map((c, k) => c - contacts[k]);
  const typical = gaps.length ? median(gaps) : Infinity;
  const sides: FootSide[] = [];
  let start = 0;
  for (let k = 1; k <= contacts.length; k++) {
    const gap = k < contacts.length ? contacts[k] - contacts[k - 1] : Infinity;
    if (k < contacts.length && gap <= p.maxStepS * rateHz && gap <= p.maxStepRatio * typical) continue;
    // Bout [start, k): even steps left when that agrees with more of the evidence.
    let evenLeft = 0;
    for (let j = start; j < k; j++) evenLeft += (j - start) % 2 === 0 ? -votes[j] : votes[j];
    for (let j = start; j < k; j++) sides.push(((j - start) % 2 === 0) === (evenLeft >= 0) ? 'left' : 'right');
    start = k;
  }
  return sides;
}

/**
 * The trunk's forward acceleration (Zijlstra & Hof 2003), lightly smoothed, and its slope. The horizontal
 * acceleration's principal axes over the walk (first to last loading peak) are the forward and the sideways one;
 * forward is the one that repeats one step later, since the forward sway repeats every step and the sideways one
 * every stride, reversing from one step to the next (Moe-Nilssen & Helbostad 2004, J Biomech 37:121: step and stride
 * regularity as the autocorrelation at one step's lag, positive forward, negative sideways). It is signed so that it
 * falls over the 150 ms before the loading peaks (the body is braked as the leading leg takes the load). Null where
 * the walk has fewer than four steps or no horizontal acceleration (HORIZONTAL_NOISE_MS2).
 */
function forwardAcceleration(acc: Axes, up: readonly [number, number, number], peaks: number[], rateHz: number): { level: Float64Array; slope: Float64Array } | null {
  if (peaks.length < 4) return null;
  const n = acc[0].length;
  // A horizontal basis: the sensor axis least aligned with the vertical, made horizontal, and up × it.
  const least = [0, 1, 2].reduce((m, k) => (Math.abs(up[k]) < Math.abs(up[m]) ? k : m), 0);
  const b1 = [0, 1, 2].map((k) => (k === least ? 1 : 0) - up[k] * up[least]);
  const norm1 = Math.hypot(b1[0], b1[1], b1[2]);
  for (let k = 0; k < 3; k++) b1[k] /= norm1;
  const b2 = [up[1] * b1[2] - up[2] * b1[1], up[2] * b1[0] - up[0] * b1[2], up[0] * b1[1] - up[1] * b1[0]];
  const from = peaks[0], to = peaks[peaks.length - 1];
  const x = new Float64Array(n), y = new Float64Array(n);
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) {
    const a = [acc[0][i], acc[1][i], acc[2][i]].map((v) => (Number.isFinite(v) ? v : 0));
    x[i] = a[0] * b1[0] + a[1] * b1[1] + a[2] * b1[2];
    y[i] = a[0] * b2[0] + a[1] * b2[1] + a[2] * b2[2];
    if (i >= from && i <= to) { mx += x[i]; my += y[i]; }
  }
  mx /= to - from + 1; my /= to - from + 1;
  // Principal axes of the horizontal acceleration over the walk (angle of the first from b1).
  let sxx = 0, syy = 0, sxy = 0;
  for (let i = from; i <= to; i++) { sxx += (x[i] - mx) ** 2; syy += (y[i] - my) ** 2; sxy += (x[i] - mx) * (y[i] - my); }
  // No forward landmark without a horizontal acceleration above an accelerometer's noise floor.
  if (!(Math.sqrt((sxx + syy) / (to - from + 1)) > HORIZONTAL_NOISE_MS2)) return null;
  const angle = 0.5 * Math.atan2(2 * sxy, sxx - syy);
  const axis = (theta: number) => Float64Array.from(x, (xi, i) => Math.cos(theta) * (xi - mx) + Math.sin(theta) * (y[i] - my));
  // One step: half the median stride (two steps), which stays regular where one foot's loading comes late.
  const lag = Math.round(median(peaks.slice(2).map((pk, k) => pk - peaks[k])) / 2);
  const stepRegularity = (v: Float64Array) => {
    let sum = 0;
    for (let i = from; i + lag <= to; i++) sum += v[i] * v[i + lag];
    return sum;
  };
  const first = axis(angle), second = axis(angle + Math.PI / 2);
  const raw = stepRegularity(first) >= stepRegularity(second) ? first : second;
  const w = Math.round(0.15 * rateHz);
  let change = 0;
  for (const pk of peaks) if (pk - w >= 0) change += raw[pk] - raw[pk - w];
  if (change > 0) for (let i = 0; i < n; i++) raw[i] = -raw[i];
  return { level: gaussianFilter(raw, 0.01 * rateHz, 0), slope: gaussianFilter(raw, 0.02 * rateHz, 1) };
}

/** The forward acceleration's last maximum before its steepest fall within [a, b] (refined by a parabola); null for an empty window. */
function forwardPeakBeforeBraking(forward: { level: Float64Array; slope: Float64Array }, a: number, b: number): number | null {
  if (b < a) return null;
  const { level, slope } = forward;
  let fall = a;
  for (let i = a; i <= b; i++) if (slope[i] < slope[fall]) fall = i;
  // Back up the rise only: a flat stretch before the fall is no peak.
  let top = fall;
  while (top > a && level[top - 1] > level[top]) top--;
  return top + (top > 0 ? parabolicOffset(level[top - 1], level[top], level[top + 1]) : 0);
}
