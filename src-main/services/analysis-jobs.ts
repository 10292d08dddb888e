// Jobs of the compute engine that analyse a stored model instead of training one: they run in a worker process
// like a training job (slot, heartbeat, progress, cancel, crash recovery) and store their result as a method run
// (method_runs), which the job's result names. Today: the full Horst perturbation analysis (§5.1.9), which takes
// minutes (seven noises × two orders × 50 steps × 10 repetitions); `gaitlab perturb --quick` stays in-call.
import { join, resolve } from 'node:path';
import type { ApiResponse } from '../../src-shared/api/schema';
import type { NewRun } from '../store/runs';
import type { Db } from '../store/db';
import { findResourcesDir, type ServiceContext } from './context';
import { EventBus } from './event-bus';
import { perturbModel, type PerturbRequest } from './horst-perturb-service';
import { SAE_METHOD_NAME } from '../methods/sae/params';
import { analyseSaeModel } from './sae-analyses';
import type { SaeModelLike } from './sae-cohort';
import { analyseSincPdModel } from './sincpd-explanation';
import { SINCPD_METHOD } from '../methods/sincpd/seam';

export const HORST_PERTURB_JOB = 'Horst.perturb';
export const HORST_PERTURB_VERSION = '1.0.0';

export interface AnalysisOptions { signal: AbortSignal; onProgress(p: { stage: string; fraction: number }): void }
export interface AnalysisOutcome { run: NewRun; headline: string }
type AnalysisJob = (ctx: ServiceContext, params: Record<string, unknown>, options: AnalysisOptions) => Promise<AnalysisOutcome>;

async function horstPerturbJob(ctx: ServiceContext, params: Record<string, unknown>, options: AnalysisOptions): Promise<AnalysisOutcome> {
  const startedAt = new Date().toISOString();
  const req = { ...(params as Omit<PerturbRequest, 'quick'>), quick: false };
  const res: ApiResponse<'perturbModel'> = await perturbModel(ctx, req, {
    callId: 'job', signal: options.signal,
    progress: (e) => { if (e.total) options.onProgress({ stage: `perturbation: ${e.stage}`, fraction: e.done / e.total }); },
  });
  const p = res.perturbation;
  return {
    run: {
      method: 'Horst perturbation', version: HORST_PERTURB_VERSION, role: 'perturbation', seed: p.seed, trialId: null,
      params: { modelId: req.modelId, composite: p.composite, noises: req.noises ?? null, orders: req.orders ?? null, repetitions: p.setting.repetitions, steps: p.setting.steps },
      // The model's data selection names the trials it read, with their content hashes.
      inputs: { trials: [], modelId: req.modelId },
      outputs: res as unknown as Record<string, unknown>, startedAt, finishedAt: new Date().toISOString(),
    },
    headline: `perturbation of model ${p.modelId}: ${p.curves.length} curves over ${p.trials} test trials`,
  };
}

const analysisJobs = new Map<string, AnalysisJob>([[HORST_PERTURB_JOB, horstPerturbJob]]);

export function findAnalysisJob(name: string): AnalysisJob | null {
  return analysisJobs.get(name) ?? null;
}

/** The service context of a worker process: its own database handle, the job's actor. */
export function workerContext(db: Db, dbPath: string, actor: string): ServiceContext {
  return { db, dbPath: resolve(dbPath), mode: 'cli', actor, resourcesDir: findResourcesDir(), stagingDir: join(resolve(dbPath, '..'), '.gaitlab-staging'), events: new EventBus() };
}

/** Computes what a freshly trained model's analyses are (stored with it by the job): the run to store, not stored. */
type ModelAnalyser = (ctx: ServiceContext, model: SaeModelLike, progress: (p: { stage: string; fraction: number }) => void, signal: AbortSignal) => Promise<NewRun & { inputs: { modelId: string } }>;

const modelAnalysers = new Map<string, ModelAnalyser>([
  [SAE_METHOD_NAME, (ctx, m, progress, signal) => analyseSaeModel(ctx, m, 'training', progress, signal)],
  // SincPD's default explanation (§5.3.6) on the model's held-out walks: what the report and `gaitlab explain` show.
  [SINCPD_METHOD, (ctx, m, progress, signal) => analyseSincPdModel(ctx, m, 'training', progress, signal)],
]);

/** The analyses a training job computes before it stores a model of this method (its name in any case), or null where it has none. */
export function findModelAnalyser(method: string): ModelAnalyser | null {
  return modelAnalysers.get(method) ?? modelAnalysers.get(method.toLowerCase()) ?? null;
}
