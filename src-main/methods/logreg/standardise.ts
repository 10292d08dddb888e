// Per-feature standardisation (z-scores) with the mean and SD of the training rows only, so no test
// information leaks into preprocessing. A feature constant in training (SD 0) is left centred, not divided.

/** Mean and SD (population, n in the denominator) of each column of a rows × features matrix, over `rows`. */
export function featureMeanSd(x: Float32Array, features: number, rows: readonly number[]): { mean: Float64Array; sd: Float64Array } {
  const mean = new Float64Array(features);
  const sd = new Float64Array(features);
  for (const r of rows) for (let f = 0; f < features; f++) mean[f] += x[r * features + f];
  for (let f = 0; f < features; f++) mean[f] /= Math.max(1, rows.length);
  for (const r of rows) {
    for (let f = 0; f < features; f++) {
      const d = x[r * features + f] - mean[f];
      sd[f] += d * d;
    }
  }
  for (let f = 0; f < features; f++) sd[f] = Math.sqrt(sd[f] / Math.max(1, rows.length));
  return { mean, sd };
}

/** The selected rows, standardised: (x − mean) / sd, with sd 0 treated as 1. */
export function standardiseRows(x: Float32Array, features: number, rows: readonly number[], mean: ArrayLike<number>, sd: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rows.length * features);
  rows.forEach((r, i) => {
    for (let f = 0; f < features; f++) out[i * features + f] = (x[r * features + f] - mean[f]) / (sd[f] > 0 ? sd[f] : 1);
  });
  return out;
}
