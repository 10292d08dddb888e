// Contacts from pressure-insole total force per foot (gaitpdb: 8 sensors summed, 100 Hz). The same hysteresis as
// for force plates, but the levels follow each foot's own load, because insoles carry an offset (pre-load from the
// shoe) that differs between feet and drifts:
//   baseline b(t) = minimum over a centred window of baselineWindowS (every window of a walk holds a swing);
//   load S        = median of f − b over the loaded samples (f − b above loadedFraction × the 95th percentile of f − b),
//                   i.e. the trial's median stance force above the baseline;
//   on(t)  = b(t) + onFraction · S,   off(t) = b(t) + offFraction · S.
// Thresholding summed insole force is how the gaitpdb group derived stride times from force-sensitive insoles
// (Hausdorff et al. 1995, J Appl Physiol 78:349; Frenkel-Toledo et al. 2005, J NeuroEng Rehabil 2:23).
import { detectContacts } from './contacts';
import { runningMinimum } from '../extrema';
import { quantile, median } from '../stats';
import { byTime, checkRate, clamp01, FOOT_SIDES, type GaitEvent, type SideSignals } from './types';

export interface InsoleParams {
  /** Contact starts at baseline + onFraction × the median stance force. */
  onFraction: number;
  /** Contact ends at baseline + offFraction × the median stance force (≤ onFraction). */
  offFraction: number;
  /** Width of the running-minimum window that tracks the insole's offset, s (longer than the slowest stride). */
  baselineWindowS: number;
  /** Which samples count as loaded when the median stance force is taken: above this × P95 of the load. */
  loadedFraction: number;
  /** Contacts shorter than this are dropped, s. */
  minContactS: number;
  /** Unloadings shorter than this inside a contact are ignored, s. */
  minGapS: number;
}

export const INSOLE_DEFAULTS: InsoleParams = {
  onFraction: 0.1, offFraction: 0.05, baselineWindowS: 4, loadedFraction: 0.2, minContactS: 0.15, minGapS: 0.1,
};

/** Baseline and median stance force of one foot, N: what the thresholds are built from. */
export interface InsoleLevels {
  baselineN: Float64Array;
  stanceForceN: number;
  onN: Float64Array;
  offN: Float64Array;
}

export function insoleLevels(force: ArrayLike<number>, rateHz: number, p: InsoleParams): InsoleLevels {
  const baselineN = runningMinimum(force, Math.max(1, Math.round((p.baselineWindowS * rateHz) / 2)));
  const load = new Float64Array(force.length);
  for (let i = 0; i < load.length; i++) load[i] = force[i] - baselineN[i];
  const cut = p.loadedFraction * quantile(load, 0.95);
  const loaded = load.filter((v) => v > cut);
  const stanceForceN = loaded.length ? median(loaded) : 0;
  const onN = new Float64Array(force.length), offN = new Float64Array(force.length);
  for (let i = 0; i < load.length; i++) {
    onN[i] = baselineN[i] + p.onFraction * stanceForceN;
    offN[i] = baselineN[i] + p.offFraction * stanceForceN;
  }
  return { baselineN, stanceForceN, onN, offN };
}

/**
 * `new InsoleEvents().run({ rateHz: 100, left: lTotalN, right: rTotalN })`: initial and final contacts per foot.
 * Each event's threshold is the absolute level in N at that moment; its params add the foot's stance force and
 * baseline. Confidence: (peak − on level) / (on level − baseline) / 3, capped at 1, as for force plates. A foot
 * with no load (stance force 0, a dead insole) gives no events.
 */
export class InsoleEvents {
  static readonly source = 'InsoleEvents';
  readonly params: InsoleParams;

  constructor(params: Partial<InsoleParams> = {}) {
    this.params = { ...INSOLE_DEFAULTS, ...params };
    const { onFraction, offFraction } = this.params;
    if (!(onFraction >= offFraction && offFraction > 0)) {
      throw new RangeError(`need onFraction ≥ offFraction > 0, got ${onFraction} and ${offFraction}`);
    }
  }

  run(input: SideSignals<ArrayLike<number>>): GaitEvent[] {
    checkRate(input.rateHz);
    const { rateHz } = input;
    const t0 = input.startS ?? 0;
    const events: GaitEvent[] = [];
    for (const side of FOOT_SIDES) {
      const force = input[side];
      if (!force || force.length === 0) continue;
      const levels = insoleLevels(force, rateHz, this.params);
      if (!(levels.stanceForceN > 0)) continue;
      const contacts = detectContacts(force, {
        on: levels.onN, off: levels.offN,
        minContactSamples: this.params.minContactS * rateHz, minGapSamples: this.params.minGapS * rateHz,
      });
      const onAboveBaseline = this.params.onFraction * levels.stanceForceN;
      const sample = (at: number) => levels.baselineN[Math.min(force.length - 1, Math.round(at))];
      for (const c of contacts) {
        const confidence = clamp01(c.peakAboveOn / (3 * onAboveBaseline));
        const base = { side, source: InsoleEvents.source, confidence };
        if (c.start !== null && c.startLevel !== null) {
          events.push({ ...base, label: 'initial_contact', timeS: t0 + c.start / rateHz, threshold: { value: c.startLevel, unit: 'N' },
            params: { ...this.params, stanceForceN: levels.stanceForceN, baselineN: sample(c.start) } });
        }
        if (c.end !== null && c.endLevel !== null) {
          events.push({ ...base, label: 'final_contact', timeS: t0 + c.end / rateHz, threshold: { value: c.endLevel, unit: 'N' },
            params: { ...this.params, stanceForceN: levels.stanceForceN, baselineN: sample(c.end) } });
        }
      }
    }
    return byTime(events);
  }
}
