// The words and numbers a job row shows, and the job list's order as events arrive (pure, for tests).
import type { JobSummary } from '../../src-shared/api/jobs';

/** The list with `job` put in its place (or in front when new), newest first. */
export function mergeJob(jobs: readonly JobSummary[], job: JobSummary): JobSummary[] {
  const rest = jobs.filter((j) => j.id !== job.id);
  return [job, ...rest].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1));
}

export const isActiveJob = (j: JobSummary): boolean => j.status === 'queued' || j.status === 'running';

/** "ETA 1 min 05 s", "ETA 12 s", or '' when unknown or not running. */
export function formatEta(job: JobSummary): string {
  if (job.status !== 'running' || job.etaS === null) return '';
  const s = Math.max(0, Math.round(job.etaS));
  return s >= 60 ? `ETA ${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s` : `ETA ${s} s`;
}

export function jobStatusText(job: JobSummary): string {
  if (job.status === 'failed') return `failed: ${job.error ?? 'unknown error'}`;
  if (job.cancelRequested) return `${job.status}, cancelling`;
  return job.status;
}
