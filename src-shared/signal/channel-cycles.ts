// Every channel of a trial cut at the same gait cycles: the curves of a gait graph (angles, moments, powers,
// forces, analogs) over 0–100 % of each cycle, each channel at its own rate (markers at 50 Hz and analogs at
// 800 Hz cut at one event time land on the same instant, since the events are times, not frames).
import { timeNormaliseInterval } from './normalise';
import type { Interval } from './cycles';

export interface NamedChannel {
  name: string;
  values: ArrayLike<number>;
  rateHz: number;
  /** Time of the first sample, s (default 0), on the events' clock. */
  startS?: number;
}

export interface ChannelCycleCurve {
  channel: string;
  /** Index into the cycles given. */
  cycle: number;
  curve: Float64Array;
}

/**
 * For each complete interval and each channel covering it, the channel's `points`-point time-normalised curve.
 * A channel that does not cover an interval gives no curve for it (listed in `outside`), never a padded one.
 */
export function cutChannelCycles(intervals: readonly Interval[], channels: readonly NamedChannel[], points = 101): { curves: ChannelCycleCurve[]; outside: { channel: string; cycle: number }[] } {
  const curves: ChannelCycleCurve[] = [];
  const outside: { channel: string; cycle: number }[] = [];
  for (const ch of channels) {
    const start = ch.startS ?? 0;
    const end = start + (ch.values.length - 1) / ch.rateHz;
    intervals.forEach((iv, cycle) => {
      // The same tolerance as timeNormaliseInterval, checked here so a whole trial does not throw per channel.
      const eps = 1e-9 * Math.max(1, ch.values.length) / ch.rateHz;
      if (iv.startS < start - eps || iv.endS > end + eps || ch.values.length < 2) {
        outside.push({ channel: ch.name, cycle });
        return;
      }
      curves.push({ channel: ch.name, cycle, curve: timeNormaliseInterval(ch.values, ch.rateHz, iv.startS, iv.endS, points, start) });
    });
  }
  return { curves, outside };
}
