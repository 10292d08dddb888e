import { test } from 'node:test';
import assert from 'node:assert/strict';
import { subjectGroupedSplit } from '../../src-shared/sae/subject-split';

test('subject-grouped split: ⌈0.2·S⌉ validation subjects, no subject on both sides, every row placed once, seeded', () => {
  // 194 subjects × 5 trials, the shape of the clinical GRF set.
  const rowSubjects = Array.from({ length: 970 }, (_, i) => `S${String(Math.floor(i / 5)).padStart(3, '0')}`);
  const a = subjectGroupedSplit(rowSubjects, 42);
  assert.equal(a.validationSubjects.length, Math.ceil(0.2 * 194));
  assert.equal(a.trainSubjects.length, 194 - 39);
  const val = new Set(a.validation.map((r) => rowSubjects[r]));
  const train = new Set(a.train.map((r) => rowSubjects[r]));
  for (const s of val) assert.ok(!train.has(s), `${s} is on both sides`);
  assert.equal(a.train.length + a.validation.length, 970);
  assert.equal(new Set([...a.train, ...a.validation]).size, 970);
  assert.equal(a.validation.length, 39 * 5);
  assert.deepEqual(subjectGroupedSplit(rowSubjects, 42), a, 'same seed, same split');
  assert.notDeepEqual(subjectGroupedSplit(rowSubjects, 43).validationSubjects, a.validationSubjects);
  // Row order does not matter: the subjects are sorted before shuffling.
  const reversed = [...rowSubjects].reverse();
  assert.deepEqual(subjectGroupedSplit(reversed, 42).validationSubjects, a.validationSubjects);
});
