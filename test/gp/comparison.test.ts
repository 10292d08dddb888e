import { test } from 'node:test';
import assert from 'node:assert/strict';
import { differenceProcess, mannWhitneyU, medianPairwiseDistance, minMaxNormalise, mmdProfile, unbiasedMmd2 } from '../../src-shared/gp/comparison';
import { seededNormal } from '../../src-shared/random';

/** All ways to choose which of the pooled positions belong to the first sample: the exact null by enumeration. */
function enumeratedTwoSidedP(n1: number, n2: number, uMax: number): number {
  const n = n1 + n2;
  let extreme = 0, total = 0;
  for (let mask = 0; mask < 1 << n; mask++) {
    let bits = 0, r1 = 0;
    for (let i = 0; i < n; i++) if (mask & (1 << i)) { bits++; r1 += i + 1; }
    if (bits !== n1) continue;
    total++;
    const u1 = r1 - (n1 * (n1 + 1)) / 2;
    if (Math.max(u1, n1 * n2 - u1) >= uMax) extreme++;
  }
  return Math.min(1, extreme / total);
}

test('Mann–Whitney U without ties: the recursion\'s exact p equals enumeration of all rank assignments', () => {
  assert.deepEqual(mannWhitneyU([1, 2, 3], [4, 5, 6]), { u1: 0, u2: 9, p: 0.1, method: 'exact' });
  const normal = seededNormal(3);
  for (const [n1, n2] of [[4, 5], [6, 6], [3, 9]]) {
    const x = Array.from({ length: n1 }, () => normal() + 0.8), y = Array.from({ length: n2 }, normal);
    const r = mannWhitneyU(x, y);
    // max(U1, U2) ≥ U_max counts both tails, so enumeration gives the two-sided p directly.
    const expected = enumeratedTwoSidedP(n1, n2, Math.max(r.u1, r.u2));
    assert.ok(Math.abs(r.p - Math.min(1, expected)) < 1e-12, `${n1}×${n2}: ${r.p} vs ${expected}`);
    assert.equal(r.u1 + r.u2, n1 * n2);
  }
});

test('Mann–Whitney U with ties: mid-ranks and the tie- and continuity-corrected normal approximation (worked by hand)', () => {
  // Pooled 1, 2, 2, 2, 3, 4: ranks 1, 3, 3, 3, 5, 6; R1 = 7, U1 = 1, U2 = 8; σ² = 9/12 (7 − 24/30) = 4.65;
  // z = (8 − 4.5 − 0.5)/√4.65 = 1.391217; p = 2 (1 − Φ(z)) = 0.164164.
  const r = mannWhitneyU([1, 2, 2], [2, 3, 4]);
  assert.equal(r.method, 'asymptotic');
  assert.equal(r.u1, 1);
  assert.equal(r.u2, 8);
  assert.ok(Math.abs(r.p - 0.164164) < 1e-5, `${r.p}`);
});

test('MMD: median bandwidth over all pairs; unbiased MMD² near 0 for equal distributions, growing with the shift', () => {
  assert.equal(medianPairwiseDistance(Float64Array.from([0, 1, 3])), 2); // distances 1, 3, 2
  const grid = 50;
  const base = { mean: new Float64Array(grid), variance: new Float64Array(grid).fill(1) };
  const same = mmdProfile(base, base, 0, 200);
  const meanSame = same.reduce((a, b) => a + b, 0) / grid;
  assert.ok(Math.abs(meanSame) < 0.01, `${meanSame}`);
  assert.ok(same.some((x) => x < 0), 'the unbiased estimate can be negative');
  const shifted = (d: number) => mmdProfile(base, { mean: new Float64Array(grid).fill(d), variance: base.variance }, 0, 200).reduce((a, b) => a + b, 0) / grid;
  const [s1, s2] = [shifted(0.5), shifted(1.5)];
  assert.ok(s1 > 0.02 && s2 > s1, `${s1} ${s2}`);
  // Self-comparison of one fixed sample with itself: within terms cancel the cross term up to the diagonal.
  const x = Float64Array.from([0, 0.5, 1.7, 2]);
  const sigma = 1;
  const k = (a: number, b: number) => Math.exp(-((a - b) ** 2) / 2);
  let within = 0, cross = 0;
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) { cross += k(x[i], x[j]); if (i !== j) within += k(x[i], x[j]); }
  assert.ok(Math.abs(unbiasedMmd2(x, x, sigma) - (2 * within / 12 - 2 * cross / 16)) < 1e-15);
  const [a, b] = minMaxNormalise([Float64Array.from([1, 3]), Float64Array.from([2, 5])]);
  assert.deepEqual([...a, ...b], [0, 0.5, 0.25, 1]);
  const d = differenceProcess({ mean: [1], variance: [0.25] }, { mean: [3], variance: [2] });
  assert.deepEqual([d.mean[0], d.lower[0], d.upper[0]], [2, -1, 5]);
});
