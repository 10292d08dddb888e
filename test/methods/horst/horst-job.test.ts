// `gaitlab train horst` as a job of the compute engine on the clinical GRF set (real import, real worker
// process, real SQLite): the stored model holds every run's weights and scaling and the fold of every trial
// (§5.1.3: stored with the run); a smoke-schedule network says `smoke` in its metrics; bad input is one line
// and stores nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gaitlab } from '../../helpers';
import { importGrf, jobRow, query, until } from '../../compute/grf-db';

const db = importGrf('horst-job.db');

test('train horst --model linear-svm --task class: a job that stores the fold of each of the 970 trials and 5 runs of weights', () => {
  const r = gaitlab(['train', 'horst', '--model', 'linear-svm', '--task', 'class', '--seed', '1234', '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.job.status, 'done');
  const m = r.json.model.metrics;
  assert.equal(m.accuracies.length, 5);
  assert.ok(Math.abs(m.meanAccuracy - 0.587) <= 0.042, `mean ${m.meanAccuracy}`);
  assert.deepEqual([m.protocol.folds, m.protocol.k, m.protocol.seed], ['G', 5, 1234]);
  assert.equal(m.confusion.flat().reduce((s: number, v: number) => s + v, 0), 970);
  const [row] = query<{ data_selection: string; weights_manifest: string; method: string }>(db, 'SELECT data_selection, weights_manifest, method FROM models WHERE id = ?', r.json.model.id);
  assert.equal(row.method, 'Horst');
  const selection = JSON.parse(row.data_selection);
  const folds = Object.values(selection.folds.byTrial) as number[];
  assert.equal(folds.length, 970);
  assert.deepEqual([...new Set(folds)].sort(), [0, 1, 2, 3, 4]);
  const manifest = JSON.parse(row.weights_manifest) as { name: string; shape: number[] }[];
  assert.deepEqual(manifest.map((e) => e.name), [0, 1, 2, 3, 4].flatMap((run) => [`run${run}.layer0.weight`, `run${run}.layer0.bias`]));
  assert.deepEqual(manifest[0].shape, [606, 4]);
});

test('train horst --model mlp3-64 --schedule smoke: the metrics say smoke and the patience used', () => {
  const r = gaitlab(['train', 'horst', '--model', 'mlp3-64', '--task', 'class', '--schedule', 'smoke', '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.job.seed, 1234, 'the Horst run seed defaults to the authors\' 1234');
  const m = r.json.model.metrics;
  assert.equal(m.schedule, 'smoke');
  assert.equal(m.protocol.patience, 10);
  assert.equal(m.phases.length, 5);
  assert.ok(m.meanAccuracy > 0.3, `smoke accuracy ${m.meanAccuracy}`);
});

test('bad input: unknown model kind, unknown schedule — one line, no job, no model', () => {
  const before = query<{ n: number }>(db, 'SELECT (SELECT COUNT(*) FROM jobs) + (SELECT COUNT(*) FROM models) AS n')[0].n;
  const cases: [string[], RegExp][] = [
    [['--model', 'cnn-z'], /^gaitlab: Horst: parameter model = "?cnn-z"? is/],
    [['--schedule', 'fast'], /^gaitlab: Horst: parameter schedule = "?fast"? is/],
  ];
  for (const [args, message] of cases) {
    const r = gaitlab(['train', 'horst', ...args, '--db', db]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr.trim(), message);
  }
  assert.equal(query<{ n: number }>(db, 'SELECT (SELECT COUNT(*) FROM jobs) + (SELECT COUNT(*) FROM models) AS n')[0].n, before);
});

/** A paper-schedule MLP(3, 1024) job (minutes), detached, once its worker has reported progress. */
async function longHorstJob(): Promise<string> {
  const r = gaitlab(['train', 'horst', '--model', 'mlp3-1024', '--task', 'subject', '--detach', '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const id = r.json.job.id as string;
  await until('the Horst job to train', () => {
    const j = jobRow(db, id);
    return j.status === 'running' && j.progress > 0 ? j : undefined;
  }, 120_000);
  return id;
}

const models = () => query<{ n: number }>(db, 'SELECT COUNT(*) AS n FROM models')[0].n;

test('a Horst job cancelled mid-way ends cancelled with no model; kill -9 of its worker leaves no running job and no model', async () => {
  const before = models();
  const cancelled = await longHorstJob();
  const c = gaitlab(['jobs', 'cancel', cancelled, '--db', db, '--json']);
  assert.equal(c.code, 0, c.stderr);
  assert.equal(c.json.job.status, 'cancelled');
  assert.equal(jobRow(db, cancelled).model_id, null);
  assert.equal(models(), before);

  const killed = await longHorstJob();
  const pid = jobRow(db, killed).worker_pid!;
  process.kill(pid, 'SIGKILL');
  await until('the worker to die', () => { try { process.kill(pid, 0); return undefined; } catch { return true; } });
  const r = gaitlab(['jobs', '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const job = r.json.jobs.find((j: { id: string }) => j.id === killed);
  assert.deepEqual([job.status, job.error], ['failed', 'interrupted']);
  assert.equal(r.json.jobs.filter((j: { status: string }) => j.status === 'running').length, 0);
  assert.equal(models(), before);
});
