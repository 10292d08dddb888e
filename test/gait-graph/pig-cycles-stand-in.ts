// Stands in for issue 22 part A (cycles of every channel of a C3D trial) in the tests of the gait graph and the GPS:
// cuts every Plug-in-Gait angle, moment and power channel between the file's own foot strikes (c3d:EVENT) of the
// channel's side, time-normalises to 101 points with GaitLab's own function and stores them as an extraction would.
// Once part A cuts these cycles itself, the tests use its cycles and call this only where none exist.
import { createHash } from 'node:crypto';
import type { ServiceContext } from '../../src-main/services/context';
import { loadChannels } from '../../src-main/services/trial-channels';
import { replaceCycles, type CycleCurve } from '../../src-main/store/cycles';
import { readEvents } from '../../src-main/store/events';
import { parsePigChannel } from '../../src-shared/gait-graph/pig-variables';
import { timeNormaliseInterval } from '../../src-shared/signal/normalise';

export function storePigCycles(ctx: ServiceContext, trialId: string): number {
  const events = readEvents(ctx.db, trialId);
  const strikes = (side: string) => events.filter((e) => e.source === 'c3d:EVENT' && e.label === 'initial_contact' && e.side === side).map((e) => e.timeS);
  const curves: CycleCurve[] = [];
  for (const ch of loadChannels(ctx, trialId).values()) {
    const pig = parsePigChannel(ch.name);
    if (!pig || !/Angles|Moment|Power/.test(pig.point) || !ch.rateHz) continue;
    const s = strikes(pig.side);
    for (let i = 0; i + 1 < s.length; i++) {
      curves.push({ channel: ch.name, side: pig.side, kind: 'gait_cycle', startS: s[i], endS: s[i + 1], unit: ch.unit, flags: [], curve: Float32Array.from(timeNormaliseInterval(ch.values, ch.rateHz, s[i], s[i + 1])) });
    }
  }
  // The hash gait-service keeps of the events an extraction read, so that these cycles count as current.
  const sha256 = createHash('sha256').update(JSON.stringify(events.map((e) => [e.label, e.side, e.timeS, e.source, e.manual]))).digest('hex');
  const at = new Date().toISOString();
  replaceCycles(ctx.db, 'test', { method: 'PartAStandIn', version: '0.0.0', role: 'cycles', params: {}, seed: null, trialId, inputs: { trials: [], events: { sha256 } }, outputs: {}, startedAt: at, finishedAt: at }, ['gait_cycle'], curves);
  return curves.length;
}
