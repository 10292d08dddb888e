import { test } from 'node:test';
import assert from 'node:assert/strict';
import { subjectsFiringMost, topActivatingSamples } from '../../src-shared/sae/top-activations';
import { permutationPValue } from '../../src-shared/sae/akin-retrieval';

test('§5.2.7 top-k: descending activation, ties by ascending sample index, one per subject, only active samples', () => {
  // k = 2 features; feature 1's activations per row: rows 2 and 4 tie at 0.9; row 3 shares subject B with row 2.
  const f1 = [0.2, 0, 0.9, 0.8, 0.9, 0, 0.5];
  const subjects = ['A', 'A', 'B', 'B', 'C', 'D', 'E'];
  const codes = Float32Array.from(f1.flatMap((v) => [1, v]));
  const top = topActivatingSamples(codes, 7, 2, 1, subjects);
  assert.deepEqual(top.map((t) => t.row), [2, 4, 6, 0], 'row 3 is skipped (subject B already listed); rows 1 and 5 are not active');
  assert.deepEqual(topActivatingSamples(codes, 7, 2, 1, subjects, { onePerSubject: false }).map((t) => t.row), [2, 4, 3, 6, 0]);
  assert.deepEqual(topActivatingSamples(codes, 7, 2, 1, subjects, { count: 2 }).map((t) => t.row), [2, 4]);
  // SVAE: active iff |μ| > 0.1, ranked by μ (descending).
  const mu = Float32Array.from([0.05, -0.5, 0.3, 0.11].flatMap((v) => [0, v]));
  assert.deepEqual(topActivatingSamples(mu, 4, 2, 1, ['a', 'b', 'c', 'd'], { kind: 'signed' }).map((t) => t.row), [2, 3, 1]);
});

test('§5.2.10 permutation p on a hand-built example: perfect retrieval among 2 PD + 2 Co has permuted P@2 = 1 with chance 1/6', () => {
  const db = ['B', 'C', 'D', 'E'];
  const labels = ['PD', 'PD', 'Co', 'Co'];
  const a = permutationPValue([['B', 'C']], ['PD'], db, labels, 42);
  assert.equal(a.observed, 1);
  // Expected p = (1 + 1000/6)/1001 ≈ 0.168; the seeded draw lands within binomial noise (SD ≈ 0.012).
  assert.ok(Math.abs(a.p - 0.168) < 0.04, `p ${a.p}`);
  assert.deepEqual(permutationPValue([['B', 'C']], ['PD'], db, labels, 42), a, 'seeded');
  // Retrieval no better than any permutation: all labels equal → every permutation ties → p = 1.
  assert.equal(permutationPValue([['B', 'C']], ['PD'], db, ['PD', 'PD', 'PD', 'PD'], 1).p, 1);
});

test('subjectsFiringMost: subject mean activation descending, ties by subject id, silent subjects left out, at most count', () => {
  const subjects = ['S1', 'S2', 'S3', 'S4', 'S5'];
  // k = 2; feature 0's subject means: 0.5, 0, 0.9, 0.5, 0.2.
  const means = Float32Array.from([0.5, 9, 0, 9, 0.9, 9, 0.5, 9, 0.2, 9]);
  assert.deepEqual(subjectsFiringMost(subjects, means, 2, 0, 3), [
    { subject: 'S3', meanActivation: Math.fround(0.9) }, { subject: 'S1', meanActivation: 0.5 }, { subject: 'S4', meanActivation: 0.5 },
  ]);
  assert.deepEqual(subjectsFiringMost(subjects, means, 2, 0).map((s) => s.subject), ['S3', 'S1', 'S4', 'S5']);
});
