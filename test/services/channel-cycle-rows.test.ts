// The rows of every channel's gait cycles (light records over one block of curves per channel) and the gait graph's
// mean ± SD read from those blocks, against the one-row-at-a-time result they replace: each curve from the
// one-channel normaliser (timeNormaliseInterval, at float32 as stored), each cycle's phase events from
// cyclePhaseEvents, each side's mean ± SD from curveMeanSd over those curves. On gait-pig.c3d itself (3 cycles per
// channel) and on the 3-minute trial bench:signal times (the same file tiled: ~380 cycles per channel).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allChannelCycles, channelSideMeanSd } from '../../src-main/services/channel-cycle-rows';
import type { TrialChannel } from '../../src-shared/methods';
import { cyclePhaseEvents } from '../../src-shared/signal/cycle-phases';
import { curveMeanSd } from '../../src-shared/signal/curve-stats';
import { GaitCycleSegmentation } from '../../src-shared/signal/cycles';
import type { FootSide, GaitEvent, GaitEventLabel } from '../../src-shared/signal/events';
import { timeNormaliseInterval } from '../../src-shared/signal/normalise';
import { tiledMocapTrial } from '../../bench/mocap-cycles';
import { trialFromFiles } from '../methods/trial-from-files';
import { sharedData } from '../helpers';

const PIG = sharedData('horst2019-gait-c3d', 'gait-pig.c3d');

/** Every row and every channel side's mean ± SD against the one-row-at-a-time computation; returns the row count. */
function assertSameAsOneByOne(channels: ReadonlyMap<string, TrialChannel>, events: GaitEvent[], durationS: number, everyNthChannel: number): number {
  const { cycles } = new GaitCycleSegmentation().run({ events, trialEndS: durationS });
  const complete = cycles.filter((c) => c.durationS !== null);
  const rows = allChannelCycles(cycles, channels, events, 101, 'file');
  const stats = channelSideMeanSd(rows);
  const timed = [...channels.values()].filter((c) => c.domain === 'time' && c.rateHz && c.values.length > 1);
  // Every channel covers every cycle here: channel after channel, each with all cycles in order.
  assert.equal(rows.length, timed.length * complete.length);
  assert.equal(stats.length, timed.length * 2);
  for (let ci = 0; ci < timed.length; ci += everyNthChannel) {
    const ch = timed[ci];
    const bySide: Record<FootSide, Float32Array[]> = { left: [], right: [] };
    complete.forEach((cycle, k) => {
      const row = rows[ci * complete.length + k];
      const { startS, endS } = cycle.interval;
      const expected = Float32Array.from(timeNormaliseInterval(ch.values, ch.rateHz!, startS, endS, 101));
      assert.deepEqual(row.curve, expected, `${ch.name} cycle ${k}`);
      assert.deepEqual([row.channel, row.unit, row.kind, row.side, row.startS, row.endS, row.eventSource, row.flags], [ch.name, ch.unit, 'gait_cycle', cycle.side, startS, endS, 'file', cycle.flags]);
      assert.deepEqual(row.phaseEvents, { ...cyclePhaseEvents(cycle.side, startS, endS, events) });
      bySide[cycle.side].push(expected);
    });
    for (const side of ['left', 'right'] as const) {
      const got = stats.find((s) => s.channel === ch.name && s.side === side)!.stats;
      const want = curveMeanSd(bySide[side])!;
      assert.equal(got.n, want.n);
      for (let k = 0; k < 101; k++) {
        const scale = Math.max(1, Math.abs(want.mean[k]));
        assert.ok(Math.abs(got.mean[k] - want.mean[k]) <= 1e-12 * scale, `${ch.name} ${side} mean[${k}] ${got.mean[k]} vs ${want.mean[k]}`);
        assert.ok(Math.abs(got.sd[k] - want.sd[k]) <= 1e-12 * scale, `${ch.name} ${side} sd[${k}] ${got.sd[k]} vs ${want.sd[k]}`);
      }
    }
  }
  return rows.length;
}

test('gait-pig.c3d: every channel (50 Hz points and model outputs, 800 Hz analogs) at its own cycles, row by row and side by side', async () => {
  const trial = await trialFromFiles([PIG]);
  const events: GaitEvent[] = (trial.fileEvents ?? [])
    .filter((e) => (e.label === 'initial_contact' || e.label === 'final_contact') && (e.side === 'left' || e.side === 'right'))
    .map((e) => ({ label: e.label as GaitEventLabel, side: e.side as FootSide, timeS: e.timeS, source: 'c3d:EVENT', confidence: 1, params: {} }))
    .sort((a, b) => a.timeS - b.timeS);
  const rates = new Set([...trial.channels.values()].map((c) => c.rateHz));
  assert.ok(rates.has(50) && rates.has(800), [...rates].join(', '));
  const durationS = Math.min(...[...trial.channels.values()].filter((c) => c.rateHz).map((c) => (c.values.length - 1) / c.rateHz!));
  const n = assertSameAsOneByOne(trial.channels, events, durationS, 1);
  assert.ok(n > 750, String(n));
});

test("the 3-minute trial bench:signal times (gait-pig.c3d tiled): 100 000 rows and 546 sides' mean ± SD as one by one", async () => {
  const m = await tiledMocapTrial(PIG);
  const channels = new Map<string, TrialChannel>(m.channels.map((c) => [c.name, { name: c.name, unit: 'u', rateHz: c.rateHz, domain: 'time', side: null, values: c.values as Float32Array }]));
  // Every 7th channel in full (the others by count): the one-by-one reference is the slow path being replaced.
  const n = assertSameAsOneByOne(channels, m.events, m.durationS, 7);
  assert.ok(n > 100_000, String(n));
});

test('a channel that does not cover a cycle has no row for it, and its sides count only the rows it has', () => {
  const e = (label: GaitEventLabel, side: FootSide, timeS: number): GaitEvent => ({ label, side, timeS, source: 'test', confidence: 1, params: {} });
  const events = [0.5, 1.5, 2.5, 3.5].map((t) => e('initial_contact', 'left', t)).concat([1, 2, 3].map((t) => e('initial_contact', 'right', t)));
  events.sort((a, b) => a.timeS - b.timeS);
  const ramp = (n: number) => Float32Array.from({ length: n }, (_, i) => i);
  const channels = new Map<string, TrialChannel>([
    ['long', { name: 'long', unit: 'mm', rateHz: 100, domain: 'time', side: null, values: ramp(401) }],
    ['short', { name: 'short', unit: 'N', rateHz: 100, domain: 'time', side: null, values: ramp(251) }],
  ]);
  const rows = allChannelCycles(new GaitCycleSegmentation().run({ events, trialEndS: 4 }).cycles, channels, events, 101, 'file');
  const starts = (name: string) => rows.filter((r) => r.channel === name).map((r) => [r.side, r.startS]);
  // In the segmentation's order (left cycles, then right ones).
  assert.deepEqual(starts('long'), [['left', 0.5], ['left', 1.5], ['left', 2.5], ['right', 1], ['right', 2]]);
  // 'short' ends at 2.5 s: the cycles ending at 3 and 3.5 s are past it.
  assert.deepEqual(starts('short'), [['left', 0.5], ['left', 1.5], ['right', 1]]);
  const stats = channelSideMeanSd(rows).map((s) => [s.channel, s.side, s.stats.n, s.stats.mean[0]]);
  assert.deepEqual(stats, [['long', 'left', 3, 150], ['long', 'right', 2, 150], ['short', 'left', 2, 100], ['short', 'right', 1, 100]]);
});
