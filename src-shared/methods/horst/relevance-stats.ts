// Aggregation and consistency of relevance maps (spec §5.1.8, §5.1.10): a subject map is the arithmetic mean of
// its trials' maps (no per-trial normalisation); the consistency CV_s = √(1/D Σ σ_i²) / (1/D Σ |μ_i|) over all
// D = 101·C components, σ_i with ddof = 1 across the subject's maps; null when Σ|μ_i| = 0 or fewer than 2 maps.

export function meanMap(maps: readonly Float64Array[] | readonly Float32Array[]): Float64Array {
  if (maps.length === 0) throw new RangeError('mean of no relevance maps');
  const d = maps[0].length;
  const mean = new Float64Array(d);
  for (const m of maps) {
    if (m.length !== d) throw new RangeError(`relevance maps of ${m.length} and ${d} values cannot be averaged`);
    for (let i = 0; i < d; i++) mean[i] += m[i];
  }
  for (let i = 0; i < d; i++) mean[i] /= maps.length;
  return mean;
}

export function relevanceCV(maps: readonly Float64Array[] | readonly Float32Array[]): number | null {
  if (maps.length < 2) return null;
  const mean = meanMap(maps);
  const d = mean.length;
  let variance = 0;
  let absMean = 0;
  for (let i = 0; i < d; i++) {
    let ss = 0;
    for (const m of maps) ss += (m[i] - mean[i]) ** 2;
    variance += ss / (maps.length - 1);
    absMean += Math.abs(mean[i]);
  }
  if (absMean === 0) return null;
  return Math.sqrt(variance / d) / (absMean / d);
}

/** Mean and SD (ddof = 1) of the non-null per-subject values, as §5.1.9/§5.1.10 report them. */
export function meanSd(values: readonly (number | null)[]): { mean: number; sd: number; n: number } | null {
  const v = values.filter((x): x is number => x !== null);
  if (v.length === 0) return null;
  const mean = v.reduce((s, x) => s + x, 0) / v.length;
  const sd = v.length > 1 ? Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / (v.length - 1)) : 0;
  return { mean, sd, n: v.length };
}
