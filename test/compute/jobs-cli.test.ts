// Training jobs end to end through the real `gaitlab` command: workers are real child processes on a real
// SQLite file holding the imported clinical GRF set; cancel and kill -9 happen from other processes mid-way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { api } from '../../src-shared/api/schema';
import { jobSummary } from '../../src-shared/api/jobs';
import { modelDetail, modelSummary } from '../../src-shared/api/models';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { gaitlab, dbFingerprint, REPO } from '../helpers';
import { importGrf, jobRow, query, sleep, until, type JobRow } from './grf-db';

const db = importGrf();
const trainOutput = z.object({ job: jobSummary.strict(), model: modelSummary.pick({ id: true, metrics: true }).strict().nullable() }).strict();
const countModels = () => query<{ n: number }>(db, 'SELECT COUNT(*) AS n FROM models')[0].n;

/** Starts a detached job that takes minutes, and waits until its worker is past a few epochs. */
async function longRunningJob(env: Record<string, string> = {}): Promise<string> {
  const r = gaitlab(['train', 'LogisticRegression', '--param', 'epochs=20000', '--detach', '--db', db, '--json'], env);
  assert.equal(r.code, 0, r.stderr);
  const id = r.json.job.id as string;
  await until('the job to train', () => {
    const j = jobRow(db, id);
    return j.status === 'running' && j.progress > 0 ? j : undefined;
  });
  return id;
}

test('train --json runs the job in a worker and prints the job, then the model id and its metrics', () => {
  const r = gaitlab(['train', 'LogisticRegression', '--param', 'epochs=30', '--seed', '7', '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = trainOutput.parse(r.json);
  assert.equal(out.job.status, 'done');
  assert.equal(out.job.progress, 1);
  assert.equal(out.job.seed, 7);
  assert.deepEqual(out.job.params, { epochs: 30 });
  assert.deepEqual(out.job.data, { cohort: 'slijepcevic2021', session: null });
  assert.ok(out.model);
  assert.equal(out.job.modelId, out.model.id);
  const m = out.model.metrics as { testAccuracy: number; trainAccuracy: number; classes: string[]; confusion: number[][]; counts: number[]; testRows: number; trainRows: number };
  assert.deepEqual(m.classes, ['HC', 'class-2', 'class-3', 'class-4']);
  assert.equal(m.testRows + m.trainRows, 970);
  // The confusion matrix counts every test trial once; its rows are the per-class counts.
  assert.deepEqual(m.confusion.map((row) => row.reduce((a, b) => a + b, 0)), m.counts);
  assert.equal(m.counts.reduce((a, b) => a + b, 0), m.testRows);
  const correct = m.confusion.reduce((a, row, i) => a + row[i], 0);
  assert.equal(m.testAccuracy, correct / m.testRows);
  // Better than always answering the largest class, by more than two binomial SDs of that rate on this test set.
  const majority = Math.max(...m.counts) / m.testRows;
  const bound = majority + 2 * Math.sqrt((majority * (1 - majority)) / m.testRows);
  assert.ok(m.testAccuracy > bound, `test accuracy ${m.testAccuracy}, majority class ${majority.toFixed(3)}, bound ${bound.toFixed(3)}`);
  // The worker reports its tfjs tensors: back to the baseline after the job.
  const shown = gaitlab(['jobs', 'show', out.job.id, '--db', db, '--json']);
  assert.equal(shown.code, 0, shown.stderr);
  api.getJob.response.parse(shown.json);
  const result = shown.json.result as { tensorsBefore: number; tensorsAfter: number; backend: string };
  assert.equal(result.tensorsAfter, result.tensorsBefore);
  assert.ok(shown.json.log.some((l: { line: string }) => /^fit done in .* (\d+) tensors after \(\1 before\)$/.test(l.line)), JSON.stringify(shown.json.log));
});

test('model <id> --json records method, version, parameters with defaults, seed, backend, data selection with content hashes, preprocessing and weights', () => {
  const list = gaitlab(['models', '--db', db, '--json']);
  assert.equal(list.code, 0, list.stderr);
  api.listModels.response.parse(list.json);
  const id = list.json.models[0].id as string;
  const r = gaitlab(['model', id, '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const m = z.object({ model: modelDetail.strict() }).strict().parse(r.json).model;
  assert.equal(m.method, 'LogisticRegression');
  assert.equal(m.methodVersion, '1.0.0');
  assert.deepEqual(m.params, { epochs: 30, learningRate: 0.01, batchSize: 64, l2: 0.05, testFraction: 0.2 });
  assert.equal(m.seed, 7);
  assert.match(m.backend ?? '', /^(wasm|cpu)$/);
  assert.equal(m.gaitlabVersion, '0.1.0');
  assert.deepEqual(m.weights.map((w) => [w.name, w.shape]), [['weights', [606, 4]], ['bias', [4]], ['mean', [606]], ['sd', [606]]]);
  assert.equal(m.preprocessing?.kind, 'per-feature z-score');
  const sel = m.dataSelection as { cohort: string; channels: string[]; trials: { id: string; sha256: string; subject: string; label: string }[]; split: { train: string[]; test: string[] } };
  assert.equal(sel.cohort, 'slijepcevic2021');
  assert.equal(sel.channels.length, 6);
  assert.equal(sel.trials.length, 970);
  const stored = new Map(query<{ id: string; content_sha256: string }>(db, 'SELECT id, content_sha256 FROM trials').map((t) => [t.id, t.content_sha256]));
  for (const t of sel.trials) assert.equal(t.sha256, stored.get(t.id), `hash of ${t.id}`);
  // Subject-grouped split: no subject on both sides.
  const subjectOf = new Map(sel.trials.map((t) => [t.id, t.subject]));
  const trainSubjects = new Set(sel.split.train.map((t) => subjectOf.get(t)));
  assert.equal(sel.split.test.filter((t) => trainSubjects.has(subjectOf.get(t))).length, 0);
  assert.equal(sel.split.train.length + sel.split.test.length, 970);
});

test('the same seed and parameters give the same split and metrics (reproducible)', () => {
  const r = gaitlab(['train', 'LogisticRegression', '--param', 'epochs=30', '--seed', '7', '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const models = gaitlab(['models', '--db', db, '--json']).json.models as { id: string; metrics: Record<string, unknown> }[];
  assert.equal(models.length, 2);
  assert.deepEqual(models[0].metrics, models[1].metrics);
});

test('jobs cancel from a second process mid-way: the job ends cancelled and no model row remains', async () => {
  const before = countModels();
  const id = await longRunningJob();
  const r = gaitlab(['jobs', 'cancel', id, '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  api.cancelJob.response.parse(r.json);
  assert.equal(r.json.job.status, 'cancelled');
  const row = jobRow(db, id);
  assert.equal(row.status, 'cancelled');
  assert.ok(row.progress > 0 && row.progress < 1, `progress ${row.progress}`);
  assert.equal(row.model_id, null);
  assert.equal(countModels(), before);
  assert.equal(query(db, 'SELECT id FROM models WHERE job_id = ?', id).length, 0);
  const log = gaitlab(['jobs', 'show', id, '--db', db, '--json']).json;
  assert.ok(log.log.some((l: { line: string }) => /^cancelled at \d+ %/.test(l.line)));
  assert.equal(log.result.tensorsAfter, log.result.tensorsBefore);
});

test('Ctrl+C in gaitlab train cancels the job itself, not only the wait (exit 130)', async () => {
  const before = countModels();
  const child = spawn(process.execPath, [join(REPO, 'bin', 'gaitlab.cjs'), 'train', 'LogisticRegression', '--param', 'epochs=20000', '--db', db, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += String(d); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const id = await until('the job to train', () => {
    const j = query<JobRow>(db, "SELECT id, status, progress FROM jobs WHERE status = 'running' AND progress > 0")[0];
    return j ? j.id : undefined;
  });
  child.kill('SIGINT');
  assert.equal(await exited, 130, stderr);
  assert.match(stderr, /Ctrl\+C: cancelling/);
  assert.equal(jobRow(db, id).status, 'cancelled');
  assert.equal(countModels(), before);
});

test('kill -9 of the worker mid-way: the next gaitlab jobs marks the job failed, "interrupted", and nothing is left running', async () => {
  const before = countModels();
  const id = await longRunningJob();
  const pid = jobRow(db, id).worker_pid;
  assert.ok(pid);
  process.kill(pid, 'SIGKILL');
  await until('the worker to die', () => {
    try { process.kill(pid, 0); return undefined; } catch { return true; }
  });
  assert.equal(jobRow(db, id).status, 'running'); // nobody has looked yet
  const r = gaitlab(['jobs', '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  api.listJobs.response.parse(r.json);
  const job = r.json.jobs.find((j: { id: string }) => j.id === id);
  assert.equal(job.status, 'failed');
  assert.equal(job.error, 'interrupted');
  assert.equal(r.json.jobs.filter((j: { status: string }) => j.status === 'running').length, 0);
  assert.equal(countModels(), before);
});

test('kill -9 of the worker of a waiting gaitlab train: the command sees it at once, the job failed "interrupted", exit 1', async () => {
  const child = spawn(process.execPath, [join(REPO, 'bin', 'gaitlab.cjs'), 'train', 'LogisticRegression', '--param', 'epochs=20000', '--db', db, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d) => { stderr += String(d); });
  child.stdout.on('data', (d) => { stdout += String(d); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const job = await until('the job to train', () => query<JobRow>(db, "SELECT id, worker_pid FROM jobs WHERE status = 'running' AND progress > 0")[0]);
  process.kill(job.worker_pid!, 'SIGKILL');
  assert.equal(await exited, 1, stderr);
  assert.equal(stderr.trim(), `gaitlab: job ${job.id} failed: interrupted`);
  const out = trainOutput.parse(JSON.parse(stdout));
  assert.deepEqual([out.job.status, out.job.error, out.model], ['failed', 'interrupted', null]);
});

test('train --detach returns at once and jobs wait follows the job to its model', () => {
  const t0 = Date.now();
  const r = gaitlab(['train', 'LogisticRegression', '--param', 'epochs=40', '--detach', '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  z.object({ job: jobSummary.strict(), model: z.null() }).strict().parse(r.json);
  assert.match(r.json.job.status, /^(queued|running)$/);
  const detachedS = (Date.now() - t0) / 1000;
  const w = gaitlab(['jobs', 'wait', r.json.job.id, '--db', db, '--json']);
  assert.equal(w.code, 0, w.stderr);
  api.waitJob.response.parse(w.json);
  assert.equal(w.json.job.status, 'done');
  assert.match(w.json.job.modelId, /^M-/);
  assert.equal(query(db, 'SELECT id FROM models WHERE id = ?', w.json.job.modelId).length, 1);
  console.log(`train --detach returned in ${detachedS.toFixed(2)} s; the job finished ${w.json.job.finishedAt}`);
});

test('the concurrency limit holds across processes: a second job stays queued until the first ends', async () => {
  const env = { GAITLAB_MAX_JOBS: '1' };
  const first = await longRunningJob(env);
  const r = gaitlab(['train', 'LogisticRegression', '--param', 'epochs=10', '--detach', '--db', db, '--json'], env);
  assert.equal(r.code, 0, r.stderr);
  const second = r.json.job.id as string;
  // Its worker is up and waiting for the slot (it recorded its pid), and stays queued.
  await until('the second worker to wait', () => (jobRow(db, second).worker_pid ? true : undefined));
  for (let i = 0; i < 10; i++) {
    assert.equal(jobRow(db, second).status, 'queued');
    assert.equal(jobRow(db, first).status, 'running');
    await sleep(200);
  }
  // A queued job cancels at once, and its waiting worker leaves.
  const third = gaitlab(['train', 'LogisticRegression', '--param', 'epochs=10', '--detach', '--db', db, '--json'], env).json.job.id as string;
  const thirdPid = await until('the third worker to wait', () => jobRow(db, third).worker_pid ?? undefined);
  const c = gaitlab(['jobs', 'cancel', third, '--db', db, '--json']);
  assert.deepEqual([c.json.job.status, c.json.job.startedAt, c.json.job.modelId], ['cancelled', null, null]);
  await until('the third worker to exit', () => { try { process.kill(thirdPid, 0); return undefined; } catch { return true; } });
  assert.equal(gaitlab(['jobs', 'cancel', first, '--db', db, '--json']).json.job.status, 'cancelled');
  const w = gaitlab(['jobs', 'wait', second, '--db', db, '--json']);
  assert.equal(w.code, 0, w.stderr);
  assert.equal(w.json.job.status, 'done');
});

test('a slot held by a killed worker is freed by the waiting worker itself: the queued job runs with nobody else looking', async () => {
  const env = { GAITLAB_MAX_JOBS: '1' };
  const first = await longRunningJob(env);
  const r = gaitlab(['train', 'LogisticRegression', '--param', 'epochs=10', '--detach', '--db', db, '--json'], env);
  const second = r.json.job.id as string;
  await until('the second worker to wait', () => (jobRow(db, second).worker_pid ? true : undefined));
  assert.equal(jobRow(db, second).status, 'queued');
  process.kill(jobRow(db, first).worker_pid!, 'SIGKILL');
  // Only reads from here on: no gaitlab command opens the database.
  const done = await until('the second job to finish', () => {
    const j = jobRow(db, second);
    return j.status === 'done' ? j : undefined;
  });
  assert.match(done.model_id ?? '', /^M-/);
  assert.deepEqual([jobRow(db, first).status, jobRow(db, first).error], ['failed', 'interrupted']);
});

test('deleting a model is audited with what it was, and the audit chain stays intact', () => {
  const id = (gaitlab(['models', '--db', db, '--json']).json.models as { id: string }[])[0].id;
  const r = gaitlab(['models', 'delete', id, '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.json, { deleted: id });
  const audit = query<{ actor: string; old_value: string }>(db, "SELECT actor, old_value FROM audit_log WHERE action = 'delete' AND entity = 'model' AND entity_id = ?", id);
  assert.equal(audit.length, 1);
  assert.match(audit[0].actor, /@cli$/);
  assert.equal(JSON.parse(audit[0].old_value).method, 'LogisticRegression');
  assert.equal(gaitlab(['audit', 'verify', '--db', db, '--json']).json.audit.ok, true);
  const again = gaitlab(['model', id, '--db', db, '--json']);
  assert.equal(again.code, 1);
  assert.equal(again.stderr.trim(), `gaitlab: no model ${id}`);
});

test('bad input is one line and stores nothing: unknown method, parameter out of range, cohort without data', () => {
  const fp = dbFingerprint(db);
  const cases: [string[], RegExp][] = [
    [['train', 'NoSuchMethod'], /^gaitlab: unknown method "NoSuchMethod" \(trainable: LogisticRegression, sae-kalam2025, Horst, HierarchicalGP, sincpd\)$/],
    [['train', 'LogisticRegression', '--param', 'epochs=0'], /^gaitlab: LogisticRegression: parameter epochs = 0 is out of range \(1 ≤ epochs ≤ 100000 epochs, an integer\)$/],
    [['train', 'LogisticRegression', '--param', 'momentum=0.9'], /^gaitlab: LogisticRegression: unknown parameter "momentum"/],
    [['train', 'LogisticRegression', '--cohort', 'gaitpdb'], /^gaitlab: grf\.db: field cohort: no trials of cohort "gaitpdb" with a subject group; import the data first$/],
  ];
  for (const [args, pattern] of cases) {
    const r = gaitlab([...args, '--db', db, '--json']);
    assert.equal(r.code, 1, args.join(' '));
    assert.equal(r.stdout, '');
    assert.match(r.stderr.trim(), pattern);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  }
  assert.equal(dbFingerprint(db), fp);
});
