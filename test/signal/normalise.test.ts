import { test } from 'node:test';
import assert from 'node:assert/strict';
import { percentAxis, STANDARD_GRAVITY_MS2, timeNormalise, timeNormaliseInterval, toBodyWeight } from '../../src-shared/signal/normalise';

test('body-weight normalisation divides by m·g with g = 9.80665 m/s²', () => {
  assert.equal(STANDARD_GRAVITY_MS2, 9.80665);
  const bw = toBodyWeight([0, 686.4655, 1372.931, 343.23275], 70);
  [0, 1, 2, 0.5].forEach((x, i) => assert.ok(Math.abs(bw[i] - x) < 1e-15, `${bw[i]} ×BW, expected ${x}`));
  assert.equal(toBodyWeight([981], 100, 9.81)[0], 1);
  assert.throws(() => toBodyWeight([1], 0), /body mass must be a positive number of kg, got 0/);
  assert.throws(() => toBodyWeight([1], NaN), /got NaN/);
});

test('time normalisation gives 101 points over 0–100 % by linear interpolation, from any number of samples', () => {
  assert.deepEqual(Array.from(percentAxis(5)), [0, 25, 50, 75, 100]);
  assert.equal(percentAxis().length, 101);
  for (const n of [2, 7, 64, 137, 1000]) {
    const ramp = Float64Array.from({ length: n }, (_, i) => 10 + (5 * i) / (n - 1)); // 10 → 15 over the segment
    const curve = timeNormalise(ramp);
    assert.equal(curve.length, 101);
    curve.forEach((v, k) => assert.ok(Math.abs(v - (10 + 0.05 * k)) < 1e-12, `n = ${n}, point ${k}: ${v}`));
  }
  // A triangle sampled at 3 points: the 25 % point is halfway up.
  assert.deepEqual(Array.from(timeNormalise([0, 2, 0], 5)), [0, 1, 2, 1, 0]);
  assert.throws(() => timeNormalise([1]), /at least 2 samples/);
  assert.throws(() => timeNormalise([1, 2], 1), /points must be an integer ≥ 2/);
});

test('an interval between samples starts and ends exactly at its event times', () => {
  // values = 100 × time at 100 Hz, first sample at 2 s: the curve over [2.013, 3.118] s is 100 × t at each point.
  const values = Float64Array.from({ length: 300 }, (_, i) => 100 * (2 + i / 100));
  const curve = timeNormaliseInterval(values, 100, 2.013, 3.118, 101, 2);
  curve.forEach((v, k) => assert.ok(Math.abs(v - 100 * (2.013 + (k / 100) * 1.105)) < 1e-9, `point ${k}: ${v}`));
  assert.throws(() => timeNormaliseInterval(values, 100, 1.9, 2.5, 101, 2), /interval 1.9–2.5 s is outside the signal \(2–4.99 s\)/);
  assert.throws(() => timeNormaliseInterval(values, 100, 2.5, 2.5), /must be after its start/);
});
