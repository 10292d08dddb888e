// k-means on latent codes with k chosen by the mean silhouette (methods-spec §5.2.9): k-means++ initialisation,
// 10 restarts (lowest inertia kept), at most 300 Lloyd iterations, stop when centroids move < 1e-4 (relative to
// the data's scale), seeded; k over 2..10 by maximum mean Euclidean silhouette on a seeded subsample of ≤ 3,000
// points, ties to the smaller k. Row-major float64 codes.
import { seededRandom } from '../random';

export interface KMeansResult {
  k: number;
  centroids: Float64Array;
  labels: Int32Array;
  inertia: number;
  iterations: number;
}

function sqDist(x: ArrayLike<number>, i: number, c: ArrayLike<number>, j: number, d: number): number {
  let s = 0;
  for (let p = 0; p < d; p++) { const t = x[i * d + p] - c[j * d + p]; s += t * t; }
  return s;
}

function kmeansOnce(x: ArrayLike<number>, n: number, d: number, k: number, random: () => number, maxIter: number, tol: number): KMeansResult {
  const centroids = new Float64Array(k * d);
  // k-means++: first centre uniformly, then each next with probability ∝ squared distance to the nearest centre.
  const first = Math.floor(random() * n);
  for (let p = 0; p < d; p++) centroids[p] = x[first * d + p];
  const nearest = Float64Array.from({ length: n }, (_, i) => sqDist(x, i, centroids, 0, d));
  for (let c = 1; c < k; c++) {
    const total = nearest.reduce((s, v) => s + v, 0);
    let target = random() * total;
    let pick = n - 1;
    for (let i = 0; i < n; i++) { target -= nearest[i]; if (target <= 0) { pick = i; break; } }
    for (let p = 0; p < d; p++) centroids[c * d + p] = x[pick * d + p];
    for (let i = 0; i < n; i++) nearest[i] = Math.min(nearest[i], sqDist(x, i, centroids, c, d));
  }
  const labels = new Int32Array(n);
  let iterations = 0;
  for (; iterations < maxIter; iterations++) {
    for (let i = 0; i < n; i++) {
      let best = 0, bestD = Infinity;
      for (let c = 0; c < k; c++) { const dd = sqDist(x, i, centroids, c, d); if (dd < bestD) { bestD = dd; best = c; } }
      labels[i] = best;
    }
    const next = new Float64Array(k * d);
    const count = new Float64Array(k);
    for (let i = 0; i < n; i++) { count[labels[i]]++; for (let p = 0; p < d; p++) next[labels[i] * d + p] += x[i * d + p]; }
    let shift = 0;
    for (let c = 0; c < k; c++) {
      // An emptied cluster keeps its centre (it may win points back next round).
      for (let p = 0; p < d; p++) next[c * d + p] = count[c] > 0 ? next[c * d + p] / count[c] : centroids[c * d + p];
      shift += sqDist(next, c, centroids, c, d);
    }
    centroids.set(next);
    if (shift <= tol) { iterations++; break; }
  }
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += sqDist(x, i, centroids, labels[i], d);
  return { k, centroids, labels, inertia, iterations };
}

export function kmeans(x: ArrayLike<number>, n: number, d: number, k: number, seed = 42, restarts = 10, maxIter = 300, tol = 1e-4): KMeansResult {
  const random = seededRandom(seed);
  // Tolerance relative to the data's total variance per dimension, as scikit-learn scales it.
  let mean = 0, sq = 0;
  for (let i = 0; i < n * d; i++) { mean += x[i]; sq += x[i] * x[i]; }
  const variance = Math.max(sq / (n * d) - (mean / (n * d)) ** 2, 0);
  let best: KMeansResult | null = null;
  for (let r = 0; r < restarts; r++) {
    const fit = kmeansOnce(x, n, d, k, random, maxIter, tol * variance);
    if (!best || fit.inertia < best.inertia) best = fit;
  }
  return best!;
}

/** Mean silhouette (Euclidean) of the given rows. */
export function meanSilhouette(x: ArrayLike<number>, d: number, labels: ArrayLike<number>, rows: readonly number[], k: number): number {
  let total = 0;
  for (const i of rows) {
    const sum = new Float64Array(k);
    const count = new Float64Array(k);
    for (const j of rows) {
      if (j === i) continue;
      sum[labels[j]] += Math.sqrt(sqDist(x, i, x, j, d));
      count[labels[j]]++;
    }
    const own = labels[i];
    if (count[own] === 0) continue; // a singleton cluster scores 0
    const a = sum[own] / count[own];
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && count[c] > 0) b = Math.min(b, sum[c] / count[c]);
    total += (b - a) / Math.max(a, b);
  }
  return total / rows.length;
}

/** k over kMin..kMax by the maximum mean silhouette on a seeded subsample of ≤ maxPoints, ties to the smaller k. */
export function chooseK(x: ArrayLike<number>, n: number, d: number, seed = 42, kMin = 2, kMax = 10, maxPoints = 3000):
  { k: number; silhouettes: { k: number; silhouette: number }[]; fit: KMeansResult } {
  const random = seededRandom(seed ^ 0x5117);
  const all = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) { const j = Math.floor(random() * (i + 1)); [all[i], all[j]] = [all[j], all[i]]; }
  const sample = all.slice(0, Math.min(maxPoints, n)).sort((a, b) => a - b);
  const silhouettes: { k: number; silhouette: number }[] = [];
  let best: { k: number; s: number; fit: KMeansResult } | null = null;
  for (let k = kMin; k <= Math.min(kMax, n - 1); k++) {
    const fit = kmeans(x, n, d, k, seed);
    const s = meanSilhouette(x, d, fit.labels, sample, k);
    silhouettes.push({ k, silhouette: s });
    if (!best || s > best.s) best = { k, s, fit };
  }
  return { k: best!.k, silhouettes, fit: best!.fit };
}
