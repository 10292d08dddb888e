import { availableParallelism } from 'node:os';

/** Seconds without a heartbeat after which a running job's worker is taken for dead (it beats every second). */
export const STALE_HEARTBEAT_S = 15;
export const HEARTBEAT_INTERVAL_MS = 1000;

/**
 * How many CPU-heavy jobs may run at once, over every process on this database: GAITLAB_MAX_JOBS, else one per
 * two cores (training saturates a core and the app must stay responsive).
 */
export function maxConcurrentJobs(env: NodeJS.ProcessEnv = process.env): number {
  const configured = env.GAITLAB_MAX_JOBS;
  if (configured !== undefined && /^\d+$/.test(configured) && Number(configured) >= 1) return Number(configured);
  return Math.max(1, Math.floor(availableParallelism() / 2));
}
