// The bench:signal case of issue 22: gait cycles of every channel of a 3-minute 100 Hz motion-capture trial, plus
// the gait graph's data (per channel and side, mean ± SD over the cycles). No such file exists here, so the trial
// is built by tiling a real one: gait-pig.c3d's 231 point channels (markers and Plug-in-Gait outputs, 50 Hz) and
// its 30 analog channels (800 Hz), all resampled to 100 Hz, cut from its first to its third left foot strike
// (two strides, 0.57–2.48 s) and repeated with the file's own events shifted by one tile each time.
import { readSourceFile } from '../src-main/formats/source-file';
import { detectFormat } from '../src-main/formats/registry';
import { allChannelCycles, channelSideMeanSd } from '../src-main/services/channel-cycle-rows';
import type { TrialChannel } from '../src-shared/methods/gait/trial-signals';
import type { NamedChannel } from '../src-shared/signal/channel-cycles';
import { GaitCycleSegmentation } from '../src-shared/signal/cycles';
import type { FootSide, GaitEvent, GaitEventLabel } from '../src-shared/signal/events';
import { resampleLinear } from '../src-shared/signal/resample';

const RATE_HZ = 100;
const MINUTES = 3;

export async function tiledMocapTrial(path: string): Promise<{ channels: NamedChannel[]; events: GaitEvent[]; durationS: number }> {
  const file = await readSourceFile(path);
  const batch = await detectFormat(file.name, file.bytes.subarray(0, 65536))!.read(file);
  const trial = batch.sessions[0].trials[0];
  const t0 = 0.57, t1 = 2.48; // Left Foot Strike → the next-but-one Left Foot Strike
  const tileN = Math.round((t1 - t0) * RATE_HZ);
  const tiles = Math.ceil((MINUTES * 60 * RATE_HZ) / tileN);
  const channels: NamedChannel[] = [];
  for (const c of trial.channels) {
    if (c.domain !== 'time' || !c.rateHz) continue;
    const filled = Float64Array.from(c.samples, (v) => (Number.isNaN(v) ? 0 : v));
    const at100 = resampleLinear(filled, c.rateHz, RATE_HZ);
    const first = Math.round(t0 * RATE_HZ);
    if (at100.length < first + tileN) continue;
    const out = new Float32Array(tiles * tileN + 1);
    for (let k = 0; k < tiles; k++) out.set(at100.subarray(first, first + tileN), k * tileN);
    out[out.length - 1] = at100[first + tileN] ?? at100[first];
    channels.push({ name: c.name, values: out, rateHz: RATE_HZ });
  }
  const tileS = tileN / RATE_HZ;
  const own = (trial.events ?? []).filter((e) => e.timeS >= t0 && e.timeS < t1 && (e.side === 'left' || e.side === 'right'));
  const events: GaitEvent[] = [];
  for (let k = 0; k < tiles; k++) {
    for (const e of own) events.push({ label: e.label as GaitEventLabel, side: e.side as FootSide, timeS: e.timeS - t0 + k * tileS, source: 'c3d:EVENT', confidence: 1, params: {} });
  }
  return { channels, events: events.sort((a, b) => a.timeS - b.timeS), durationS: tiles * tileS };
}

/**
 * Cycles of every channel as the service cuts them for storage (its own function: the rows with curves, sides,
 * flags, phase events that replaceCycles writes; the SQLite write aside) and the gait graph's data: per channel and
 * side, mean ± SD over those rows' curves.
 */
export function cyclesAndGraph(channels: readonly NamedChannel[], events: GaitEvent[], durationS: number): number {
  const { cycles } = new GaitCycleSegmentation().run({ events, trialEndS: durationS });
  const byName = new Map<string, TrialChannel>(channels.map((c) => [c.name, { name: c.name, unit: '', rateHz: c.rateHz, domain: 'time', side: null, values: c.values as Float32Array }]));
  const rows = allChannelCycles(cycles, byName, events, 101, 'c3d:EVENT');
  channelSideMeanSd(rows);
  return rows.length;
}
