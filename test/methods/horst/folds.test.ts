// Spec §5.1.3: Algorithms T, T-block and G and the run split, on the shapes of the real sets (clinical GRF:
// 194 subjects × 5 trials in 4 classes; the paper's 57 subjects with one of 21 trials).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { foldsG, foldsT, foldsTBlock, runSplit } from '../../../src-shared/methods/horst/folds';

function clinicalShape(): { subjects: string[]; labels: string[] } {
  const subjects: string[] = [];
  const labels: string[] = [];
  // Class sizes of the README (62/43/52/37 subjects), rows grouped by class then subject like the files.
  let id = 0;
  for (const [label, count] of [['0', 62], ['1', 43], ['2', 52], ['3', 37]] as const) {
    for (let s = 0; s < count; s++, id++) for (let t = 0; t < 5; t++) { subjects.push(String((id * 37) % 194)); labels.push(label); }
  }
  return { subjects, labels };
}

test('Algorithm T on 194 subjects × 5 trials: k = 5, one trial of each subject per fold, runs of 582/194/194', () => {
  const { subjects } = clinicalShape();
  const a = foldsT(subjects, 1234);
  assert.equal(a.k, 5);
  assert.deepEqual(a.excludedSubjects, []);
  const perSubjectFold = new Map<string, number[]>();
  subjects.forEach((s, i) => perSubjectFold.set(s, [...(perSubjectFold.get(s) ?? []), a.fold[i]]));
  for (const folds of perSubjectFold.values()) assert.deepEqual([...folds].sort(), [0, 1, 2, 3, 4]);
  for (let r = 0; r < 5; r++) {
    const split = runSplit(a, r);
    assert.deepEqual([split.train.length, split.validation.length, split.test.length], [582, 194, 194]);
    assert.ok(split.test.every((i) => a.fold[i] === r) && split.validation.every((i) => a.fold[i] === (r + 1) % 5));
  }
  // Seeded: the same seed gives the same folds, another seed others.
  assert.deepEqual(foldsT(subjects, 1234).fold, a.fold);
  assert.notDeepEqual(foldsT(subjects, 1235).fold, a.fold);
});

test('Algorithm T: k = min(10, min n_s); cuts at ⌊j·n_s/k⌋ (21 trials → 3 in fold 9); subjects with < 3 trials excluded', () => {
  const subjects: string[] = [];
  for (let s = 1; s <= 57; s++) for (let t = 0; t < (s === 6 ? 21 : s === 28 ? 19 : 20); t++) subjects.push(String(s));
  subjects.push('99', '99');
  const a = foldsT(subjects, 1234);
  assert.equal(a.k, 10);
  assert.deepEqual(a.excludedSubjects, ['99']);
  const count = (s: string, f: number) => subjects.filter((x, i) => x === s && a.fold[i] === f).length;
  assert.deepEqual(Array.from({ length: 10 }, (_, f) => count('6', f)), [2, 2, 2, 2, 2, 2, 2, 2, 2, 3]);
  assert.deepEqual(Array.from({ length: 10 }, (_, f) => count('28', f)), Array.from({ length: 10 }, (_, j) => Math.floor(((j + 1) * 19) / 10) - Math.floor((j * 19) / 10)));
  assert.deepEqual(Array.from({ length: 10 }, (_, f) => count('1', f)), Array(10).fill(2));
  assert.ok(subjects.every((s, i) => (s === '99') === (a.fold[i] === -1)));
  const small = ['a', 'a', 'a', 'b', 'b', 'b', 'b'];
  assert.equal(foldsT(small, 1).k, 3);
});

test('Algorithm T-block: each subject\'s trials are contiguous blocks in recording order, block j in fold (j + o_s) mod k', () => {
  const subjects: string[] = [];
  for (let s = 0; s < 8; s++) for (let t = 0; t < 23 + s; t++) subjects.push(`S${s}`);
  const a = foldsTBlock(subjects, 7);
  assert.equal(a.k, 10);
  const offsets = new Set<number>();
  for (let s = 0; s < 8; s++) {
    const folds = subjects.flatMap((x, i) => (x === `S${s}` ? [a.fold[i]] : []));
    const n = folds.length;
    const offset = folds[0];
    offsets.add(offset);
    for (let j = 0; j < 10; j++) for (let p = Math.floor((j * n) / 10); p < Math.floor(((j + 1) * n) / 10); p++) assert.equal(folds[p], (j + offset) % 10);
  }
  assert.ok(offsets.size > 1, 'offsets differ between subjects');
});

test('Algorithm G: subject-grouped, class-stratified; a subject without or with two labels is named', () => {
  const { subjects, labels } = clinicalShape();
  const a = foldsG(subjects, labels, 5, 1234);
  const foldOf = new Map<string, Set<number>>();
  subjects.forEach((s, i) => foldOf.set(s, (foldOf.get(s) ?? new Set()).add(a.fold[i])));
  for (const folds of foldOf.values()) assert.equal(folds.size, 1);
  const subjectsPerFold = Array.from({ length: 5 }, (_, f) => [...foldOf].filter(([, fs]) => fs.has(f)).length);
  assert.equal(subjectsPerFold.reduce((x, y) => x + y, 0), 194);
  assert.ok(Math.max(...subjectsPerFold) - Math.min(...subjectsPerFold) <= 4, `subjects per fold ${subjectsPerFold}`);
  for (const label of ['0', '1', '2', '3']) {
    const perFold = Array.from({ length: 5 }, (_, f) => new Set(subjects.filter((_, i) => labels[i] === label && a.fold[i] === f)).size);
    assert.ok(Math.max(...perFold) - Math.min(...perFold) <= 1, `class ${label}: ${perFold}`);
  }
  const broken = [...labels];
  broken[7] = '';
  assert.throws(() => foldsG(subjects, broken, 5, 1), new RegExp(`^RangeError: folds: subject ${subjects[7]} has a trial without a label$`));
  broken[7] = '3';
  assert.throws(() => foldsG(subjects, broken, 5, 1), new RegExp(`subject ${subjects[7]} has two labels, "0" and "3"`));
});
