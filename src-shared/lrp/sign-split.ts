// The two passes the αβ-rule needs, fused (spec §1.6): the literal form takes four products forward (a⁺w⁺,
// a⁻w⁻, a⁺w⁻, a⁻w⁺) and four transposed; here one pass forward accumulates S⁺ = Σ max(0, a_i w_ij) and
// S⁻ = Σ min(0, a_i w_ij) by the sign of a_i, and one pass back gives each input its α and β shares. Inputs that
// are 0 (dead ReLUs, about half of a hidden layer) are skipped in both. Batched: [B][inputs] → [B][outputs].
import { batchOf, convOutputShape, layerInputSize, layerOutputSize, type AffineLayer } from './layers';

export interface SignedWeights { pos: Float64Array; neg: Float64Array }

const split = new WeakMap<Float64Array, SignedWeights>();

/** w⁺ = max(0, w) and w⁻ = min(0, w), computed once per weight array. */
export function signedWeights(w: Float64Array): SignedWeights {
  let s = split.get(w);
  if (!s) {
    const pos = new Float64Array(w.length);
    const neg = new Float64Array(w.length);
    for (let i = 0; i < w.length; i++) { if (w[i] > 0) pos[i] = w[i]; else neg[i] = w[i]; }
    s = { pos, neg };
    split.set(w, s);
  }
  return s;
}

/** S⁺_j and S⁻_j without the bias: Σ_i z⁺_ij and Σ_i z⁻_ij with z_ij = a_i w_ij. */
export function signSplitForward(layer: AffineLayer, a: Float64Array): { sPos: Float64Array; sNeg: Float64Array } {
  const { pos, neg } = signedWeights(layer.weight);
  const inSize = layerInputSize(layer);
  const outSize = layerOutputSize(layer);
  const batch = batchOf(a.length, inSize, 'αβ layer');
  const sPos = new Float64Array(batch * outSize);
  const sNeg = new Float64Array(batch * outSize);
  // One input row of products: for a > 0 the positive part comes from w⁺, for a < 0 from w⁻.
  const row = (ai: number, wRow: number, out: number, n: number) => {
    const p = ai > 0 ? pos : neg;
    const q = ai > 0 ? neg : pos;
    for (let k = 0; k < n; k++) {
      sPos[out + k] += ai * p[wRow + k];
      sNeg[out + k] += ai * q[wRow + k];
    }
  };
  if (layer.kind === 'dense') {
    const { inputs, units } = layer;
    for (let b = 0; b < batch; b++) {
      for (let i = 0; i < inputs; i++) {
        const ai = a[b * inputs + i];
        if (ai !== 0) row(ai, i * units, b * units, units);
      }
    }
    return { sPos, sNeg };
  }
  const [, width, depth] = layer.input;
  const [kh, kw] = layer.kernel;
  const [sh, sw] = layer.stride;
  const [ho, wo, f] = convOutputShape(layer);
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < ho; oy++) {
      for (let ox = 0; ox < wo; ox++) {
        const out = b * outSize + (oy * wo + ox) * f;
        for (let ky = 0; ky < kh; ky++) {
          for (let kx = 0; kx < kw; kx++) {
            const inBase = b * inSize + ((oy * sh + ky) * width + (ox * sw + kx)) * depth;
            const wBase = (ky * kw + kx) * depth * f;
            let d = 0;
            // Hidden layers take ReLU outputs (a ≥ 0): four inputs per sweep over the outputs, w⁺ to S⁺ and w⁻ to S⁻.
            for (; d + 4 <= depth; d += 4) {
              const a0 = a[inBase + d], a1 = a[inBase + d + 1], a2 = a[inBase + d + 2], a3 = a[inBase + d + 3];
              if (a0 === 0 && a1 === 0 && a2 === 0 && a3 === 0) continue;
              if (a0 < 0 || a1 < 0 || a2 < 0 || a3 < 0) {
                for (let e = d; e < d + 4; e++) if (a[inBase + e] !== 0) row(a[inBase + e], wBase + e * f, out, f);
                continue;
              }
              const w0 = wBase + d * f, w1 = w0 + f, w2 = w1 + f, w3 = w2 + f;
              for (let k = 0; k < f; k++) {
                sPos[out + k] += a0 * pos[w0 + k] + a1 * pos[w1 + k] + a2 * pos[w2 + k] + a3 * pos[w3 + k];
                sNeg[out + k] += a0 * neg[w0 + k] + a1 * neg[w1 + k] + a2 * neg[w2 + k] + a3 * neg[w3 + k];
              }
            }
            for (; d < depth; d++) {
              const ai = a[inBase + d];
              if (ai !== 0) row(ai, wBase + d * f, out, f);
            }
          }
        }
      }
    }
  }
  return { sPos, sNeg };
}

/**
 * R_i = Σ_j (α z⁺_ij qPos_j − β z⁻_ij qNeg_j), given qPos = R/S⁺ and qNeg = R/S⁻ (already 0 where S is 0).
 * For a_i > 0, z⁺ uses w⁺ and z⁻ uses w⁻; for a_i < 0 the other way round.
 */
export function signSplitTranspose(layer: AffineLayer, a: Float64Array, qPos: Float64Array, qNeg: Float64Array, alpha: number, beta: number): Float64Array {
  const { pos, neg } = signedWeights(layer.weight);
  const inSize = layerInputSize(layer);
  const outSize = layerOutputSize(layer);
  const batch = batchOf(a.length, inSize, 'αβ layer');
  const r = new Float64Array(a.length);
  const share = (ai: number, wRow: number, out: number, n: number): number => {
    const p = ai > 0 ? pos : neg;
    const q = ai > 0 ? neg : pos;
    let accPos = 0;
    let accNeg = 0;
    for (let k = 0; k < n; k++) {
      accPos += p[wRow + k] * qPos[out + k];
      accNeg += q[wRow + k] * qNeg[out + k];
    }
    return ai * (alpha * accPos - beta * accNeg);
  };
  if (layer.kind === 'dense') {
    const { inputs, units } = layer;
    for (let b = 0; b < batch; b++) {
      for (let i = 0; i < inputs; i++) {
        const ai = a[b * inputs + i];
        if (ai !== 0) r[b * inputs + i] = share(ai, i * units, b * units, units);
      }
    }
    return r;
  }
  const [, width, depth] = layer.input;
  const [kh, kw] = layer.kernel;
  const [sh, sw] = layer.stride;
  const [ho, wo, f] = convOutputShape(layer);
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < ho; oy++) {
      for (let ox = 0; ox < wo; ox++) {
        const out = b * outSize + (oy * wo + ox) * f;
        let any = false;
        for (let k = 0; k < f && !any; k++) any = qPos[out + k] !== 0 || qNeg[out + k] !== 0;
        if (!any) continue;
        for (let ky = 0; ky < kh; ky++) {
          for (let kx = 0; kx < kw; kx++) {
            const inBase = b * inSize + ((oy * sh + ky) * width + (ox * sw + kx)) * depth;
            const wBase = (ky * kw + kx) * depth * f;
            let d = 0;
            // a ≥ 0 (ReLU outputs): four inputs' shares per sweep over the outputs' qPos and qNeg.
            for (; d + 4 <= depth; d += 4) {
              const a0 = a[inBase + d], a1 = a[inBase + d + 1], a2 = a[inBase + d + 2], a3 = a[inBase + d + 3];
              if (a0 === 0 && a1 === 0 && a2 === 0 && a3 === 0) continue;
              if (a0 < 0 || a1 < 0 || a2 < 0 || a3 < 0) {
                for (let e = d; e < d + 4; e++) if (a[inBase + e] !== 0) r[inBase + e] += share(a[inBase + e], wBase + e * f, out, f);
                continue;
              }
              const w0 = wBase + d * f, w1 = w0 + f, w2 = w1 + f, w3 = w2 + f;
              let p0 = 0, p1 = 0, p2 = 0, p3 = 0, n0 = 0, n1 = 0, n2 = 0, n3 = 0;
              for (let k = 0; k < f; k++) {
                const qp = qPos[out + k];
                const qn = qNeg[out + k];
                p0 += pos[w0 + k] * qp; p1 += pos[w1 + k] * qp; p2 += pos[w2 + k] * qp; p3 += pos[w3 + k] * qp;
                n0 += neg[w0 + k] * qn; n1 += neg[w1 + k] * qn; n2 += neg[w2 + k] * qn; n3 += neg[w3 + k] * qn;
              }
              r[inBase + d] += a0 * (alpha * p0 - beta * n0);
              r[inBase + d + 1] += a1 * (alpha * p1 - beta * n1);
              r[inBase + d + 2] += a2 * (alpha * p2 - beta * n2);
              r[inBase + d + 3] += a3 * (alpha * p3 - beta * n3);
            }
            for (; d < depth; d++) {
              const ai = a[inBase + d];
              if (ai !== 0) r[inBase + d] += share(ai, wBase + d * f, out, f);
            }
          }
        }
      }
    }
  }
  return r;
}
