// SincPD evaluation metrics against scikit-learn / scipy golden numbers (test/fixtures/sincpd/make_metrics_golden.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fixture } from '../../helpers';
import { averageRanks, binaryMetrics, multiclassMetrics, rocAuc, spearman, spearmanBootstrap } from '../../../src-shared/methods/sincpd/metrics';
import { expectedStage, meanByGroup } from '../../../src-shared/methods/sincpd/severity-score';
import { seededRandom } from '../../../src-shared/random';

const golden = JSON.parse(readFileSync(fixture('sincpd', 'metrics-golden.json'), 'utf8'));
const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} vs ${b}`);

test('binary metrics equal scikit-learn on three label sets with tied probabilities', () => {
  for (const [i, g] of golden.binary.entries()) {
    const m = binaryMetrics(g.y, g.p);
    for (const k of ['accuracy', 'precision', 'recall', 'specificity', 'f1', 'balancedAccuracy', 'auc'] as const) close(m[k] as number, g[k], `case ${i} ${k}`);
    assert.deepEqual(m.confusion, g.confusion);
  }
});

test('ROC AUC counts ties as one half and is null with one class', () => {
  assert.equal(rocAuc([0, 1], [0.5, 0.5]), 0.5);
  assert.equal(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 0.75);
  assert.equal(rocAuc([1, 1, 1], [0.1, 0.2, 0.3]), null);
});

test('multi-class metrics (weighted and macro averaging, 4 × 4 confusion) equal scikit-learn', () => {
  for (const [i, g] of golden.multiclass.entries()) {
    const m = multiclassMetrics(g.y, g.yhat, 4);
    for (const k of ['accuracy', 'precisionWeighted', 'recallWeighted', 'f1Weighted', 'f1Macro'] as const) close(m[k], g[k], `case ${i} ${k}`);
    assert.deepEqual(m.confusion, g.confusion);
  }
});

test('Spearman ρ with ties equals scipy.stats.spearmanr; average ranks as scipy rankdata', () => {
  close(spearman(golden.spearman.a, golden.spearman.b), golden.spearman.rho, 'rho');
  assert.deepEqual(Array.from(averageRanks([3, 1, 3, 2, 3])), [4, 1, 4, 2, 4]);
});

test('the continuous severity score is the expected H&Y under hand-made class probabilities, and its ρ equals scipy', () => {
  const s = golden.severity;
  const flat = Float64Array.from(s.probabilities.flat() as number[]);
  const h = expectedStage(flat, s.stages.length);
  h.forEach((v, i) => close(v, s.expected[i], `ĥ ${i}`));
  close(spearman(s.stages, h), s.rho, 'rho of ĥ');
  assert.deepEqual(Array.from(expectedStage([1, 0, 0, 0, 0, 0, 0.5, 0.5], 2)), [0, 2.75]);
  const g = meanByGroup([1, 3, 10], ['a', 'a', 'b']);
  assert.deepEqual(g.keys, ['a', 'b']);
  assert.deepEqual(Array.from(g.means), [2, 10]);
});

test('the bootstrap CI of ρ is seeded (same seed, same interval) and brackets ρ', () => {
  const { a, b } = golden.spearman;
  const one = spearmanBootstrap(a, b, seededRandom(7), 2000, 7);
  const two = spearmanBootstrap(a, b, seededRandom(7), 2000, 7);
  assert.deepEqual(one, two);
  assert.ok(one.ciLow < one.rho && one.rho < one.ciHigh, JSON.stringify(one));
  assert.ok(one.ciHigh <= 1 && one.ciLow > 0.5, JSON.stringify(one));
  const other = spearmanBootstrap(a, b, seededRandom(8), 2000, 8);
  assert.notEqual(other.ciLow, one.ciLow);
});
