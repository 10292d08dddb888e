// Prediction from a stored logistic-regression state with plain arithmetic (no tfjs), so a stored model can be
// checked anywhere: softmax(z · W + b) with z the standardised features (Bishop 2006, §4.3.4).
import type { LogRegState } from './state';

/** Class probabilities (rows × classes) of raw feature rows, standardised with the model's own mean and SD. */
export function predictProbabilities(state: LogRegState, x: Float32Array, rows: number): Float64Array {
  const { features, classes, mean, sd, weights, bias } = state;
  if (x.length !== rows * features) throw new RangeError(`expected ${rows} × ${features} features, got ${x.length} values`);
  const out = new Float64Array(rows * classes);
  const z = new Float64Array(features);
  for (let r = 0; r < rows; r++) {
    for (let f = 0; f < features; f++) z[f] = (x[r * features + f] - mean[f]) / (sd[f] > 0 ? sd[f] : 1);
    let max = -Infinity;
    for (let c = 0; c < classes; c++) {
      let s = bias[c];
      for (let f = 0; f < features; f++) s += z[f] * weights[f * classes + c];
      out[r * classes + c] = s;
      if (s > max) max = s;
    }
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += (out[r * classes + c] = Math.exp(out[r * classes + c] - max));
    for (let c = 0; c < classes; c++) out[r * classes + c] /= sum;
  }
  return out;
}

/** The most probable class of each row (the first one on a tie). */
export function argmaxRows(p: Float64Array, classes: number): Int32Array {
  const rows = p.length / classes;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (p[r * classes + c] > p[r * classes + best]) best = c;
    out[r] = best;
  }
  return out;
}
