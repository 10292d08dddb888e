// The stored model reproduces its numbers, and crash recovery on open: in-process, on real SQLite files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { openDatabase } from '../../src-main/store/db';
import { insertJob, readJob, claimJob, heartbeatJob } from '../../src-main/store/jobs';
import { readModel } from '../../src-main/store/models';
import { findTrainable, unpackTensors } from '../../src-main/compute/trainable';
import { loadCurveDataset } from '../../src-main/compute/curve-dataset';
import { openServiceContext, closeServiceContext } from '../../src-main/services/context';
import { classificationMetrics } from '../../src-main/methods/logreg/metrics';
import { subjectGroupedSplit } from '../../src-main/methods/logreg/split';
import { gaitlab, tempDir } from '../helpers';
import { importGrf } from './grf-db';

const grf = importGrf();

test('a stored model predicts its test trials (found by id and content hash) with exactly its recorded test accuracy', async () => {
  const r = gaitlab(['train', 'LogisticRegression', '--param', 'epochs=15', '--seed', '3', '--db', grf, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const db = openDatabase(grf);
  try {
    const m = readModel(db, r.json.model.id)!;
    const trainable = findTrainable(m.method)!;
    const sel = m.dataSelection as { cohort: string; trials: { id: string; sha256: string }[]; split: { train: string[]; test: string[] } };
    const { data, selection } = loadCurveDataset(db, { cohort: sel.cohort }, 'grf.db');
    assert.deepEqual(selection.trials.map((t) => [t.id, t.sha256]), sel.trials.map((t) => [t.id, t.sha256]));
    const rowOf = new Map(selection.trials.map((t, i) => [t.id, i]));
    const testRows = sel.split.test.map((id) => rowOf.get(id)!);
    const state = trainable.fromStored({ architecture: m.architecture!, preprocessing: m.preprocessing!, tensors: unpackTensors(m.weightsManifest, m.weights!) }, { train: [], test: testRows });
    const x = new Float32Array(testRows.length * data.features);
    testRows.forEach((row, i) => x.set(data.x.subarray(row * data.features, (row + 1) * data.features), i * data.features));
    const fitted = { state, metrics: {} };
    const pred = await trainable.method.predict({ method: m.method, version: m.methodVersion!, params: trainable.method.params.parse(m.params), seed: m.seed!, output: fitted, summary: {} },
      { ...data, x, rows: testRows.length, labels: testRows.map((row) => data.labels[row]), subjects: testRows.map((row) => data.subjects[row]) });
    assert.equal(pred.summary.accuracy, m.metrics!.testAccuracy);
    assert.deepEqual(pred.summary.confusion, m.metrics!.confusion);
  } finally {
    db.close();
  }
});

test('subject-grouped split: every subject on one side, about the test fraction of each class, the same for the same seed', () => {
  const labels: string[] = [];
  const subjects: string[] = [];
  for (let s = 0; s < 40; s++) for (let t = 0; t < 5; t++) { labels.push(s % 4 === 0 ? 'A' : 'B'); subjects.push(`S${s}`); }
  const a = subjectGroupedSplit(labels, subjects, 0.2, 1);
  assert.deepEqual(subjectGroupedSplit(labels, subjects, 0.2, 1), a);
  assert.notDeepEqual(subjectGroupedSplit(labels, subjects, 0.2, 2), a);
  const testSubjects = new Set(a.test.map((i) => subjects[i]));
  assert.equal(a.train.filter((i) => testSubjects.has(subjects[i])).length, 0);
  // 10 subjects of A → 2 test, 30 of B → 6 test.
  assert.equal(new Set(a.test.filter((i) => labels[i] === 'A').map((i) => subjects[i])).size, 2);
  assert.equal(new Set(a.test.filter((i) => labels[i] === 'B').map((i) => subjects[i])).size, 6);
  assert.deepEqual(classificationMetrics([0, 0, 1, 1, 1], [0, 1, 1, 1, 0], 2), { accuracy: 0.6, confusion: [[1, 1], [1, 2]], counts: [2, 3], recall: [0.5, 2 / 3] });
});

test('opening the store marks running jobs whose worker is gone as failed, "interrupted"; live and queued ones stay', () => {
  const path = join(tempDir(), 'recover.db');
  const db = openDatabase(path);
  const data = { cohort: 'x', session: null };
  // A worker process that has exited (a real pid, now gone), one on another machine with a stale heartbeat,
  // and one alive (this process).
  const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
  for (const [id, pid, host] of [['J-DEAD', dead, hostname()], ['J-STALE', 1, 'elsewhere'], ['J-LIVE', process.pid, hostname()]] as const) {
    insertJob(db, { id, method: 'LogisticRegression', params: {}, seed: 0, data, actor: 't' });
    assert.equal(claimJob(db, id, 10, { pid, host }), 'claimed');
  }
  db.prepare("UPDATE jobs SET heartbeat_at = '2026-01-01T00:00:00.000Z' WHERE id = 'J-STALE'").run();
  heartbeatJob(db, 'J-LIVE', { progress: 0.5 });
  insertJob(db, { id: 'J-QUEUED', method: 'LogisticRegression', params: {}, seed: 0, data, actor: 't' });
  db.close();
  const ctx = openServiceContext({ dbPath: path, mode: 'cli' });
  try {
    for (const id of ['J-DEAD', 'J-STALE']) {
      const j = readJob(ctx.db, id)!;
      assert.equal(j.status, 'failed', id);
      assert.equal(j.error, 'interrupted', id);
      assert.ok(j.finishedAt);
    }
    assert.equal(readJob(ctx.db, 'J-LIVE')!.status, 'running');
    assert.equal(readJob(ctx.db, 'J-QUEUED')!.status, 'queued');
  } finally {
    closeServiceContext(ctx);
  }
});

test('a model is audited with its provenance: an edit of its data selection afterwards is found by audit verify', () => {
  const r = gaitlab(['train', 'LogisticRegression', '--param', 'epochs=3', '--db', grf, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const ok = gaitlab(['audit', 'verify', '--db', grf, '--json']);
  assert.equal(ok.json.audit.ok, true, JSON.stringify(ok.json.audit.findings));
  const db = openDatabase(grf);
  db.prepare("UPDATE models SET data_selection = json_set(data_selection, '$.cohort', 'elsewhere') WHERE id = ?").run(r.json.model.id);
  db.close();
  const bad = gaitlab(['audit', 'verify', '--db', grf, '--json']);
  assert.equal(bad.code, 1);
  assert.deepEqual(bad.json.audit.findings.map((f: { kind: string; entity: string; id: string }) => [f.kind, f.entity, f.id]), [['changed', 'model', r.json.model.id]]);
});
