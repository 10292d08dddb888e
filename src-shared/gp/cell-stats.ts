// Sufficient statistics per (leaf, grid point): methods-spec §5.4.3, HG-9. After one pass over the cycles the
// bound, its gradients, NMSE and MSLL need only (n, ȳ, C) per cell, whatever the number of cycles.

/** Per leaf, T cells: count n, mean ȳ and centred sum of squares C = Σ (y − ȳ)². */
export interface CellStats {
  n: Float64Array;
  mean: Float64Array;
  c: Float64Array;
}

export function emptyCellStats(gridSize: number): CellStats {
  return { n: new Float64Array(gridSize), mean: new Float64Array(gridSize), c: new Float64Array(gridSize) };
}

/** Welford's update (Welford 1962, Technometrics 4:419) of cell j with one observation; NaN is a missing sample. */
export function addObservation(stats: CellStats, j: number, y: number): void {
  if (Number.isNaN(y)) return;
  const n = stats.n[j] + 1;
  const delta = y - stats.mean[j];
  stats.mean[j] += delta / n;
  stats.c[j] += delta * (y - stats.mean[j]);
  stats.n[j] = n;
}

/** Adds every sample of one time-normalised cycle (length T, NaN = missing) to the leaf's cells. */
export function addCycle(stats: CellStats, cycle: ArrayLike<number>): void {
  for (let j = 0; j < cycle.length; j++) addObservation(stats, j, cycle[j]);
}

export function cellStatsOfCycles(cycles: readonly ArrayLike<number>[], gridSize: number): CellStats {
  const s = emptyCellStats(gridSize);
  for (const cycle of cycles) addCycle(s, cycle);
  return s;
}

/** Number of observations over all cells. */
export function observationCount(stats: readonly CellStats[]): number {
  let n = 0;
  for (const s of stats) for (let j = 0; j < s.n.length; j++) n += s.n[j];
  return n;
}
