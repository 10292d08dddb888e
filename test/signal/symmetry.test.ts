import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareSides, normalisedSymmetryIndex, symmetryAngle, symmetryIndex } from '../../src-shared/signal/symmetry';

const close = (got: number | null, expected: number, what: string) =>
  assert.ok(got !== null && Math.abs(got - expected) < 1e-9, `${what}: ${got}, expected ${expected}`);

test('symmetry index SI = 2(XL − XR)/(XL + XR) × 100 (Robinson 1987)', () => {
  assert.deepEqual(symmetryIndex(1.1, 1.1), { value: 0, unit: '%' });
  close(symmetryIndex(3, 1).value, 100, 'SI(3, 1)');
  close(symmetryIndex(1, 3).value, -100, 'SI(1, 3)');
  close(symmetryIndex(1.1, 1.0).value, 200 * 0.1 / 2.1, 'SI(1.1, 1.0)');
  assert.equal(symmetryIndex(1, -1).value, null, 'XL + XR = 0 has no SI');
});

test('symmetry angle SA = (45° − arctan(XL/XR))/90° × 100, with the −180° branch (Zifchock 2008)', () => {
  assert.deepEqual(symmetryAngle(1.1, 1.1), { value: 0, unit: '%' });
  close(symmetryAngle(1, 0).value, -50, 'SA(1, 0): arctan(∞) = 90°');
  close(symmetryAngle(0, 1).value, 50, 'SA(0, 1)');
  close(symmetryAngle(-1, 1).value, 100, 'SA(−1, 1): 45° + 45° = 90°, not above it');
  close(symmetryAngle(-2, 1).value, ((45 - (Math.atan(-2) * 180) / Math.PI - 180) / 90) * 100, 'SA(−2, 1) takes the −180° branch');
  close(symmetryAngle(1.1, 1.0).value, ((45 - (Math.atan(1.1) * 180) / Math.PI) / 90) * 100, 'SA(1.1, 1.0)');
  assert.equal(symmetryAngle(0, 0).value, null);
  const both = compareSides(60, 62);
  close(both.si.value, -200 * 2 / 122, 'SI of 60 vs 62 %');
  assert.equal(compareSides(null, 62).si.value, null);
});

test('normalised symmetry index over 101 points: joint min–max rescaling to [1, 2] guards the zero crossings (Queen 2020)', () => {
  const grf = Float64Array.from({ length: 101 }, (_, k) => Math.sin((Math.PI * k) / 100)); // 0 at both ends
  const same = normalisedSymmetryIndex(grf, grf);
  assert.equal(same.meanAbs.value, 0);
  const louder = grf.map((v) => 1.2 * v);
  const r = normalisedSymmetryIndex(louder, grf);
  // Joint range 0 … 1.2: at 50 %, XnL = 2, XnR = 1 + 1/1.2 → NSI = 200 (2 − 1.8333)/(3.8333).
  close(r.perPoint[50], (200 * (2 - (1 + 1 / 1.2))) / (2 + 1 + 1 / 1.2), 'NSI at 50 %');
  assert.equal(r.perPoint[0], 0, 'both curves 0 at 0 %: no division by ~0');
  close(r.maxAtPercent.value, 50, 'largest asymmetry at mid-stance');
  assert.ok(r.meanAbs.value! > 0 && r.maxAbs.value! <= 200 / 3, 'bounded by 66.7 %');
  assert.deepEqual(normalisedSymmetryIndex([5, 5], [5, 5]).meanAbs, { value: 0, unit: '%' });
  assert.throws(() => normalisedSymmetryIndex([1, 2, 3], [1, 2]), /same length/);
});
