// `gaitlab perturb` without --quick is a job of the compute engine (real worker process, real SQLite, the real
// clinical GRF set and a linear-SVM model trained as a job): its result is a stored method run equal to what the
// CLI prints; a cancelled job ends `cancelled` with nothing stored, and kill -9 of its worker leaves no running job.
// Quick: one or two noises at the full setting (10 repetitions, 0–49 %).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { api } from '../../../src-shared/api/schema';
import { gaitlab } from '../../helpers';
import { importGrf, jobRow, query, until } from '../../compute/grf-db';

const db = importGrf('horst-perturb-job.db');
const trained = gaitlab(['train', 'horst', '--model', 'linear-svm', '--task', 'class', '--db', db, '--json']);
const modelId: string = trained.json?.model?.id;
const runs = () => query<{ n: number }>(db, "SELECT COUNT(*) AS n FROM method_runs WHERE role = 'perturbation'")[0].n;

test('perturb (full setting) runs as a job; the stored run is the result printed; step 0 is the clean test accuracy', () => {
  assert.equal(trained.code, 0, trained.stderr);
  const r = gaitlab(['perturb', modelId, '--noise', 'gauss1', '--order', 'random', '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.job.status, 'done');
  assert.equal(r.json.job.method, 'Horst.perturb');
  const p = api.perturbationResult.response.parse(r.json).perturbation;
  assert.deepEqual([p.setting.repetitions, p.setting.steps, p.curves.length], [10, 50, 1]);
  assert.match(p.setting.label, /^full/);
  const m = trained.json.model.metrics;
  const clean = m.confusion.reduce((s: number, row: number[], k: number) => s + row[k], 0) / m.confusion.flat().reduce((s: number, v: number) => s + v, 0);
  assert.ok(Math.abs(p.curves[0].accuracy[0] - clean) < 1e-9, `step 0 ${p.curves[0].accuracy[0]} vs clean ${clean}`);
  assert.ok(p.curves[0].accuracy[49] < clean, 'noise lowers the accuracy');
  const [row] = query<{ id: number; outputs: string; params: string }>(db, "SELECT id, outputs, params FROM method_runs WHERE role = 'perturbation'");
  assert.equal(String(row.id), r.json.runId);
  assert.deepEqual(JSON.parse(row.outputs).perturbation.curves, p.curves);
  assert.equal(JSON.parse(row.params).modelId, modelId);
  const again = gaitlab(['jobs', 'show', r.json.job.id, '--db', db, '--json']);
  assert.equal(again.json.result.runId, r.json.runId);
});

test('bad input is refused before a job is queued: unknown model, a bad composite', () => {
  const jobs = () => query<{ n: number }>(db, 'SELECT COUNT(*) AS n FROM jobs')[0].n;
  const before = jobs();
  for (const [args, message] of [[['M-NOPE'], /^gaitlab: no model M-NOPE$/], [[modelId, '--composite', 'dense:nonsense(1)'], /^gaitlab: .*nonsense/]] as [string[], RegExp][]) {
    const r = gaitlab(['perturb', ...args, '--db', db]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr.trim(), message);
  }
  assert.equal(jobs(), before);
});

/** `gaitlab perturb` of every noise and order in a child process, once its job's worker reports progress. */
async function runningPerturbation(): Promise<{ child: ChildProcess; id: string }> {
  const started = new Date().toISOString();
  const child = spawn(process.execPath, [join(__dirname, '../../../bin/gaitlab.cjs'), 'perturb', modelId, '--db', db, '--json'], { stdio: 'ignore' });
  const id = await until('the perturbation job to run', () => {
    const j = query<{ id: string }>(db, "SELECT id FROM jobs WHERE kind = 'Horst.perturb' AND created_at > ? AND status = 'running' AND progress > 0", started)[0];
    return j?.id;
  }, 120_000);
  return { child, id };
}

test('a perturbation job cancelled mid-way ends cancelled with no run; kill -9 of its worker leaves no running job and no run', async () => {
  const before = runs();
  const a = await runningPerturbation();
  const exited = new Promise<number | null>((resolve) => a.child.on('exit', resolve));
  const c = gaitlab(['jobs', 'cancel', a.id, '--db', db, '--json']);
  assert.equal(c.code, 0, c.stderr);
  assert.equal(c.json.job.status, 'cancelled');
  assert.equal(await exited, 1, 'the waiting perturb command exits 1');
  assert.equal(runs(), before);

  const b = await runningPerturbation();
  const pid = jobRow(db, b.id).worker_pid!;
  process.kill(pid, 'SIGKILL');
  await until('the worker to die', () => { try { process.kill(pid, 0); return undefined; } catch { return true; } });
  b.child.kill('SIGKILL');
  const r = gaitlab(['jobs', '--db', db, '--json']);
  const job = r.json.jobs.find((j: { id: string }) => j.id === b.id);
  assert.deepEqual([job.status, job.error], ['failed', 'interrupted']);
  assert.equal(r.json.jobs.filter((j: { status: string }) => j.status === 'running').length, 0);
  assert.equal(runs(), before);
});
