// `gaitlab perturb` without --quick: the full analysis (§5.1.9) queued as a job of the compute engine. The request
// is checked here (model, composite) so that a bad one is refused in one line with nothing queued; the worker
// stores the result as a method run, which perturbationResult reads back.
import type { ApiResponse } from '../../src-shared/api/schema';
import { jobHostOf, toJobSummary } from '../compute/job-host';
import { newId } from '../store/ids';
import { insertJob, readJob } from '../store/jobs';
import { readRun } from '../store/runs';
import { HORST_PERTURB_JOB } from './analysis-jobs';
import { ApiError } from './api-errors';
import type { ServiceContext } from './context';
import { compositeOf, loadHorstModel } from './horst-service';

export function startPerturbation(ctx: ServiceContext, req: { modelId: string; composite: string; noises?: string[]; orders?: string[]; detach: boolean }): ApiResponse<'startPerturbation'> {
  const model = loadHorstModel(ctx, req.modelId);
  const composite = compositeOf(req.composite);
  const params = { modelId: model.id, composite: composite.name, ...(req.noises ? { noises: req.noises } : {}), ...(req.orders ? { orders: req.orders } : {}) };
  const job = insertJob(ctx.db, { id: newId('J'), method: HORST_PERTURB_JOB, params, seed: model.seed, data: { cohort: model.selection.cohort ?? '', session: model.selection.session ?? null }, actor: ctx.actor });
  jobHostOf(ctx).launch(job.id, req.detach);
  return { job: toJobSummary(readJob(ctx.db, job.id) ?? job) };
}

export function perturbationResult(ctx: ServiceContext, req: { jobId: string }): ApiResponse<'perturbationResult'> {
  const job = readJob(ctx.db, req.jobId);
  if (!job) throw new ApiError('not-found', `no job ${req.jobId}`);
  if (job.method !== HORST_PERTURB_JOB) throw new ApiError('input', `job ${job.id} is a ${job.method} job, not a perturbation`);
  const runId = (job.result as { runId?: string } | null)?.runId;
  if (job.status !== 'done' || !runId) throw new ApiError('input', `job ${job.id} is ${job.status}${job.error ? ` (${job.error})` : ''}: no perturbation result`);
  const run = readRun(ctx.db, runId);
  if (!run) throw new ApiError('not-found', `job ${job.id}: its run ${runId} is gone`);
  return { ...(run.outputs as ApiResponse<'perturbModel'>), runId };
}
