// What a gait-event detector method runs on: a trial's decoded channels (and the file's own events), as the
// service loads them from the store. Plain data, so detectors stay pure and run anywhere (main, worker, test).
import type { FootSide, GaitEvent, GaitEventLabel, PerSide, TurnEventLabel } from '../../signal/events/types';

/** What is known of a channel without decoding its samples: enough to choose a detector. */
export interface ChannelMeta {
  name: string;
  unit: string;
  rateHz: number | null;
  domain: string;
}

/** A decoded channel of a trial, gaps filled (detectors and filters need continuous signals). */
export interface TrialChannel extends ChannelMeta {
  side: string | null;
  values: Float32Array;
}

/** An event the file itself carries (C3D EVENT group, annotations), as stored. */
export interface FileEvent {
  label: string;
  side: string | null;
  timeS: number;
}

export interface TrialSignals {
  channels: ReadonlyMap<string, TrialChannel>;
  /** The file's own events, neither detected nor manual: force plates take their side from them. */
  fileEvents?: readonly FileEvent[];
}

/**
 * A detected event; `side` is null where the signals cannot tell the foot (a plate without file events) and for
 * events of neither foot (a turn).
 */
export type DetectedEvent = Omit<GaitEvent, 'side' | 'label'> & { label: GaitEventLabel | TurnEventLabel; side: FootSide | null };

export interface DetectedEvents {
  events: DetectedEvent[];
}

export const rateOf = (c: ChannelMeta): number => c.rateHz ?? NaN;

/** The named channels per side, where the trial has them. */
export function pickSides(channels: ReadonlyMap<string, TrialChannel>, names: PerSide<string>): PerSide<TrialChannel> {
  const out: PerSide<TrialChannel> = {};
  for (const side of ['left', 'right'] as FootSide[]) {
    const name = names[side];
    const c = name ? channels.get(name) : undefined;
    if (c) out[side] = c;
  }
  return out;
}

/** Counts for a run's summary: events per label and side. */
export function eventSummary(events: readonly DetectedEvent[]): { [key: string]: number } {
  const out: { [key: string]: number } = { events: events.length };
  for (const e of events) {
    const k = `${e.label}:${e.side ?? 'none'}`;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}
