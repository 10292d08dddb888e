// Standardisation of SincPD segments (methods-spec §5.3.1 item 7): one scalar μ and population σ over every
// value of the TRAINING segments (8 channels pooled, as the authors' code), applied unchanged to validation
// and test. Fitting takes the training rows only, so test statistics can never leak in.
import { SEGMENT_VALUES } from './segments';

export interface SegmentScaling { mean: number; sd: number; fittedOn: number }

/** μ and population σ over all values of segments `trainRows` of x (n × SEGMENT_VALUES), in float64. */
export function fitSegmentScaling(x: Float32Array, trainRows: ArrayLike<number>): SegmentScaling {
  if (trainRows.length === 0) throw new RangeError('cannot fit a scaling on no training segments');
  let sum = 0;
  for (let i = 0; i < trainRows.length; i++) {
    const base = trainRows[i] * SEGMENT_VALUES;
    for (let j = 0; j < SEGMENT_VALUES; j++) sum += x[base + j];
  }
  const count = trainRows.length * SEGMENT_VALUES;
  const mean = sum / count;
  let ss = 0;
  for (let i = 0; i < trainRows.length; i++) {
    const base = trainRows[i] * SEGMENT_VALUES;
    for (let j = 0; j < SEGMENT_VALUES; j++) { const d = x[base + j] - mean; ss += d * d; }
  }
  const sd = Math.sqrt(ss / count);
  return { mean, sd: sd > 0 ? sd : 1, fittedOn: trainRows.length };
}

/** (x − μ) / σ of segments `rows`, as a new n × SEGMENT_VALUES array in that order. */
export function applySegmentScaling(x: Float32Array, rows: ArrayLike<number>, s: SegmentScaling): Float32Array {
  const out = new Float32Array(rows.length * SEGMENT_VALUES);
  for (let i = 0; i < rows.length; i++) {
    const base = rows[i] * SEGMENT_VALUES;
    const o = i * SEGMENT_VALUES;
    for (let j = 0; j < SEGMENT_VALUES; j++) out[o + j] = (x[base + j] - s.mean) / s.sd;
  }
  return out;
}
