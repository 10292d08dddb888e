// The persisted job queue. Any process may read and change it (the host that queued a job, its worker, a
// `gaitlab jobs cancel` in another terminal), so every state change is one statement or one IMMEDIATE
// transaction that re-checks the state it changes from.
import type { JobStatus, JobSummary } from '../../src-shared/api/jobs';
import type { Db } from './db';
import { insertModel, type NewModel } from './models';
import { insertRun, type NewRun } from './runs';
import { insertModelAnalyses } from './model-analyses';
import { trainingDataVersion } from './training-data';
import { appendAudit } from './audit';
import { stmt } from './statements';

interface JobRow {
  id: string; kind: string; status: JobStatus; params: string; progress: number; result: string | null; error: string | null;
  created_at: string; started_at: string | null; finished_at: string | null; stage: string | null; eta_s: number | null;
  heartbeat_at: string | null; cancel_requested: number; worker_pid: number | null; worker_host: string | null; model_id: string | null; actor: string | null;
}

/** A job row as the compute layer needs it: the summary plus who runs it. */
export interface StoredJob extends JobSummary {
  actor: string | null;
  workerPid: number | null;
  workerHost: string | null;
  result: Record<string, unknown> | null;
}

const COLUMNS = 'id, kind, status, params, progress, result, error, created_at, started_at, finished_at, stage, eta_s, heartbeat_at, cancel_requested, worker_pid, worker_host, model_id, actor';

function toJob(r: JobRow): StoredJob {
  // The params column holds the whole job spec: { params (the method's), seed, data (the selection) }.
  const spec = JSON.parse(r.params) as { params?: Record<string, unknown>; seed?: number; data?: { cohort?: string; session?: string | null; channels?: string[] } };
  return {
    id: r.id,
    method: r.kind,
    status: r.status,
    progress: r.progress,
    stage: r.stage,
    etaS: r.eta_s,
    params: spec.params ?? {},
    seed: spec.seed ?? 0,
    data: { cohort: spec.data?.cohort ?? '', session: spec.data?.session ?? null, ...(spec.data?.channels ? { channels: spec.data.channels } : {}) },
    error: r.error,
    modelId: r.model_id,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    heartbeatAt: r.heartbeat_at,
    cancelRequested: r.cancel_requested !== 0 && (r.status === 'queued' || r.status === 'running'),
    workerPid: r.worker_pid,
    workerHost: r.worker_host,
    actor: r.actor,
    result: r.result ? (JSON.parse(r.result) as Record<string, unknown>) : null,
  };
}

const now = () => new Date().toISOString();

export function insertJob(db: Db, job: { id: string; method: string; params: Record<string, unknown>; seed: number; data: { cohort: string; session: string | null; channels?: string[] }; actor: string }): StoredJob {
  stmt(db, "INSERT INTO jobs (id, kind, status, params, progress, created_at, actor, stage) VALUES (?, ?, 'queued', ?, 0, ?, ?, 'queued')")
    .run(job.id, job.method, JSON.stringify({ params: job.params, seed: job.seed, data: job.data }), now(), job.actor);
  return readJob(db, job.id)!;
}

export function readJob(db: Db, id: string): StoredJob | null {
  const r = stmt(db, `SELECT ${COLUMNS} FROM jobs WHERE id = ?`).get(id) as JobRow | undefined;
  return r ? toJob(r) : null;
}

/** Newest first. */
export function listJobs(db: Db, f: { status?: JobStatus[]; limit: number }): StoredJob[] {
  const statuses = f.status ?? ['queued', 'running', 'done', 'failed', 'cancelled'];
  const rows = db.prepare(`SELECT ${COLUMNS} FROM jobs WHERE status IN (${statuses.map(() => '?').join(', ')}) ORDER BY created_at DESC, rowid DESC LIMIT ?`)
    .all(...statuses, f.limit) as JobRow[];
  return rows.map(toJob);
}

/** Jobs that are queued or running, oldest first. */
export function activeJobs(db: Db): StoredJob[] {
  return (stmt(db, `SELECT ${COLUMNS} FROM jobs WHERE status IN ('queued', 'running') ORDER BY created_at, rowid`).all() as JobRow[]).map(toJob);
}

/** A worker waiting for a free slot says who it is, so that its death is noticed (see compute/recovery.ts). */
export function recordWorker(db: Db, id: string, pid: number, host: string): void {
  stmt(db, "UPDATE jobs SET worker_pid = ?, worker_host = ? WHERE id = ? AND status IN ('queued', 'running')").run(pid, host, id);
}

export type ClaimResult = 'claimed' | 'wait' | 'gone';

/**
 * Moves a queued job to running when fewer than `limit` jobs run (in any process): 'wait' when the limit is
 * reached or older queued jobs come first, 'gone' when the job is no longer queued (cancelled, taken).
 * IMMEDIATE, so two processes cannot both see a free slot.
 */
export function claimJob(db: Db, id: string, limit: number, worker: { pid: number; host: string }): ClaimResult {
  return db.transaction((): ClaimResult => {
    const job = stmt(db, 'SELECT status, created_at FROM jobs WHERE id = ?').get(id) as { status: JobStatus; created_at: string } | undefined;
    if (!job || job.status !== 'queued') return 'gone';
    const running = (stmt(db, "SELECT COUNT(*) AS n FROM jobs WHERE status = 'running'").get() as { n: number }).n;
    if (running >= limit) return 'wait';
    // First come, first served: an older queued job whose worker is waiting goes first.
    const older = stmt(db, "SELECT COUNT(*) AS n FROM jobs WHERE status = 'queued' AND worker_pid IS NOT NULL AND (created_at < ? OR (created_at = ? AND id < ?))")
      .get(job.created_at, job.created_at, id) as { n: number };
    if (older.n >= limit - running) return 'wait';
    const at = now();
    stmt(db, "UPDATE jobs SET status = 'running', started_at = ?, heartbeat_at = ?, worker_pid = ?, worker_host = ?, stage = 'starting' WHERE id = ?")
      .run(at, at, worker.pid, worker.host, id);
    return 'claimed';
  }).immediate();
}

/** The worker's heartbeat with its progress; returns whether a cancel was requested. */
export function heartbeatJob(db: Db, id: string, p: { progress?: number; stage?: string; etaS?: number | null }): { cancelRequested: boolean } {
  stmt(db, "UPDATE jobs SET heartbeat_at = ?, progress = COALESCE(?, progress), stage = COALESCE(?, stage), eta_s = CASE WHEN ? THEN ? ELSE eta_s END WHERE id = ? AND status = 'running'")
    .run(now(), p.progress ?? null, p.stage ?? null, p.etaS !== undefined ? 1 : 0, p.etaS ?? null, id);
  const r = stmt(db, 'SELECT cancel_requested FROM jobs WHERE id = ?').get(id) as { cancel_requested: number } | undefined;
  return { cancelRequested: !r || r.cancel_requested !== 0 };
}

export function appendJobLog(db: Db, id: string, line: string): { id: number; at: string } {
  const at = now();
  const r = stmt(db, 'INSERT INTO job_log (job_id, at, line) VALUES (?, ?, ?)').run(id, at, line);
  return { id: Number(r.lastInsertRowid), at };
}

export interface JobLogLine { id: number; jobId: string; at: string; line: string }

export function readJobLog(db: Db, f: { jobId?: string; afterId?: number; limit?: number }): JobLogLine[] {
  const rows = f.jobId
    ? stmt(db, 'SELECT id, job_id, at, line FROM job_log WHERE job_id = ? AND id > ? ORDER BY id LIMIT ?').all(f.jobId, f.afterId ?? 0, f.limit ?? 10_000)
    : stmt(db, 'SELECT id, job_id, at, line FROM job_log WHERE id > ? ORDER BY id LIMIT ?').all(f.afterId ?? 0, f.limit ?? 10_000);
  return (rows as { id: number; job_id: string; at: string; line: string }[]).map((r) => ({ id: r.id, jobId: r.job_id, at: r.at, line: r.line }));
}

export function lastJobLogId(db: Db): number {
  return (stmt(db, 'SELECT COALESCE(MAX(id), 0) AS n FROM job_log').get() as { n: number }).n;
}

/**
 * Cancels a job: a queued one at once; a running one is flagged and its worker ends it (see finishJob).
 * Returns the job as it stands after the request; a finished job is left as it was.
 */
export function requestCancel(db: Db, id: string): StoredJob | null {
  db.transaction(() => {
    stmt(db, "UPDATE jobs SET status = 'cancelled', finished_at = ?, stage = 'cancelled', cancel_requested = 1 WHERE id = ? AND status = 'queued'").run(now(), id);
    stmt(db, "UPDATE jobs SET cancel_requested = 1 WHERE id = ? AND status = 'running'").run(id);
  }).immediate();
  return readJob(db, id);
}

/** Ends a queued or running job as failed or cancelled; false when it had already ended. */
export function finishJob(db: Db, id: string, status: 'failed' | 'cancelled', error: string | null, result?: Record<string, unknown>): boolean {
  const r = stmt(db, "UPDATE jobs SET status = ?, error = ?, finished_at = ?, stage = ?, eta_s = NULL, result = COALESCE(?, result) WHERE id = ? AND status IN ('queued', 'running')")
    .run(status, error, now(), status, result ? JSON.stringify(result) : null, id);
  return r.changes === 1;
}

/**
 * The end of a successful job: its model row (with its analyses, where the method has them) and its `done` in ONE transaction, and only when no cancel
 * was requested in the meantime, so a cancelled or killed job never leaves a model behind.
 */
export function completeJobWithModel(db: Db, id: string, model: NewModel, result: Record<string, unknown>, analyses: (NewRun & { inputs: { modelId: string; dataVersion?: string } }) | null = null): 'done' | 'cancelled' | 'gone' {
  return db.transaction((): 'done' | 'cancelled' | 'gone' => {
    const job = stmt(db, 'SELECT status, cancel_requested FROM jobs WHERE id = ?').get(id) as { status: JobStatus; cancel_requested: number } | undefined;
    if (!job || job.status !== 'running') return 'gone';
    if (job.cancel_requested) {
      finishJob(db, id, 'cancelled', null, result);
      return 'cancelled';
    }
    // The data version the analyses were computed on, unless something changed the data since (then it stays,
    // and a read compares the cohort's fingerprint).
    const unchanged = analyses !== null && analyses.inputs.dataVersion === trainingDataVersion(db);
    insertModel(db, model);
    appendAudit(db, { actor: model.actor, action: 'create', entity: 'model', entityId: model.id, newValue: { method: model.method, jobId: id, metrics: model.metrics } });
    // The analyses computed at the end of the job are stored with the model or not at all (a kill -9 keeps neither),
    // on the version that includes the model's own audit row, so that reads see them current without a fingerprint.
    if (analyses) insertModelAnalyses(db, model.actor, unchanged ? { ...analyses, inputs: { ...analyses.inputs, dataVersion: trainingDataVersion(db) } } : analyses);
    stmt(db, "UPDATE jobs SET status = 'done', progress = 1, stage = 'done', eta_s = 0, finished_at = ?, model_id = ?, result = ? WHERE id = ?")
      .run(now(), model.id, JSON.stringify(result), id);
    return 'done';
  }).immediate();
}

/**
 * Ends a running analysis job (one that stores a method run, not a model) as done with its run, in one
 * transaction; a cancel requested meanwhile wins and nothing is stored.
 */
export function completeJobWithRun(db: Db, id: string, run: NewRun, actor: string, result: Record<string, unknown>): { outcome: 'done' | 'cancelled' | 'gone'; runId: string | null } {
  return db.transaction((): { outcome: 'done' | 'cancelled' | 'gone'; runId: string | null } => {
    const job = stmt(db, 'SELECT status, cancel_requested FROM jobs WHERE id = ?').get(id) as { status: JobStatus; cancel_requested: number } | undefined;
    if (!job || job.status !== 'running') return { outcome: 'gone', runId: null };
    if (job.cancel_requested) {
      finishJob(db, id, 'cancelled', null, result);
      return { outcome: 'cancelled', runId: null };
    }
    const runId = insertRun(db, actor, run);
    stmt(db, "UPDATE jobs SET status = 'done', progress = 1, stage = 'done', eta_s = 0, finished_at = ?, result = ? WHERE id = ?")
      .run(now(), JSON.stringify({ ...result, runId }), id);
    return { outcome: 'done', runId };
  }).immediate();
}

/** Marks a running (or waiting) job whose worker is gone as failed, "interrupted"; false when it had moved on. */
export function markInterrupted(db: Db, id: string, expected: { status: JobStatus; heartbeatAt: string | null }): boolean {
  const r = stmt(db, "UPDATE jobs SET status = 'failed', error = 'interrupted', finished_at = ?, stage = 'failed', eta_s = NULL WHERE id = ? AND status = ? AND heartbeat_at IS ?")
    .run(now(), id, expected.status, expected.heartbeatAt);
  return r.changes === 1;
}

export function countRunning(db: Db): number {
  return (stmt(db, "SELECT COUNT(*) AS n FROM jobs WHERE status = 'running'").get() as { n: number }).n;
}
