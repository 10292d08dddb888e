// The events inside a gait cycle, as % of the cycle: the foot's own foot-off (the vertical line of a gait graph)
// and the opposite foot's off and strike, which bound the two double-support phases (Perry & Burnfield 2010:
// opposite foot off ≈ 10 %, opposite strike ≈ 50 %, foot off ≈ 60 % in healthy walking).
import type { FootSide, GaitEvent } from './events/types';

export interface CyclePhaseEvents {
  /** The foot's own final contact, % of the cycle; null when none falls inside. */
  footOffPercent: number | null;
  /** The opposite foot's first final contact inside the cycle, %. */
  oppositeFootOffPercent: number | null;
  /** The opposite foot's first initial contact inside the cycle, %. */
  oppositeFootStrikePercent: number | null;
}

const percentOf = (startS: number, endS: number, t: number | undefined) => (t === undefined ? null : (100 * (t - startS)) / (endS - startS));

/** The phase events of the cycle [startS, endS) of `side`, from a trial's events (any order). */
export function cyclePhaseEvents(side: FootSide, startS: number, endS: number, events: readonly GaitEvent[]): CyclePhaseEvents {
  const other: FootSide = side === 'left' ? 'right' : 'left';
  const first = (s: FootSide, label: GaitEvent['label']) => {
    let best: number | undefined;
    for (const e of events) if (e.side === s && e.label === label && e.timeS > startS && e.timeS < endS && (best === undefined || e.timeS < best)) best = e.timeS;
    return best;
  };
  return {
    footOffPercent: percentOf(startS, endS, first(side, 'final_contact')),
    oppositeFootOffPercent: percentOf(startS, endS, first(other, 'final_contact')),
    oppositeFootStrikePercent: percentOf(startS, endS, first(other, 'initial_contact')),
  };
}

/**
 * cyclePhaseEvents of many cycles: the events sorted once, each cycle's found by binary search and read until its
 * end, rather than every event scanned per cycle (a 3-minute trial: 380 cycles × 660 events × 3 looks).
 */
export function cyclesPhaseEvents(cycles: readonly { side: FootSide; startS: number; endS: number }[], events: readonly GaitEvent[]): CyclePhaseEvents[] {
  const sorted = [...events].sort((a, b) => a.timeS - b.timeS);
  return cycles.map(({ side, startS, endS }) => {
    const other: FootSide = side === 'left' ? 'right' : 'left';
    let lo = 0, hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid].timeS > startS) hi = mid;
      else lo = mid + 1;
    }
    let footOff: number | undefined, oppositeOff: number | undefined, oppositeStrike: number | undefined;
    for (let i = lo; i < sorted.length && sorted[i].timeS < endS; i++) {
      const e = sorted[i];
      if (e.side === side) {
        if (e.label === 'final_contact') footOff ??= e.timeS;
      } else if (e.side === other) {
        if (e.label === 'final_contact') oppositeOff ??= e.timeS;
        else if (e.label === 'initial_contact') oppositeStrike ??= e.timeS;
      }
    }
    return {
      footOffPercent: percentOf(startS, endS, footOff),
      oppositeFootOffPercent: percentOf(startS, endS, oppositeOff),
      oppositeFootStrikePercent: percentOf(startS, endS, oppositeStrike),
    };
  });
}
