// PD vs control per subject (issue 14): mean P(PD) over a subject's cycles, the decision at 0.5, accuracy,
// balanced accuracy and the Mann–Whitney AUC over subjects, checked against values worked out by hand.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { positiveClassOf, rocAuc, softmaxProbability, subjectLevelDecisions } from '../../../src-shared/methods/horst/subject-level';

test('softmax probability of the positive class is stable for large scores', () => {
  assert.ok(Math.abs(softmaxProbability([0, Math.log(3)], 0, 2, 1) - 0.75) < 1e-12);
  assert.ok(Math.abs(softmaxProbability([1, 1000, 1000 + Math.log(3)], 1, 2, 1) - 0.75) < 1e-12);
});

test('ROC AUC: ties count half; one class only gives null', () => {
  // positives 0.9, 0.4; negatives 0.4, 0.1: pairs (0.9>0.4) (0.9>0.1) (0.4=0.4 → ½) (0.4>0.1) = 3.5 / 4
  assert.equal(rocAuc([0.9, 0.4, 0.4, 0.1], [true, true, false, false]), 0.875);
  assert.equal(rocAuc([0.2, 0.3], [true, true]), null);
});

test('subject decisions from mean probabilities: a subject with many cycles counts once', () => {
  const rows = [
    // A: PD, mean (0.9 + 0.3 + 0.6) / 3 = 0.6 → PD (right)
    { subject: 'A', truth: 'PD', probability: 0.9 }, { subject: 'A', truth: 'PD', probability: 0.3 }, { subject: 'A', truth: 'PD', probability: 0.6 },
    // B: PD, 0.2 → control (wrong)
    { subject: 'B', truth: 'PD', probability: 0.2 },
    // C, D: controls at 0.1 and 0.55 (D wrong)
    { subject: 'C', truth: 'control', probability: 0.05 }, { subject: 'C', truth: 'control', probability: 0.15 },
    { subject: 'D', truth: 'control', probability: 0.55 },
  ];
  const r = subjectLevelDecisions(rows, 'PD', 'control');
  assert.equal(r.subjects, 4);
  assert.deepEqual(r.counts, { PD: 2, control: 2 });
  assert.equal(r.accuracy, 0.5);
  assert.equal(r.balancedAccuracy, 0.5);
  // subject probabilities PD {0.6, 0.2}, control {0.1, 0.55}: 0.6 beats both, 0.2 beats 0.1 → 3 / 4
  assert.equal(r.auc, 0.75);
  const a = r.decisions.find((d) => d.subject === 'A')!;
  assert.equal(a.cycles, 3);
  assert.ok(Math.abs(a.probability - 0.6) < 1e-12);
  assert.equal(a.predicted, 'PD');
  assert.throws(() => subjectLevelDecisions([{ subject: 'A', truth: 'PD', probability: 1 }, { subject: 'A', truth: 'control', probability: 1 }], 'PD', 'control'), /two classes/);
});

test('the positive class is the one named PD, else the second', () => {
  assert.equal(positiveClassOf(['PD', 'control']), 0);
  assert.equal(positiveClassOf(['control', 'pd']), 1);
  assert.equal(positiveClassOf(['a', 'b']), 1);
});
