// Crash recovery, run on every writable open of a database: a job left `running` (or waiting for a slot) by a
// worker that is gone becomes `failed` with the reason "interrupted", so nothing stays running for ever.
// A worker is gone when its heartbeat is stale, or, on the machine that ran it, when its process no longer exists.
import { hostname } from 'node:os';
import { processExists } from '../process-exists';
import type { Db } from '../store/db';
import { activeJobs, markInterrupted, type StoredJob } from '../store/jobs';
import { STALE_HEARTBEAT_S } from './limits';


export function workerIsGone(job: StoredJob, nowMs = Date.now(), host = hostname()): boolean {
  const localDead = job.workerPid !== null && job.workerHost === host && !processExists(job.workerPid);
  if (job.status === 'queued') return localDead;
  if (job.status !== 'running') return false;
  const beat = job.heartbeatAt ? Date.parse(job.heartbeatAt) : Date.parse(job.startedAt ?? job.createdAt);
  return localDead || nowMs - beat > STALE_HEARTBEAT_S * 1000;
}

/** Returns the ids of the jobs it marked as interrupted. */
export function recoverInterruptedJobs(db: Db): string[] {
  const marked: string[] = [];
  for (const job of activeJobs(db)) {
    if (workerIsGone(job) && markInterrupted(db, job.id, { status: job.status, heartbeatAt: job.heartbeatAt })) marked.push(job.id);
  }
  return marked;
}
