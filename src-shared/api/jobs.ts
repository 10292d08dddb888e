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
  /** The method's parameters as given (the model records them with defaults filled in). */
  params: z.record(z.string(), z.unknown()),
  seed: z.number(),
  /** Which data it trains on. */
  /** Which data it trains on; curve models (the hierarchical GP) name the cycle channels. */
  data: z.object({ cohort: z.string(), session: z.string().nullable(), channels: z.array(z.string()).optional() }),
  error: z.string().nullable(),
  modelId: z.string().nullable(),
  /** A cancel was asked for and the worker has not yet stopped. */
  cancelRequested: z.boolean(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  heartbeatAt: z.string().nullable(),
});
export type JobSummary = z.infer<typeof jobSummary>;

export const TERMINAL_JOB_STATUSES: readonly JobStatus[] = ['done', 'failed', 'cancelled'];
export const isTerminalJobStatus = (s: JobStatus) => TERMINAL_JOB_STATUSES.includes(s);

const jobId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'ids are letters, digits and _.:-');
const paramValue = z.union([z.number(), z.string(), z.boolean(), z.null()]);

export const jobLogLine = z.object({ at: z.string(), line: z.string() });

export const methodParamInfo = z.object({
  name: z.string(),
  description: z.string(),
  unit: z.string(),
  type: z.enum(['number', 'choice', 'boolean', 'text']),
  default: paramValue,
  range: z.string(),
});

/** Job methods of the API, merged into `api` in schema.ts. */
export const jobsApi = {
  /** Queues a training job and starts its worker (which waits for a free slot); returns at once. */
  startTraining: {
    request: z.object({
      method: z.string().min(1).max(64),
      params: z.record(z.string().max(64), paramValue).default({}),
      seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
      data: z.object({ cohort: z.string().min(1).max(64), session: z.string().max(64).nullable().default(null), channels: z.array(z.string().min(1).max(128)).min(1).max(8).optional() }).strict(),
      /** The worker outlives the process that started it (`gaitlab train --detach`). */
      detach: z.boolean().default(false),
    }).strict(),
    response: z.object({ job: jobSummary }),
  },
  listJobs: {
    request: z.object({ status: z.array(jobStatus).max(5).optional(), limit: z.number().int().min(1).max(1000).default(100) }).strict(),
    response: z.object({ jobs: z.array(jobSummary) }),
  },
  getJob: {
    request: z.object({ id: jobId }).strict(),
    response: z.object({ job: jobSummary, log: z.array(jobLogLine), result: z.record(z.string(), z.unknown()).nullable() }),
  },
  /** Cancels a queued job at once, a running one at its worker's next check (waits up to a few seconds for it). */
  cancelJob: {
    request: z.object({ id: jobId }).strict(),
    response: z.object({ job: jobSummary }),
  },
  /** Resolves when the job has ended; its progress goes to the caller meanwhile. */
  waitJob: {
    request: z.object({ id: jobId, timeoutS: z.number().positive().max(7 * 24 * 3600).optional() }).strict(),
    response: z.object({ job: jobSummary }),
  },
  /** Methods that can be trained as a job, with their parameters, and the cohorts with labelled trials. */
  listTrainable: {
    request: z.object({}).strict(),
    response: z.object({
      methods: z.array(z.object({ name: z.string(), version: z.string(), description: z.string(), params: z.array(methodParamInfo) })),
      cohorts: z.array(z.object({ cohort: z.string(), trials: z.number() })),
    }),
  },
} as const;
