// One LRP thread pool per process, started by the first batch large enough to share: explaining every trial of a
// model (`gaitlab explain <model> --all`) splits each run's batch over the machine's cores (LrpThreads), which gives
// every sample the very numbers one thread gives it. GAITLAB_LRP_THREADS sets the number of threads (1: none
// started). A pool that fails (a worker that cannot start, e.g. where an app package hides its file) is dropped
// and LRP goes on in the calling thread.
import { availableParallelism } from 'node:os';
import { LrpThreads } from './lrp-threads';

/** Below this many rows a batch stays in the calling thread: handing it over would cost more than it saves. */
export const MIN_SHARED_BATCH = 64;

let pool: LrpThreads | null | undefined;

function threadsWanted(): number {
  const env = Number(process.env.GAITLAB_LRP_THREADS);
  if (Number.isInteger(env) && env >= 1) return Math.min(env, 16);
  return Math.max(1, Math.min(8, availableParallelism()));
}

/** The process's pool, or null where one thread is all there is (or wanted). */
export function sharedLrpThreads(): LrpThreads | null {
  if (pool === undefined) {
    const threads = threadsWanted();
    pool = threads > 1 ? new LrpThreads(threads) : null;
  }
  return pool;
}

/** After a failure of the pool: closed, and one thread from then on in this process. */
export function dropSharedLrpThreads(): void {
  const old = pool;
  pool = null;
  old?.close().catch(() => {});
}
