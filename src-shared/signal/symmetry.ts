// Left–right symmetry of gait parameters and curves. 0 is perfect symmetry; positive means left > right.
import type { Quantity } from './spatiotemporal';

/** Symmetry index SI = 2(XL − XR) / (XL + XR) · 100 % (Robinson et al. 1987, J Manipulative Physiol Ther 10:172). null when XL + XR = 0. */
export function symmetryIndex(left: number, right: number): Quantity<'%'> {
  const sum = left + right;
  return { value: sum === 0 || !Number.isFinite(sum) ? null : (200 * (left - right)) / sum, unit: '%' };
}

/**
 * Symmetry angle SA = (45° − arctan(XL/XR)) / 90° · 100 %, and SA = (45° − arctan(XL/XR) − 180°) / 90° · 100 %
 * when 45° − arctan(XL/XR) > 90° (Zifchock et al. 2008, Gait Posture 27:622). Bounded to ±100 %, defined for
 * XR = 0 (arctan(±∞) = ±90°); null only when both are 0.
 */
export function symmetryAngle(left: number, right: number): Quantity<'%'> {
  if ((left === 0 && right === 0) || !Number.isFinite(left) || !Number.isFinite(right)) return { value: null, unit: '%' };
  const angleDeg = right === 0 ? Math.sign(left) * 90 : (Math.atan(left / right) * 180) / Math.PI;
  const d = 45 - angleDeg;
  return { value: ((d > 90 ? d - 180 : d) / 90) * 100, unit: '%' };
}

export interface CurveSymmetry {
  /** NSI at each point of the curves, %. */
  perPoint: Float64Array;
  /** Mean |NSI| over the curve, %. */
  meanAbs: Quantity<'%'>;
  /** Largest |NSI| and where, % and % of the cycle. */
  maxAbs: Quantity<'%'>;
  maxAtPercent: Quantity<'%'>;
}

/**
 * Normalised symmetry index over a cycle (Queen et al. 2020, J Biomech 99:109531): both curves are rescaled with
 * the joint minimum and maximum to Xn = (X − min)/(max − min) + 1 ∈ [1, 2], then NSI = (XnL − XnR)/((XnL + XnR)/2)
 * · 100 % per point. The +1 shift is the guard against near-zero denominators (force curves at toe-off, angles
 * crossing 0) that make the plain per-point SI explode; |NSI| ≤ 66.7 %. Identical flat curves give 0.
 */
export function normalisedSymmetryIndex(left: ArrayLike<number>, right: ArrayLike<number>): CurveSymmetry {
  if (left.length !== right.length || left.length < 2) {
    throw new RangeError(`curves must have the same length ≥ 2 (time-normalised), got ${left.length} and ${right.length}`);
  }
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < left.length; i++) {
    lo = Math.min(lo, left[i], right[i]);
    hi = Math.max(hi, left[i], right[i]);
  }
  const range = hi - lo;
  const n = left.length;
  const perPoint = new Float64Array(n);
  let sumAbs = 0, maxAbs = 0, maxAt = 0;
  for (let i = 0; i < n; i++) {
    const l = range > 0 ? (left[i] - lo) / range + 1 : 1;
    const r = range > 0 ? (right[i] - lo) / range + 1 : 1;
    const v = (200 * (l - r)) / (l + r);
    perPoint[i] = v;
    sumAbs += Math.abs(v);
    if (Math.abs(v) > maxAbs) { maxAbs = Math.abs(v); maxAt = i; }
  }
  return {
    perPoint,
    meanAbs: { value: sumAbs / n, unit: '%' },
    maxAbs: { value: maxAbs, unit: '%' },
    maxAtPercent: { value: (100 * maxAt) / (n - 1), unit: '%' },
  };
}

/** SI and SA of one parameter from its left and right values (e.g. mean stance %). */
export function compareSides(left: number | null, right: number | null): { si: Quantity<'%'>; sa: Quantity<'%'> } {
  if (left === null || right === null) return { si: { value: null, unit: '%' }, sa: { value: null, unit: '%' } };
  return { si: symmetryIndex(left, right), sa: symmetryAngle(left, right) };
}
