// Gait cycles (initial contact → next initial contact of the same foot) and stance phases (initial → final
// contact) from detected events, each with a 101-point time-normalised curve of a channel. Nothing is dropped:
// an incomplete or implausible cycle is kept with the reasons as flags, so a report can show what was excluded.
import { timeNormaliseInterval } from './normalise';
import { MAD_TO_SD, mad, median } from './stats';
import { FOOT_SIDES, type FootSide, type GaitEvent, type PerSide } from './events/types';

export type CycleFlag =
  /** No final contact between this initial contact and the next: stance (and its curve) undefined. */
  | 'missing_final_contact'
  /** More than one final contact before the next initial contact (a missed initial contact?): the first is used. */
  | 'multiple_final_contacts'
  /** The trial ends before the next initial contact (or before the final contact, for a stance). */
  | 'trial_edge'
  /** Gait-cycle duration outside [minCycleS, maxCycleS]. */
  | 'duration_out_of_range'
  /** Duration beyond median ± outlierMads × 1.4826·MAD of this side's durations (Leys et al. 2013). */
  | 'duration_outlier'
  /** Stance outside [minStancePercent, maxStancePercent] of the cycle. */
  | 'stance_out_of_range'
  /** A channel was given but does not cover the interval: no curve. */
  | 'outside_channel'
  /** The cycle overlaps a turn (CycleInput.turns): not straight walking. Left out of summaries while excludeTurns is on. */
  | 'in_turn';

export interface Interval {
  startS: number;
  endS: number;
}

export interface GaitCycle {
  side: FootSide;
  /** Order among this side's cycles, from 0. */
  index: number;
  /** Initial contact → next initial contact; for a cycle cut by the trial end, endS is the trial end. */
  interval: Interval;
  /** null when the cycle is incomplete (trial_edge). */
  durationS: number | null;
  finalContactS: number | null;
  stancePercent: number | null;
  /** `points` samples of the channel over 0–100 % of the cycle; null when incomplete or without a channel. */
  curve: Float64Array | null;
  flags: CycleFlag[];
}

export interface StancePhase {
  side: FootSide;
  index: number;
  /** Initial → final contact; for a stance cut by the trial end, endS is the trial end. */
  interval: Interval;
  durationS: number | null;
  curve: Float64Array | null;
  flags: CycleFlag[];
}

export interface CurveChannel {
  values: ArrayLike<number>;
  rateHz: number;
  /** Time of the first sample, s (default 0), on the same clock as the events. */
  startS?: number;
}

export interface CycleParams {
  /** Plausible gait-cycle duration, s: [0.4, 2.5] spans running-pace strides to very slow pathological walking. */
  minCycleS: number;
  maxCycleS: number;
  /** Outlier rule: |d − median| > outlierMads · 1.4826 · MAD (3: Leys et al. 2013's "very conservative" cut). */
  outlierMads: number;
  /** Floor for 1.4826·MAD, s, so identical strides (MAD = 0) do not turn every jitter of a sample into an outlier. */
  outlierFloorS: number;
  /** The outlier rule needs this many complete cycles on the side; with fewer it is not applied. */
  outlierMinCycles: number;
  /** Plausible stance, % of the cycle: 40–80 % brackets walking (≈ 60 %) from fast to shuffling gait. */
  minStancePercent: number;
  maxStancePercent: number;
  /** Points per normalised curve (101: 0, 1, …, 100 %). */
  points: number;
  /**
   * Whether cycles flagged in_turn are left out of the summaries (straight-walking parameters) like any other
   * flagged cycle; when false they count, and only their flag says they turned.
   */
  excludeTurns: boolean;
}

export const CYCLE_DEFAULTS: CycleParams = {
  minCycleS: 0.4, maxCycleS: 2.5, outlierMads: 3, outlierFloorS: 0.02, outlierMinCycles: 5,
  minStancePercent: 40, maxStancePercent: 80, points: 101, excludeTurns: true,
};

/** Whether a cycle (or stride) with these flags counts in summaries and mean curves under these settings. */
export function countsInSummaries(flags: readonly string[], params: Pick<CycleParams, 'excludeTurns'>): boolean {
  return flags.every((f) => f === 'in_turn' && !params.excludeTurns);
}

export interface CycleInput {
  events: GaitEvent[];
  /** The channel to normalise per side (e.g. each foot's vertical force); a side without one gets no curves. */
  channels?: PerSide<CurveChannel>;
  /** End of the recording, s: closes the last (incomplete) cycle. Default: the end of the side's channel, else its last event. */
  trialEndS?: number;
  /** Turns of the walk (turn_start → turn_end): cycles and stances overlapping one are flagged in_turn. */
  turns?: Interval[];
}

export interface CycleResult {
  cycles: GaitCycle[];
  stances: StancePhase[];
  params: CycleParams;
}

/** `new GaitCycleSegmentation().run({ events, channels: { left: { values: lTotal, rateHz: 100 } } })`. */
export class GaitCycleSegmentation {
  readonly params: CycleParams;

  constructor(params: Partial<CycleParams> = {}) {
    this.params = { ...CYCLE_DEFAULTS, ...params };
    if (!(this.params.minCycleS < this.params.maxCycleS)) throw new RangeError('minCycleS must be below maxCycleS');
  }

  run(input: CycleInput): CycleResult {
    const cycles: GaitCycle[] = [];
    const stances: StancePhase[] = [];
    const turns = input.turns ?? [];
    for (const side of FOOT_SIDES) {
      const channel = input.channels?.[side];
      const own = input.events.filter((e) => e.side === side).sort((x, y) => x.timeS - y.timeS);
      const ics = own.filter((e) => e.label === 'initial_contact').map((e) => e.timeS);
      const fcs = own.filter((e) => e.label === 'final_contact').map((e) => e.timeS);
      const channelEndS = channel ? (channel.startS ?? 0) + (channel.values.length - 1) / channel.rateHz : undefined;
      const endS = input.trialEndS ?? channelEndS ?? (own.length ? own[own.length - 1].timeS : 0);
      const sideCycles: GaitCycle[] = [];
      const sideStances: StancePhase[] = [];
      ics.forEach((ic, k) => {
        const next = k + 1 < ics.length ? ics[k + 1] : null;
        const upTo = next ?? endS;
        const fcsInside = fcs.filter((t) => t > ic && t < upTo);
        const fc = fcsInside.length ? fcsInside[0] : null;
        const flags: CycleFlag[] = [];
        if (next === null) flags.push('trial_edge');
        if (fc === null) flags.push('missing_final_contact');
        if (fcsInside.length > 1 && next !== null) flags.push('multiple_final_contacts');
        const durationS = next === null ? null : next - ic;
        if (durationS !== null && (durationS < this.params.minCycleS || durationS > this.params.maxCycleS)) flags.push('duration_out_of_range');
        const stancePercent = durationS !== null && fc !== null ? (100 * (fc - ic)) / durationS : null;
        if (stancePercent !== null && (stancePercent < this.params.minStancePercent || stancePercent > this.params.maxStancePercent)) {
          flags.push('stance_out_of_range');
        }
        const cycleCurve = next === null ? { curve: null } : this.curve(channel, ic, next);
        if (cycleCurve.outside) flags.push('outside_channel');
        if (overlapsAny(ic, upTo, turns)) flags.push('in_turn');
        sideCycles.push({ side, index: k, interval: { startS: ic, endS: upTo }, durationS, finalContactS: fc, stancePercent, curve: cycleCurve.curve, flags });

        const stanceFlags: CycleFlag[] = [];
        if (fc === null) stanceFlags.push(next === null ? 'trial_edge' : 'missing_final_contact');
        if (fcsInside.length > 1 && next !== null) stanceFlags.push('multiple_final_contacts');
        if (stancePercent !== null && flags.includes('stance_out_of_range')) stanceFlags.push('stance_out_of_range');
        const stanceCurve = fc === null ? { curve: null } : this.curve(channel, ic, fc);
        if (stanceCurve.outside) stanceFlags.push('outside_channel');
        if (overlapsAny(ic, fc ?? upTo, turns)) stanceFlags.push('in_turn');
        sideStances.push({ side, index: k, interval: { startS: ic, endS: fc ?? upTo }, durationS: fc === null ? null : fc - ic, curve: stanceCurve.curve, flags: stanceFlags });
      });
      this.flagOutliers(sideCycles);
      this.flagOutliers(sideStances);
      cycles.push(...sideCycles);
      stances.push(...sideStances);
    }
    return { cycles, stances, params: { ...this.params } };
  }

  private curve(channel: CurveChannel | undefined, startS: number, endS: number): { curve: Float64Array | null; outside?: boolean } {
    if (!channel) return { curve: null };
    try {
      return { curve: timeNormaliseInterval(channel.values, channel.rateHz, startS, endS, this.params.points, channel.startS ?? 0) };
    } catch {
      return { curve: null, outside: true };
    }
  }

  /** Flags durations beyond median ± k·max(1.4826·MAD, floor) among this side's complete items. */
  private flagOutliers(items: Array<{ durationS: number | null; flags: CycleFlag[] }>): void {
    const complete = items.filter((c) => c.durationS !== null);
    if (complete.length < this.params.outlierMinCycles) return;
    const d = Float64Array.from(complete, (c) => c.durationS as number);
    const centre = median(d);
    const spread = Math.max(MAD_TO_SD * mad(d), this.params.outlierFloorS);
    for (const c of complete) {
      if (Math.abs((c.durationS as number) - centre) > this.params.outlierMads * spread) c.flags.push('duration_outlier');
    }
  }
}

/** Whether [startS, endS] shares more than an instant with one of the intervals. */
function overlapsAny(startS: number, endS: number, intervals: readonly Interval[]): boolean {
  return intervals.some((t) => startS < t.endS && t.startS < endS);
}
