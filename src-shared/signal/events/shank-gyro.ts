// Gait events from the sagittal angular velocity of the shank (Aminian et al. 2002, J Biomech 35:689; Salarian
// et al. 2004, IEEE Trans Biomed Eng 51:1434): the shank swings forward fast once per stride, so
//   mid-swing (MS)       = a peak above msMinDegS (peaks of one leg at least minStrideS apart);
//   initial contact (IC) = the first local minimum after MS (within searchWindowS) below icMaxDegS;
//   final contact (FC)   = the last local minimum before MS (within searchWindowS) below fcMaxDegS.
// The signal is low-passed (zero-phase Butterworth) before the search; extrema are refined to sub-sample time by
// a parabola through the three samples around them. The amplitude gates are GaitLab's defaults in the spirit of
// Salarian's (an FC minimum is a clear backward rotation, an IC minimum need only stop the forward swing).
import { ButterworthLowPass } from '../butterworth';
import { parabolicOffset } from '../extrema';
import { byTime, checkRate, clamp01, FOOT_SIDES, type GaitEvent, type SideSignals } from './types';

export interface ShankGyroParams {
  /** Swing must be positive: +1 if forward shank rotation is positive on the input, −1 to flip it. */
  swingSign: 1 | -1;
  /** Zero-phase 4th-order Butterworth cutoff, Hz; null for no filtering. */
  lowPassHz: number | null;
  /** A mid-swing peak exceeds this, deg/s (Salarian et al. 2004: 50 deg/s). */
  msMinDegS: number;
  /** Two mid-swing peaks of one leg are at least this far apart; the higher is kept, s. */
  minStrideS: number;
  /** IC and FC are searched within this time after / before MS, s (Salarian et al. 2004: 1.5 s). */
  searchWindowS: number;
  /** IC is a minimum below this, deg/s. */
  icMaxDegS: number;
  /** FC is a minimum below this, deg/s. */
  fcMaxDegS: number;
}

export const SHANK_GYRO_DEFAULTS: ShankGyroParams = {
  swingSign: 1, lowPassHz: 15, msMinDegS: 50, minStrideS: 0.5, searchWindowS: 1.5, icMaxDegS: 20, fcMaxDegS: -20,
};

/**
 * `new ShankGyroEvents().run({ rateHz: 100, left: shankGyrDegS, right: … })`. Confidence of a swing's three
 * events: (MS peak − msMinDegS) / msMinDegS capped at 1; each event's threshold is the gate it passed (deg/s).
 */
export class ShankGyroEvents {
  static readonly source = 'ShankGyroEvents';
  readonly params: ShankGyroParams;

  constructor(params: Partial<ShankGyroParams> = {}) {
    this.params = { ...SHANK_GYRO_DEFAULTS, ...params };
    if (this.params.swingSign !== 1 && this.params.swingSign !== -1) throw new RangeError('swingSign must be 1 or -1');
  }

  run(input: SideSignals<ArrayLike<number>>): GaitEvent[] {
    checkRate(input.rateHz);
    const { rateHz } = input;
    const t0 = input.startS ?? 0;
    const p = this.params;
    const params = { ...p };
    const events: GaitEvent[] = [];
    for (const side of FOOT_SIDES) {
      const raw = input[side];
      if (!raw || raw.length < 3) continue;
      let w: Float64Array = Float64Array.from(raw, (v) => p.swingSign * v);
      if (p.lowPassHz !== null) {
        w = new ButterworthLowPass({ order: 4, cutoffHz: p.lowPassHz, padLength: Math.min(15, w.length - 1) }).run(w, rateHz);
      }
      const n = w.length;
      const window = Math.round(p.searchWindowS * rateHz);
      const at = (i: number) => t0 + (i + (i > 0 && i < n - 1 ? parabolicOffset(w[i - 1], w[i], w[i + 1]) : 0)) / rateHz;
      for (const ms of midSwingPeaks(w, p.msMinDegS, Math.round(p.minStrideS * rateHz))) {
        const confidence = clamp01((w[ms] - p.msMinDegS) / p.msMinDegS);
        const base = { side, source: ShankGyroEvents.source, confidence, params };
        events.push({ ...base, label: 'mid_swing', timeS: at(ms), threshold: { value: p.msMinDegS, unit: 'deg/s' } });
        for (let i = ms + 1; i < Math.min(n - 1, ms + window); i++) {
          if (isLocalMinimum(w, i) && w[i] < p.icMaxDegS) {
            events.push({ ...base, label: 'initial_contact', timeS: at(i), threshold: { value: p.icMaxDegS, unit: 'deg/s' } });
            break;
          }
        }
        for (let i = ms - 1; i > Math.max(0, ms - window); i--) {
          if (isLocalMinimum(w, i) && w[i] < p.fcMaxDegS) {
            events.push({ ...base, label: 'final_contact', timeS: at(i), threshold: { value: p.fcMaxDegS, unit: 'deg/s' } });
            break;
          }
        }
      }
    }
    return byTime(events);
  }
}

/** A strict minimum, or the first sample of a flat-bottomed one. */
function isLocalMinimum(w: Float64Array, i: number): boolean {
  if (!(w[i] < w[i - 1])) return false;
  let j = i + 1;
  while (j < w.length - 1 && w[j] === w[i]) j++;
  return w[j] > w[i];
}

/** Local maxima above `min`, greedily keeping the highest when two are closer than `minGap` samples. */
function midSwingPeaks(w: Float64Array, min: number, minGap: number): number[] {
  const candidates: number[] = [];
  for (let i = 1; i < w.length - 1; i++) if (w[i] > min && w[i] >= w[i - 1] && w[i] > w[i + 1]) candidates.push(i);
  const byHeight = [...candidates].sort((a, b) => w[b] - w[a] || a - b);
  const kept: number[] = [];
  for (const c of byHeight) if (kept.every((k) => Math.abs(k - c) >= minGap)) kept.push(c);
  return kept.sort((a, b) => a - b);
}
