import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countsInSummaries, GaitCycleSegmentation } from '../../src-shared/signal/cycles';
import { spatiotemporal } from '../../src-shared/signal/spatiotemporal';
import { ev, symmetricWalk } from './synthetic-gait';

/** A channel whose value is its own time stamp: a cycle's curve must be the evenly spaced times of its interval. */
const clock = (rateHz: number, durationS: number) => ({ values: Float64Array.from({ length: Math.round(durationS * rateHz) + 1 }, (_, i) => i / rateHz), rateHz });

test('gait cycles run from one initial contact to the next; stance phases to the final contact; curves are 101 points of the channel', () => {
  const events = symmetricWalk(6);
  const { cycles, stances } = new GaitCycleSegmentation().run({ events, channels: { left: clock(100, 10), right: clock(100, 10) } });
  const left = cycles.filter((c) => c.side === 'left');
  assert.equal(left.length, 6);
  const c1 = left[1];
  assert.deepEqual(c1.interval, { startS: 2.1, endS: 3.2 });
  assert.ok(Math.abs(c1.durationS! - 1.1) < 1e-12);
  assert.ok(Math.abs(c1.stancePercent! - 60) < 1e-9);
  assert.deepEqual(c1.flags, []);
  assert.equal(c1.curve!.length, 101);
  c1.curve!.forEach((v, k) => assert.ok(Math.abs(v - (2.1 + 0.011 * k)) < 1e-9, `point ${k}: ${v}`));
  const s1 = stances.filter((s) => s.side === 'left')[1];
  assert.ok(Math.abs(s1.interval.endS - (2.1 + 0.66)) < 1e-12);
  s1.curve!.forEach((v, k) => assert.ok(Math.abs(v - (2.1 + 0.0066 * k)) < 1e-9));
  // The last initial contact of each side has no successor: kept, flagged, no curve; its stance is complete.
  const last = left[5];
  assert.deepEqual(last.flags, ['trial_edge']);
  assert.equal(last.curve, null);
  assert.equal(last.durationS, null);
  assert.equal(last.interval.endS, 10);
  assert.deepEqual(stances.filter((s) => s.side === 'left')[5].flags, []);
});

test('incomplete and implausible cycles are flagged, not dropped, with every reason', () => {
  const L = (label: 'initial_contact' | 'final_contact', t: number) => ev(label, 'left', t);
  const events = [
    L('initial_contact', 1.0), L('final_contact', 1.66),
    L('initial_contact', 2.1), L('final_contact', 2.76),
    L('initial_contact', 3.2), /* no toe off */
    L('initial_contact', 4.3), L('final_contact', 4.96),
    L('initial_contact', 5.4), L('final_contact', 6.0), L('final_contact', 6.4), // two toe offs
    L('initial_contact', 6.5), L('final_contact', 7.49), // stance 90 %
    L('initial_contact', 7.6), L('final_contact', 8.26),
    L('initial_contact', 8.7), L('final_contact', 9.36),
    L('initial_contact', 11.9), L('final_contact', 12.2), // a 3.2 s cycle before it (a stop); stance 29 %
    L('initial_contact', 12.95), L('final_contact', 13.2), // 0.35 s cycle
    L('initial_contact', 13.3),
  ];
  const { cycles, stances } = new GaitCycleSegmentation().run({ events, trialEndS: 14 });
  const flags = cycles.map((c) => c.flags);
  assert.deepEqual(flags[0], []);
  assert.deepEqual(flags[2], ['missing_final_contact']);
  assert.deepEqual(flags[4], ['multiple_final_contacts']);
  assert.deepEqual(flags[5], ['stance_out_of_range']);
  assert.deepEqual(flags[6], []);
  assert.deepEqual(flags[7], ['duration_out_of_range', 'stance_out_of_range', 'duration_outlier'], '3.2 s, stance 21 %');
  assert.deepEqual(flags[8], ['stance_out_of_range'], '1.05 s is within median 1.1 s ± 3 × the 20 ms floor; stance 29 %');
  assert.deepEqual(flags[9], ['duration_out_of_range', 'duration_outlier'], '0.35 s');
  assert.deepEqual(flags[10], ['trial_edge', 'missing_final_contact']);
  assert.equal(cycles.length, 11, 'every initial contact starts a cycle');
  assert.deepEqual(stances[2].flags, ['missing_final_contact']);
  assert.deepEqual(stances[10].flags, ['trial_edge']);
  assert.equal(cycles[4].finalContactS, 6.0, 'the first of two toe offs is used');
});

test('the outlier rule uses median ± 3 × 1.4826 × MAD of the side\'s cycles, with a 20 ms floor', () => {
  // Median 1.02 s, MAD 0.02 s → 1.4826 × MAD = 0.0297 s, cut-off ±0.089 s: 1.10 s is in, 1.20 s is out.
  const ics = [0];
  const strides = [1.0, 1.02, 1.04, 1.02, 1.0, 1.02, 1.04, 1.02, 1.10, 1.20];
  for (const s of strides) ics.push(ics[ics.length - 1] + s);
  const events = ics.flatMap((t) => [ev('initial_contact', 'right', t), ev('final_contact', 'right', t + 0.62)]);
  const { cycles } = new GaitCycleSegmentation().run({ events });
  const outliers = cycles.filter((c) => c.flags.includes('duration_outlier')).map((c) => c.index);
  assert.deepEqual(outliers, [9]);
  const strict = new GaitCycleSegmentation({ outlierMads: 2 }).run({ events }).cycles;
  assert.deepEqual(strict.filter((c) => c.flags.includes('duration_outlier')).map((c) => c.index), [8, 9]);
});

test('a channel that does not cover a cycle gives the flag outside_channel instead of a curve', () => {
  const events = symmetricWalk(3).filter((e) => e.side === 'left');
  const { cycles } = new GaitCycleSegmentation().run({ events, channels: { left: clock(100, 2.5) } });
  assert.ok(cycles[0].curve);
  assert.deepEqual(cycles[1].flags, ['outside_channel']);
  assert.equal(cycles[1].curve, null);
});

test('cycles and stances overlapping a turn are flagged in_turn; excludeTurns decides whether their strides count', () => {
  const events = symmetricWalk(8);
  // Left ICs at 1, 2.1, 3.2, 4.3, 5.4 …; right ICs at 1.55, 2.65, 3.75, 4.85, 5.95 …; a turn over 4.5–5.0 s.
  const turns = [{ startS: 4.5, endS: 5.0 }];
  const { cycles, stances } = new GaitCycleSegmentation().run({ events, turns });
  const inTurn = (xs: { side: string; interval: { startS: number }; flags: string[] }[]) =>
    xs.filter((x) => x.flags.includes('in_turn')).map((x) => `${x.side} ${x.interval.startS.toFixed(2)}`);
  assert.deepEqual(inTurn(cycles), ['left 4.30', 'right 3.75', 'right 4.85']);
  // Left stance 4.30–4.96 overlaps; right stance 3.75–4.41 ends before the turn; 4.85–5.51 overlaps.
  assert.deepEqual(inTurn(stances), ['left 4.30', 'right 4.85']);
  // A cycle that only touches the turn's edge is not in it.
  const touching = new GaitCycleSegmentation().run({ events, turns: [{ startS: 5.4, endS: 5.4 }] });
  assert.deepEqual(inTurn(touching.cycles), ['right 4.85']);

  const excluded = spatiotemporal(cycles, events);
  assert.equal(excluded.summary.stridesIncluded, 11);
  assert.equal(excluded.summary.stridesExcluded, 3);
  const counted = spatiotemporal(cycles, events, { excludeTurns: false });
  assert.equal(counted.summary.stridesIncluded, 14);
  assert.deepEqual(counted.strides.filter((s) => s.flags.includes('in_turn')).length, 3, 'the flag stays on the stride');
  // Any other flag excludes a stride whatever the setting.
  assert.equal(countsInSummaries(['in_turn', 'duration_outlier'], { excludeTurns: false }), false);
  assert.equal(countsInSummaries([], { excludeTurns: true }), true);
});
