// Force-plate contacts: heel strike when the vertical force rises above onN, toe off when it falls below offN
// (a Schmitt trigger: the hysteresis onN − offN keeps plate noise from chattering; 20 N / 10 N by default).
import { PLATE_CONTACT_THRESHOLD_N } from '../centre-of-pressure';
import { detectContacts } from './contacts';
import { byTime, checkRate, clamp01, FOOT_SIDES, type GaitEvent, type SideSignals } from './types';

export interface ForceThresholdParams {
  /** Initial contact when the force rises above this, N. */
  onN: number;
  /** Final contact when the force falls below this, N (≤ onN). */
  offN: number;
  /** Contacts shorter than this are dropped (a brush, a spike), s. */
  minContactS: number;
  /** Unloadings shorter than this inside a contact are ignored (the contact continues), s. */
  minGapS: number;
}

export const FORCE_THRESHOLD_DEFAULTS: ForceThresholdParams = { onN: PLATE_CONTACT_THRESHOLD_N, offN: PLATE_CONTACT_THRESHOLD_N / 2, minContactS: 0.05, minGapS: 0.05 };

/**
 * `new ForceThresholdEvents({ onN: 20, offN: 10 }).run({ rateHz: 1000, left: fzPlate1 })`: initial and final
 * contacts per side from vertical force (N). Confidence: (peak − onN) / (3·onN), capped at 1 — full once the
 * contact's peak reaches 4× the on threshold; lower for light touches that barely clear it.
 */
export class ForceThresholdEvents {
  static readonly source = 'ForceThresholdEvents';
  readonly params: ForceThresholdParams;

  constructor(params: Partial<ForceThresholdParams> = {}) {
    this.params = { ...FORCE_THRESHOLD_DEFAULTS, ...params };
    const { onN, offN } = this.params;
    if (!(onN >= offN)) throw new RangeError(`onN (${onN} N) must be at least offN (${offN} N): the hysteresis needs on ≥ off`);
  }

  run(input: SideSignals<ArrayLike<number>>): GaitEvent[] {
    checkRate(input.rateHz);
    const { onN, offN, minContactS, minGapS } = this.params;
    const t0 = input.startS ?? 0;
    const params = { ...this.params };
    const events: GaitEvent[] = [];
    for (const side of FOOT_SIDES) {
      const force = input[side];
      if (!force) continue;
      const contacts = detectContacts(force, {
        on: onN, off: offN, minContactSamples: minContactS * input.rateHz, minGapSamples: minGapS * input.rateHz,
      });
      for (const c of contacts) {
        const confidence = clamp01(c.peakAboveOn / (3 * onN));
        if (c.start !== null) {
          events.push({ label: 'initial_contact', side, timeS: t0 + c.start / input.rateHz, source: ForceThresholdEvents.source, confidence, threshold: { value: onN, unit: 'N' }, params });
        }
        if (c.end !== null) {
          events.push({ label: 'final_contact', side, timeS: t0 + c.end / input.rateHz, source: ForceThresholdEvents.source, confidence, threshold: { value: offN, unit: 'N' }, params });
        }
      }
    }
    return byTime(events);
  }
}
