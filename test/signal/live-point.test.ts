// The one rule by which every live gait estimator takes its stream's points (src-shared/signal/events/live-point.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { livePointOrder } from '../../src-shared/signal/events/live-point';

test('a point is taken when it has a value and a time after the last one taken; a hole longer than maxGapS is a gap', () => {
  const maxGapS = 0.5;
  const cases: [string, number, number, number, string][] = [
    ['the first point', NaN, 0, 12, 'next'],
    ['the first point at a negative device time', NaN, -3, 12, 'next'],
    ['20 ms after the last', 1, 1.02, 12, 'next'],
    ['exactly maxGapS after the last', 1, 1.5, 12, 'next'],
    ['just over maxGapS after the last', 1, 1.5000001, 12, 'after-gap'],
    ['a 20-s dropped link', 40, 60, 12, 'after-gap'],
    ['the same time again', 1, 1, 12, 'skip'],
    ['a late point', 1, 0.99, 12, 'skip'],
    ['no value', 1, 1.02, NaN, 'skip'],
    ['an infinite value', 1, 1.02, Infinity, 'skip'],
    ['no time', 1, NaN, 12, 'skip'],
    ['no time, as the first point', NaN, NaN, 12, 'skip'],
    ['an infinite time, as the first point', NaN, Infinity, 12, 'skip'],
  ];
  for (const [what, lastS, timeS, value, want] of cases) assert.equal(livePointOrder(lastS, timeS, value, maxGapS), want, what);
});
