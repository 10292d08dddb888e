// Stance phases on force plates: each plate contact (initial → final contact of the same plate) becomes one
// stance, time-normalised per force component. Flagged, not dropped, when cut by the trial edge or implausible.
import { timeNormaliseInterval } from './normalise';
import type { PlateSideRule } from './plate-sides';

export interface PlateContactEvent {
  label: 'initial_contact' | 'final_contact';
  timeS: number;
  plate: string;
  side: 'left' | 'right' | null;
  /** How the contact's side was decided (the plate detector's rule); absent for events that do not say. */
  sideRule?: PlateSideRule;
}

export interface PlateStance {
  plate: string;
  side: 'left' | 'right' | null;
  /** The rule that gave the side, from the contact's events; null where they do not say. */
  sideRule: PlateSideRule | null;
  startS: number;
  endS: number;
  flags: string[];
  /** Component name (e.g. 'FP1_Fz') → 101 points over 0–100 % of stance. */
  curves: Record<string, Float64Array>;
}

export interface PlateStanceParams {
  /** Plausible stance of walking, s: 0.3–1.5 s spans fast walking to very slow pathological gait. */
  minStanceS: number;
  maxStanceS: number;
  points: number;
}

export const PLATE_STANCE_DEFAULTS: PlateStanceParams = { minStanceS: 0.3, maxStanceS: 1.5, points: 101 };

/** `components`: per plate, the channels to normalise with their rate (samples start at 0 s). */
export function plateStances(
  events: PlateContactEvent[],
  components: Record<string, { name: string; values: ArrayLike<number>; rateHz: number }[]>,
  params: Partial<PlateStanceParams> = {},
): PlateStance[] {
  const p = { ...PLATE_STANCE_DEFAULTS, ...params };
  const out: PlateStance[] = [];
  const plates = [...new Set(events.map((e) => e.plate))].sort();
  for (const plate of plates) {
    const own = events.filter((e) => e.plate === plate).sort((a, b) => a.timeS - b.timeS);
    for (let i = 0; i < own.length; i++) {
      if (own[i].label !== 'initial_contact') continue;
      const next = own[i + 1];
      const channels = components[plate] ?? [];
      const endOfData = channels.length ? (channels[0].values.length - 1) / channels[0].rateHz : own[i].timeS;
      const complete = next?.label === 'final_contact';
      const endS = complete ? next.timeS : endOfData;
      const flags: string[] = [];
      if (!complete) flags.push(next ? 'missing_final_contact' : 'trial_edge');
      const duration = endS - own[i].timeS;
      if (complete && (duration < p.minStanceS || duration > p.maxStanceS)) flags.push('duration_out_of_range');
      const curves: Record<string, Float64Array> = {};
      if (duration > 0) for (const c of channels) curves[c.name] = timeNormaliseInterval(c.values, c.rateHz, own[i].timeS, endS, p.points);
      const sideFrom = own[i].side !== null || !complete ? own[i] : next;
      out.push({ plate, side: sideFrom.side, sideRule: sideFrom.sideRule ?? null, startS: own[i].timeS, endS, flags, curves });
    }
  }
  return out;
}
