// Spec §5.1.5: the linear SVM by dual coordinate descent agrees with scikit-learn's LinearSVC(C=0.1) decision
// values to 1e-3 relative (fixture test/fixtures/horst/svm-golden.json from make-svm-golden.py, run with
// /usr/bin/python3: a synthetic 4-class and binary problem and 20 subjects of the clinical GRF set).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { seededRandom } from '../../../src-shared/random';
import { attribute, parseComposite } from '../../../src-shared/lrp';
import { fitLinearSvm, svmDecisionValues } from '../../../src-main/methods/horst/linear-svm';
import { REPO } from '../../helpers';

interface SvmCase { name: string; classes: number; d: number; xTrain: number[]; yTrain: number[]; xTest: number[]; decision: number[]; nIter: number }

const golden = JSON.parse(readFileSync(join(REPO, 'test/fixtures/horst/svm-golden.json'), 'utf8')) as { cases: SvmCase[] };

for (const c of golden.cases) {
  test(`linear-svm matches LinearSVC(C=0.1) decision values to 1e-3 relative: ${c.name}`, () => {
    const n = c.yTrain.length;
    const model = fitLinearSvm(Float64Array.from(c.xTrain), n, c.d, Int32Array.from(c.yTrain), c.classes, { random: seededRandom(1234) });
    assert.ok(model.converged.every(Boolean), `passes ${model.passes.join(',')}`);
    const nTest = c.xTest.length / c.d;
    const dv = svmDecisionValues(model, Float64Array.from(c.xTest), nTest, c.d);
    // scikit-learn gives one column for 2 classes (f of class 1); GaitLab's logits are [−f, +f].
    const ours = c.classes === 2 ? Array.from({ length: nTest }, (_, r) => dv[r * 2 + 1]) : Array.from(dv);
    assert.equal(ours.length, c.decision.length);
    if (c.classes === 2) for (let r = 0; r < nTest; r++) assert.equal(dv[r * 2], -dv[r * 2 + 1]);
    const scale = Math.max(...c.decision.map(Math.abs));
    let worst = 0;
    c.decision.forEach((v, i) => { worst = Math.max(worst, Math.abs(ours[i] - v) / Math.max(Math.abs(v), 1e-2 * scale)); });
    assert.ok(worst <= 1e-3, `worst relative difference ${worst}`);
    // Same argmax as scikit-learn on every test row.
    for (let r = 0; r < nTest; r++) {
      const row = (a: number[]) => (c.classes === 2 ? (a[r] > 0 ? 1 : 0) : a.slice(r * c.classes, (r + 1) * c.classes).reduce((b, v, k, all) => (v > all[b] ? k : b), 0));
      assert.equal(row(ours), row(c.decision));
    }
  });
}

test('linear-svm through LRP is the linear identity: R_i = x_i w_iy and Σ R + b_y = f_y (ε = 0)', () => {
  const c = golden.cases[0];
  const model = fitLinearSvm(Float64Array.from(c.xTrain), c.yTrain.length, c.d, Int32Array.from(c.yTrain), c.classes, { random: seededRandom(1) });
  const x = Float64Array.from(c.xTest.slice(0, c.d));
  const a = attribute({ inputSize: c.d, layers: [{ kind: 'dense', inputs: c.d, units: c.classes, weight: model.weight, bias: model.bias }] }, x, 2, parseComposite('epsilon(0)'));
  for (let i = 0; i < c.d; i++) assert.ok(Math.abs(a.relevance[i] - x[i] * model.weight[i * c.classes + 2]) <= 1e-12 * Math.abs(a.relevance[i]) + 1e-300);
  assert.ok(Math.abs(a.relevanceSum + model.bias[2] - a.explainedLogit) <= 1e-12 * Math.abs(a.explainedLogit));
  assert.ok(Math.abs(a.explainedLogit - c.decision[2]) <= 1e-3 * Math.abs(c.decision[2]));
});
