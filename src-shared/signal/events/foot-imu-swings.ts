// The swings of FootImuEvents (foot-imu.ts): the pitch lobes of one foot, the smaller ones where a stride is missing
// (first and last steps, turning steps, shuffles) and the feet's alternation. Pure functions on typed arrays; the
// contacts of each swing are placed in foot-imu.ts.
import { parabolicOffset } from '../extrema';
import { median } from '../stats';
import type { FootImuParams, FootImuSignals } from './foot-imu';

/** A negative run of the gyroscope this short (or shorter) inside a swing's rise is a wobble, not the push-off, s. */
export const BRIEF_DIP_S = 0.025;

/**
 * A swing lobe (sample indices): its peak and the filtered peak value, its zero crossings (null where the signal
 * starts or ends inside it); small: found where a stride is missing; shuffle: below minSmallSwingPeakDegS; soft:
 * admitted for its angular speed without an impact.
 */
export interface Swing { peak: number; peakValue: number; start: number | null; end: number | null; small?: boolean; shuffle?: boolean; soft?: boolean }

/**
 * Swing lobes: maxima of the smoothed signal above `minPeak`, one per positive lobe, at least `minGap` samples
 * apart; each lobe's start and end are the raw signal's zero crossings nearest the peak (interpolated).
 */
export function findSwings(raw: Float64Array, smooth: Float64Array, minPeak: number, minGap: number, briefDip: number): Swing[] {
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
      // The same swing seen twice (a dip in the lobe, at most a brief one below zero): the higher peak, the widest
      // bounds. Two distinct lobes too close (a weight shift just before the first step): the higher one alone.
      const oneLobe = prev.end === null || swing.start === null || swing.start - prev.end <= briefDip;
      if (swing.peakValue > prev.peakValue) {
        prev.peak = swing.peak;
        prev.peakValue = swing.peakValue;
        if (!oneLobe) prev.start = swing.start;
        prev.end = swing.end;
      } else if (oneLobe) prev.end = swing.end;
      continue;
    }
    swings.push(swing);
  }
  return swings;
}

/**
 * Feet alternate: between two swings of one foot the other foot swings once (walking has no flight and no foot
 * steps twice while the other stands). Two swings of `own` less than half its median stride apart with no swing of
 * `other` between them are one swing and a rotation that is none (a heel pivot in a turn, a weight shift): the one
 * whose foot rotates faster (peakAngularSpeed) is kept.
 */
export function alternate(own: Swing[], other: Swing[], s: FootImuSignals, gyr: Float64Array): Swing[] {
  const regular = own.filter((w) => !w.small);
  if (regular.length < 3 || other.length === 0) return own;
  const stride = median(regular.slice(1).map((w, k) => w.peak - regular[k].peak));
  const out: Swing[] = [];
  for (const w of own) {
    const prev = out[out.length - 1];
    if (prev && w.peak - prev.peak < stride / 2 && !other.some((o) => o.peak > prev.peak && o.peak < w.peak)) {
      if (peakAngularSpeed(s, gyr, w) > peakAngularSpeed(s, gyr, prev)) out[out.length - 1] = w;
      continue;
    }
    out.push(w);
  }
  return out;
}

/**
 * The largest angular speed (norm of the three gyroscope axes) over a lobe, deg/s; its pitch alone where the other
 * axes are not given.
 */
function peakAngularSpeed(s: FootImuSignals, gyr: Float64Array, w: Swing): number {
  const from = Math.max(0, Math.ceil(w.start ?? w.peak)), to = Math.min(gyr.length - 1, Math.floor(w.end ?? w.peak));
  let max = 0;
  for (let i = from; i <= to; i++) {
    const v = s.gyrOtherDegS ? Math.hypot(gyr[i], s.gyrOtherDegS[0][i], s.gyrOtherDegS[1][i]) : Math.abs(gyr[i]);
    if (v > max) max = v;
  }
  return max;
}

/** The largest jerk magnitude |Δa|·rate over [from, to], m/s³. */
function maxJerk(s: FootImuSignals, from: number, to: number, rateHz: number): number {
  let max = 0;
  for (let i = from; i <= to; i++) {
    const j = Math.hypot(s.accXMs2[i + 1] - s.accXMs2[i], s.accYMs2[i + 1] - s.accYMs2[i], s.accZMs2[i + 1] - s.accZMs2[i]) * rateHz;
    if (j > max) max = j;
  }
  return max;
}

/**
 * Swings below minSwingPeakDegS where the regular ones leave a stride out: the first and last steps of a walk
 * (short and slow) and the steps of a turn (the foot pivots more than it pitches). A lobe above
 * minSmallSwingPeakDegS is one when it lies within smallSwingReachStrides median strides of a regular swing, before
 * the first one, after the last one or in a gap between two longer than 1.5 median strides, and ends in an impact
 * whose jerk reaches smallSwingImpactFraction of the regular swings' median impact (a weight shift while standing
 * rotates the foot without a heel strike). A lobe below minSmallSwingPeakDegS and above minShuffleSwingPeakDegS
 * (a shuffle) must, where it lies so, also start from a foot at rest (restsBefore), and a turning step's speed does
 * not stand in for its impact.
 */
export function smallSwings(s: FootImuSignals, gyr: Float64Array, smooth: Float64Array, regular: Swing[],
  impactWindow: (w: Swing) => [number, number] | null, p: FootImuParams, rateHz: number): Swing[] {
  if (!(p.minSmallSwingPeakDegS < p.minSwingPeakDegS) || regular.length < 2) return [];
  const minGap = Math.round(p.minStrideS * rateHz);
  const stride = median(regular.slice(1).map((w, k) => w.peak - regular[k].peak));
  const impacts = regular.map(impactWindow).filter((w): w is [number, number] => w !== null).map(([a, b]) => maxJerk(s, a, b, rateHz));
  const impactLevel = p.smallSwingImpactFraction * median(impacts);
  const reach = p.smallSwingReachStrides * stride;
  const out: Swing[] = [];
  const brief = Math.round(BRIEF_DIP_S * rateHz);
  const small = findSwings(gyr, smooth, p.minSmallSwingPeakDegS, minGap, brief);
  // Shuffles, searched apart so that their lower threshold cannot merge two small swings into one candidate.
  const shuffles = p.minShuffleSwingPeakDegS < p.minSmallSwingPeakDegS
    ? findSwings(gyr, smooth, p.minShuffleSwingPeakDegS, minGap, brief).filter((c) => c.peakValue < p.minSmallSwingPeakDegS)
    : [];
  for (const c of [...small, ...shuffles]) {
    // Part of (or too close to) a regular swing, or of a small one already taken.
    if ([...regular, ...out].some((w) => Math.abs(w.peak - c.peak) < minGap || (w.start !== null && w.end !== null && c.peak > w.start && c.peak < w.end))) continue;
    let k = 0;
    while (k < regular.length && regular[k].peak < c.peak) k++;
    const before = regular[k - 1], after = regular[k];
    // Near a regular swing only: a long pause between two walking bouts may hold weight shifts that are no steps.
    const near = (before ? c.peak - before.peak <= reach : false) || (after ? after.peak - c.peak <= reach : false);
    const missing = near && (!before || !after || after.peak - before.peak > 1.5 * stride);
    if (!missing) continue;
    const win = impactWindow(c);
    if (!win) continue;
    const impact = maxJerk(s, win[0], win[1], rateHz) >= impactLevel;
    const shuffle = c.peakValue < p.minSmallSwingPeakDegS;
    if (shuffle) {
      // Lifted from a foot at rest and set down with an impact; a loaded foot pivoting in a turn never rests.
      if (!impact || !restsBefore(s, gyr, c, p, rateHz)) continue;
    } else {
      const turning = p.turningSwingPeakDegS > 0 && s.gyrOtherDegS !== undefined && peakAngularSpeed(s, gyr, c) >= p.turningSwingPeakDegS;
      if (!impact && !turning) continue;
    }
    out.push({ ...c, small: true, shuffle, soft: !impact });
  }
  return out;
}

/**
 * The foot rests before the lobe: its angular speed (norm of the three gyroscope axes where given, else the pitch's
 * magnitude) averages below shuffleRestDegS over the shuffleRestS before the lobe's start: the zero-velocity (foot
 * flat) test of strap-down foot tracking (Skog et al. 2010, IEEE Trans Biomed Eng 57:2657, angular-rate detector).
 */
function restsBefore(s: FootImuSignals, gyr: Float64Array, w: Swing, p: FootImuParams, rateHz: number): boolean {
  if (w.start === null) return false;
  const to = Math.floor(w.start), from = to - Math.max(1, Math.round(p.shuffleRestS * rateHz)) + 1;
  if (from < 0) return false;
  let sum = 0;
  for (let i = from; i <= to; i++) sum += s.gyrOtherDegS ? Math.hypot(gyr[i], s.gyrOtherDegS[0][i], s.gyrOtherDegS[1][i]) : Math.abs(gyr[i]);
  return sum / (to - from + 1) < p.shuffleRestDegS;
}
