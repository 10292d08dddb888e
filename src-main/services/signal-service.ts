import type { ChannelData } from '../../src-shared/api/schema';
import { minMaxDecimationIndices } from '../../src-shared/signal/decimate';
import { readClock, readSignals } from '../store/queries';
import { decodeSamples } from '../store/sample-codec';
import type { ServiceContext } from './context';

/** x of each sample: the device clock when the trial has one, else index / rate; percent for curves. */
function axis(row: { domain: string; rate_hz: number | null; samples: number }, clock: Float64Array | null): (i: number) => number {
  if (row.domain !== 'time') return (i) => (row.samples > 1 ? (100 * i) / (row.samples - 1) : 0);
  if (clock && clock.length === row.samples) return (i) => clock[i];
  const rate = row.rate_hz ?? 1;
  return (i) => i / rate;
}

export function getChannels(ctx: ServiceContext, trialId: string, opts: { channels?: string[]; maxPoints?: number; valuesIncluded: boolean }): ChannelData[] {
  const rows = readSignals(ctx.db, trialId, opts.channels);
  let clock: Float64Array | null = null;
  if (opts.valuesIncluded) {
    const c = readClock(ctx.db, trialId);
    if (c) clock = decodeSamples(c.data, c.encoding, c.samples, `trial ${trialId} device clock`) as Float64Array;
  }
  return rows.map((r) => {
    const base: ChannelData = { name: r.channel, unit: r.unit, rateHz: r.rate_hz, domain: r.domain, side: r.side, samples: r.samples };
    if (!opts.valuesIncluded) return base;
    const values = decodeSamples(r.data, r.encoding, r.samples, `trial ${trialId} channel ${r.channel}`);
    const x = axis(r, clock);
    if (opts.maxPoints && opts.maxPoints < r.samples) {
      const idx = minMaxDecimationIndices(values, opts.maxPoints);
      return { ...base, values: Array.from(idx, (i) => values[i]), x: Array.from(idx, (i) => round(x(i))), decimated: true };
    }
    return { ...base, values: Array.from(values), x: Array.from({ length: r.samples }, (_, i) => round(x(i))), decimated: false };
  });
}

// Times to 0.1 µs: enough for any sample rate here, and JSON stays short.
function round(v: number): number {
  return Math.round(v * 1e7) / 1e7;
}
