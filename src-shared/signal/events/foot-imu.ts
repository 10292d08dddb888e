// Gait events from a foot-mounted IMU. The structure follows Rampp et al. 2015 (IEEE Trans Biomed Eng 62:1089;
// gaitmap's RamppEventDetection): the sagittal (medio-lateral axis) angular velocity has one large lobe per swing;
//   mid-swing       = the lobe's peak (of the raw signal);
//   final contact   = the zero crossing that starts the lobe (the foot starts to rotate forward off the toes);
//   initial contact = the heel's impact, searched in a short window around the zero crossing that ends the lobe.
// Rampp take the impact as the minimum of the antero-posterior acceleration; here it is the impact's onset: the
// first sample at which the jerk magnitude |Δa|·rate (all three axes, so the sensor's mounting does not matter)
// exceeds impactJerkFraction of its largest value in the window. The onset is what the Voisard et al. 2023
// annotations mark (their MP-DTW templates are built on Gyr_Y and the jerk norm: Voisard et al. 2024, J NeuroEng
// Rehabil, doi:10.1186/s12984-024-01405-x); the acceleration minimum comes 10–20 ms later. The lobe is found on
// a low-passed gyroscope signal, the crossings and the impact on the raw signals, so smoothing does not move them.
import { ButterworthLowPass } from '../butterworth';
import { parabolicOffset } from '../extrema';
import { byTime, checkRate, clamp01, FOOT_SIDES, type GaitEvent, type SideSignals } from './types';

export interface FootImuSignals {
  /** Angular velocity about the foot's medio-lateral axis, deg/s. */
  gyrMlDegS: ArrayLike<number>;
  /** Acceleration on the sensor's three axes (any orientation; gravity included), m/s². */
  accXMs2: ArrayLike<number>;
  accYMs2: ArrayLike<number>;
  accZMs2: ArrayLike<number>;
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
  /** Impact onset: the jerk magnitude first exceeds this fraction of its maximum in the search window. */
  impactJerkFraction: number;
}

export const FOOT_IMU_DEFAULTS: FootImuParams = {
  swingSign: 1, lowPassHz: 5, minSwingPeakDegS: 100, minStrideS: 0.4, icSearchBeforeS: 0.03, icSearchAfterS: 0.1,
  impactJerkFraction: 0.5,
};

interface Swing { peak: number; peakValue: number; start: number | null; end: number | null }

/**
 * `new FootImuEvents().run({ rateHz: 100, left: { gyrMlDegS, accXMs2, accYMs2, accZMs2 }, right: … })`.
 * Confidence of the events of a swing: (peak − minSwingPeakDegS) / minSwingPeakDegS, capped at 1 (full from
 * twice the threshold). The initial contact's threshold is the jerk level that marked the impact's onset (m/s³).
 */
export class FootImuEvents {
  static readonly source = 'FootImuEvents';
  readonly params: FootImuParams;

  constructor(params: Partial<FootImuParams> = {}) {
    this.params = { ...FOOT_IMU_DEFAULTS, ...params };
    if (this.params.swingSign !== 1 && this.params.swingSign !== -1) throw new RangeError('swingSign must be 1 or -1');
  }

  run(input: SideSignals<FootImuSignals>): GaitEvent[] {
    checkRate(input.rateHz);
    const { rateHz } = input;
    const t0 = input.startS ?? 0;
    const p = this.params;
    const params = { ...p };
    const events: GaitEvent[] = [];
    for (const side of FOOT_SIDES) {
      const s = input[side];
      if (!s) continue;
      const n = s.gyrMlDegS.length;
      for (const acc of [s.accXMs2, s.accYMs2, s.accZMs2]) {
        if (acc.length !== n) throw new RangeError(`${side} foot: ${n} gyroscope samples but ${acc.length} accelerometer samples`);
      }
      const gyr = Float64Array.from(s.gyrMlDegS, (v) => p.swingSign * v);
      if (n < 20) continue;
      const smooth = new ButterworthLowPass({ order: 4, cutoffHz: p.lowPassHz, padLength: Math.min(15, n - 1) }).run(gyr, rateHz);
      for (const w of findSwings(gyr, smooth, p.minSwingPeakDegS, Math.round(p.minStrideS * rateHz))) {
        const confidence = clamp01((w.peakValue - p.minSwingPeakDegS) / p.minSwingPeakDegS);
        const base = { side, source: FootImuEvents.source, confidence, params };
        const at = (i: number) => t0 + i / rateHz;
        events.push({ ...base, label: 'mid_swing', timeS: at(w.peak), threshold: { value: p.minSwingPeakDegS, unit: 'deg/s' } });
        if (w.start !== null) events.push({ ...base, label: 'final_contact', timeS: at(w.start), threshold: { value: 0, unit: 'deg/s' } });
        if (w.end !== null) {
          const from = Math.max(0, Math.floor(w.end - p.icSearchBeforeS * rateHz));
          const to = Math.min(n - 2, Math.ceil(w.end + p.icSearchAfterS * rateHz));
          const onset = impactOnset(s, from, to, p.impactJerkFraction, rateHz);
          if (onset) events.push({ ...base, label: 'initial_contact', timeS: at(onset.at), threshold: { value: onset.levelMs3, unit: 'm/s³' } });
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
 * Swing lobes: maxima of the smoothed signal above `minPeak`, one per positive lobe, at least `minGap` samples
 * apart; each lobe's start and end are the raw signal's zero crossings nearest the peak (interpolated).
 */
function findSwings(raw: Float64Array, smooth: Float64Array, minPeak: number, minGap: number): Swing[] {
  const n = raw.length;
  const swings: Swing[] = [];
  let i = 1;
  while (i < n - 1) {
    // `!(x > minPeak)`, not `x <= minPeak`: a NaN sample must advance too, or the loop would never end.
    if (!(smooth[i] > minPeak)) { i++; continue; }
    // A run above minPeak: its maximum is the candidate peak.
    let peak = i;
    while (i < n - 1 && smooth[i] > minPeak) { if (smooth[i] > smooth[peak]) peak = i; i++; }
    // Crossings on the raw signal, searched outwards from the peak through the positive lobe.
    let a = peak;
    while (a > 0 && raw[a] > 0) a--;
    let b = peak;
    while (b < n - 1 && raw[b] > 0) b++;
    const start = raw[a] <= 0 && a < peak ? a + raw[a] / (raw[a] - raw[a + 1]) : null;
    const end = raw[b] <= 0 && b > peak ? b - 1 + raw[b - 1] / (raw[b - 1] - raw[b]) : null;
    // Mid-swing: the raw lobe's maximum, refined by a parabola (the smoothed peak is pulled by the lobe's neighbours).
    let top = peak;
    for (let k = Math.max(0, a); k <= b; k++) if (raw[k] > raw[top]) top = k;
    const refined = top + (top > 0 && top < n - 1 ? parabolicOffset(raw[top - 1], raw[top], raw[top + 1]) : 0);
    const swing: Swing = { peak: refined, peakValue: smooth[peak], start, end };
    const prev = swings[swings.length - 1];
    if (prev && (swing.peak - prev.peak < minGap || (prev.end !== null && swing.start !== null && swing.start < prev.end))) {
      // The same swing seen twice (a dip in the lobe) or two too close: keep the higher peak, widest bounds.
      if (swing.peakValue > prev.peakValue) { prev.peak = swing.peak; prev.peakValue = swing.peakValue; }
      prev.end = swing.end;
      continue;
    }
    swings.push(swing);
  }
  return swings;
}
