import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GaitCycleSegmentation } from '../../src-shared/signal/cycles';
import { spatiotemporal } from '../../src-shared/signal/spatiotemporal';
import { ev, symmetricWalk } from './synthetic-gait';

const close = (got: number | null, expected: number, what: string, tol = 1e-9) =>
  assert.ok(got !== null && Math.abs(got - expected) <= tol, `${what}: ${got}, expected ${expected}`);

test('a symmetric walk: stride 1.1 s, step 0.55 s, stance 60 %, swing 40 %, double support 20 %, cadence 109.09 steps/min', () => {
  const events = symmetricWalk(8);
  const { cycles } = new GaitCycleSegmentation().run({ events });
  const { strides, summary, perSide } = spatiotemporal(cycles, events);
  const s = strides.find((x) => x.side === 'left' && x.cycleIndex === 2)!;
  close(s.strideTime.value, 1.1, 'stride');
  assert.equal(s.strideTime.unit, 's');
  close(s.stanceTime.value, 0.66, 'stance time');
  close(s.swingTime.value, 0.44, 'swing time');
  close(s.stance.value, 60, 'stance %');
  assert.equal(s.stance.unit, '%');
  close(s.swing.value, 40, 'swing %');
  close(s.stepTime.value, 0.55, 'step time');
  // Initial double support: left IC → right FC (0.11 s); terminal: right IC → left FC (0.11 s); 0.22 / 1.1.
  close(s.doubleSupport.value, 20, 'double support');
  close(summary.strideTime.mean.value, 1.1, 'mean stride');
  close(summary.strideTime.cv.value, 0, 'stride CV', 1e-6);
  close(summary.cadence.value, 120 / 1.1, 'cadence');
  assert.equal(summary.cadence.unit, 'steps/min');
  assert.equal(summary.stridesIncluded, 14);
  assert.equal(summary.stridesExcluded, 0, 'trial-edge cycles have no duration and are not strides');
  assert.equal(perSide.left.strideTime.n, 7);
  close(perSide.right.doubleSupport.mean.value, 20, 'right double support');
});

test('variability is the CV of stride times; flagged strides are listed but left out of the summary', () => {
  // Left strides 1.0, 1.2, 1.0, 1.2, 1.0, 1.2 s (mean 1.1, SD 0.10954 → CV 9.958 %), then a 3 s stop.
  const ics = [0, 1.0, 2.2, 3.2, 4.4, 5.4, 6.6, 9.6, 10.7];
  const events = ics.flatMap((t) => [ev('initial_contact', 'left', t), ev('final_contact', 'left', t + 0.6)]);
  const { cycles } = new GaitCycleSegmentation().run({ events });
  const { strides, summary } = spatiotemporal(cycles, events);
  assert.equal(strides.length, 8);
  assert.deepEqual(strides[6].flags, ['duration_out_of_range', 'stance_out_of_range', 'duration_outlier']);
  assert.equal(summary.stridesExcluded, 1);
  close(summary.strideTime.mean.value, 1.1, 'mean over the 7 unflagged strides', 1e-9);
  const sd = Math.sqrt(((3 * 0.1 ** 2) + (3 * 0.1 ** 2) + 0) / 6);
  close(summary.strideTime.sd.value, sd, 'SD');
  close(summary.strideTime.cv.value, (100 * sd) / 1.1, 'CV %');
  assert.equal(summary.strideTime.cv.unit, '%');
  assert.equal(summary.stepTime.n, 0, 'one foot only: no step time');
  assert.equal(summary.doubleSupport.mean.value, null);
});
