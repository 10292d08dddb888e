// The two passes the αβ-rule needs (spec §1.6), each as one matrix product of a "sign-split" layer: the literal
// form takes four products forward (a⁺w⁺, a⁻w⁻, a⁺w⁻, a⁻w⁺) and four transposed. Here the layer's outputs are
// doubled (filters or units f → 2f: w⁺ then w⁻), so one forward product gives S⁺ and S⁻ side by side. Where some
// inputs are negative (the raw curves, scaled to [−1, 1]) the inputs are doubled too, a⁺ then a⁻ at each
// position, and the weight rows for a⁻ swap w⁺ and w⁻: [a⁺ | a⁻]·[[w⁺, w⁻], [w⁻, w⁺]] = [S⁺ | S⁻]. The way back
// is the transpose of the same layer: [αR/S⁺ | −βR/S⁻]·(that weight)ᵀ gives each input its share for both signs
// of a_i, and a_i picks its own. With a ≥ 0 (ReLU outputs: every hidden layer) a⁻ is 0, and the narrow form
// gives the same bits as the wide one (its extra terms are all zeros), so a batch gives each sample what it
// gets alone. Batched: [B][inputs] → [B][outputs].
import { affineForward, affineTranspose, batchOf, layerInputSize, type AffineLayer } from './layers';

/** The sign-split twin of a layer: outputs doubled; inputs doubled too where `wide`. */
interface SplitLayer { layer: AffineLayer; weight: Float64Array }

const narrowCache = new WeakMap<Float64Array, SplitLayer>();
const wideCache = new WeakMap<Float64Array, SplitLayer>();

/** Rows of the weight (window values, or dense inputs), the output width f, and the depth a row's d runs over. */
function weightShape(layer: AffineLayer): { rows: number; f: number; depth: number } {
  if (layer.kind === 'dense') return { rows: layer.inputs, f: layer.units, depth: layer.inputs };
  return { rows: layer.kernel[0] * layer.kernel[1] * layer.input[2], f: layer.filters, depth: layer.input[2] };
}

function splitLayer(layer: AffineLayer, wide: boolean): SplitLayer {
  const cache = wide ? wideCache : narrowCache;
  const known = cache.get(layer.weight);
  if (known) return known;
  const { rows, f, depth } = weightShape(layer);
  const w = layer.weight;
  const width = 2 * f;
  const weight = new Float64Array((wide ? 2 : 1) * rows * width);
  // Row i of the original weight goes to row `at` of the split one, with w⁺/w⁻ or (swap) w⁻/w⁺.
  const put = (i: number, at: number, swap: boolean) => {
    for (let j = 0; j < f; j++) {
      const v = w[i * f + j];
      const pos = v > 0 ? v : 0;
      const neg = v > 0 ? 0 : v;
      weight[at * width + j] = swap ? neg : pos;
      weight[at * width + f + j] = swap ? pos : neg;
    }
  };
  for (let i = 0; i < rows; i++) {
    if (!wide) { put(i, i, false); continue; }
    // Doubled depth: row (window cell c, d) → c·2·depth + d for a⁺ and c·2·depth + depth + d for a⁻.
    const cell = Math.floor(i / depth);
    const d = i - cell * depth;
    put(i, cell * 2 * depth + d, false);
    put(i, cell * 2 * depth + depth + d, true);
  }
  const split: AffineLayer = layer.kind === 'dense'
    ? { kind: 'dense', inputs: (wide ? 2 : 1) * layer.inputs, units: width, weight, bias: new Float64Array(width) }
    : { ...layer, input: [layer.input[0], layer.input[1], (wide ? 2 : 1) * layer.input[2]], filters: width, weight, bias: new Float64Array(width) };
  const made = { layer: split, weight };
  cache.set(layer.weight, made);
  return made;
}

/** Depth of one input position: a dense layer is one position of all its inputs. */
function inputDepth(layer: AffineLayer): number {
  return layer.kind === 'dense' ? layer.inputs : layer.input[2];
}

/** [a⁺ | a⁻] at every position (depth doubled). */
function wideInput(layer: AffineLayer, a: Float64Array): Float64Array {
  const depth = inputDepth(layer);
  const out = new Float64Array(2 * a.length);
  for (let p = 0; p < a.length; p += depth) {
    for (let d = 0; d < depth; d++) {
      const v = a[p + d];
      if (v > 0) out[2 * p + d] = v;
      else out[2 * p + depth + d] = v;
    }
  }
  return out;
}

function hasNegative(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] < 0) return true;
  return false;
}

/** S⁺ and S⁻ of every output side by side per position ([…][2f]), and whether the wide form was used. */
export interface SplitSums { both: Float64Array; wide: boolean; z: Float64Array }

/** The sums and the layer's output z = S⁺ + S⁻ + b (as W·a + b, up to rounding), from one product. */
export function signSplitOutput(layer: AffineLayer, a: Float64Array): SplitSums {
  const { both, wide } = splitForward(layer, a);
  const f = weightShape(layer).f;
  const bias = layer.bias;
  const z = new Float64Array(both.length / 2);
  for (let p = 0, o = 0; p < both.length; p += 2 * f, o += f) for (let j = 0; j < f; j++) z[o + j] = both[p + j] + both[p + f + j] + bias[j];
  return { both, wide, z };
}

function splitForward(layer: AffineLayer, a: Float64Array): { both: Float64Array; wide: boolean } {
  batchOf(a.length, layerInputSize(layer), 'αβ layer');
  const wide = hasNegative(a);
  const split = splitLayer(layer, wide);
  return { both: affineForward(split.layer, wide ? wideInput(layer, a) : a, split.weight), wide };
}

/** S⁺_j and S⁻_j without the bias: Σ_i z⁺_ij and Σ_i z⁻_ij with z_ij = a_i w_ij. */
export function signSplitForward(layer: AffineLayer, a: Float64Array): { sPos: Float64Array; sNeg: Float64Array } {
  const { both } = splitForward(layer, a);
  const f = weightShape(layer).f;
  const sPos = new Float64Array(both.length / 2);
  const sNeg = new Float64Array(both.length / 2);
  for (let p = 0, o = 0; p < both.length; p += 2 * f, o += f) {
    sPos.set(both.subarray(p, p + f), o);
    sNeg.set(both.subarray(p + f, p + 2 * f), o);
  }
  return { sPos, sNeg };
}

/**
 * αβ relevance of the layer's inputs: R_i = Σ_j (α z⁺_ij/S⁺_j − β z⁻_ij/S⁻_j) R_j with S± = Σ_i z±_ij + b±_j
 * (the bias on the side of its sign, §5.1.6), a term whose S is exactly 0 giving 0.
 */
export function alphaBetaRelevance(layer: AffineLayer, a: Float64Array, r: Float64Array, alpha: number, beta: number, sums?: SplitSums): Float64Array {
  const { both, wide } = sums ?? splitForward(layer, a);
  const f = weightShape(layer).f;
  const bias = layer.bias;
  const q = new Float64Array(both.length);
  for (let p = 0, o = 0; p < both.length; p += 2 * f, o += f) {
    for (let j = 0; j < f; j++) {
      const rj = r[o + j];
      const b = bias[j];
      const sPos = both[p + j] + (b > 0 ? b : 0);
      const sNeg = both[p + f + j] + (b > 0 ? 0 : b);
      q[p + j] = sPos === 0 ? 0 : alpha * (rj / sPos);
      q[p + f + j] = sNeg === 0 ? 0 : -beta * (rj / sNeg);
    }
  }
  const split = splitLayer(layer, wide);
  const g = affineTranspose(split.layer, q, split.weight);
  const out = new Float64Array(a.length);
  if (!wide) {
    // No branch on a_i = 0 (dead ReLUs, at random): 0·g + 0 is the +0 a skipped input would have.
    for (let i = 0; i < a.length; i++) out[i] = a[i] * g[i] + 0;
    return out;
  }
  const depth = inputDepth(layer);
  for (let p = 0; p < a.length; p += depth) {
    for (let d = 0; d < depth; d++) {
      const v = a[p + d];
      if (v !== 0) out[p + d] = v * (v > 0 ? g[2 * p + d] : g[2 * p + depth + d]);
    }
  }
  return out;
}
