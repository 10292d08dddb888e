import { test } from 'node:test';
import assert from 'node:assert/strict';
import { subjectMeanCodes, buildLatentIndex, nearestSubjects, precisionAtK } from '../../src-shared/sae/akin-retrieval';

// A hand-built 6-subject example in 3-D (k = 3): two rows per subject, angles easy to work out by hand.
const rowSubjects = ['A', 'A', 'B', 'B', 'C', 'C', 'D', 'D', 'E', 'E', 'Z', 'Z'];
const rows = [
  [1, 0, 0], [1, 0, 0], //       A: mean (1, 0, 0)
  [2, 0, 0], [0, 0, 0], //       B: mean (1, 0, 0), same direction as A (distance 0 to A)
  [1, 1, 0], [1, 1, 0], //       C: (1, 1, 0): cos 45° to A → distance 1 − 1/√2
  [0, 1, 0], [0, 1, 0], //       D: (0, 1, 0): distance 1 to A
  [0, 0, 3], [0, 0, 1], //       E: (0, 0, 2): distance 1 to A (a tie with D, broken by ID: D first)
  [0, 0, 0], [0, 0, 0], //       Z: zero code, excluded and counted
];
const codes = Float32Array.from(rows.flat());
const db = subjectMeanCodes(codes, 12, 3, rowSubjects);
const index = buildLatentIndex(db);

test('subject means, zero-vector exclusion', () => {
  assert.deepEqual(db.subjects, ['A', 'B', 'C', 'D', 'E', 'Z']);
  assert.deepEqual(Array.from(db.codes.subarray(3, 6)), [1, 0, 0]);
  assert.deepEqual(index.subjects, ['A', 'B', 'C', 'D', 'E']);
  assert.deepEqual(index.excludedZero, ['Z']);
});

test('the query subject is never returned, distances are cosine, ties go to the smaller subject ID', () => {
  const n = nearestSubjects(index, db.codes.subarray(0, 3), 10, 'A');
  assert.deepEqual(n.map((x) => x.subject), ['B', 'C', 'D', 'E']);
  assert.ok(Math.abs(n[0].distance) < 1e-7);
  assert.ok(Math.abs(n[1].distance - (1 - Math.SQRT1_2)) < 1e-7);
  assert.ok(Math.abs(n[2].distance - 1) < 1e-7 && Math.abs(n[3].distance - 1) < 1e-7);
  assert.deepEqual(nearestSubjects(index, db.codes.subarray(0, 3), 3, 'A').map((x) => x.subject), ['B', 'C', 'D']);
  // Without excluding, A finds itself first (distance 0, tie with B, A < B).
  assert.deepEqual(nearestSubjects(index, db.codes.subarray(0, 3), 2, null).map((x) => x.subject), ['A', 'B']);
  assert.throws(() => nearestSubjects(index, [0, 0, 0], 3, 'Z'), /^RangeError: the query code is zero/);
  assert.throws(() => nearestSubjects(index, [1, 0], 3, 'A'), /the query code has 2 values, the index 3/);
});

test('precision@k and base rate on the 6-subject example, by hand', () => {
  const label = new Map([['A', 'PD'], ['B', 'PD'], ['C', 'Co'], ['D', 'PD'], ['E', 'Co'], ['Z', 'Co']]);
  const n = nearestSubjects(index, db.codes.subarray(0, 3), 3, 'A'); // B (PD), C (Co), D (PD)
  const { precision, baseRate } = precisionAtK(n, (s) => label.get(s)!, 'PD', index.subjects, 'A');
  assert.equal(precision, 2 / 3);
  assert.equal(baseRate, 2 / 4, 'B and D are PD among B, C, D, E');
});
