// The batched attributor (one pass per layer over a [B, …] block) gives every sample exactly the numbers the
// one-trial attributor gives it alone, for every model kind, both composites and C = 6 and 18; the fused αβ
// passes agree with the literal four-product form of §1.6; a batch of the wrong size is refused in one line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { affineForward, affineTranspose, attribute, attributeBatch, parseComposite, DEFAULT_COMPOSITE, PAPER_FIGURES_COMPOSITE, type Conv2dLayer } from '../../src-shared/lrp';
import { signSplitForward } from '../../src-shared/lrp/sign-split';
import { HORST_MODEL_KINDS } from '../../src-shared/methods/horst/architectures';
import { maxAbs, randomArray, randomHorstModel, randomInput } from './random-models';

test('attributeBatch: each sample of a batch of 5 equals attribute() on it alone, bit for bit (7 kinds × 2 composites × C = 6, 18)', () => {
  for (const channels of [6, 18]) {
    for (const kind of HORST_MODEL_KINDS) {
      const model = randomHorstModel(kind, channels, 7, 11);
      const d = model.inputSize;
      const inputs = randomInput(5 * d, 12);
      const targets = [0, 3, 6, 3, 1];
      for (const text of [DEFAULT_COMPOSITE, PAPER_FIGURES_COMPOSITE]) {
        const composite = parseComposite(text);
        const batch = attributeBatch(model, inputs, targets, composite);
        targets.forEach((target, b) => {
          const one = attribute(model, inputs.slice(b * d, (b + 1) * d), target, composite);
          assert.deepEqual(batch.relevance.subarray(b * d, (b + 1) * d), one.relevance, `${kind} C = ${channels} ${text} sample ${b}`);
          assert.deepEqual(batch.logits.subarray(b * 7, (b + 1) * 7), one.logits);
          assert.equal(batch.explainedLogit[b], one.explainedLogit);
          assert.equal(batch.residual[b], one.residual);
          assert.ok(maxAbs(one.relevance) > 0);
        });
      }
    }
  }
});

test('fused αβ forward: S⁺ and S⁻ equal the literal sums of a⁺w⁺ + a⁻w⁻ and a⁺w⁻ + a⁻w⁺ (inputs of both signs, strided conv)', () => {
  const layer: Conv2dLayer = { kind: 'conv2d', input: [11, 5, 2], kernel: [3, 2], stride: [2, 1], filters: 3, weight: randomArray(3 * 2 * 2 * 3, 3), bias: randomArray(3, 4) };
  const a = randomInput(2 * 11 * 5 * 2, 5);
  const part = (v: Float64Array, sign: 1 | -1) => v.map((x) => (sign > 0 ? Math.max(0, x) : Math.min(0, x)));
  const fused = signSplitForward(layer, a);
  const literalPos = affineForward(layer, part(a, 1), part(layer.weight, 1)).map((v, j) => v + affineForward(layer, part(a, -1), part(layer.weight, -1))[j]);
  const literalNeg = affineForward(layer, part(a, 1), part(layer.weight, -1)).map((v, j) => v + affineForward(layer, part(a, -1), part(layer.weight, 1))[j]);
  for (let j = 0; j < literalPos.length; j++) {
    assert.ok(Math.abs(fused.sPos[j] - literalPos[j]) <= 1e-12 * Math.max(1, Math.abs(literalPos[j])));
    assert.ok(Math.abs(fused.sNeg[j] - literalNeg[j]) <= 1e-12 * Math.max(1, Math.abs(literalNeg[j])));
  }
  // Batched transpose of two samples = the transposes of each.
  const s = randomArray(2 * 5 * 4 * 3, 6);
  const both = affineTranspose(layer, s, layer.weight);
  const first = affineTranspose(layer, s.slice(0, 60), layer.weight);
  assert.deepEqual(both.subarray(0, 110), first);
});

test('attributeBatch refuses inputs that are not whole samples, and targets outside the classes', () => {
  const model = randomHorstModel('mlp3-64', 6, 4, 1);
  assert.throws(() => attributeBatch(model, new Float64Array(606 * 2 + 1), [0, 1], parseComposite(DEFAULT_COMPOSITE)), /^RangeError: LRP: 2 inputs of 606 values need 1212 values, got 1213$/);
  assert.throws(() => attributeBatch(model, new Float64Array(606 * 2), [0, 4], parseComposite(DEFAULT_COMPOSITE)), /^RangeError: LRP: target class 4 is outside 0\.\.3$/);
});
