// Cross-validated akin retrieval (subject-grouped folds) on the six-walk demo cohort's gait cycles, and the folds
// themselves. QUICK SETTINGS: 3 folds, 3 epochs, k = 2; the figures printed are not the evaluation's (bench:sae-retrieval).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../../src-main/compute/tfjs/backend';
import { loadSideCycleDataset } from '../../src-main/compute/side-cycle-dataset';
import { crossValidatedRetrieval } from '../../src-main/methods/sae/retrieval-cv';
import { saeParams } from '../../src-main/methods/sae/params';
import { closeServiceContext, openServiceContext } from '../../src-main/services/context';
import { saeTrainingData } from '../../src-main/services/sae-training-data';
import { subjectGroupedFolds } from '../../src-shared/sae/subject-split';
import { gaitlab, tempDir } from '../helpers';

test('subject-grouped folds: every subject in exactly one fold, sizes within one, the same for the same seed', () => {
  const rows = Array.from({ length: 230 }, (_, i) => `S${String(i % 23).padStart(2, '0')}`);
  const folds = subjectGroupedFolds(rows, 5, 42);
  assert.deepEqual(folds.map((f) => f.length), [5, 5, 5, 4, 4]);
  assert.deepEqual(folds.flat().sort(), [...new Set(rows)].sort());
  assert.deepEqual(subjectGroupedFolds(rows, 5, 42), folds);
  assert.notDeepEqual(subjectGroupedFolds(rows, 5, 43), folds);
  assert.throws(() => subjectGroupedFolds(rows, 24, 42), /^RangeError: 24 folds of 23 subjects: need 2 ≤ folds ≤ subjects$/);
});

test('cross-validated retrieval on demo cycles: each subject queried once against training subjects only; P@k and base rate recomputed', async () => {
  const db = join(tempDir(), 'demo.db');
  assert.equal(gaitlab(['demo', '--db', db, '--json']).code, 0);
  const ctx = openServiceContext({ dbPath: db, mode: 'cli' });
  after(() => closeServiceContext(ctx));
  const spec = saeTrainingData(ctx, { cohort: 'gaitpdb', session: null });
  assert.deepEqual(spec.channels, ['L_total', 'R_total']);
  assert.equal(spec.extracted, 6);
  const { data } = loadSideCycleDataset(ctx.db, spec, 'demo.db');
  await initTfjsBackend();
  const r = await crossValidatedRetrieval(data, { folds: 3, k: 2, seed: 42, params: saeParams.parse({ epochs: 3 }), backend: tf.getBackend(), permutations: 99 });
  const groupOf = new Map(data.subjects.map((s, i) => [s, data.labels[i]]));
  assert.equal(r.folds.length, 3);
  assert.deepEqual(r.queries.map((q) => q.subject).sort(), [...groupOf.keys()].sort());
  for (const f of r.folds) {
    assert.equal(f.testSubjects, 2);
    assert.equal(f.trainSubjects, 4);
    assert.equal(f.trainRows + f.testRows, data.rows);
    assert.ok(f.firingRate > 0 && f.firingRate <= 1 && f.permutationP > 0 && f.permutationP <= 1);
  }
  for (const q of r.queries) {
    const testSubjects = r.queries.filter((x) => x.fold === q.fold).map((x) => x.subject);
    assert.ok(q.neighbours.every((n) => !testSubjects.includes(n)), 'neighbours come from the training folds only');
    if (q.neighbours.length) assert.equal(q.precision, q.neighbours.filter((n) => groupOf.get(n) === q.group).length / q.neighbours.length);
    const database = [...groupOf.keys()].filter((s) => !testSubjects.includes(s));
    assert.equal(q.baseRate, database.filter((s) => groupOf.get(s) === q.group).length / database.length);
  }
  console.log(`demo cycles, quick CV (3 folds, 3 epochs): P@2 ${r.precision.toFixed(3)} vs base rate ${r.baseRate.toFixed(3)}; held-out firing rate ${r.firingRate.toFixed(3)}`);
});
