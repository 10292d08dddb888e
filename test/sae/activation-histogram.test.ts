// The per-feature activation histogram (methods-spec §2.5(2)): zeros of a ReLU feature counted apart, 20 bins over
// the non-zero range with the maximum in the last bin (as numpy.histogram), SVAE codes binned whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { activationHistogram } from '../../src-shared/sae/activation-histogram';

test('activationHistogram: ReLU zeros apart, values binned over [min, max] of the rest, max in the last bin', () => {
  // k = 2, feature 1: 0, 0, 0, 1, 2, 3, 4, 5 (feature 0 is noise that must not count).
  const f1 = [0, 0, 0, 1, 2, 3, 4, 5];
  const codes = Float32Array.from(f1.flatMap((v, i) => [i * 10, v]));
  const h = activationHistogram(codes, 8, 2, 1, 'relu', 4);
  assert.deepEqual(h, { low: 1, high: 5, counts: [1, 1, 1, 2], atZero: 3 });
  // numpy.histogram([1,2,3,4,5], bins=4) → [1, 1, 1, 2].
  const silent = activationHistogram(new Float32Array(6), 3, 2, 0, 'relu', 5);
  assert.deepEqual(silent, { low: 0, high: 0, counts: [0, 0, 0, 0, 0], atZero: 3 });
  const signed = activationHistogram(Float32Array.from([-1, 0, 0, 1]), 4, 1, 0, 'signed', 2);
  assert.deepEqual(signed, { low: -1, high: 1, counts: [1, 3], atZero: 0 });
  const one = activationHistogram(Float32Array.from([0, 2, 2]), 3, 1, 0, 'relu', 3);
  assert.deepEqual(one, { low: 2, high: 2, counts: [2, 0, 0], atZero: 1 });
});
