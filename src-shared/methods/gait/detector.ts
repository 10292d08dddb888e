// A gait-event detector as a method: the contract's transform on a trial's signals, plus what it needs to be
// chosen for a trial (which channels it reads) and which channel each side's cycles are drawn from.
import { defineTransform, type RunOptions, type TransformMethod } from '../contract';
import type { ParamSchema, ParamValue } from '../params';
import type { PerSide } from '../../signal/events/types';
import { eventSummary, type ChannelMeta, type DetectedEvent, type DetectedEvents, type TrialSignals } from './trial-signals';

export interface EventDetectorMethod<P> extends TransformMethod<P, TrialSignals, DetectedEvents> {
  /** What the detector needs, for messages: 'L_total and R_total (insole total force, N)'. */
  readonly needs: string;
  /** Whether the trial's channels (metadata only: no samples decoded) are what the detector reads. */
  matches(channels: readonly ChannelMeta[]): boolean;
  /** Per side, the channel whose cycles and stances are time-normalised (none for plates: see PlateStances). */
  curveChannels(channels: readonly ChannelMeta[]): PerSide<string>;
  /** What the trial lacks for these parameters (marker labels), for a one-line refusal; absent: `matches` decides. */
  readonly missing?: (channels: readonly ChannelMeta[], params: P) => string[];
}

export function defineEventDetector<P extends { [K in keyof P]: ParamValue }>(def: {
  name: string;
  version: string;
  description: string;
  needs: string;
  params: ParamSchema<P>;
  matches(channels: readonly ChannelMeta[]): boolean;
  curveChannels(channels: readonly ChannelMeta[]): PerSide<string>;
  missing?: (channels: readonly ChannelMeta[], params: P) => string[];
  detect(input: TrialSignals, params: P, options: RunOptions): DetectedEvent[];
}): EventDetectorMethod<P> {
  const transform = defineTransform<P, TrialSignals, DetectedEvents>({
    name: def.name, version: def.version, role: 'gait-events', description: def.description, params: def.params,
    apply(input, params, { options }) {
      // Every event carries every parameter as the run had it, plus its own details (the plate, the insole's baseline).
      const events = def.detect(input, params, options).map((e) => ({ ...e, params: { ...e.params, ...params } }));
      return { output: { events }, summary: eventSummary(events) };
    },
  });
  return { ...transform, needs: def.needs, matches: def.matches, curveChannels: def.curveChannels, missing: def.missing };
}

/** A channel's metadata by name, from a list. */
export const byName = (channels: readonly ChannelMeta[], name: string): ChannelMeta | undefined => channels.find((c) => c.name === name);
