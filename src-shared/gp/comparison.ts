// Comparing predictive distributions (methods-spec §4.4, §5.4.9): the unbiased MMD² profile with the median
// bandwidth, the difference process, and the Mann–Whitney U test of asymmetry scores between groups.

import { normalCdf } from './metrics';
import { seededNormal } from '../random';

export interface GaussianCurve { mean: ArrayLike<number>; variance: ArrayLike<number> }

/** Median of the pairwise distances |x_i − x_j|, i < j (the bandwidth σ of §5.4.9). */
export function medianPairwiseDistance(x: Float64Array): number {
  const n = x.length;
  const d = new Float64Array((n * (n - 1)) / 2);
  let k = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) d[k++] = Math.abs(x[i] - x[j]);
  // Selection, not a sort: at 500 + 500 draws there are ~500,000 distances per input, and gpCompare runs 200 inputs.
  const lo = Math.floor((d.length - 1) / 2), hi = Math.ceil((d.length - 1) / 2);
  selectInPlace(d, lo);
  let upper = d[lo];
  if (hi !== lo) { upper = Infinity; for (let i = hi; i < d.length; i++) if (d[i] < upper) upper = d[i]; }
  return 0.5 * (d[lo] + upper);
}

/** Hoare's quickselect (median-of-three pivot): afterwards x[k] is the k-th smallest, x[< k] ≤ x[k] ≤ x[> k]. */
function selectInPlace(x: Float64Array, k: number): void {
  let left = 0, right = x.length - 1;
  while (right > left) {
    const mid = (left + right) >> 1;
    const a = x[left], b = x[mid], c = x[right];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
    let i = left, j = right;
    while (i <= j) {
      while (x[i] < pivot) i++;
      while (x[j] > pivot) j--;
      if (i <= j) { const tmp = x[i]; x[i] = x[j]; x[j] = tmp; i++; j--; }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
}

/** Gretton et al. 2012 unbiased MMD² with κ = exp(−(x − x′)²/(2σ²)). */
export function unbiasedMmd2(p: Float64Array, q: Float64Array, sigma: number): number {
  const g = -1 / (2 * sigma * sigma);
  const within = (x: Float64Array) => {
    let s = 0;
    for (let i = 0; i < x.length; i++) for (let j = i + 1; j < x.length; j++) s += Math.exp(g * (x[i] - x[j]) ** 2);
    return (2 * s) / (x.length * (x.length - 1));
  };
  let cross = 0;
  for (let i = 0; i < p.length; i++) for (let j = 0; j < q.length; j++) cross += Math.exp(g * (p[i] - q[j]) ** 2);
  return within(p) + within(q) - (2 * cross) / (p.length * q.length);
}

/**
 * MMD² profile between two predictive curves on the same grid: at each input, in increasing t, `samples` draws
 * of the first distribution then of the second (seeded), bandwidth = median pairwise distance of the pooled draws.
 */
export function mmdProfile(a: GaussianCurve, b: GaussianCurve, seed = 0, samples = 500): Float64Array {
  const normal = seededNormal(seed);
  const out = new Float64Array(a.mean.length);
  const p = new Float64Array(samples), q = new Float64Array(samples), pooled = new Float64Array(2 * samples);
  for (let j = 0; j < out.length; j++) {
    const sa = Math.sqrt(a.variance[j]), sb = Math.sqrt(b.variance[j]);
    for (let r = 0; r < samples; r++) p[r] = a.mean[j] + sa * normal();
    for (let r = 0; r < samples; r++) q[r] = b.mean[j] + sb * normal();
    pooled.set(p); pooled.set(q, samples);
    out[j] = unbiasedMmd2(p, q, medianPairwiseDistance(pooled));
  }
  return out;
}

/** Min–max normalisation to [0, 1] over all the given profiles jointly (§5.4.9). */
export function minMaxNormalise(profiles: readonly Float64Array[]): Float64Array[] {
  let lo = Infinity, hi = -Infinity;
  for (const p of profiles) for (const x of p) { lo = Math.min(lo, x); hi = Math.max(hi, x); }
  return profiles.map((p) => p.map((x) => (hi > lo ? (x - lo) / (hi - lo) : 0)));
}

/** The difference process μ_B − μ_A ± 2√(v_A + v_B) (§4.4). */
export function differenceProcess(a: GaussianCurve, b: GaussianCurve): { mean: Float64Array; lower: Float64Array; upper: Float64Array } {
  const mean = Float64Array.from(b.mean, (m, j) => m - a.mean[j]);
  const half = mean.map((_, j) => 2 * Math.sqrt(a.variance[j] + b.variance[j]));
  return { mean, lower: mean.map((m, j) => m - half[j]), upper: mean.map((m, j) => m + half[j]) };
}

export interface MannWhitney { u1: number; u2: number; p: number; method: 'exact' | 'asymptotic' }

/**
 * Two-sided Mann–Whitney U (§4.4): mid-ranks; without ties the exact null distribution by the recursion
 * P_{a,b}(u) = a/(a+b) P_{a−1,b}(u − b) + b/(a+b) P_{a,b−1}(u); with ties the tie- and continuity-corrected normal
 * approximation.
 */
export function mannWhitneyU(x: readonly number[], y: readonly number[]): MannWhitney {
  const n1 = x.length, n2 = y.length, n = n1 + n2;
  const pooled = [...x.map((v) => ({ v, first: true })), ...y.map((v) => ({ v, first: false }))].sort((a, b) => a.v - b.v);
  let r1 = 0;
  const ties: number[] = [];
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && pooled[j + 1].v === pooled[i].v) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (pooled[k].first) r1 += rank;
    if (j > i) ties.push(j - i + 1);
    i = j + 1;
  }
  const u1 = r1 - (n1 * (n1 + 1)) / 2, u2 = n1 * n2 - u1, uMax = Math.max(u1, u2);
  if (ties.length === 0) {
    // p[a][b][u] as probabilities, built up in a and b.
    let prev: Float64Array[] = Array.from({ length: n2 + 1 }, () => Float64Array.of(1)); // a = 0: P(U = 0) = 1 for every b
    for (let a = 1; a <= n1; a++) {
      const cur: Float64Array[] = [Float64Array.of(1)]; // b = 0
      for (let b = 1; b <= n2; b++) {
        const dist = new Float64Array(a * b + 1);
        const left = prev[b], right = cur[b - 1];
        for (let u = 0; u <= a * b; u++) {
          const fromLeft = u - b >= 0 && u - b < left.length ? left[u - b] : 0;
          const fromRight = u < right.length ? right[u] : 0;
          dist[u] = (a / (a + b)) * fromLeft + (b / (a + b)) * fromRight;
        }
        cur.push(dist);
      }
      prev = cur;
    }
    const dist = prev[n2];
    let tail = 0;
    for (let u = Math.ceil(uMax); u < dist.length; u++) tail += dist[u];
    return { u1, u2, p: Math.min(1, 2 * tail), method: 'exact' };
  }
  const tieSum = ties.reduce((s, t) => s + t ** 3 - t, 0);
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieSum / (n * (n - 1))));
  const z = (uMax - (n1 * n2) / 2 - 0.5) / sigma;
  return { u1, u2, p: Math.min(1, 2 * (1 - normalCdf(z))), method: 'asymptotic' };
}
