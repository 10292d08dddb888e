// The checks of spec §5.1.11 on GaitLab's LRP (src-shared/lrp), except the NumPy golden fixture
// (golden.test.ts) and gradient × input against tfjs autograd (gradient.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  affineOutput, attribute, DEFAULT_COMPOSITE, forwardActivations, isAffine, PAPER_FIGURES_COMPOSITE, parseComposite,
  alphaBetaRule, type AffineLayer, type Conv2dLayer, type LrpModel,
} from '../../src-shared/lrp';
import { literalAttribute, literalRule, type LiteralRule } from './literal-lrp';
import { maxAbs, randomArray, randomHorstModel, randomInput } from './random-models';

const T = 101;

function linearModel(channels: number, classes: number, seed: number): LrpModel {
  return randomHorstModel('linear-sgd', channels, classes, seed, 0.5);
}

test('linear identity: R_i = x_i w_iy f_y/(f_y + ε sgn f_y) to 1e-12 relative; with ε = 0, Σ R_i + b_y = f_y', () => {
  const model = linearModel(6, 5, 1);
  const layer = model.layers[0] as AffineLayer & { kind: 'dense' };
  for (let trial = 0; trial < 5; trial++) {
    const x = randomInput(6 * T, 100 + trial);
    const y = trial % 5;
    const a = attribute(model, x, y, parseComposite('epsilon(1e-5)'));
    const fy = a.explainedLogit;
    const scale = fy / (fy + 1e-5 * (fy >= 0 ? 1 : -1));
    for (let i = 0; i < x.length; i++) {
      const expected = x[i] * layer.weight[i * 5 + y] * scale;
      assert.ok(Math.abs(a.relevance[i] - expected) <= 1e-12 * Math.abs(expected) + 1e-300, `component ${i}`);
    }
    const zero = attribute(model, x, y, parseComposite('epsilon(0)'));
    let sum = 0;
    for (let i = 0; i < x.length; i++) {
      const expected = x[i] * layer.weight[i * 5 + y];
      assert.ok(Math.abs(zero.relevance[i] - expected) <= 1e-12 * Math.abs(expected) + 1e-300);
      sum += zero.relevance[i];
    }
    assert.ok(Math.abs(sum + layer.bias[y] - fy) <= 1e-12 * Math.abs(fy));
    assert.ok(Math.abs(zero.residual - layer.bias[y]) <= 1e-12 * Math.abs(fy));
  }
});

/** What §1.6 says a layer passes down in total: Σ_j R_j (z_j − b_j)/(z_j + ε sgn z_j), or the αβ form. */
function expectedPassedDown(layer: AffineLayer, a: Float64Array, r: Float64Array, rule: LiteralRule): number {
  let total = 0;
  const z = affineOutput(layer, a);
  const sPos = new Float64Array(z.length);
  const sNeg = new Float64Array(z.length);
  if (rule.kind === 'alphabeta') {
    // S± from the pairs: the literal reference's single-layer rule gives them implicitly, so sum its contributions
    // split by sign instead: Σ_i z±_ij = S±_j − b±_j.
    const ones = literalRuleSides(layer, a);
    sPos.set(ones.pos);
    sNeg.set(ones.neg);
  }
  for (let j = 0; j < z.length; j++) {
    const b = layer.bias[j % layer.bias.length];
    if (rule.kind === 'epsilon') {
      const den = z[j] + rule.epsilon * (z[j] >= 0 ? 1 : -1);
      if (den !== 0) total += r[j] * (z[j] - b) / den;
    } else {
      const bp = Math.max(0, b);
      const bn = Math.min(0, b);
      const sp = sPos[j] + bp;
      const sn = sNeg[j] + bn;
      if (sp !== 0) total += rule.alpha * r[j] * (sp - bp) / sp;
      if (sn !== 0) total -= rule.beta * r[j] * (sn - bn) / sn;
    }
  }
  return total;
}

/** Σ_i z⁺_ij and Σ_i z⁻_ij per output j, by sign-split forward maps with the bias removed. */
function literalRuleSides(layer: AffineLayer, a: Float64Array): { pos: Float64Array; neg: Float64Array } {
  const zero = new Float64Array(layer.bias.length);
  const noBias = { ...layer, bias: zero } as AffineLayer;
  const posW = { ...noBias, weight: layer.weight.map((w) => Math.max(0, w)) } as AffineLayer;
  const negW = { ...noBias, weight: layer.weight.map((w) => Math.min(0, w)) } as AffineLayer;
  const aPos = a.map((v) => Math.max(0, v));
  const aNeg = a.map((v) => Math.min(0, v));
  const pp = affineOutput(posW, aPos), nn = affineOutput(negW, aNeg), pn = affineOutput(negW, aPos), np = affineOutput(posW, aNeg);
  return { pos: pp.map((v, j) => v + nn[j]), neg: pn.map((v, j) => v + np[j]) };
}

function literalRuleOf(text: string): (layer: AffineLayer) => LiteralRule {
  const composite = parseComposite(text);
  return (layer) => {
    const name = composite.ruleFor(layer).name;
    const eps = /^epsilon\(([^)]*)\)$/.exec(name);
    if (eps) return { kind: 'epsilon', epsilon: Number(eps[1]) };
    const ab = /^alphabeta\(([^,]*),([^)]*)\)$/.exec(name);
    if (ab) return { kind: 'alphabeta', alpha: Number(ab[1]), beta: Number(ab[2]) };
    throw new Error(`no literal rule for ${name}`);
  };
}

test('conservation per layer to 1e-9: every layer passes down what §1.6 says (bias, ε and empty sides included)', () => {
  for (const [kind, channels] of [['mlp3-64', 6], ['cnn-a', 6], ['cnn-c3', 6], ['cnn-a', 18]] as const) {
    const model = randomHorstModel(kind, channels, 4, 7);
    for (const compositeText of [DEFAULT_COMPOSITE, PAPER_FIGURES_COMPOSITE]) {
      const rules = literalRuleOf(compositeText);
      const x = randomInput(channels * T, 11);
      const a = attribute(model, x, 2, parseComposite(compositeText), { keepLayers: true });
      const acts = forwardActivations(model, x);
      const layers = a.layers!;
      model.layers.forEach((layer, l) => {
        const below = layers[l].reduce((s, v) => s + v, 0);
        const expected = isAffine(layer) ? expectedPassedDown(layer, acts[l], layers[l + 1], rules(layer)) : layers[l + 1].reduce((s, v) => s + v, 0);
        assert.ok(Math.abs(below - expected) <= 1e-9 * Math.max(Math.abs(expected), 1e-12),
          `${kind} C=${channels} ${compositeText} layer ${l} (${layer.kind}): ${below} vs ${expected}`);
      });
      assert.ok(Math.abs(a.residual) > 0, 'non-zero biases leave a residual');
    }
  }
});

test('with zero biases, ε = 0 and αβ on convolutions, the input relevance sums to f_y(x)', () => {
  // cnn-c3's 3×3 windows over [−1, 1] inputs often have one empty αβ side (then a neuron passes down αR_j, see
  // §1.6), so exact conservation is asserted where both sides are non-empty: cnn-a's C×C windows and the MLP.
  for (const [kind, channels] of [['cnn-a', 6], ['cnn-a', 18], ['mlp3-64', 18]] as const) {
    const model = randomHorstModel(kind, channels, 3, 3, 0);
    for (const text of ['conv:alphabeta(2,1); dense:epsilon(0)', 'conv:alphabeta(1,0); dense:epsilon(0)', 'epsilon(0)']) {
      for (let target = 0; target < 3; target++) {
        const a = attribute(model, randomInput(channels * T, 20 + target), target, parseComposite(text));
        assert.ok(Math.abs(a.relevanceSum - a.explainedLogit) <= 1e-9 * Math.abs(a.explainedLogit), `${kind} ${text} class ${target}`);
      }
    }
  }
});

test('the slow literal implementation agrees to 1e-9 max|R|: dense, strided overlapping conv, cnn-a and cnn-c3 (C = 6, 18)', () => {
  const conv: Conv2dLayer = {
    kind: 'conv2d', input: [11, 5, 2], kernel: [3, 2], stride: [2, 1], filters: 3,
    weight: randomArray(3 * 2 * 2 * 3, 5), bias: randomArray(3, 6, 0.3),
  };
  const dense: AffineLayer = { kind: 'dense', inputs: 7, units: 4, weight: randomArray(28, 8), bias: randomArray(4, 9, 0.3) };
  for (const layer of [conv, dense]) {
    const inSize = layer.kind === 'dense' ? layer.inputs : 110;
    const outSize = layer.kind === 'dense' ? layer.units : 5 * 4 * 3;
    const a = randomInput(inSize, 12);
    const r = randomArray(outSize, 13);
    for (const text of ['epsilon(1e-5)', 'epsilon(0)', 'alphabeta(2,1)', 'alphabeta(1,0)', 'alphabeta(3,2)']) {
      const fast = parseComposite(text).ruleFor(layer).relevance(layer, a, r);
      const slow = literalRule(layer, Array.from(a), Array.from(r), literalRuleOf(text)(layer));
      const tol = 1e-9 * maxAbs(slow);
      slow.forEach((v, i) => assert.ok(Math.abs(fast[i] - v) <= tol, `${layer.kind} ${text} input ${i}: ${fast[i]} vs ${v}`));
    }
  }
  for (const [kind, channels] of [['cnn-a', 6], ['cnn-a', 18], ['cnn-c3', 6], ['cnn-c3', 18], ['mlp3-64', 6]] as const) {
    const model = randomHorstModel(kind, channels, 3, 21);
    const x = randomInput(channels * T, 22);
    for (const text of [DEFAULT_COMPOSITE, PAPER_FIGURES_COMPOSITE]) {
      const fast = attribute(model, x, 1, parseComposite(text)).relevance;
      const slow = literalAttribute(model, x, 1, literalRuleOf(text));
      const tol = 1e-9 * maxAbs(slow);
      assert.ok(maxAbs(slow) > 0);
      slow.forEach((v, i) => assert.ok(Math.abs(fast[i] - v) <= tol, `${kind} C=${channels} ${text} input ${i}`));
    }
  }
});

test('layout: a one-hot linear weight at (c, t) gives a map non-zero only at c·101 + t; so does a one-hot CNN-A path', () => {
  const channels = 6;
  for (const [c, t] of [[0, 0], [2, 37], [5, 100]] as const) {
    const weight = new Float64Array(channels * T * 3);
    weight[(c * T + t) * 3 + 1] = 0.8;
    const model: LrpModel = { inputSize: channels * T, layers: [{ kind: 'dense', inputs: channels * T, units: 3, weight, bias: new Float64Array(3) }] };
    const x = randomInput(channels * T, 30).map((v) => v + 1.5);
    const map = attribute(model, x, 1, parseComposite(DEFAULT_COMPOSITE)).relevance;
    map.forEach((v, i) => (i === c * T + t ? assert.ok(v > 0) : assert.equal(v, 0)));

    // CNN-A: the filter 0 reads channel c at the window's first row only; the classifier reads filter 0 at
    // output time t only (t ≤ 95), so only input (c, t) can carry relevance, through the channel transpose.
    const tc = Math.min(t, T - channels);
    const conv = new Float64Array(channels * channels * 32);
    conv[(0 * channels + c) * 32 + 0] = 1;
    const flat = (T - channels + 1) * 32;
    const dense = new Float64Array(flat * 3);
    dense[(tc * 32 + 0) * 3 + 2] = 1;
    const cnn: LrpModel = {
      inputSize: channels * T,
      layers: [
        { kind: 'channelsToTime', channels, samples: T },
        { kind: 'conv2d', input: [T, channels, 1], kernel: [channels, channels], stride: [1, 1], filters: 32, weight: conv, bias: new Float64Array(32) },
        { kind: 'relu' }, { kind: 'flatten' },
        { kind: 'dense', inputs: flat, units: 3, weight: dense, bias: new Float64Array(3) },
      ],
    };
    const cnnMap = attribute(cnn, x, 2, parseComposite(DEFAULT_COMPOSITE)).relevance;
    cnnMap.forEach((v, i) => (i === c * T + tc ? assert.ok(v > 0, `(${c},${tc})`) : assert.equal(v, 0, `index ${i}`)));
  }
});

test('α1β0 on a conv-only stack with non-negative top relevance gives R_i ≥ 0 everywhere (inputs of both signs)', () => {
  const conv1: Conv2dLayer = { kind: 'conv2d', input: [101, 6, 1], kernel: [3, 3], stride: [1, 1], filters: 8, weight: randomArray(72, 40), bias: randomArray(8, 41, 0.2) };
  const conv2: Conv2dLayer = { kind: 'conv2d', input: [99, 4, 8], kernel: [4, 2], stride: [2, 1], filters: 5, weight: randomArray(4 * 2 * 8 * 5, 42, 0.3), bias: randomArray(5, 43, 0.2) };
  const model: LrpModel = { inputSize: 606, layers: [{ kind: 'channelsToTime', channels: 6, samples: 101 }, conv1, { kind: 'relu' }, conv2] };
  const rule = alphaBetaRule(1, 0);
  const composite = parseComposite('alphabeta(1,0)');
  let positiveTargets = 0;
  for (let seed = 0; seed < 5; seed++) {
    const x = randomInput(606, 50 + seed);
    const acts = forwardActivations(model, x);
    const out = acts[acts.length - 1];
    // Every positive output as a target, and a dense non-negative relevance vector through the stack by hand.
    for (let target = 0; target < out.length; target += 17) {
      if (out[target] <= 0) continue;
      positiveTargets++;
      const map = attribute(model, x, target, composite).relevance;
      map.forEach((v) => assert.ok(v >= 0));
    }
    const top = randomArray(out.length, 60 + seed).map(Math.abs);
    const mid = rule.relevance(conv2, acts[3], top);
    const bottom = rule.relevance(conv1, acts[1], mid);
    for (const v of [...mid, ...bottom]) assert.ok(v >= 0);
    assert.ok(maxAbs(bottom) > 0);
  }
  assert.ok(positiveTargets > 5);
});

test('composites: default and paper-figures names, per-layer rules, one-line refusals', () => {
  const def = parseComposite(DEFAULT_COMPOSITE);
  assert.equal(def.name, 'conv:alphabeta(2,1); dense:epsilon(0.00001)');
  const dense: AffineLayer = { kind: 'dense', inputs: 1, units: 1, weight: new Float64Array(1), bias: new Float64Array(1) };
  assert.equal(def.ruleFor(dense).name, 'epsilon(0.00001)');
  assert.equal(parseComposite(PAPER_FIGURES_COMPOSITE).name, 'epsilon(0.00001)');
  assert.throws(() => parseComposite('conv:alphabeta(2,2); dense:epsilon(1e-5)'), /α − β = 1/);
  assert.throws(() => parseComposite('pool:flat; dense:epsilon'), /layer type "pool" is unknown/);
  assert.throws(() => parseComposite('zplus'), /rule "zplus" is unknown/);
  assert.throws(() => parseComposite('conv:flat'), /both conv and dense/);
  assert.throws(() => attribute(randomHorstModel('linear-sgd', 6, 3, 1), new Float64Array(10), 0, def), /takes 606 values, the input has 10/);
  assert.throws(() => attribute(randomHorstModel('linear-sgd', 6, 3, 1), new Float64Array(606), 3, def), /target class 3 is outside 0..2/);
});
