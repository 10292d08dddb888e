import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pearson, spearman, pearsonPValue, benjaminiHochberg, correlateWithBootstrap } from '../../src-shared/sae/metadata-correlation';
import { seededNormal } from '../../src-shared/random';

/** 300 subjects whose mean codes and attribute have a known sample correlation of exactly 0.6 (built by projection). */
function knownR(r: number, n = 300): { x: Float64Array; y: Float64Array } {
  const g = seededNormal(11);
  const a = Float64Array.from({ length: n }, g);
  const b = Float64Array.from({ length: n }, g);
  const centre = (v: Float64Array) => { const m = v.reduce((s, t) => s + t, 0) / n; return v.map((t) => t - m); };
  const x = centre(a);
  let y = centre(b);
  // Make y orthogonal to x, unit-scale both, then mix: corr(x, r x + √(1−r²) y) = r exactly.
  const dot = (u: Float64Array, v: Float64Array) => u.reduce((s, t, i) => s + t * v[i], 0);
  const along = dot(y, x) / dot(x, x);
  y = y.map((t, i) => t - along * x[i]);
  y = centre(y);
  const nx = Math.sqrt(dot(x, x)), ny = Math.sqrt(dot(y, y));
  return { x: x.map((t) => t / nx), y: Float64Array.from(x, (t, i) => r * (t / nx) + Math.sqrt(1 - r * r) * (y[i] / ny)) };
}

test('§5.2.8: known subject-level r = 0.6 over 300 subjects is found within ±0.01, the 95 % CI contains it, same seed same CI', () => {
  const { x, y } = knownR(0.6);
  const a = correlateWithBootstrap(x, y, 42);
  assert.ok(Math.abs(a.r - 0.6) <= 0.01, `r ${a.r}`);
  assert.ok(a.ci[0] < 0.6 && 0.6 < a.ci[1], `CI ${a.ci}`);
  assert.equal(a.unstable, false);
  const b = correlateWithBootstrap(x, y, 42);
  assert.deepEqual(b.ci, a.ci);
  assert.notDeepEqual(correlateWithBootstrap(x, y, 43).ci, a.ci);
  console.log(`known r 0.6: r ${a.r.toFixed(4)}, Spearman ${a.spearman.toFixed(3)}, p ${a.p.toExponential(2)}, 95 % CI [${a.ci[0].toFixed(3)}, ${a.ci[1].toFixed(3)}]`);
});

test('p-values against scipy.stats.pearsonr (t distribution, n − 2 df), Spearman with ties, BH q-values', () => {
  // scipy 2·t.sf(|t|, n − 2) with t = r√((n−2)/(1−r²)), computed once with /usr/bin/python3.
  for (const [r, n, p] of [[0.3, 30, 0.10724594805795436], [0.5, 12, 0.0978546142578125], [-0.8, 10, 0.005455999999999987]]) {
    assert.ok(Math.abs(pearsonPValue(r, n) - p) <= 1e-9 * p, `r ${r}, n ${n}: ${pearsonPValue(r, n)} vs scipy ${p}`);
  }
  assert.equal(pearson([1, 2, 3], [2, 4, 6]), 1);
  assert.ok(Number.isNaN(pearson([1, 1, 1], [1, 2, 3])), 'zero variance gives NaN, not a number that looks real');
  // Ties get average ranks: x ranks [1.5, 1.5, 3, 4], y monotone in x → ρ = Pearson of ranks.
  assert.ok(Math.abs(spearman([1, 1, 2, 3], [10, 20, 30, 40]) - pearson([1.5, 1.5, 3, 4], [1, 2, 3, 4])) < 1e-15);
  // BH by hand: p = [0.01, 0.04, 0.03, 0.5] → sorted 0.01, 0.03, 0.04, 0.5 → q = 0.04, 0.0533, 0.0533, 0.5.
  const q = benjaminiHochberg([0.01, 0.04, 0.03, 0.5]);
  [0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, 0.5].forEach((v, i) => assert.ok(Math.abs(q[i] - v) < 1e-12, `q[${i}] ${q[i]}`));
});
