// Decoding a dictionary feature into the time domain (methods-spec §5.2.7): the unit-activation curve
// Δy_c = waverec(s_c · W_{j, block c}) per channel (no b_d, no μ: an additive curve per unit activation, linear in
// the activation), and the overlay curve waverec(μ_c + s_c (b_{d,c} + a W_{j,c})) shown over the mean.
import { COEFFICIENTS_PER_CURVE, CURVE_POINTS } from './coefficient-layout';
import type { ChannelScaling } from './type-rms-scaling';
import { waverecFlat } from '../wavelets/db5';

/** Row j of W (k × D, row-major) as channel blocks. */
function block(W: ArrayLike<number>, dim: number, j: number, c: number): Float64Array {
  const off = j * dim + c * COEFFICIENTS_PER_CURVE;
  return Float64Array.from({ length: COEFFICIENTS_PER_CURVE }, (_, p) => W[off + p]);
}

/** Δy per channel for a unit activation of feature j, 101 points each, in channel units per unit activation. */
export function unitActivationCurves(W: ArrayLike<number>, dim: number, j: number, scaling: readonly ChannelScaling[]): Float64Array[] {
  return scaling.map((sc, c) => waverecFlat(block(W, dim, j, c).map((v) => sc.scale * v), CURVE_POINTS));
}

/** The curve drawn for feature j at activation a: the mean plus the decoder bias plus a times the atom, unscaled. */
export function overlayCurves(W: ArrayLike<number>, bd: ArrayLike<number>, dim: number, j: number, activation: number,
  scaling: readonly ChannelScaling[]): Float64Array[] {
  return scaling.map((sc, c) => {
    const atom = block(W, dim, j, c);
    const coeffs = atom.map((w, p) => sc.mean[p] + sc.scale * (bd[c * COEFFICIENTS_PER_CURVE + p] + activation * w));
    return waverecFlat(coeffs, CURVE_POINTS);
  });
}

/**
 * A sample's reconstruction in the time domain from its code h (§5.2.7, stacked layout): per channel
 * waverec(μ_c + s_c (b_{d,c} + Σ_j h_j W_{j,c})), 101 points in channel units.
 */
export function reconstructedCurves(code: ArrayLike<number>, W: ArrayLike<number>, bd: ArrayLike<number>, dim: number, scaling: readonly ChannelScaling[]): Float64Array[] {
  const xHat = Float64Array.from(bd);
  for (let j = 0; j < code.length; j++) {
    const h = code[j];
    if (h === 0) continue;
    for (let d = 0; d < dim; d++) xHat[d] += h * W[j * dim + d];
  }
  return scaling.map((sc, c) => waverecFlat(Float64Array.from({ length: COEFFICIENTS_PER_CURVE }, (_, p) => sc.mean[p] + sc.scale * xHat[c * COEFFICIENTS_PER_CURVE + p]), CURVE_POINTS));
}
