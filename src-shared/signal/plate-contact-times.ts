// Temporal parameters from force-plate contacts alone. A walk over a few plates gives each foot one or two
// contacts, seldom a whole stride (initial contact to the next one of the same foot) on plates, so the stride
// parameters stay empty; the contacts still give each foot's stance time (initial → final contact on one plate)
// and step time (the other foot's initial contact → this foot's, Perry & Burnfield ch. 1) where two contacts of
// opposite feet follow each other on plates.
import type { FootSide } from './events/types';
import type { PlateStance } from './plate-stances';

export interface PlateContactTimes {
  /** Per foot, the stance times of its complete, plausible (unflagged) contacts, s. */
  stanceTimeS: Record<FootSide, number[]>;
  /** Per foot, the step times ending at its initial contacts, s. */
  stepTimeS: Record<FootSide, number[]>;
}

/**
 * Stance and step times of plate stances (PlateStances' output). Two contacts count as consecutive steps only
 * when the second foot lands before the first one leaves (the double support of walking): otherwise a step
 * off the plates may lie between them.
 */
export function plateContactTimes(stances: readonly Pick<PlateStance, 'side' | 'startS' | 'endS' | 'flags'>[]): PlateContactTimes {
  const out: PlateContactTimes = { stanceTimeS: { left: [], right: [] }, stepTimeS: { left: [], right: [] } };
  const usable = stances
    .filter((s): s is typeof s & { side: FootSide } => (s.side === 'left' || s.side === 'right') && s.flags.length === 0)
    .sort((a, b) => a.startS - b.startS);
  for (const s of usable) out.stanceTimeS[s.side].push(s.endS - s.startS);
  for (let k = 1; k < usable.length; k++) {
    const before = usable[k - 1], now = usable[k];
    if (now.side !== before.side && now.startS < before.endS) out.stepTimeS[now.side].push(now.startS - before.startS);
  }
  return out;
}
