// What exporting a trial reads: every channel with its device and decoded samples, in channel order.
import type { TrialChannelForExport } from '../formats/c3d/trial-to-c3d';
import type { Db } from './db';
import { StoreError } from './db';
import { decodeSamples } from './sample-codec';
import { stmt } from './statements';

interface Row { channel: string; unit: string; rate_hz: number | null; domain: 'time' | 'stance' | 'cycle'; device: string | null; samples: number; encoding: string; data: Buffer }

export function readChannelsForExport(db: Db, dbPath: string, trialId: string): TrialChannelForExport[] {
  const rows = stmt(db, 'SELECT channel, unit, rate_hz, domain, device, samples, encoding, data FROM signals WHERE trial_id = ? ORDER BY position').all(trialId) as Row[];
  return rows.map((r) => {
    let samples: Float32Array;
    try {
      samples = decodeSamples(r.data, r.encoding, r.samples) as Float32Array;
    } catch (e) {
      throw new StoreError(dbPath, `trial ${trialId} channel ${r.channel}: the stored samples are damaged (${(e as Error).message})`);
    }
    return { name: r.channel, unit: r.unit, rateHz: r.rate_hz, domain: r.domain, device: r.device, samples };
  });
}
