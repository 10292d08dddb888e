// The SAE analyses stored with the model (issue 17): computed as the training job's last phase and stored in the
// transaction that stores the model, read back by `gaitlab features`, `akin`, the dictionary and the latent map
// without reading the cohort again; equal to a recompute; computed once for a model stored without them; a
// changed cohort said so, never mixed in; kill -9 in the analyses phase keeps neither model nor analyses. Real
// CLI processes and worker, a real SQLite file with the clinical GRF set (970 trials, 194 subjects). QUICK
// SETTINGS: the models train 3 epochs.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { api } from '../../src-shared/api/schema';
import { closeServiceContext, openServiceContext } from '../../src-main/services/context';
import { createDispatcher } from '../../src-main/services/dispatch';
import { checkedDispatch } from '../api-contract';
import { join } from 'node:path';
import { gaitlab, tempDir } from '../helpers';
import { importGrf, jobRow, killWorkerOfJob, query, until } from '../compute/grf-db';

const db = importGrf('stored-analyses.db');
const trained = gaitlab(['train', 'sae', '--model', 'sae', '--epochs', '3', '--seed', '42', '--db', db, '--json']);
const modelId = trained.json?.model?.id as string;
const ctx = openServiceContext({ dbPath: db, mode: 'browser' });
after(() => closeServiceContext(ctx));
const call = checkedDispatch(createDispatcher(ctx));

type RunRow = { id: number; trigger: string; version: string; finished_at: string };
const analysesRuns = (model = modelId) => query<RunRow>(db, `SELECT id, json_extract(inputs, '$.trigger') AS trigger, json_extract(inputs, '$.dataVersion') AS version, finished_at
  FROM method_runs WHERE role = 'model-analyses' AND json_extract(inputs, '$.modelId') = ? ORDER BY id`, model);
const allAnalysesRuns = () => query<{ n: number }>(db, "SELECT COUNT(*) AS n FROM method_runs WHERE role = 'model-analyses'")[0].n;
const write = (sql: string, ...args: unknown[]) => {
  const w = new Database(db);
  try { w.prepare(sql).run(...args); } finally { w.close(); }
};
const subject = query<{ subject_id: string; id: string }>(db, 'SELECT s.subject_id, t.id FROM trials t JOIN sessions s ON s.id = t.session_id ORDER BY t.id LIMIT 1')[0];
const features = (...extra: string[]) => {
  const r = gaitlab(['features', modelId, ...extra, '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return api.saeFeatures.response.parse(r.json);
};
/** Every analysis the model answers with, without the note on where they came from. */
async function everything(trial = subject.id) {
  const strip = <T extends { analyses: unknown }>(x: T): Omit<T, 'analyses'> => {
    const { analyses: _where, ...rest } = x;
    return rest;
  };
  return {
    features: strip(await call('saeFeatures', { id: modelId })),
    dictionary: strip(await call('saeDictionary', { id: modelId, top: 5 })),
    map: strip(await call('saeLatentMap', { id: modelId })),
    bySubject: strip(await call('saeAkin', { id: modelId, subject: subject.subject_id, k: 10 })),
    byTrial: strip(await call('saeAkin', { id: modelId, trial, k: 5 })),
  };
}

test('the training job computes the analyses as its last phase and stores them with the model', () => {
  assert.equal(trained.code, 0, trained.stderr);
  const runs = analysesRuns();
  assert.equal(runs.length, 1);
  assert.equal(runs[0].trigger, 'training');
  const log = query<{ line: string }>(db, 'SELECT line FROM job_log WHERE job_id = ? ORDER BY id', trained.json.job.id).map((l) => l.line);
  assert.ok(log.some((l) => l.startsWith('analyses: ')), 'the analyses phase reports its progress');
  const done = log.find((l) => /^analyses computed in [\d.]+ s on data version \d+:\d+:\d+:\d+$/.test(l));
  assert.ok(done, log.join('\n'));
  console.log(`  job log: ${done}`);
  const f = features();
  assert.equal(f.analyses.runId, String(runs[0].id));
  assert.equal(f.analyses.trigger, 'training');
  assert.equal(f.analyses.current, true);
  assert.equal(f.analyses.note, null);
  assert.equal(f.analyses.dataVersion, runs[0].version);
  assert.equal(f.analyses.computedAt, runs[0].finished_at);
  assert.equal(f.analyses.samples, 970);
  assert.match(f.analyses.dataFingerprint, /^[0-9a-f]{64}$/);
  assert.equal(f.samples, 970);
  assert.equal(f.features.length, 100);
  // A copy of the database whose curves are emptied behind the store's back (no audit row: the data version stays)
  // answers the freshly trained model's features and akin exactly as the original: its reads touch no curve.
  const copy = join(tempDir(), 'copy.db');
  const w = new Database(db);
  try { w.prepare('VACUUM INTO ?').run(copy); } finally { w.close(); }
  const c = new Database(copy);
  try { c.prepare("UPDATE signals SET data = X'00', samples = 1").run(); } finally { c.close(); }
  const fromCopy = gaitlab(['features', modelId, '--db', copy, '--json']);
  assert.equal(fromCopy.code, 0, fromCopy.stderr);
  assert.deepEqual(api.saeFeatures.response.parse(fromCopy.json), f);
  const akinCopy = gaitlab(['akin', modelId, '--subject', subject.subject_id, '--db', copy, '--json']);
  const akinOrig = gaitlab(['akin', modelId, '--subject', subject.subject_id, '--db', db, '--json']);
  assert.equal(akinCopy.code, 0, akinCopy.stderr);
  assert.deepEqual(akinCopy.json, akinOrig.json);
  assert.equal(query<{ n: number }>(copy, "SELECT COUNT(*) AS n FROM method_runs WHERE role = 'model-analyses'")[0].n, 1);
  assert.notEqual(gaitlab(['features', modelId, '--recompute', '--db', copy, '--json']).code, 0, 'a recompute on the copy reads the emptied curves and fails');
  const text = gaitlab(['features', modelId, '--db', db]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout.split('\n')[0], /^analyses of 970 samples computed \S+ \(training\) on data version \d+:\d+:\d+:\d+; the cohort's data is unchanged since$/);
});

test('stored = recomputed: --recompute reads the cohort again, gives the same values and stores a newer run', async () => {
  const stored = await everything();
  const r = features('--recompute');
  assert.equal(r.analyses.trigger, 'recompute');
  const runs = analysesRuns();
  assert.equal(runs.length, 2);
  assert.equal(r.analyses.runId, String(runs[1].id));
  const again = await everything();
  assert.deepEqual(again, stored);
  assert.equal(stored.features.features.length, 100);
  assert.equal(stored.dictionary.features.length, 100);
  assert.ok(stored.dictionary.features.some((f) => f.top.length === 5));
  assert.equal(stored.map.points.length, 194);
  assert.equal(stored.bySubject.neighbours.length, 10);
});

test('a model stored before analyses were stored: computed on its first read, stored once, then read', async () => {
  const before = await everything();
  write("DELETE FROM method_runs WHERE role = 'model-analyses' AND json_extract(inputs, '$.modelId') = ?", modelId);
  assert.equal(analysesRuns().length, 0);
  const first = features();
  assert.equal(first.analyses.trigger, 'first-read');
  assert.equal(analysesRuns().length, 1);
  const second = features();
  assert.equal(second.analyses.runId, first.analyses.runId);
  assert.equal(analysesRuns().length, 1);
  assert.deepEqual(await everything(), before);
  assert.equal(analysesRuns().length, 1);
});

test('kill -9 of the worker in the analyses phase: no model, no analyses, the job failed "interrupted"', async () => {
  const runsBefore = allAnalysesRuns();
  const modelsBefore = query<{ n: number }>(db, 'SELECT COUNT(*) AS n FROM models')[0].n;
  const r = gaitlab(['train', 'sae', '--model', 'sae', '--epochs', '2', '--detach', '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const id = r.json.job.id as string;
  const inAnalyses = await until('the job to reach its analyses phase', () => {
    const j = jobRow(db, id);
    assert.notEqual(j.status, 'done', 'the job finished before its analyses phase was seen');
    return j.status === 'running' && j.stage?.startsWith('analyses: ') ? j : undefined;
  }, 180_000);
  console.log(`  killed at ${(inAnalyses.progress * 100).toFixed(0)} %: ${inAnalyses.stage}`);
  assert.ok(inAnalyses.progress >= 0.9);
  await killWorkerOfJob(db, id, inAnalyses.worker_pid!);
  assert.equal(query<{ n: number }>(db, 'SELECT COUNT(*) AS n FROM models')[0].n, modelsBefore);
  assert.equal(allAnalysesRuns(), runsBefore);
});

test('the cohort changed since (a trial excluded): the answers say so and keep the stored values until --recompute', async () => {
  const before = await everything();
  const excluded = gaitlab(['trial', 'exclude', subject.id, '--reason', 'stored-analyses test', '--db', db, '--json']);
  assert.equal(excluded.code, 0, excluded.stderr);
  const stale = features();
  assert.equal(stale.analyses.current, false);
  assert.match(stale.analyses.note!, /^these analyses were computed on \S+ on data version \d+:\d+:\d+:\d+; the cohort's data changed since \(data version now \d+:\d+:\d+:\d+\): they describe the data as it was then\. Recompute them: gaitlab features M-\S+ --recompute$/);
  const text = gaitlab(['features', modelId, '--db', db]);
  assert.match(text.stdout.split('\n')[0], /^NOTE: these analyses were computed on/);
  assert.equal(stale.samples, 970);
  assert.deepEqual(await everything(), before, 'the stored analyses, not a mix with the changed cohort');
  const fresh = features('--recompute');
  assert.equal(fresh.analyses.current, true);
  assert.equal(fresh.samples, 969);
  assert.equal(fresh.analyses.samples, 969);
  const akin = gaitlab(['akin', modelId, '--trial', subject.id, '--db', db, '--json']);
  assert.notEqual(akin.code, 0);
  assert.match(akin.stderr.trim(), /trial T-\S+ is not in the model's cohort \(or has no usable curves\)$/);
});

test('reads do not touch the cohort: its curves emptied behind the store\'s back, every answer stays and no run is added; a recompute fails', async () => {
  // The first trial was excluded above: another one is the query.
  const other = query<{ id: string }>(db, 'SELECT id FROM trials WHERE id <> ? ORDER BY id LIMIT 1', subject.id)[0].id;
  const before = await everything(other);
  const runs = analysesRuns().length;
  // No audit row, no trial or cycle count changes: the data version stays, as for any read that must not recompute.
  write("UPDATE signals SET data = X'00', samples = 1 WHERE trial_id IN (SELECT id FROM trials)");
  assert.deepEqual(await everything(other), before);
  const f = features();
  assert.equal(f.analyses.current, true);
  const akin = gaitlab(['akin', modelId, '--subject', subject.subject_id, '--db', db, '--json']);
  assert.equal(akin.code, 0, akin.stderr);
  const { analyses: _where, ...answer } = api.saeAkin.response.parse(akin.json);
  assert.deepEqual(answer, before.bySubject);
  assert.equal(analysesRuns().length, runs);
  // Proof that the reads above would have failed had they read the cohort:
  const recompute = gaitlab(['features', modelId, '--recompute', '--db', db, '--json']);
  assert.notEqual(recompute.code, 0);
  assert.equal(recompute.stderr.trim().split('\n').length, 1, recompute.stderr);
  assert.match(recompute.stderr, /^gaitlab: \S+\.db: trial T-\S+ channel \S+: the stored samples are damaged \(.+\)\n$/, 'the damaged blob is named by its trial and channel');
  console.log(`  recompute on the emptied cohort: ${recompute.stderr.trim()}`);
  assert.equal(analysesRuns().length, runs);
});

test('deleting the model deletes its analyses', async () => {
  assert.ok(analysesRuns().length > 0);
  await call('deleteModel', { id: modelId });
  assert.equal(analysesRuns().length, 0);
});
