// Pruning of the learned filter bank (methods-spec §3.5, §5.3.5): per sensor, k-means of the filters' features for
// k = 2..7 (k-means++, 10 restarts, 300 iterations, seeded), k by the highest mean silhouette (ties to the smaller
// k; k above the number of distinct points skipped; none valid → k = 1), and one new filter per cluster: its
// centroid (default, as the published code) or medoid, mapped back to the profile's weights.
import { kmeans, meanSilhouette } from '../../sae/kmeans';
import { gaitWeightsForBand, nominalBand, type SincGeometry, type SincProfile, DEFAULT_GEOMETRY } from './sinc-filters';

export type Representative = 'centroid' | 'medoid';

/** The paper's hand-set counts (§3.5 [C]): 23 filters. */
export const PAPER_K_OVERRIDE: readonly number[] = [3, 3, 3, 3, 4, 2, 2, 3];

export interface SensorPruning {
  sensor: number;
  filtersBefore: number;
  k: number;
  /** Mean silhouette per tried k (the curve the spec asks to log). */
  silhouettes: { k: number; silhouette: number }[];
  /** The k came from kOverride. */
  overridden: boolean;
  /** The new layer's weights, one per cluster. */
  w1: number[];
  w2: number[];
  /** Features (2-D) of the new filters. */
  features: [number, number][];
}

/** The clustering features of one filter: raw (θ1, θb) for sincpd-2024, (f_c, b) in Hz for sincnet-gait. */
export function pruningFeature(profile: SincProfile, w1: number, w2: number, g: SincGeometry = DEFAULT_GEOMETRY): [number, number] {
  if (profile === 'sincpd-2024') return [w1, w2];
  const { f1, f2 } = nominalBand(profile, w1, w2, g);
  return [(f1 + f2) / 2, f2 - f1];
}

/** The weights of a filter whose features are given (inverse of pruningFeature; sigmoids clamped in sincnet-gait). */
export function weightsFromFeature(profile: SincProfile, f: [number, number], g: SincGeometry = DEFAULT_GEOMETRY): [number, number] {
  if (profile === 'sincpd-2024') return [f[0], f[1]];
  const { lo, bw } = gaitWeightsForBand(f[0] - f[1] / 2, f[0] + f[1] / 2, g);
  return [lo, bw];
}

function distinctPoints(x: Float64Array, n: number): number {
  return new Set(Array.from({ length: n }, (_, i) => `${x[2 * i]},${x[2 * i + 1]}`)).size;
}

/** k over kMin..kMax by mean silhouette (ties to the smaller k), as §5.3.5. */
export function chooseClusterCount(x: Float64Array, n: number, seed: number, kMin = 2, kMax = 7): { k: number; silhouettes: { k: number; silhouette: number }[] } {
  const distinct = distinctPoints(x, n);
  const rows = Array.from({ length: n }, (_, i) => i);
  const silhouettes: { k: number; silhouette: number }[] = [];
  let best = { k: 1, s: -Infinity };
  for (let k = kMin; k <= kMax; k++) {
    // A silhouette needs at least two clusters and fewer clusters than points.
    if (k > distinct || k >= n) continue;
    const fit = kmeans(x, n, 2, k, seed);
    const s = meanSilhouette(x, 2, fit.labels, rows, k);
    silhouettes.push({ k, silhouette: s });
    if (s > best.s) best = { k, s };
  }
  return { k: best.k, silhouettes };
}

/** Clusters one sensor's filters into k new ones. */
export function pruneSensor(profile: SincProfile, sensor: number, w1: ArrayLike<number>, w2: ArrayLike<number>,
  options: { kOverride?: number; representative?: Representative; seed?: number; geometry?: SincGeometry } = {}): SensorPruning {
  const n = w1.length;
  const g = options.geometry ?? DEFAULT_GEOMETRY;
  const seed = options.seed ?? 42;
  const x = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) { const f = pruningFeature(profile, w1[i], w2[i], g); x[2 * i] = f[0]; x[2 * i + 1] = f[1]; }
  const chosen = options.kOverride != null ? { k: options.kOverride, silhouettes: [] } : chooseClusterCount(x, n, seed);
  if (!Number.isInteger(chosen.k) || chosen.k < 1 || chosen.k > n) throw new Error(`SincPD pruning: sensor ${sensor}: k = ${chosen.k} is out of range (1 ≤ k ≤ ${n})`);
  const fit = kmeans(x, n, 2, chosen.k, seed);
  const features: [number, number][] = [];
  for (let c = 0; c < chosen.k; c++) {
    if (options.representative === 'medoid') {
      const members = Array.from({ length: n }, (_, i) => i).filter((i) => fit.labels[i] === c);
      let best = members[0], bestSum = Infinity;
      for (const i of members) {
        let s = 0;
        for (const j of members) s += Math.hypot(x[2 * i] - x[2 * j], x[2 * i + 1] - x[2 * j + 1]);
        if (s < bestSum) { bestSum = s; best = i; }
      }
      features.push([x[2 * best], x[2 * best + 1]]);
    } else {
      features.push([fit.centroids[2 * c], fit.centroids[2 * c + 1]]);
    }
  }
  // Lowest feature first, so the pruned layer's filter order does not depend on k-means' cluster numbering.
  features.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const weights = features.map((f) => weightsFromFeature(profile, f, g));
  return {
    sensor, filtersBefore: n, k: chosen.k, silhouettes: chosen.silhouettes, overridden: options.kOverride != null,
    w1: weights.map((w) => w[0]), w2: weights.map((w) => w[1]), features,
  };
}

/** Prunes every sensor; kOverride (8 counts) reproduces the paper's (3, 3, 3, 3, 4, 2, 2, 3). */
export function pruneFilterBank(profile: SincProfile, bank: { w1: ArrayLike<number>; w2: ArrayLike<number> }[],
  options: { kOverride?: readonly number[]; representative?: Representative; seed?: number; geometry?: SincGeometry } = {}): SensorPruning[] {
  if (options.kOverride && options.kOverride.length !== bank.length) {
    throw new Error(`SincPD pruning: kOverride has ${options.kOverride.length} counts for ${bank.length} sensors`);
  }
  return bank.map((b, s) => pruneSensor(profile, s + 1, b.w1, b.w2, {
    kOverride: options.kOverride?.[s], representative: options.representative, seed: options.seed, geometry: options.geometry,
  }));
}
