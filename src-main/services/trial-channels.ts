// A trial's channels decoded for the methods: undefined samples filled, since detectors and filters need
// continuous signals. A channel with no defined sample at all is left out (nothing to detect from).
import type { TrialChannel } from '../../src-shared/methods';
import { fillGaps } from '../../src-shared/signal/gaps';
import { readSignals } from '../store/queries';
import { decodeSamples } from '../store/sample-codec';
import type { Db } from '../store/db';
import type { ServiceContext } from './context';

export function loadChannels(ctx: ServiceContext, trialId: string): Map<string, TrialChannel> {
  return loadTrialChannels(ctx.db, trialId);
}

/** The same, from a database handle (a worker process has no service context). */
export function loadTrialChannels(db: Db, trialId: string): Map<string, TrialChannel> {
  const out = new Map<string, TrialChannel>();
  for (const r of readSignals(db, trialId)) {
    const filled = fillGaps(decodeSamples(r.data, r.encoding, r.samples, `trial ${trialId} channel ${r.channel}`) as Float32Array);
    if (!filled) continue;
    out.set(r.channel, { name: r.channel, unit: r.unit, rateHz: r.rate_hz, domain: r.domain, side: r.side, values: filled.values });
  }
  return out;
}
