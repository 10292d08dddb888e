// What every gait-event detector returns: plain, serialisable values (BTK-style: each event carries its side,
// source and the threshold that produced it), assignable to the store's ImportedEvent.

export type GaitEventLabel = 'initial_contact' | 'final_contact' | 'mid_swing';
/** A turn while walking, as an event pair of neither foot (side null); strides overlapping it are flagged in_turn. */
export type TurnEventLabel = 'turn_start' | 'turn_end';
export type FootSide = 'left' | 'right';
export const FOOT_SIDES: readonly FootSide[] = ['left', 'right'];

export interface GaitEvent {
  label: GaitEventLabel;
  side: FootSide;
  /** Seconds from the start of the signal (plus the input's `startS`), interpolated between samples. */
  timeS: number;
  /** The detector's name, e.g. 'ForceThresholdEvents'. */
  source: string;
  /** 0–1: how clear-cut the event is, by the detector's own rule (documented on each detector). */
  confidence: number;
  /** The threshold that produced the event, where one did. */
  threshold?: { value: number; unit: string };
  /** The detector's parameters (plain JSON), so a stored event can always say what produced it. */
  params: Record<string, unknown>;
}

/** Signals per foot, one sample rate. Either side may be absent (a single plate, one instrumented foot). */
export interface PerSide<T> {
  left?: T;
  right?: T;
}

export interface SideSignals<T> extends PerSide<T> {
  rateHz: number;
  /** Time of the first sample, s (default 0). */
  startS?: number;
}

export function checkRate(rateHz: number): void {
  if (!(rateHz > 0) || !Number.isFinite(rateHz)) throw new RangeError(`rateHz must be a positive number, got ${rateHz}`);
}

/** Events of both sides in time order (left before right on equal times, so the order is deterministic). */
export function byTime(events: GaitEvent[]): GaitEvent[] {
  return events.sort((x, y) => x.timeS - y.timeS || (x.side === y.side ? 0 : x.side === 'left' ? -1 : 1));
}

export const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);
