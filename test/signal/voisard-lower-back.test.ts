// Real data: LowerBackImuEvents (the registered method, on channels read by GaitLab's own format modules) on the
// lower-back sensor of Voisard et al.'s multiple sclerosis patient (EDSS 6), against MP-DTW's events from foot
// sensors that were not published (not manually checked), inside the annotated walk; and on a healthy trial's
// lower-back sensor against the manually checked annotations. Floors below what the detector reaches (figures of
// every trial: npm run bench:voisard-events); the patient's right foot is not found well from the trunk (below).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseDetector } from '../../src-shared/methods';
import { evaluateVoisardLowerBack, totals } from './voisard-evaluation';

test('LowerBackImuEvents on the multiple sclerosis patient (lower back only): the left foot\'s contacts within 100 ms, its U-turn marked', async (t) => {
  const r = await evaluateVoisardLowerBack('M0_edss_6');
  const left = totals([r.feet.left]), right = totals([r.feet.right]), both = totals([r.feet.left, r.feet.right]);
  t.diagnostic(`left IC ${left.icMatched}/${left.annotated}, median |error| ${left.icMedianAbsMs.toFixed(1)} ms; right IC ${right.icMatched}/${right.annotated}; FC ${both.fcMatched}/${both.annotatedFc}; false ${both.falseInWalk}`);
  assert.equal(both.annotated, 64);
  // 1.0.0 matches 27 of the 32 left contacts (median |error| 53 ms). The right foot's loading peak comes ≈ 250 ms
  // after MP-DTW's right contact (a flat, slow landing: the trunk is lifted when the left foot leaves), so 2 of 32.
  assert.ok(left.icMatched >= 22, `left IC ${left.icMatched}/32`);
  assert.ok(left.icMedianAbsMs <= 70, `left IC median |error| ${left.icMedianAbsMs} ms`);
  assert.ok(both.icMatched >= 25, `IC ${both.icMatched}/64`);
  // The walk's U-turn (41.02–46.70 s annotated) is found from the same sensor.
  assert.equal(r.turn.detected.length, 1);
  const [start, end] = r.turn.detected[0];
  assert.ok(start < r.turn.annotated![1] && end > r.turn.annotated![0], `turn ${start}–${end}`);
});

test('LowerBackImuEvents on a healthy trial\'s lower-back sensor: ≥ 90 % of initial contacts within 100 ms of the manual annotations', async () => {
  const r = await evaluateVoisardLowerBack('1-1');
  const both = totals([r.feet.left, r.feet.right]);
  // 1.0.0: 33/35, median |error| 7.7 ms; FC 31/35.
  assert.ok(both.icMatched >= 32, `IC ${both.icMatched}/35`);
  assert.ok(both.icMedianAbsMs <= 15, `IC median |error| ${both.icMedianAbsMs} ms`);
  assert.ok(both.fcMatched >= 28, `FC ${both.fcMatched}/35`);
});

test('a trial with a lower-back IMU only gets LowerBackImuEvents; one with foot IMUs too keeps FootImuEvents', () => {
  const meta = (names: string[]) => names.map((name) => ({ name, unit: '', rateHz: 100, domain: 'time' }));
  const back = ['acc_x', 'acc_y', 'acc_z', 'gyro_x', 'gyro_y', 'gyro_z'].map((k) => `lower_back_${k}`);
  const feet = ['left', 'right'].flatMap((s) => ['gyro_y', 'acc_x', 'acc_y', 'acc_z'].map((k) => `${s}_foot_${k}`));
  assert.equal(chooseDetector(meta(back))?.name, 'LowerBackImuEvents');
  assert.equal(chooseDetector(meta([...back, ...feet]))?.name, 'FootImuEvents');
  assert.equal(chooseDetector(meta(back.slice(1))), null);
});
