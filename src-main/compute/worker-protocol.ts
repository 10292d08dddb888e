// The messages between a job's host and its worker, the same under child_process.fork (Node) and Electron's
// utilityProcess. The database is the source of truth; messages only make cancelling and ending prompt.
import type { JobStatus } from '../../src-shared/api/jobs';

export type HostToWorker = { type: 'cancel' };
export type WorkerToHost = { type: 'ended'; jobId: string; status: JobStatus };

/** argv of the worker entry: the database and the job. */
export function workerArgs(dbPath: string, jobId: string): string[] {
  return [dbPath, jobId];
}

/** The same in the environment: what a utility process sees of its argv differs between Electron versions. */
export function workerEnv(dbPath: string, jobId: string): Record<string, string> {
  return { GAITLAB_JOB_DB: dbPath, GAITLAB_JOB_ID: jobId };
}

/** The database and job of this worker process, from its environment or, failing that, its argv. */
export function workerTarget(env: NodeJS.ProcessEnv, argv: string[]): { dbPath: string; jobId: string } | null {
  const dbPath = env.GAITLAB_JOB_DB ?? argv[0];
  const jobId = env.GAITLAB_JOB_ID ?? argv[1];
  return dbPath && jobId ? { dbPath, jobId } : null;
}
