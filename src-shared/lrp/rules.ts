// LRP rules for affine layers (dense and convolution), as zennit structures them: a rule only says how one
// layer's output relevance is shared among its inputs, written with the layer's own forward map and its transpose
// (so one rule serves every affine layer type). Formulas: spec §1.6, with GaitLab's conventions of §5.1.6 —
// sgn(0) = +1, the bias sits in the denominators (ε, and S± by sign) and its share is dropped, and a term whose
// denominator is exactly 0 contributes 0.
import { affineForward, affineTranspose, type AffineLayer } from './layers';
import { alphaBetaRelevance, signSplitOutput, type SplitSums } from './sign-split';

export interface Rule {
  /** Canonical text, e.g. `epsilon(1e-5)`, `alphabeta(2,1)`: stored with every map. */
  readonly name: string;
  /**
   * Relevance of the layer's inputs, given its input activations `a` and its output relevance `r`; `z`, the
   * layer's output W·a + b from the forward pass, saves recomputing it where the rule needs it.
   */
  relevance(layer: AffineLayer, a: Float64Array, r: Float64Array, z?: Float64Array, state?: unknown): Float64Array;
  /**
   * The layer's output z = W·a + b computed the rule's own way, with what the rule's back pass can reuse (αβ:
   * S⁺ and S⁻, whose sum is W·a, so the forward pass costs no product of its own).
   */
  forward?(layer: AffineLayer, a: Float64Array): { z: Float64Array; state: unknown };
}

/** r/den elementwise, 0 where den is exactly 0 (§5.1.6). */
function safeDivide(r: Float64Array, den: Float64Array): Float64Array {
  const s = new Float64Array(r.length);
  for (let j = 0; j < r.length; j++) s[j] = den[j] === 0 ? 0 : r[j] / den[j];
  return s;
}

function biasAt(layer: AffineLayer, j: number): number {
  return layer.bias[j % layer.bias.length];
}

const derived = new WeakMap<Float64Array, Map<string, Float64Array>>();

/** f applied to every weight, once per weight array (the products keep packed weights by array). */
function mapWeight(w: Float64Array, key: string, f: (v: number) => number): Float64Array {
  let byKey = derived.get(w);
  if (!byKey) derived.set(w, (byKey = new Map()));
  let out = byKey.get(key);
  if (!out) {
    out = new Float64Array(w.length);
    for (let i = 0; i < w.length; i++) out[i] = f(w[i]);
    byKey.set(key, out);
  }
  return out;
}

function mul(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] * b[i];
  return out;
}

/** ε-rule: R_i = a_i Σ_j w_ij R_j / (z_j + ε·sgn z_j). ε = 0 is LRP-0, which on ReLU nets is gradient × input. */
export function epsilonRule(epsilon: number): Rule {
  if (!(epsilon >= 0) || !Number.isFinite(epsilon)) throw new RangeError(`epsilon must be a finite number ≥ 0, got ${epsilon}`);
  return {
    name: `epsilon(${epsilon})`,
    relevance(layer, a, r, zGiven) {
      const z = zGiven ?? affineForward(layer, a, layer.weight).map((v, j) => v + biasAt(layer, j));
      // s = R/(z + ε·sgn z), 0 where that is 0; ε·sgn(z) as ε·(2m − 1) with m = [z ≥ 0]: the same numbers,
      // without a branch on random signs.
      const s = new Float64Array(z.length);
      for (let j = 0; j < z.length; j++) {
        const den = z[j] + epsilon * (2 * +(z[j] >= 0) - 1);
        s[j] = den === 0 ? 0 : r[j] / den;
      }
      return mul(a, affineTranspose(layer, s, layer.weight));
    },
  };
}

/**
 * αβ-rule: R_i = Σ_j (α z⁺_ij/S⁺_j − β z⁻_ij/S⁻_j) R_j with S± = Σ_i z±_ij + b±_j. z⁺_ij = max(0, a_i w_ij) is
 * a⁺w⁺ + a⁻w⁻ (inputs may be negative: gait curves are scaled to [−1, 1]), z⁻_ij = a⁺w⁻ + a⁻w⁺.
 */
export function alphaBetaRule(alpha: number, beta: number): Rule {
  if (!Number.isFinite(alpha) || !Number.isFinite(beta) || beta < 0 || Math.abs(alpha - beta - 1) > 1e-12) {
    throw new RangeError(`alphabeta needs α − β = 1 and β ≥ 0, got α = ${alpha}, β = ${beta}`);
  }
  return {
    name: `alphabeta(${alpha},${beta})`,
    forward(layer, a) {
      const sums = signSplitOutput(layer, a);
      return { z: sums.z, state: sums };
    },
    relevance(layer, a, r, _z, state) {
      return alphaBetaRelevance(layer, a, r, alpha, beta, state as SplitSums | undefined);
    },
  };
}

/** w²-rule (Montavon et al. 2017): R_i = Σ_j w²_ij / Σ_i' w²_i'j · R_j; ignores the input. */
export function wSquareRule(): Rule {
  return {
    name: 'wsquare',
    relevance(layer, a, r) {
      const w2 = mapWeight(layer.weight, 'square', (v) => v * v);
      const den = affineForward(layer, new Float64Array(a.length).fill(1), w2);
      return affineTranspose(layer, safeDivide(r, den), w2);
    },
  };
}

/** flat rule: each output's relevance is shared equally among the inputs in its window. */
export function flatRule(): Rule {
  return {
    name: 'flat',
    relevance(layer, a, r) {
      const ones = mapWeight(layer.weight, 'ones', () => 1);
      const den = affineForward(layer, new Float64Array(a.length).fill(1), ones);
      return affineTranspose(layer, safeDivide(r, den), ones);
    },
  };
}
