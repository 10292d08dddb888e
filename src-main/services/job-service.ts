// Jobs and models as the API offers them: queue a training job (its worker starts at once and waits for a
// slot), list, inspect, cancel and wait for jobs; list, inspect and delete models.
import { basename } from 'node:path';
import { isTerminalJobStatus } from '../../src-shared/api/jobs';
import type { ApiResponse } from '../../src-shared/api/schema';
import { MethodParamError } from '../../src-shared/methods/params';
import { jobHostOf, toJobSummary } from '../compute/job-host';
import { recoverInterruptedJobs } from '../compute/recovery';
import { findTrainable, trainableNames } from '../compute/trainable';
import { newId } from '../store/ids';
import { insertJob, listJobs as listStoredJobs, readJob, readJobLog, requestCancel, type StoredJob } from '../store/jobs';
import { deleteModel as deleteStoredModel, listModels as listStoredModels, readModel } from '../store/models';
import { cohortsWithGroups, readLabelledTrials } from '../store/training-data';
import { HORST_NAME } from '../methods/horst';
import { ApiError } from './api-errors';
import { prepareHorstData } from './horst-data';
import { throwIfCancelled, type CallContext } from './call-context';
import type { ServiceContext } from './context';
import { saeTrainingData } from './sae-training-data';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function jobOrThrow(ctx: ServiceContext, id: string): StoredJob {
  const job = readJob(ctx.db, id);
  if (!job) throw new ApiError('not-found', `no job ${id}`);
  return job;
}

export function startTraining(ctx: ServiceContext, req: { method: string; params: Record<string, string | number | boolean | null>; seed: number; data: { cohort: string; session: string | null; channels?: string[] }; detach: boolean }): ApiResponse<'startTraining'> {
  const trainable = findTrainable(req.method);
  if (!trainable) throw new ApiError('input', `unknown method "${req.method}" (trainable: ${trainableNames().join(', ')})`);
  const method = trainable.method;
  if (trainable.dataKind === 'cycles' && !req.data.channels?.length) throw new ApiError('input', `${method.name} trains on gait cycles of named channels: use fitGp (gaitlab fit-gp --signal …)`);
  try {
    method.params.parse(req.params);
  } catch (e) {
    if (e instanceof MethodParamError) throw new ApiError('input', e.message);
    throw e;
  }
  if (readLabelledTrials(ctx.db, req.data.cohort, req.data.session).length === 0) {
    throw new ApiError('input', `${basename(ctx.dbPath)}: field cohort: no trials of cohort "${req.data.cohort}"${req.data.session ? ` in session "${req.data.session}"` : ''} with a subject group; import the data first`);
  }
  let data = req.data;
  if (trainable.dataKind === 'trials-or-side-cycles') {
    const { extracted: _extracted, ...chosen } = saeTrainingData(ctx, req.data);
    data = chosen;
  }
  if (method.name === HORST_NAME) prepareHorstData(ctx, req.data, String(req.params.task ?? 'subject'));
  const job = insertJob(ctx.db, { id: newId('J'), method: method.name, params: req.params, seed: req.seed, data, actor: ctx.actor });
  jobHostOf(ctx).launch(job.id, req.detach);
  return { job: toJobSummary(readJob(ctx.db, job.id) ?? job) };
}

/** A read: crash recovery ran when the store was opened, and the host's watcher repeats it while the app runs. */
export function listJobs(ctx: ServiceContext, req: { status?: StoredJob['status'][]; limit: number }): ApiResponse<'listJobs'> {
  jobHostOf(ctx).watch();
  return { jobs: listStoredJobs(ctx.db, req).map(toJobSummary) };
}

export function getJob(ctx: ServiceContext, id: string): ApiResponse<'getJob'> {
  const job = jobOrThrow(ctx, id);
  return { job: toJobSummary(job), log: readJobLog(ctx.db, { jobId: id }).map((l) => ({ at: l.at, line: l.line })), result: job.result };
}

/** Cancels; waits up to `graceMs` for a running job's worker to acknowledge (it checks every epoch and second). */
export async function cancelJob(ctx: ServiceContext, id: string, graceMs = 10_000): Promise<ApiResponse<'cancelJob'>> {
  jobOrThrow(ctx, id);
  requestCancel(ctx.db, id);
  jobHostOf(ctx).cancel(id);
  const until = Date.now() + graceMs;
  for (;;) {
    const job = jobOrThrow(ctx, id);
    if (isTerminalJobStatus(job.status) || Date.now() > until) return { job: toJobSummary(job) };
    recoverInterruptedJobs(ctx.db);
    await sleep(100);
  }
}

export async function waitJob(ctx: ServiceContext, req: { id: string; timeoutS?: number }, call: CallContext): Promise<ApiResponse<'waitJob'>> {
  const until = req.timeoutS === undefined ? Infinity : Date.now() + req.timeoutS * 1000;
  let lastCheck = 0;
  for (;;) {
    throwIfCancelled(call.signal, `waiting for job ${req.id}`);
    // A worker that died while we wait is found here too, not only at the next start.
    if (!ctx.db.readonly && Date.now() - lastCheck > 1000) {
      recoverInterruptedJobs(ctx.db);
      lastCheck = Date.now();
    }
    const job = jobOrThrow(ctx, req.id);
    call.progress({ kind: 'progress', task: `job ${job.id}`, stage: job.stage ?? job.status, done: Math.round(job.progress * 1000), total: 1000, detail: job.etaS !== null ? `ETA ${Math.round(job.etaS)} s` : undefined });
    if (isTerminalJobStatus(job.status)) return { job: toJobSummary(job) };
    if (Date.now() > until) throw new ApiError('conflict', `job ${req.id} is still ${job.status} after ${req.timeoutS} s`);
    await sleep(200);
  }
}

/** Methods the generic train form can start: those trained on trials (curve models such as the GP are fitted with fitGp, which names their cycle channels). */
export function listTrainable(ctx: ServiceContext): ApiResponse<'listTrainable'> {
  const methods = trainableNames().filter((name) => findTrainable(name)!.dataKind !== 'cycles').map((name) => {
    const m = findTrainable(name)!.method;
    return {
      name: m.name, version: m.version, description: m.description,
      params: m.params.names.map((p) => {
        const spec = m.params.specs[p];
        return { name: p, description: spec.description, unit: spec.type === 'number' ? spec.unit : '', type: spec.type, default: spec.default, range: m.params.rangeText(p) };
      }),
    };
  });
  return { methods, cohorts: cohortsWithGroups(ctx.db) };
}

export function listModels(ctx: ServiceContext): ApiResponse<'listModels'> {
  return { models: listStoredModels(ctx.db) };
}

export function getModel(ctx: ServiceContext, id: string): ApiResponse<'getModel'> {
  const m = readModel(ctx.db, id);
  if (!m) throw new ApiError('not-found', `no model ${id}`);
  const { weights: _bytes, weightsManifest, ...rest } = m;
  return { model: { ...rest, weights: weightsManifest.map((w) => ({ name: w.name, shape: w.shape, dtype: w.dtype })) } };
}

export function deleteModel(ctx: ServiceContext, id: string): ApiResponse<'deleteModel'> {
  if (!deleteStoredModel(ctx.db, ctx.actor, id)) throw new ApiError('not-found', `no model ${id}`);
  return { deleted: id };
}
