// SincPD's explanation (methods-spec §3.7, §5.3.6): the energy of each sinc filter's raw output (stride 5, before
// LayerNorm) for a healthy and a PD representative segment, their difference ΔE = E(healthy) − E(PD), the ranking
// of all F filters and the top ⌊0.2F⌋ with their real (measured) bands, and per-sensor sums with the sensors'
// positions under the foot. Representatives are the medoid of the largest DBSCAN cluster of each class (eps 200,
// min_samples 5, Euclidean on the flattened standardised segments), the class medoid where DBSCAN finds none; the
// class means of the per-segment energies are always reported too.
import { measureBands } from './band-measure';
import { isAliased, nominalBand, paperPlotBand, sincTaps, type SincGeometry, type SincProfile } from './sinc-filters';

/** Sensor positions under the foot (gaitpdb format.txt; arbitrary units, origin between the feet, +Y forward). */
export const SENSOR_POSITIONS: readonly { sensor: number; left: { x: number; y: number }; right: { x: number; y: number }; region: string }[] = [
  { sensor: 1, left: { x: -500, y: -800 }, right: { x: 500, y: -800 }, region: 'heel, centre' },
  { sensor: 2, left: { x: -700, y: -400 }, right: { x: 700, y: -400 }, region: 'rear foot, lateral' },
  { sensor: 3, left: { x: -300, y: -400 }, right: { x: 300, y: -400 }, region: 'rear foot, medial' },
  { sensor: 4, left: { x: -700, y: 0 }, right: { x: 700, y: 0 }, region: 'midfoot, lateral' },
  { sensor: 5, left: { x: -300, y: 0 }, right: { x: 300, y: 0 }, region: 'midfoot, medial' },
  { sensor: 6, left: { x: -700, y: 400 }, right: { x: 700, y: 400 }, region: 'forefoot/ball, lateral' },
  { sensor: 7, left: { x: -300, y: 400 }, right: { x: 300, y: 400 }, region: 'forefoot/ball, medial' },
  { sensor: 8, left: { x: -500, y: 800 }, right: { x: 500, y: 800 }, region: 'toes' },
];

export interface FilterBankSpec extends SincGeometry {
  profile: SincProfile;
  stride: number;
  /** Per sensor, the filters' two weights. */
  bank: { w1: ArrayLike<number>; w2: ArrayLike<number> }[];
}

/** Σ_t y[t]² of every filter's SAME-padded strided output, for one segment [sensors, T]; row-major [filters of sensor 1, …]. */
export function filterEnergies(spec: FilterBankSpec, segment: ArrayLike<number>, length: number, taps = bankTaps(spec)): Float64Array {
  const L = spec.kernelLength;
  const out = Math.ceil(length / spec.stride);
  const left = Math.floor(Math.max((out - 1) * spec.stride + L - length, 0) / 2);
  const energies = new Float64Array(taps.length);
  taps.forEach(({ sensor, h }, f) => {
    const base = sensor * length;
    let e = 0;
    for (let t = 0; t < out; t++) {
      const start = t * spec.stride - left;
      const j0 = Math.max(0, -start), j1 = Math.min(L, length - start);
      let y = 0;
      for (let j = j0; j < j1; j++) y += h[j] * segment[base + start + j];
      e += y * y;
    }
    energies[f] = e;
  });
  return energies;
}

/** The taps of every filter, sensor by sensor. */
export function bankTaps(spec: FilterBankSpec): { sensor: number; filter: number; h: Float64Array }[] {
  return spec.bank.flatMap((b, s) => Array.from({ length: b.w1.length }, (_, j) => ({ sensor: s, filter: j, h: sincTaps(spec.profile, b.w1[j], b.w2[j], spec) })));
}

/** DBSCAN labels (−1 noise) of n points of dimension d (row-major), Euclidean; a point counts itself as a neighbour (as scikit-learn). */
export function dbscan(x: ArrayLike<number>, n: number, d: number, eps: number, minSamples: number): Int32Array {
  return dbscanOfDistances(pairwiseDistances(x, n, d), n, eps, minSamples);
}

/** DBSCAN on a symmetric n × n distance matrix. */
function dbscanOfDistances(dist: Float64Array, n: number, eps: number, minSamples: number): Int32Array {
  const neighbours = Array.from({ length: n }, (_, i) => {
    const out: number[] = [];
    for (let j = 0; j < n; j++) if (dist[i * n + j] <= eps) out.push(j);
    return out;
  });
  const labels = new Int32Array(n).fill(-1);
  let cluster = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i] !== -1 || neighbours[i].length < minSamples) continue;
    labels[i] = cluster;
    const queue = [...neighbours[i]];
    while (queue.length) {
      const j = queue.pop()!;
      if (labels[j] !== -1) continue;
      labels[j] = cluster;
      if (neighbours[j].length >= minSamples) for (const k of neighbours[j]) if (labels[k] === -1) queue.push(k);
    }
    cluster++;
  }
  return labels;
}

/** Euclidean distances of n points (row-major, dimension d); `onRow(i, n)` after each row (long for thousands of segments). */
function pairwiseDistances(x: ArrayLike<number>, n: number, d: number, onRow?: (i: number, n: number) => void): Float64Array {
  const dist = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let p = 0; p < d; p++) { const t = x[i * d + p] - x[j * d + p]; s += t * t; }
      dist[i * n + j] = dist[j * n + i] = Math.sqrt(s);
    }
    onRow?.(i, n);
  }
  return dist;
}

/** medoid() from a distance matrix of pairwiseDistances (the same sums: each distance is computed once, in the same order). */
function medoidOfDistances(dist: Float64Array, n: number, members: readonly number[]): number {
  let best = members[0], bestSum = Infinity;
  for (const i of members) {
    let s = 0;
    for (const j of members) s += dist[i * n + j];
    if (s < bestSum) { bestSum = s; best = i; }
  }
  return best;
}

/** The member of `members` with the least summed distance to the others (the first on ties). */
export function medoid(x: ArrayLike<number>, d: number, members: readonly number[]): number {
  let best = members[0], bestSum = Infinity;
  for (const i of members) {
    let s = 0;
    for (const j of members) {
      let q = 0;
      for (let p = 0; p < d; p++) { const t = x[i * d + p] - x[j * d + p]; q += t * t; }
      s += Math.sqrt(q);
    }
    if (s < bestSum) { bestSum = s; best = i; }
  }
  return best;
}

export interface Representative {
  method: 'dbscan-medoid' | 'class-medoid';
  /** Index of the segment among those given. */
  index: number;
  segmentId: string | null;
  subjectId: string | null;
  clusterSize: number;
  clusters: number;
  noise: number;
}

/**
 * The representative of one class's segments (rows of x, each of size d). The distances are computed once for DBSCAN
 * and the medoid; `onRow(i, n)` is called as they are (a job beats from it).
 */
export function classRepresentative(x: ArrayLike<number>, d: number, rows: readonly number[], eps = 200, minSamples = 5, onRow?: (i: number, n: number) => void):
  Omit<Representative, 'segmentId' | 'subjectId'> {
  const m = rows.length;
  const sub = new Float64Array(m * d);
  rows.forEach((r, i) => { for (let p = 0; p < d; p++) sub[i * d + p] = x[r * d + p]; });
  const dist = pairwiseDistances(sub, m, d, onRow);
  const labels = dbscanOfDistances(dist, m, eps, minSamples);
  const sizes = new Map<number, number>();
  for (const l of labels) if (l >= 0) sizes.set(l, (sizes.get(l) ?? 0) + 1);
  const noise = labels.filter((l) => l < 0).length;
  if (sizes.size === 0) {
    return { method: 'class-medoid', index: rows[medoidOfDistances(dist, m, rows.map((_, i) => i))], clusterSize: m, clusters: 0, noise };
  }
  // The largest cluster; ties to the lower cluster number (found first).
  let largest = -1, size = -1;
  for (const [l, s] of sizes) if (s > size) { largest = l; size = s; }
  const members = Array.from(labels.keys()).filter((i) => labels[i] === largest);
  return { method: 'dbscan-medoid', index: rows[medoidOfDistances(dist, m, members)], clusterSize: size, clusters: sizes.size, noise };
}

export type RankBy = 'abs' | 'signed';

export interface ExplainedFilter {
  sensor: number;
  channel: string;
  posLeft: { x: number; y: number };
  posRight: { x: number; y: number };
  region: string;
  filter: number;
  f1Hz: number;
  f2Hz: number;
  measuredBandsHz: [number, number][];
  aliased: boolean;
  paperPlotBandHz?: [number, number];
  energyHealthy: number;
  energyPD: number;
  deltaE: number;
  rank: number;
  top20: boolean;
  /** The second output: class means of the per-segment energies. */
  classMean: { energyHealthy: number; energyPD: number; deltaE: number };
}

export interface SensorSummary { sensor: number; sumAbsDeltaE: number; maxAbsDeltaE: number; rank: number }

export interface Explanation {
  profile: SincProfile;
  fs: number;
  kernelLength: number;
  rankBy: RankBy;
  topCount: number;
  representatives: { healthy: Representative; pd: Representative };
  filters: ExplainedFilter[];
  sensors: SensorSummary[];
  /** Sensors summed over the class-mean ΔE. */
  classMeanSensors: SensorSummary[];
}

export interface ExplainInput {
  spec: FilterBankSpec;
  /** Held-out standardised segments [n, sensors, length]. */
  x: Float32Array | Float64Array;
  n: number;
  length: number;
  /** 0 healthy, 1 PD. */
  label: ArrayLike<number>;
  segmentIds?: readonly string[];
  subjectIds?: readonly string[];
  rankBy?: RankBy;
  eps?: number;
  minSamples?: number;
  /** Called often with the fraction done (thousands of segments take minutes): a job beats, and may cancel, from it. */
  onProgress?: (fraction: number) => void;
}

function rankOrder(values: readonly number[], rankBy: RankBy): number[] {
  const key = (v: number) => (rankBy === 'abs' ? Math.abs(v) : v);
  const order = values.map((_, i) => i).sort((a, b) => key(values[b]) - key(values[a]) || a - b);
  const rank = new Array<number>(values.length);
  order.forEach((i, r) => { rank[i] = r + 1; });
  return rank;
}

function summarise(filters: { sensor: number; deltaE: number }[], sensors: number): SensorSummary[] {
  const rows = Array.from({ length: sensors }, (_, s) => {
    const d = filters.filter((f) => f.sensor === s + 1).map((f) => Math.abs(f.deltaE));
    return { sensor: s + 1, sumAbsDeltaE: d.reduce((a, b) => a + b, 0), maxAbsDeltaE: d.length ? Math.max(...d) : 0, rank: 0 };
  });
  const rank = rankOrder(rows.map((r) => r.sumAbsDeltaE), 'abs');
  rows.forEach((r, i) => { r.rank = rank[i]; });
  return rows;
}

export function explainSincPd(input: ExplainInput): Explanation {
  const { spec, x, n, length } = input;
  const sensors = spec.bank.length;
  const d = sensors * length;
  if (x.length !== n * d) throw new Error(`SincPD explain: x has ${x.length} values, ${n} × ${sensors} × ${length} expected`);
  const healthyRows: number[] = [], pdRows: number[] = [];
  for (let i = 0; i < n; i++) (input.label[i] === 0 ? healthyRows : input.label[i] === 1 ? pdRows : null)?.push(i);
  if (!healthyRows.length || !pdRows.length) throw new Error(`SincPD explain: needs segments of both classes (healthy ${healthyRows.length}, PD ${pdRows.length})`);
  const eps = input.eps ?? 200, minSamples = input.minSamples ?? 5;
  // Work: the two classes' pairwise distances (m² each), then every segment's filter energies (counted as 2n rows).
  const work = healthyRows.length ** 2 + pdRows.length ** 2 + 2 * n * n;
  let done = 0;
  const report = (units: number) => { done += units; input.onProgress?.(Math.min(1, done / work)); };
  const rep = (rows: number[]): Representative => {
    const r = classRepresentative(x, d, rows, eps, minSamples, (_, m) => report(m));
    return { ...r, segmentId: input.segmentIds?.[r.index] ?? null, subjectId: input.subjectIds?.[r.index] ?? null };
  };
  const healthy = rep(healthyRows), pd = rep(pdRows);
  const taps = bankTaps(spec);
  const energyOf = (i: number) => filterEnergies(spec, x.subarray(i * d, (i + 1) * d), length, taps);
  const eH = energyOf(healthy.index), eP = energyOf(pd.index);
  const meanOf = (rows: number[]) => {
    const m = new Float64Array(taps.length);
    for (const r of rows) { const e = energyOf(r); for (let f = 0; f < m.length; f++) m[f] += e[f] / rows.length; report(2 * n); }
    return m;
  };
  const mH = meanOf(healthyRows), mP = meanOf(pdRows);
  const rankBy = input.rankBy ?? 'abs';
  const deltas = taps.map((_, f) => eH[f] - eP[f]);
  const rank = rankOrder(deltas, rankBy);
  const topCount = Math.floor(0.2 * taps.length);
  const filters: ExplainedFilter[] = taps.map(({ sensor, filter, h }, f) => {
    const w1 = spec.bank[sensor].w1[filter], w2 = spec.bank[sensor].w2[filter];
    const { f1, f2 } = nominalBand(spec.profile, w1, w2, spec);
    const pos = SENSOR_POSITIONS[sensor];
    return {
      sensor: sensor + 1, channel: `L${sensor + 1}−R${sensor + 1}`, posLeft: pos.left, posRight: pos.right, region: pos.region, filter: filter + 1,
      f1Hz: f1, f2Hz: f2, measuredBandsHz: measureBands(h, spec.fs).regions, aliased: isAliased(spec.profile, w1, w2, spec),
      ...(spec.profile === 'sincpd-2024' ? { paperPlotBandHz: paperPlotBand(w1, w2) } : {}),
      energyHealthy: eH[f], energyPD: eP[f], deltaE: deltas[f], rank: rank[f], top20: rank[f] <= topCount,
      classMean: { energyHealthy: mH[f], energyPD: mP[f], deltaE: mH[f] - mP[f] },
    };
  });
  return {
    profile: spec.profile, fs: spec.fs, kernelLength: spec.kernelLength, rankBy, topCount, representatives: { healthy, pd }, filters,
    sensors: summarise(filters, sensors), classMeanSensors: summarise(filters.map((f) => ({ sensor: f.sensor, deltaE: f.classMean.deltaE })), sensors),
  };
}

/**
 * The same explanation ranked another way: ranks and the top-20 % flags follow from ΔE alone, so an explanation kept
 * with its model (ranked by |ΔE|) answers a signed request without computing the energies again.
 */
export function rankExplanation<E extends Pick<Explanation, 'rankBy' | 'topCount'> & { filters: { deltaE: number; rank: number; top20: boolean }[] }>(e: E, rankBy: RankBy): E {
  if (e.rankBy === rankBy) return e;
  const rank = rankOrder(e.filters.map((f) => f.deltaE), rankBy);
  return { ...e, rankBy, filters: e.filters.map((f, i) => ({ ...f, rank: rank[i], top20: rank[i] <= e.topCount })) };
}

/** The explanation as CSV, one row per filter (bands as "lo–hi" joined by ";"). */
export function explanationCsv(e: Explanation): string {
  const header = ['sensor', 'channel', 'region', 'posLeftX', 'posLeftY', 'posRightX', 'posRightY', 'filter', 'f1Hz', 'f2Hz', 'measuredBandsHz', 'aliased',
    'paperPlotBandHz', 'energyHealthy', 'energyPD', 'deltaE', 'rank', 'top20', 'classMeanEnergyHealthy', 'classMeanEnergyPD', 'classMeanDeltaE'];
  const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const rows = e.filters.map((f) => [f.sensor, f.channel, f.region, f.posLeft.x, f.posLeft.y, f.posRight.x, f.posRight.y, f.filter, f.f1Hz, f.f2Hz,
    f.measuredBandsHz.map(([a, b]) => `${a}–${b}`).join(';'), f.aliased, f.paperPlotBandHz ? `${f.paperPlotBandHz[0]}–${f.paperPlotBandHz[1]}` : '',
    f.energyHealthy, f.energyPD, f.deltaE, f.rank, f.top20, f.classMean.energyHealthy, f.classMean.energyPD, f.classMean.deltaE].map((v) => quote(String(v))).join(','));
  return [header.join(','), ...rows].join('\n') + '\n';
}
