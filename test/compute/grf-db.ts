// A database with the 6-channel clinical GRF set (Slijepcevic 2021) imported by the real `gaitlab import`:
// the 1-2 and 2-3-4 files merged (README of the dataset), 970 trials of 194 subjects in 4 classes.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { gaitlab, sharedData, tempDir } from '../helpers';

export const GRF_FILES = [
  '2021_acm_small_dataset_v3_aff-unaff-nonorm_1-2_.mat',
  '2021_acm_small_dataset_v3_aff-unaff-nonorm_2-3-4_.mat',
].map((f) => sharedData('slijepcevic2021-clinical-grf-mat', f));

export function importGrf(name = 'grf.db'): string {
  const db = join(tempDir('gaitlab-jobs-'), name);
  const r = gaitlab(['import', ...GRF_FILES, '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.import.trials, 970);
  return db;
}

/** Reads the database directly (read-only), as a second process would. */
export function query<T>(dbPath: string, sql: string, ...args: unknown[]): T[] {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...args) as T[];
  } finally {
    db.close();
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls until `fn` returns a value (not undefined), or fails after `timeoutMs`. */
export async function until<T>(what: string, fn: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

export interface JobRow { id: string; status: string; progress: number; error: string | null; model_id: string | null; worker_pid: number | null; cancel_requested: number; stage: string | null }

export function jobRow(dbPath: string, id: string): JobRow {
  return query<JobRow>(dbPath, 'SELECT id, status, progress, error, model_id, worker_pid, cancel_requested, stage FROM jobs WHERE id = ?', id)[0];
}

/**
 * `kill -9` of a job's worker, then what `gaitlab jobs` says once it is dead: the job failed "interrupted" (asserted).
 * Returns the command's job list.
 */
export async function killWorkerOfJob(dbPath: string, id: string, pid: number): Promise<{ id: string; status: string }[]> {
  process.kill(pid, 'SIGKILL');
  await until('the worker to die', () => {
    try { process.kill(pid, 0); return undefined; } catch { return true; }
  });
  const jobs = gaitlab(['jobs', '--db', dbPath, '--json']);
  assert.equal(jobs.code, 0, jobs.stderr);
  const job = jobs.json.jobs.find((j: { id: string }) => j.id === id);
  assert.equal(job.status, 'failed');
  assert.equal(job.error, 'interrupted');
  return jobs.json.jobs;
}
