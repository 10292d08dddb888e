// cutChannelCycles (every channel at the same cycles) against the one-channel normaliser, and the phase events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cutChannelCycles } from '../../src-shared/signal/channel-cycles';
import { cyclePhaseEvents, cyclesPhaseEvents } from '../../src-shared/signal/cycle-phases';
import { componentMeaning } from '../../src-shared/signal/model-components';
import { timeNormaliseInterval } from '../../src-shared/signal/normalise';
import { seededRandom } from '../../src-shared/random';
import type { GaitEvent } from '../../src-shared/signal/events';

test('every channel cut at shared cycle positions equals timeNormaliseInterval on it, at float32; a channel not covering a cycle gives none', () => {
  const rand = seededRandom(22);
  const channel = (name: string, rateHz: number, seconds: number, startS = 0) =>
    ({ name, rateHz, startS, values: Float32Array.from({ length: Math.round(seconds * rateHz) + 1 }, () => rand() * 200 - 100) });
  const channels = [channel('marker_x', 50, 3), channel('EMG1', 800, 3), channel('FP1_Fz', 800, 3), channel('late', 100, 2, 1.2)];
  const intervals = [{ startS: 0.57, endS: 1.52 }, { startS: 1.03625, endS: 2 }, { startS: 1.52, endS: 2.48 }, { startS: 0, endS: 3 }];
  const { curves, outside } = cutChannelCycles(intervals, channels, 101);
  for (const k of curves) {
    const ch = channels.find((c) => c.name === k.channel)!;
    const iv = intervals[k.cycle];
    assert.deepEqual(k.curve, Float32Array.from(timeNormaliseInterval(ch.values, ch.rateHz, iv.startS, iv.endS, 101, ch.startS)), `${k.channel} cycle ${k.cycle}`);
  }
  assert.equal(curves.length, 3 * 4 + 1);
  assert.deepEqual(outside, [{ channel: 'late', cycle: 0 }, { channel: 'late', cycle: 1 }, { channel: 'late', cycle: 3 }]);
});

test("a cycle's foot off and the opposite foot's off and strike, % of the cycle; null where none falls inside", () => {
  const e = (label: GaitEvent['label'], side: 'left' | 'right', timeS: number): GaitEvent => ({ label, side, timeS, source: 'test', confidence: 1, params: {} });
  const events = [e('initial_contact', 'left', 1), e('final_contact', 'right', 1.1), e('initial_contact', 'right', 1.5), e('final_contact', 'left', 1.6), e('initial_contact', 'left', 2)];
  const pct = (t0: number, t1: number, t: number) => (100 * (t - t0)) / (t1 - t0);
  assert.deepEqual(cyclePhaseEvents('left', 1, 2, events), { footOffPercent: pct(1, 2, 1.6), oppositeFootOffPercent: pct(1, 2, 1.1), oppositeFootStrikePercent: pct(1, 2, 1.5) });
  assert.deepEqual(cyclePhaseEvents('right', 1.5, 2.4, events), { footOffPercent: null, oppositeFootOffPercent: pct(1.5, 2.4, 1.6), oppositeFootStrikePercent: pct(1.5, 2.4, 2) });
  // Many cycles at once (sorted once, binary search): the same as one by one, events in any order, ends excluded.
  const shuffled = [events[3], events[0], events[4], e('final_contact', 'right', 2.2), events[2], events[1], e('final_contact', 'left', 1.05)];
  const cycles = [
    { side: 'left' as const, startS: 1, endS: 2 }, { side: 'right' as const, startS: 1.5, endS: 2.4 }, { side: 'left' as const, startS: 1.6, endS: 2 },
    { side: 'right' as const, startS: 0, endS: 1.1 }, { side: 'left' as const, startS: 3, endS: 4 },
  ];
  assert.deepEqual(cyclesPhaseEvents(cycles, shuffled), cycles.map((c) => cyclePhaseEvents(c.side, c.startS, c.endS, shuffled)));
  assert.deepEqual(cyclesPhaseEvents(cycles, shuffled)[0].footOffPercent, pct(1, 2, 1.05));
});

test('Plug-in-Gait outputs name their plane; anything else keeps its raw axis', () => {
  assert.deepEqual(componentMeaning('A22:LKneeAngles_x'), { plane: 'sagittal', label: 'Knee angle (L), sagittal', convention: 'plug-in-gait' });
  assert.deepEqual(componentMeaning('RPelvisAngles_y'), { plane: 'frontal', label: 'Pelvis angle (R), frontal', convention: 'plug-in-gait' });
  assert.equal(componentMeaning('A22:LFootProgressAngles_z').label, 'Foot progression angle (L), transverse');
  assert.equal(componentMeaning('A22:RAnklePower_z').plane, 'total');
  assert.equal(componentMeaning('A22:RAnklePower_y').plane, null);
  assert.equal(componentMeaning('A22:RAnkleForce_x').plane, null);
  assert.equal(componentMeaning('FP1_Fz').plane, null);
  assert.equal(componentMeaning('LKNE_x').label, 'LKNE_x');
});
