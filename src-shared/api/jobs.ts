// Jobs: long work (training, fitting, reports) run in worker processes, persisted in the store.
import { z } from 'zod';

export const jobStatus = z.enum(['queued', 'running', 'done', 'failed', 'cancelled']);
export type JobStatus = z.infer<typeof jobStatus>;

/** A job as every face shows it: state, progress (0–1), the stage it is in and its ETA. */
export const jobSummary = z.object({
  id: z.string(),
  method: z.string(),
  status: jobStatus,
  progress: z.number(),
  stage: z.string().nullable(),
  etaS: z.number().nullable(),
  params: z.record(z.string(), z.unknown()),
  error: z.string().nullable(),
  modelId: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  heartbeatAt: z.string().nullable(),
});
export type JobSummary = z.infer<typeof jobSummary>;
