// Gait events from a foot-mounted IMU. The structure follows Rampp et al. 2015 (IEEE Trans Biomed Eng 62:1089;
// gaitmap's RamppEventDetection): the sagittal (medio-lateral axis) angular velocity has one large lobe per swing;
//   mid-swing       = the lobe's peak (of the raw signal);
//   final contact   = on the rise from the push-off (the foot's fastest backward rotation over the toes) to the
//                     zero crossing that starts the lobe (Rampp's definition, kept as finalContactAt 'zero_crossing');
//   initial contact = the heel's impact, searched in a short window around the zero crossing that ends the lobe.
// Rampp take the impact as the minimum of the antero-posterior acceleration; here it is the impact's onset: the
// first sample at which the jerk magnitude |Δa|·rate (all three axes, so the sensor's mounting does not matter)
// exceeds impactJerkFraction of its largest value in the window. The onset is what the Voisard et al. 2023
// annotations mark (their MP-DTW templates are built on Gyr_Y and the jerk norm: Voisard et al. 2024, J NeuroEng
// Rehabil, doi:10.1186/s12984-024-01405-x); the acceleration minimum comes 10–20 ms later. The lobe is found on
// a low-passed gyroscope signal, the crossings and the impact on the raw signals, so smoothing does not move them.
// Version 1.2.0 ('impact_and_rotation'): the impact onset alone is early by 10–20 ms on feet whose heel grazes the
// ground before it loads (a first small transient crosses half of the later, larger one: trials 2-1 and 5-1), and
// late where the heel lands softly. A second, independent landmark of the same contact is the foot's fastest
// plantar-flexion just after it (the gyroscope's minimum after the swing: the forefoot dropping under the heel
// rocker; Salarian et al. 2004 and Trojaniello et al. 2014 mark IC on this trough of the shank's gyroscope), which
// follows the contact by a loading-response latency (icRotationLatencyS, 30 ms: its median on the healthy Voisard
// annotations, where 25–30 ms hold every trial's median |error| under 10 ms). The two landmarks err in different
// ways (one sees the acceleration transient, the other the rotation), so IC is their mean.

// The first and last steps of a walk and the steps of a turn swing the foot less (a shuffle, a pivot): where the
// regular swings leave a stride out, smaller lobes that end in an impact are swings too (smallSwings; the swings'
// rules are in foot-imu-swings.ts).
// Version 1.3.0, for turns: a turning step swings the foot about the vertical as much as about its medio-lateral
// axis (Mariani et al. 2010 follow the foot's 3D orientation through turns for this reason) and may land too softly for the
// impact rule, so a small lobe whose 3D angular speed peaks as high as a regular swing's pitch is a swing too; and
// a heel pivot in a turn (the toes lifted and lowered while the heel stays down) makes a pitch lobe that is no
// swing: feet alternate in walking (Perry's gait cycle: one foot swings while the other stands), so two lobes of
// one foot less than half a stride apart with no swing of the other foot between them are one swing, the one
// whose foot rotates faster (alternate). Measured on the Voisard turns (npm run bench:voisard-events): trial 1-1's
// right turning step (annotated toe-off 13.64 s) is found, its heel pivot at 14.25 s no longer counts.
// Version 1.4.0, the misses of 1.3.0 on the Voisard healthy trials, each from a cause found in the signals:
// - a turning step set down softly while the foot still turns at 300–490 deg/s (1-1 right, 13.97 s; admitted as a
//   swing for its angular speed, its jerk 4 % of the regular impacts'): the jerk in its window is the rotation's, above
//   half its maximum from the window's first sample on, so 1.3.0's "onset" was the window's start, 116 ms early.
//   Such a step's IC is the rotation landmark alone (softLandingIcFromRotation). (Taking every onset that does not
//   rise inside its window as no onset moved 30–60 % of HuGaDB's ICs, at 58.8 Hz, 50–80 ms later: there the impact
//   precedes the window, and is an impact.)
// - a shuffle in the U-turn (2-1 right, 15.91–16.09 s): the foot, at rest, is lifted with 19 deg/s of pitch and set
//   down with an impact (24 m/s²), so no lobe reached minSmallSwingPeakDegS. Where a stride is missing, a lobe down
//   to minShuffleSwingPeakDegS is a swing when the foot rested just before it (the angular-rate zero-velocity test
//   of foot-mounted tracking, Skog et al. 2010) and it ends in an impact. The pivots of a loaded foot inside a turn
//   (1-2 right 13.3 s, 19-1 right 16.2 s: no step in the annotations) make such lobes too, but they end without an
//   impact (2–4 % of the regular ones); the rest test keeps out a rebound just after a landing, the foot still turning
//   at 60–100 deg/s (HuGaDB walking_10_03, right foot, 66.6 s). Every Voisard figure holds for a rest level from 10 to
//   90 deg/s, a rest of 0.05–0.2 s and a shuffle threshold of 5–13 deg/s.
// - that shuffle's final contact: a lobe with no push-off whose only negative runs before it are brief wobbles was
//   given the earliest wobble in the search window (300 ms early); a brief dip is a wobble wherever it lies, and the
//   lift is then found on the lobe's rise (liftWithoutPushOff).
// One annotated contact stays unmatched, and no contact rule reaches it: 2-1's last left initial contact (28.11 s,
// the walk's annotated end). The foot lands at 27.95 s (jerk 410 m/s³, its pitch rate stopped from 37 to 6 deg/s in
// 20 ms), its forefoot slaps down at 28.04 s, and it is still (|ω| < 10 deg/s) from 28.09 s: the annotation marks
// the end of the foot's motion, 160 ms after its landing (IC found at 27.99 s, 125 ms before it). Every other last
// contact of the six trials is annotated at its impact (detected within 30 ms).
import { ButterworthLowPass } from '../butterworth';
import { parabolicOffset } from '../extrema';
import { alternate, BRIEF_DIP_S, findSwings, smallSwings, type Swing } from './foot-imu-swings';
import { byTime, checkRate, clamp01, FOOT_SIDES, type FootSide, type GaitEvent, type SideSignals } from './types';

export interface FootImuSignals {
  /** Angular velocity about the foot's medio-lateral axis, deg/s. */
  gyrMlDegS: ArrayLike<number>;
  /** Acceleration on the sensor's three axes (any orientation; gravity included), m/s². */
  accXMs2: ArrayLike<number>;
  accYMs2: ArrayLike<number>;
  accZMs2: ArrayLike<number>;
  /**
   * The gyroscope's other two axes, deg/s (optional): with them a small lobe whose foot turns fast while it swings
   * (a turning step) is a swing even where its landing is soft (smallSwings, turningSwingPeakDegS).
   */
  gyrOtherDegS?: readonly [ArrayLike<number>, ArrayLike<number>];
}

export interface FootImuParams {
  /** +1 when swing is positive on gyrMlDegS (XSens MTw on the dorsum, Gyr_Y), −1 for the opposite mounting. */
  swingSign: 1 | -1;
  /** Cutoff of the zero-phase 4th-order Butterworth used to find the swing lobes, Hz. */
  lowPassHz: number;
  /** A lobe is a swing when its (filtered) peak exceeds this, deg/s. */
  minSwingPeakDegS: number;
  /** Two swings of one foot closer than this are one (the higher peak is kept), s. */
  minStrideS: number;
  /** Initial-contact search window around the end-of-swing zero crossing: this long before it, s ... */
  icSearchBeforeS: number;
  /** ... and this long after it, s. */
  icSearchAfterS: number;
  /**
   * Final contact: 'gyro_minimum' is on the rise from the push-off's peak backward rotation (the gyroscope's
   * minimum just before the lobe starts) to the lobe, fcRiseFraction of the way (the Voisard annotations' toe-off
   * lies there: median error 2 ms); 'zero_crossing' is the lobe's start (Rampp et al. 2015's definition, ≈ 30 ms
   * after the annotated toe-off).
   */
  finalContactAt: 'gyro_minimum' | 'zero_crossing';
  /** How far before the lobe's start the minimum is searched (never before the previous swing's end), s. */
  fcSearchBeforeS: number;
  /** Final contact where the rise from the minimum to zero has covered this fraction (0: at the minimum). */
  fcRiseFraction: number;
  /** Without a push-off (no negative run before the lobe), final contact where the rise to the lobe's peak passes this fraction of it. */
  fcNoPushOffFraction: number;
  /** Impact onset: the jerk magnitude first exceeds this fraction of its maximum in the search window. */
  impactJerkFraction: number;
  /**
   * Initial contact: 'impact_onset' is the jerk onset alone (versions 1.0–1.1); 'impact_and_rotation' the mean of
   * the onset and the post-contact gyroscope minimum less icRotationLatencyS (the onset alone where there is no
   * minimum).
   */
  initialContactAt: 'impact_onset' | 'impact_and_rotation';
  /**
   * A turning step admitted for its angular speed without an impact (turningSwingPeakDegS: its jerk is below
   * smallSwingImpactFraction of the regular impacts) has its initial contact at the rotation landmark alone
   * (post-contact minimum less icRotationLatencyS); false: versions 1.0–1.3 (the jerk onset as for any swing).
   */
  softLandingIcFromRotation: boolean;
  /** How long after the end-of-swing zero crossing the gyroscope's post-contact minimum is searched, s. */
  icRotationSearchS: number;
  /** The post-contact minimum's latency after the contact, s. */
  icRotationLatencyS: number;
  /**
   * Where a stride is missing (walk start and end, turns), a lobe above this is a swing too (see smallSwings), deg/s;
   * at or above minSwingPeakDegS there are no small swings (version 1.0.0's rule).
   */
  minSmallSwingPeakDegS: number;
  /** How far from a regular swing (before the first, after the last, either side of a gap) small ones are looked for, in median strides. */
  smallSwingReachStrides: number;
  /** A small swing's impact must reach this fraction of the regular swings' median impact jerk ... */
  smallSwingImpactFraction: number;
  /**
   * ... or (a turning step, landing softly) the foot's angular speed (norm of the three gyroscope axes, where
   * gyrOtherDegS is given) must peak above this during the lobe, deg/s; 0: no such rule (versions 1.0–1.2).
   */
  turningSwingPeakDegS: number;
  /**
   * Where a stride is missing, a lobe above this and below minSmallSwingPeakDegS (a shuffle: the foot barely lifted,
   * as in a pivoting turn) is a swing too when the foot rested just before it (shuffleRestDegS) and it ends in an
   * impact (smallSwingImpactFraction), deg/s; at or above minSmallSwingPeakDegS: no shuffles (versions 1.0–1.3).
   */
  minShuffleSwingPeakDegS: number;
  /** A foot rests when its angular speed averages below this over shuffleRestS, deg/s ... */
  shuffleRestDegS: number;
  /** ... that long, ending at the lobe's start, s. */
  shuffleRestS: number;
  /** Two swings of one foot less than half a stride apart with no swing of the other foot between are one (see alternate); false: versions 1.0–1.2. */
  alternateFeet: boolean;
}

export const FOOT_IMU_DEFAULTS: FootImuParams = {
  swingSign: 1, lowPassHz: 5, minSwingPeakDegS: 100, minStrideS: 0.4, icSearchBeforeS: 0.03, icSearchAfterS: 0.1,
  impactJerkFraction: 0.5, initialContactAt: 'impact_and_rotation', softLandingIcFromRotation: true, icRotationSearchS: 0.15, icRotationLatencyS: 0.03, finalContactAt: 'gyro_minimum', fcSearchBeforeS: 0.3, fcRiseFraction: 0.4, fcNoPushOffFraction: 0.1,
  minSmallSwingPeakDegS: 30, smallSwingReachStrides: 1.5, smallSwingImpactFraction: 0.1,
  turningSwingPeakDegS: 100, alternateFeet: true,
  minShuffleSwingPeakDegS: 10, shuffleRestDegS: 30, shuffleRestS: 0.1,
};

/**
 * `new FootImuEvents().run({ rateHz: 100, left: { gyrMlDegS, accXMs2, accYMs2, accZMs2 }, right: … })`.
 * Confidence of the events of a swing: (peak − minSwingPeakDegS) / minSwingPeakDegS, capped at 1 (full from
 * twice the threshold); of a small swing, half its peak's place between minSmallSwingPeakDegS and
 * minSwingPeakDegS (at most 0.5); of a shuffle, 0 (its peak is below minSmallSwingPeakDegS). The initial contact's threshold is the jerk level that marked the impact's onset
 * (m/s³); the final contact's the angular velocity it was placed at (deg/s).
 */
export class FootImuEvents {
  static readonly source = 'FootImuEvents';
  readonly params: FootImuParams;

  constructor(params: Partial<FootImuParams> = {}) {
    this.params = { ...FOOT_IMU_DEFAULTS, ...params };
    if (this.params.swingSign !== 1 && this.params.swingSign !== -1) throw new RangeError('swingSign must be 1 or -1');
    if (this.params.finalContactAt !== 'gyro_minimum' && this.params.finalContactAt !== 'zero_crossing') throw new RangeError('finalContactAt must be gyro_minimum or zero_crossing');
    if (this.params.initialContactAt !== 'impact_onset' && this.params.initialContactAt !== 'impact_and_rotation') throw new RangeError('initialContactAt must be impact_onset or impact_and_rotation');
  }

  run(input: SideSignals<FootImuSignals>): GaitEvent[] {
    checkRate(input.rateHz);
    const { rateHz } = input;
    const t0 = input.startS ?? 0;
    const p = this.params;
    const params = { ...p };
    const events: GaitEvent[] = [];
    // First every foot's swings, then (feet alternate) the pruning across feet, then the events.
    const feet: Partial<Record<FootSide, { s: FootImuSignals; gyr: Float64Array; swings: Swing[]; impactWindow: (w: Swing) => [number, number] | null }>> = {};
    for (const side of FOOT_SIDES) {
      const s = input[side];
      if (!s) continue;
      const n = s.gyrMlDegS.length;
      for (const acc of [s.accXMs2, s.accYMs2, s.accZMs2]) {
        if (acc.length !== n) throw new RangeError(`${side} foot: ${n} gyroscope samples but ${acc.length} accelerometer samples`);
      }
      if (s.gyrOtherDegS) for (const g of s.gyrOtherDegS) if (g.length !== n) throw new RangeError(`${side} foot: ${n} samples on the gyroscope's medio-lateral axis but ${g.length} on another axis`);
      const gyr = Float64Array.from(s.gyrMlDegS, (v) => p.swingSign * v);
      if (n < 20) continue;
      const smooth = new ButterworthLowPass({ order: 4, cutoffHz: p.lowPassHz, padLength: Math.min(15, n - 1) }).run(gyr, rateHz);
      const swings = findSwings(gyr, smooth, p.minSwingPeakDegS, Math.round(p.minStrideS * rateHz), Math.round(BRIEF_DIP_S * rateHz));
      const impactWindow = (w: Swing): [number, number] | null =>
        w.end === null ? null : [Math.max(0, Math.floor(w.end - p.icSearchBeforeS * rateHz)), Math.min(n - 2, Math.ceil(w.end + p.icSearchAfterS * rateHz))];
      const small = smallSwings(s, gyr, smooth, swings, impactWindow, p, rateHz);
      feet[side] = { s, gyr, swings: [...swings, ...small].sort((a, b) => a.peak - b.peak), impactWindow };
    }
    if (p.alternateFeet && feet.left && feet.right) {
      const left = alternate(feet.left.swings, feet.right.swings, feet.left.s, feet.left.gyr);
      const right = alternate(feet.right.swings, feet.left.swings, feet.right.s, feet.right.gyr);
      feet.left.swings = left;
      feet.right.swings = right;
    }
    for (const side of FOOT_SIDES) {
      const foot = feet[side];
      if (!foot) continue;
      const { s, gyr, swings, impactWindow } = foot;
      let prevEnd = -Infinity;
      for (const w of swings) {
        const confidence = w.small
          ? 0.5 * clamp01((w.peakValue - p.minSmallSwingPeakDegS) / (p.minSwingPeakDegS - p.minSmallSwingPeakDegS))
          : clamp01((w.peakValue - p.minSwingPeakDegS) / p.minSwingPeakDegS);
        const base = { side, source: FootImuEvents.source, confidence, params };
        const at = (i: number) => t0 + i / rateHz;
        const lobeThreshold = w.shuffle ? p.minShuffleSwingPeakDegS : w.small ? p.minSmallSwingPeakDegS : p.minSwingPeakDegS;
        events.push({ ...base, label: 'mid_swing', timeS: at(w.peak), threshold: { value: lobeThreshold, unit: 'deg/s' } });
        const fc = finalContact(gyr, w, prevEnd, p, rateHz);
        if (fc) events.push({ ...base, label: 'final_contact', timeS: at(fc.at), threshold: { value: fc.levelDegS, unit: 'deg/s' } });
        if (w.end !== null) prevEnd = w.end;
        const win = impactWindow(w);
        if (win) {
          const onset = impactOnset(s, win[0], win[1], p.impactJerkFraction, rateHz);
          const rotationOnly = w.soft === true && p.softLandingIcFromRotation;
          const trough = w.end !== null && (p.initialContactAt === 'impact_and_rotation' || rotationOnly) ? postContactMinimum(gyr, w.end, p.icRotationSearchS * rateHz) : null;
          if (rotationOnly && trough !== null) {
            // A turning step set down without an impact: the jerk in its window comes from the foot's fast rotation,
            // not from a landing, so the rotation landmark alone times the contact. Threshold 0: no jerk level placed it.
            events.push({ ...base, label: 'initial_contact', timeS: at(trough - p.icRotationLatencyS * rateHz), threshold: { value: 0, unit: 'm/s³' } });
          } else if (onset) {
            const icAt = trough === null ? onset.at : (onset.at + trough - p.icRotationLatencyS * rateHz) / 2;
            events.push({ ...base, label: 'initial_contact', timeS: at(icAt), threshold: { value: onset.levelMs3, unit: 'm/s³' } });
          }
        }
      }
    }
    return byTime(events);
  }
}

/**
 * Where the jerk magnitude J(i) = |a(i + 1) − a(i)|·rate (placed at i + ½) first rises above `fraction` of its
 * maximum over [from, to], interpolated linearly between jerk samples; null for an empty window.
 */
function impactOnset(s: FootImuSignals, from: number, to: number, fraction: number, rateHz: number): { at: number; levelMs3: number } | null {
  if (to < from) return null;
  const jerk = new Float64Array(to - from + 1);
  let max = 0;
  for (let i = from; i <= to; i++) {
    const j = Math.hypot(s.accXMs2[i + 1] - s.accXMs2[i], s.accYMs2[i + 1] - s.accYMs2[i], s.accZMs2[i + 1] - s.accZMs2[i]) * rateHz;
    jerk[i - from] = j;
    if (j > max) max = j;
  }
  if (max === 0) return null;
  const level = fraction * max;
  for (let k = 0; k < jerk.length; k++) {
    if (jerk[k] >= level) {
      if (k === 0) return { at: from + 0.5, levelMs3: level };
      const frac = (level - jerk[k - 1]) / (jerk[k] - jerk[k - 1]);
      return { at: from + k - 0.5 + frac, levelMs3: level };
    }
  }
  return null;
}

/**
 * The gyroscope's deepest (negative) sample within `span` samples after the end-of-swing crossing `end`, refined by
 * a parabola; null where the signal stays at or above zero there (no plantar-flexion after the contact).
 */
function postContactMinimum(gyr: Float64Array, end: number, span: number): number | null {
  const from = Math.ceil(end), to = Math.min(gyr.length - 2, Math.floor(end + span));
  let min = -1;
  for (let i = from; i <= to; i++) if (gyr[i] < 0 && (min < 0 || gyr[i] < gyr[min])) min = i;
  if (min < 0) return null;
  return min + (min > 0 ? parabolicOffset(gyr[min - 1], gyr[min], gyr[min + 1]) : 0);
}

/**
 * A foot lifted flat, without a push-off (a last step, a shuffle): the gyroscope creeps above zero long before the
 * swing (the lobe's start is then no event), and the lift is where the swing's rise begins: the last sample before
 * the lobe's peak at or below `fraction` of the peak's angular velocity (interpolated), not before the lobe's start.
 */
function liftWithoutPushOff(gyr: Float64Array, w: Swing, fraction: number): { at: number; levelDegS: number } {
  const start = w.start!;
  const top = Math.round(w.peak);
  const level = fraction * gyr[top];
  for (let i = top; i > start; i--) {
    if (gyr[i - 1] <= level && gyr[i] > level) return { at: Math.max(start, i - 1 + (level - gyr[i - 1]) / (gyr[i] - gyr[i - 1])), levelDegS: level };
  }
  return { at: start, levelDegS: 0 };
}

/**
 * The swing's final contact: the lobe's start, or (finalContactAt 'gyro_minimum') the raw gyroscope's minimum in
 * the fcSearchBeforeS before it and after the previous swing's end, refined by a parabola. The threshold reported
 * is the angular velocity there (0 for the zero crossing).
 */
function finalContact(gyr: Float64Array, w: Swing, prevEnd: number, p: FootImuParams, rateHz: number): { at: number; levelDegS: number } | null {
  if (w.start === null) return null;
  if (p.finalContactAt === 'zero_crossing') return { at: w.start, levelDegS: 0 };
  const to = Math.floor(w.start);
  const from = Math.max(0, Math.ceil(w.start - p.fcSearchBeforeS * rateHz), Number.isFinite(prevEnd) ? Math.ceil(prevEnd) + 1 : 0);
  // The push-off is the negative run that ends at the lobe's start; a run as brief as BRIEF_DIP_S is a wobble of
  // the swing's first rise (the lobe dips below zero and rises again) and the push-off lies before it.
  const brief = Math.round(BRIEF_DIP_S * rateHz);
  let end = to, begin = to;
  for (;;) {
    while (end >= from && !(gyr[end] < 0)) end--;
    if (end < from) return liftWithoutPushOff(gyr, w, p.fcNoPushOffFraction);
    begin = end;
    while (begin - 1 >= from && gyr[begin - 1] < 0) begin--;
    if (end - begin + 1 > brief) break;
    if (begin <= from) return liftWithoutPushOff(gyr, w, p.fcNoPushOffFraction);
    end = begin - 1;
  }
  let min = begin;
  for (let i = begin; i <= end; i++) if (gyr[i] < gyr[min]) min = i;
  // The rise from the minimum to the zero crossing: the first sample at (1 − fcRiseFraction) × minimum or above.
  const level = (1 - p.fcRiseFraction) * gyr[min];
  for (let i = min + 1; i <= to + 1; i++) {
    if (gyr[i] >= level) return { at: i - 1 + (level - gyr[i - 1]) / (gyr[i] - gyr[i - 1]), levelDegS: level };
  }
  return { at: w.start, levelDegS: 0 };
}
