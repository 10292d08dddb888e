// Spec §1.3 / §5.1.1: every layer's output shape and parameter count of the seven model kinds for C = 6 and
// C = 18 with K = 57, the totals of §1.3, the other widths of §1.3 and the refusals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkModel, parameterCount } from '../../../src-shared/lrp';
import { HORST_MODEL_KINDS, initialWeights, lrpModel, modelPlan } from '../../../src-shared/methods/horst/architectures';
import { seededNormal } from '../../../src-shared/random';

type Row = [kind: string, output: number[], params: number];
const K = 57;

const EXPECTED: Record<string, Record<6 | 18, { rows: Row[]; total: number }>> = {
  'linear-sgd': { 6: { rows: [['dense', [K], 34_599]], total: 34_599 }, 18: { rows: [['dense', [K], 103_683]], total: 103_683 } },
  'linear-svm': { 6: { rows: [['dense', [K], 34_599]], total: 34_599 }, 18: { rows: [['dense', [K], 103_683]], total: 103_683 } },
  'mlp3-64': {
    6: { rows: [['dense', [64], 606 * 64 + 64], ['dense', [64], 64 * 64 + 64], ['dense', [K], 64 * K + K]], total: 46_713 },
    18: { rows: [['dense', [64], 1818 * 64 + 64], ['dense', [64], 64 * 64 + 64], ['dense', [K], 64 * K + K]], total: 124_281 },
  },
  'mlp3-256': {
    6: { rows: [['dense', [256], 606 * 256 + 256], ['dense', [256], 256 * 256 + 256], ['dense', [K], 256 * K + K]], total: 235_833 },
    18: { rows: [['dense', [256], 1818 * 256 + 256], ['dense', [256], 256 * 256 + 256], ['dense', [K], 256 * K + K]], total: 546_105 },
  },
  'mlp3-1024': {
    6: { rows: [['dense', [1024], 606 * 1024 + 1024], ['dense', [1024], 1024 * 1024 + 1024], ['dense', [K], 1024 * K + K]], total: 1_729_593 },
    18: { rows: [['dense', [1024], 1818 * 1024 + 1024], ['dense', [1024], 1024 * 1024 + 1024], ['dense', [K], 1024 * K + K]], total: 2_970_681 },
  },
  'cnn-a': {
    6: { rows: [['conv2d', [96, 1, 32], 1_184], ['flatten', [3_072], 0], ['dense', [K], 3_072 * K + K]], total: 176_345 },
    18: { rows: [['conv2d', [84, 1, 64], 20_800], ['flatten', [5_376], 0], ['dense', [K], 5_376 * K + K]], total: 327_289 },
  },
  'cnn-c3': {
    6: { rows: [['conv2d', [99, 4, 32], 320], ['conv2d', [97, 2, 32], 9_248], ['conv2d', [96, 1, 32], 4_128], ['flatten', [3_072], 0], ['dense', [K], 3_072 * K + K]], total: 188_857 },
    18: { rows: [['conv2d', [99, 16, 32], 320], ['conv2d', [97, 14, 32], 9_248], ['conv2d', [95, 12, 16], 4_624], ['flatten', [18_240], 0], ['dense', [K], 18_240 * K + K]], total: 1_053_929 },
  },
};

test('every model kind for C = 6 and C = 18, K = 57: each layer\'s output shape and parameters, and the §1.3 totals', () => {
  assert.deepEqual(Object.keys(EXPECTED), [...HORST_MODEL_KINDS]);
  for (const kind of HORST_MODEL_KINDS) {
    for (const channels of [6, 18] as const) {
      const plan = modelPlan(kind, channels, K);
      const expected = EXPECTED[kind][channels];
      assert.deepEqual(plan.layers.map((l): Row => [l.kind, [...l.output], l.params]), expected.rows, `${kind} C=${channels}`);
      assert.equal(plan.params, expected.total, `${kind} C=${channels} total`);
      assert.equal(plan.input, kind.startsWith('cnn') ? 'image' : 'vector');
      // The float64 network LRP runs on has the same shapes and the same number of parameters.
      const model = lrpModel(plan, initialWeights(plan, seededNormal(1)));
      const sizes = checkModel(model);
      assert.equal(sizes[sizes.length - 1], K);
      assert.equal(model.layers.reduce((s, l) => s + parameterCount(l), 0), expected.total);
    }
  }
});

test('other widths of §1.3 and §5.1.1, and one-line refusals', () => {
  const flat = (kind: 'cnn-a' | 'cnn-c3', c: number) => modelPlan(kind, c, K).layers.find((l) => l.kind === 'flatten')!.output[0];
  assert.equal(flat('cnn-a', 10), 2_944);
  assert.equal(flat('cnn-a', 33), 4_416);
  assert.equal(flat('cnn-c3', 10), 12_160);
  assert.equal(flat('cnn-c3', 33), 41_040);
  assert.deepEqual(modelPlan('cnn-c3', 7, K).layers.slice(0, 3).map((l) => l.output), [[99, 5, 32], [97, 3, 32], [95, 1, 16]]);
  assert.throws(() => modelPlan('cnn-c3', 5, K), /^RangeError: model cnn-c3 needs at least 6 channels, the input has 5$/);
  assert.throws(() => modelPlan('cnn-a', 1, K), /model cnn-a needs at least 2 channels/);
  assert.throws(() => modelPlan('mlp3-64', 6, 1), /needs at least 2 classes/);
});

test('initial weights are N(0, 1/fan-in) with zero biases (§1.4)', () => {
  const plan = modelPlan('cnn-a', 6, K);
  const [conv, dense] = initialWeights(plan, seededNormal(1234));
  for (const [w, fan] of [[conv.weight, 36], [dense.weight, 3072]] as const) {
    const mean = w.reduce((s, v) => s + v, 0) / w.length;
    const variance = w.reduce((s, v) => s + (v - mean) ** 2, 0) / (w.length - 1);
    assert.ok(Math.abs(variance * fan - 1) < 0.1, `variance × fan-in = ${variance * fan}`);
    assert.ok(Math.abs(mean) < 4 / Math.sqrt(fan * w.length));
  }
  assert.ok(conv.bias.every((b) => b === 0) && dense.bias.every((b) => b === 0));
});
