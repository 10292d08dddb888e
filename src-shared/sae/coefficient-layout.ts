// Input layout of the sparse autoencoders (methods-spec §5.2.3): each 101-point curve becomes its 135 db5
// coefficients; `stacked` concatenates the channel blocks of one (trial, side) in a fixed order (D = 135·C),
// `per-curve` makes every curve its own sample (D = 135).
import { db5CoefficientLengths, wavedecFlat, waverecFlat } from '../wavelets/db5';

export const CURVE_POINTS = 101;
export const COEFFICIENTS_PER_CURVE = db5CoefficientLengths(CURVE_POINTS).reduce((s, l) => s + l, 0); // 135

export type SaeLayout = 'stacked' | 'per-curve';

/** One (trial, side) worth of curves, one 101-point Float64Array per channel in the model's channel order. */
export interface CurveSample {
  subjectId: string;
  trialId: string;
  side: 'left' | 'right' | 'affected' | 'unaffected' | 'none';
  curves: Float64Array[];
}

export interface CoefficientMatrix {
  /** Row-major samples × dim, float64 (scaling happens before the float32 model sees it). */
  values: Float64Array;
  rows: number;
  dim: number;
  /** Per row: the sample it came from and, for per-curve, which channel. */
  source: { sample: number; channel: number | null }[];
}

/** Transform samples to coefficient rows. Curves with a non-finite value are dropped and counted (§5.2.3). */
export function toCoefficientRows(samples: readonly CurveSample[], channels: number, layout: SaeLayout):
  { matrix: CoefficientMatrix; dropped: number } {
  const P = COEFFICIENTS_PER_CURVE;
  const rows: Float64Array[] = [];
  const source: CoefficientMatrix['source'] = [];
  let dropped = 0;
  samples.forEach((s, si) => {
    if (s.curves.length !== channels) {
      throw new RangeError(`sample ${si} (subject ${s.subjectId}, trial ${s.trialId}): ${s.curves.length} channels, model needs ${channels}`);
    }
    s.curves.forEach((c, ci) => {
      if (c.length !== CURVE_POINTS) {
        throw new RangeError(`sample ${si} (subject ${s.subjectId}, trial ${s.trialId}) channel ${ci}: ${c.length} points, expected ${CURVE_POINTS}`);
      }
    });
    const finite = s.curves.map((c) => c.every(Number.isFinite));
    if (layout === 'per-curve') {
      s.curves.forEach((c, ci) => {
        if (!finite[ci]) { dropped++; return; }
        rows.push(wavedecFlat(c));
        source.push({ sample: si, channel: ci });
      });
    } else {
      if (finite.includes(false)) { dropped += finite.filter((f) => !f).length; return; }
      const row = new Float64Array(P * channels);
      s.curves.forEach((c, ci) => row.set(wavedecFlat(c), ci * P));
      rows.push(row);
      source.push({ sample: si, channel: null });
    }
  });
  const dim = layout === 'per-curve' ? P : P * channels;
  const values = new Float64Array(rows.length * dim);
  rows.forEach((r, i) => values.set(r, i * dim));
  return { matrix: { values, rows: rows.length, dim, source }, dropped };
}

/** Inverse of one stacked row (unscaled coefficients) back to its channel curves, 101 points each. */
export function rowToCurves(row: ArrayLike<number>, channels: number): Float64Array[] {
  const P = COEFFICIENTS_PER_CURVE;
  if (row.length !== P * channels) throw new RangeError(`row has ${row.length} coefficients, ${channels} channels need ${P * channels}`);
  return Array.from({ length: channels }, (_, c) =>
    waverecFlat(Array.prototype.slice.call(row, c * P, (c + 1) * P) as number[], CURVE_POINTS));
}
