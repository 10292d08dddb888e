// Every channel of a trial cut at the same gait cycles: the curves of a gait graph (angles, moments, powers,
// forces, analogs) over 0–100 % of each cycle, each channel at its own rate (markers at 50 Hz and analogs at
// 800 Hz cut at one event time land on the same instant, since the events are times, not frames).
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
  curve: Float32Array;
}

/** Where each of a cycle's points falls in a signal: sample index and fraction, shared by its channels of one clock. */
interface SamplePositions { index: Int32Array; fraction: Float64Array; inside: boolean[] }

function positions(intervals: readonly Interval[], rateHz: number, startS: number, length: number, points: number): SamplePositions {
  const index = new Int32Array(intervals.length * points);
  const fraction = new Float64Array(intervals.length * points);
  const inside: boolean[] = [];
  const lastSample = length - 1;
  // The same tolerance as timeNormaliseInterval for event times at the very ends of the signal.
  const eps = 1e-9 * Math.max(1, lastSample);
  intervals.forEach((iv, c) => {
    const first = (iv.startS - startS) * rateHz, last = (iv.endS - startS) * rateHz;
    inside.push(length >= 2 && iv.endS > iv.startS && first >= -eps && last <= lastSample + eps);
    for (let k = 0; k < points; k++) {
      // As interpolateAt: position p between floor(p) and floor(p) + 1; the last sample itself at the end.
      const p = Math.min(lastSample, Math.max(0, first + ((last - first) * k) / (points - 1)));
      const i = Math.floor(p);
      index[c * points + k] = i >= lastSample ? lastSample : i;
      fraction[c * points + k] = i >= lastSample ? 0 : p - i;
    }
  });
  return { index, fraction, inside };
}

/**
 * Every cycle's points of one channel at once, cycles outside the signal included (their positions are clamped
 * to it; the caller drops them): one flat loop that V8 compiles for the channel's array type.
 */
function interpolateInto(buffer: Float32Array, v: ArrayLike<number>, pos: SamplePositions): void {
  const { index, fraction } = pos;
  for (let j = 0; j < buffer.length; j++) {
    const i = index[j], f = fraction[j];
    buffer[j] = f === 0 ? v[i] : v[i] + f * (v[i + 1] - v[i]);
  }
}

/**
 * For each complete interval and each channel covering it, the channel's `points`-point time-normalised curve,
 * by linear interpolation exactly as timeNormaliseInterval. The sample positions of each cycle are computed once
 * per clock (rate, start, length) and shared by its channels, and each channel's curves are views of one buffer:
 * a 3-minute trial's 250 channels × 360 cycles is ten million interpolations, not a hundred thousand allocations.
 * A channel that does not cover an interval gives no curve for it (listed in `outside`), never a padded one.
 */
export function cutChannelCycles(intervals: readonly Interval[], channels: readonly NamedChannel[], points = 101): { curves: ChannelCycleCurve[]; outside: { channel: string; cycle: number }[] } {
  if (!Number.isInteger(points) || points < 2) throw new RangeError(`points must be an integer ≥ 2, got ${points}`);
  const curves: ChannelCycleCurve[] = [];
  const outside: { channel: string; cycle: number }[] = [];
  const clocks = new Map<string, SamplePositions>();
  for (const ch of channels) {
    const start = ch.startS ?? 0;
    const key = `${ch.rateHz}|${start}|${ch.values.length}`;
    let pos = clocks.get(key);
    if (!pos) clocks.set(key, (pos = positions(intervals, ch.rateHz, start, ch.values.length, points)));
    // float32, as the store keeps curves: half the memory traffic of float64 on ten million values.
    const buffer = new Float32Array(intervals.length * points);
    interpolateInto(buffer, ch.values, pos);
    for (let c = 0; c < intervals.length; c++) {
      if (pos.inside[c]) curves.push({ channel: ch.name, cycle: c, curve: buffer.subarray(c * points, (c + 1) * points) });
      else outside.push({ channel: ch.name, cycle: c });
    }
  }
  return { curves, outside };
}
