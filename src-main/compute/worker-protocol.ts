// The messages between a job's host and its worker, the same under child_process.fork (Node) and Electron's
// utilityProcess. The database is the source of truth; messages only make cancelling and ending prompt.
import type { JobStatus } from '../../src-shared/api/jobs';

export type HostToWorker = { type: 'cancel' };
export type WorkerToHost = { type: 'ended'; jobId: string; status: JobStatus };

/** argv of the worker entry: the database and the job. */
export function workerArgs(dbPath: string, jobId: string): string[] {
  return [dbPath, jobId];
}
