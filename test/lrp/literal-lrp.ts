// A slow, literal LRP for the tests (spec §5.1.11 check 3): it lists every (input i, output j) pair of every
// affine layer, forms each z_ij = a_i·w_ij explicitly and applies the §1.6 formulas term by term. It shares no
// numerics with src-shared/lrp (no forward/transpose maps, no vectorised rule), so agreement checks both.
import type { AffineLayer, Layer, LrpModel } from '../../src-shared/lrp/layers';

type Visit = (i: number, j: number, w: number) => void;

/** Visits every connection of an affine layer: for a convolution, each input position inside each output's window. */
function pairs(layer: AffineLayer): { forEach(visit: Visit): void; outputs: number; inputs: number } {
  if (layer.kind === 'dense') {
    const forEach = (visit: Visit) => {
      for (let i = 0; i < layer.inputs; i++) for (let j = 0; j < layer.units; j++) visit(i, j, layer.weight[i * layer.units + j]);
    };
    return { forEach, outputs: layer.units, inputs: layer.inputs };
  }
  const [h, width, depth] = layer.input;
  const [kh, kw] = layer.kernel;
  const [sh, sw] = layer.stride;
  const ho = Math.floor((h - kh) / sh) + 1;
  const wo = Math.floor((width - kw) / sw) + 1;
  const f = layer.filters;
  const forEach = (visit: Visit) => {
    for (let oy = 0; oy < ho; oy++) for (let ox = 0; ox < wo; ox++) for (let k = 0; k < f; k++) {
      const j = (oy * wo + ox) * f + k;
      for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) for (let d = 0; d < depth; d++) {
        visit(((oy * sh + ky) * width + (ox * sw + kx)) * depth + d, j, layer.weight[((ky * kw + kx) * depth + d) * f + k]);
      }
    }
  };
  return { forEach, outputs: ho * wo * f, inputs: h * width * depth };
}

function bias(layer: AffineLayer, j: number): number {
  return layer.bias[j % layer.bias.length];
}

export type LiteralRule = { kind: 'epsilon'; epsilon: number } | { kind: 'alphabeta'; alpha: number; beta: number };

function literalForward(layer: AffineLayer, a: number[]): number[] {
  const { forEach, outputs } = pairs(layer);
  const z = Array.from({ length: outputs }, (_, j) => bias(layer, j));
  forEach((i, j, w) => { z[j] += a[i] * w; });
  return z;
}

export function literalRule(layer: AffineLayer, a: number[], r: number[], rule: LiteralRule): number[] {
  const { forEach, outputs, inputs } = pairs(layer);
  const out = new Array<number>(inputs).fill(0);
  if (rule.kind === 'epsilon') {
    const z = Array.from({ length: outputs }, (_, j) => bias(layer, j));
    forEach((i, j, w) => { z[j] += a[i] * w; });
    forEach((i, j, w) => {
      const den = z[j] + rule.epsilon * (z[j] >= 0 ? 1 : -1);
      if (den !== 0) out[i] += (a[i] * w / den) * r[j];
    });
    return out;
  }
  const sPos = Array.from({ length: outputs }, (_, j) => Math.max(0, bias(layer, j)));
  const sNeg = Array.from({ length: outputs }, (_, j) => Math.min(0, bias(layer, j)));
  forEach((i, j, w) => {
    const zij = a[i] * w;
    if (zij > 0) sPos[j] += zij; else sNeg[j] += zij;
  });
  forEach((i, j, w) => {
    const zij = a[i] * w;
    if (zij > 0 && sPos[j] !== 0) out[i] += rule.alpha * (zij / sPos[j]) * r[j];
    if (zij < 0 && sNeg[j] !== 0) out[i] -= rule.beta * (zij / sNeg[j]) * r[j];
  });
  return out;
}

/** The whole attribution, literally: forward with explicit sums, then the rules above, layer by layer. */
export function literalAttribute(model: LrpModel, input: Float64Array, target: number, ruleFor: (layer: AffineLayer) => LiteralRule): number[] {
  const acts: number[][] = [Array.from(input)];
  for (const layer of model.layers) acts.push(literalLayer(layer, acts[acts.length - 1]));
  const logits = acts[acts.length - 1];
  let r = logits.map((v, k) => (k === target ? v : 0));
  for (let l = model.layers.length - 1; l >= 0; l--) {
    const layer = model.layers[l];
    if (layer.kind === 'dense' || layer.kind === 'conv2d') r = literalRule(layer, acts[l], r, ruleFor(layer));
    else if (layer.kind === 'channelsToTime') {
      const back = new Array<number>(r.length).fill(0);
      for (let c = 0; c < layer.channels; c++) for (let t = 0; t < layer.samples; t++) back[c * layer.samples + t] = r[t * layer.channels + c];
      r = back;
    }
  }
  return r;
}

function literalLayer(layer: Layer, a: number[]): number[] {
  switch (layer.kind) {
    case 'dense':
    case 'conv2d': return literalForward(layer, a);
    case 'relu': return a.map((v) => Math.max(0, v));
    case 'flatten': return a;
    case 'channelsToTime': {
      const out = new Array<number>(a.length);
      for (let c = 0; c < layer.channels; c++) for (let t = 0; t < layer.samples; t++) out[t * layer.channels + c] = a[c * layer.samples + t];
      return out;
    }
  }
}
