// The continuous severity score (methods-spec §5.3.4): the expected Hoehn & Yahr stage under the class
// probabilities, ĥ = Σ_c p_c h_c with h = (0, 2, 2.5, 3); per subject the mean over its segments.
import { SEVERITY_STAGES } from './walk-labels';

/** ĥ per row of a rows × 4 probability matrix. */
export function expectedStage(probabilities: ArrayLike<number>, rows: number): Float64Array {
  const k = SEVERITY_STAGES.length;
  if (probabilities.length !== rows * k) throw new RangeError(`expected ${rows} × ${k} probabilities, got ${probabilities.length}`);
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < k; c++) s += probabilities[r * k + c] * SEVERITY_STAGES[c];
    out[r] = s;
  }
  return out;
}

/** Mean of `values` per group key, in first-seen order of the keys. */
export function meanByGroup(values: ArrayLike<number>, keys: readonly string[]): { keys: string[]; means: Float64Array } {
  const sum = new Map<string, { s: number; n: number }>();
  for (let i = 0; i < keys.length; i++) {
    const e = sum.get(keys[i]) ?? { s: 0, n: 0 };
    e.s += values[i]; e.n++;
    sum.set(keys[i], e);
  }
  const out = [...sum.keys()];
  return { keys: out, means: Float64Array.from(out, (k) => sum.get(k)!.s / sum.get(k)!.n) };
}
