import { test } from 'node:test';
import assert from 'node:assert/strict';
import { plateContactTimes } from '../../src-shared/signal/plate-contact-times';

const stance = (side: 'left' | 'right' | null, startS: number, endS: number, flags: string[] = []) => ({ side, startS, endS, flags });

test('stance time per foot from complete, unflagged contacts; step time where the next foot lands before the last one leaves', () => {
  const times = plateContactTimes([
    stance('left', 2.1, 2.7), // a third plate, the same foot again (a step off the plates between): no step
    stance('right', 0.6, 1.25),
    stance('left', 1.15, 1.8),
    stance(null, 3.0, 3.6), // no side: left out
    stance('right', 4.0, 4.2, ['duration_out_of_range']), // flagged: left out
  ]);
  assert.deepEqual(times.stanceTimeS.right, [1.25 - 0.6]);
  assert.deepEqual(times.stanceTimeS.left, [1.8 - 1.15, 2.7 - 2.1]);
  assert.deepEqual(times.stepTimeS, { left: [1.15 - 0.6], right: [] });
});

test('two contacts of the same foot in a row, or a foot landing after the other left, are not a step; no contacts give empty lists', () => {
  assert.deepEqual(plateContactTimes([stance('left', 0, 0.6), stance('left', 0.5, 1.1)]).stepTimeS, { left: [], right: [] });
  assert.deepEqual(plateContactTimes([stance('left', 0, 0.6), stance('right', 0.7, 1.3)]).stepTimeS, { left: [], right: [] });
  assert.deepEqual(plateContactTimes([stance('left', 0, 0.6), stance('right', 0.5, 1.1)]).stepTimeS, { left: [], right: [0.5] });
  assert.deepEqual(plateContactTimes([]), { stanceTimeS: { left: [], right: [] }, stepTimeS: { left: [], right: [] } });
});
