// The gait-cycle rows of every channel of a motion-capture trial, as a cycles extraction stores them, and the
// gait graph's mean ± SD of each channel side straight from them. A 3-minute 100 Hz trial has ~250 channels ×
// ~380 cycles: 100 000 rows. Each row is a light record (its channel's block of curves, the cycle's index, the
// cycle's shared facts) rather than an object with its own curve view, flags and phase events: a third of the
// objects for the collector to trace, and the curves stay in ~250 buffers.
import type { GaitCycle } from '../../src-shared/signal/cycles';
import { cutChannelCycleBlocks, type ChannelCycleBlock } from '../../src-shared/signal/channel-cycles';
import { blockMeanSd, type CurveStats } from '../../src-shared/signal/curve-stats';
import { cyclesPhaseEvents } from '../../src-shared/signal/cycle-phases';
import type { FootSide, GaitEvent } from '../../src-shared/signal/events';
import type { TrialChannel } from '../../src-shared/methods';
import type { CycleCurve } from '../store/cycles';

/** What every channel's row of one cycle shares (read-only once built). */
interface CycleFacts {
  side: FootSide;
  startS: number;
  endS: number;
  flags: string[];
  eventSource: string;
  phaseEvents: Record<string, number | null>;
}

interface UnitBlock extends ChannelCycleBlock { unit: string }

/**
 * One (channel, gait cycle) row. Its fields are read through getters, so a spread or JSON.stringify of a row sees
 * only block, cycle and facts: the store reads the fields by name (replaceCycles). `curve` is a fresh view of the
 * block on each read.
 */
export class ChannelCycleRow implements CycleCurve {
  constructor(readonly block: UnitBlock, readonly cycle: number, private readonly facts: CycleFacts) {}
  get channel(): string { return this.block.channel; }
  get unit(): string { return this.block.unit; }
  get kind(): 'gait_cycle' { return 'gait_cycle'; }
  get side(): FootSide { return this.facts.side; }
  get startS(): number { return this.facts.startS; }
  get endS(): number { return this.facts.endS; }
  get flags(): string[] { return this.facts.flags; }
  get eventSource(): string { return this.facts.eventSource; }
  get phaseEvents(): Record<string, number | null> { return this.facts.phaseEvents; }
  get curve(): Float32Array {
    const p = this.block.points;
    return this.block.curves.subarray(this.cycle * p, (this.cycle + 1) * p);
  }
}

/**
 * Every time-domain channel cut at the complete cycles, each row with its cycle's side, flags and phase events
 * (what `bench:signal` times), channel after channel; a channel that does not cover a cycle has no row for it.
 */
export function allChannelCycles(cycles: GaitCycle[], channels: ReadonlyMap<string, TrialChannel>, events: GaitEvent[], points: number, eventSource: string): ChannelCycleRow[] {
  const complete = cycles.filter((c) => c.durationS !== null);
  const timed = [...channels.values()].filter((c) => c.domain === 'time' && c.rateHz && c.values.length > 1)
    .map((c) => ({ name: c.name, values: c.values, rateHz: c.rateHz! }));
  const blocks = cutChannelCycleBlocks(complete.map((c) => c.interval), timed, points);
  const phases = cyclesPhaseEvents(complete.map((c) => ({ side: c.side, startS: c.interval.startS, endS: c.interval.endS })), events);
  const facts: CycleFacts[] = complete.map((c, k) => ({
    side: c.side, startS: c.interval.startS, endS: c.interval.endS, flags: [...c.flags], eventSource, phaseEvents: { ...phases[k] },
  }));
  const rows: ChannelCycleRow[] = [];
  for (const b of blocks) {
    const block: UnitBlock = { ...b, unit: channels.get(b.channel)!.unit };
    for (let c = 0; c < facts.length; c++) if (block.inside[c]) rows.push(new ChannelCycleRow(block, c, facts[c]));
  }
  return rows;
}

export interface ChannelSideStats { channel: string; side: FootSide; stats: CurveStats }

/**
 * The gait graph's data of an extraction: per channel and side, the point-wise mean ± SD of its rows' curves
 * (curveMeanSd's sums, in row order), read from the blocks behind the rows. Rows of one channel come together,
 * as allChannelCycles gives them; a side without rows is left out.
 */
export function channelSideMeanSd(rows: readonly ChannelCycleRow[]): ChannelSideStats[] {
  const out: ChannelSideStats[] = [];
  let scratch = { left: new Int32Array(0), right: new Int32Array(0) };
  let from = 0;
  while (from < rows.length) {
    const block = rows[from].block;
    if (scratch.left.length < block.inside.length) scratch = { left: new Int32Array(block.inside.length), right: new Int32Array(block.inside.length) };
    let nLeft = 0, nRight = 0, to = from;
    for (; to < rows.length && rows[to].block === block; to++) {
      if (rows[to].side === 'left') scratch.left[nLeft++] = rows[to].cycle;
      else scratch.right[nRight++] = rows[to].cycle;
    }
    for (const [side, n] of [['left', nLeft], ['right', nRight]] as const) {
      const stats = blockMeanSd(block.curves, block.points, scratch[side].subarray(0, n));
      if (stats) out.push({ channel: block.channel, side, stats });
    }
    from = to;
  }
  return out;
}
