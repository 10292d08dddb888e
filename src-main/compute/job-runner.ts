// One job, run inside its worker process: wait for a slot, then load the data, fit the method and store the
// model with the job's `done` in one transaction. Heartbeat, progress, stage and ETA go to the job row every
// second; the cancel flag (set by any process) and the host's 'cancel' message abort the fit at its next
// epoch, and the job ends `cancelled` with nothing stored.
import { hostname } from 'node:os';
import { basename } from 'node:path';
import type { JobStatus } from '../../src-shared/api/jobs';
import type { Db } from '../store/db';
import { appendJobLog, claimJob, completeJobWithModel, completeJobWithRun, finishJob, heartbeatJob, readJob, recordWorker, requestCancel } from '../store/jobs';
import { newId } from '../store/ids';
import { version } from '../services/version';
import { findAnalysisJob, findModelAnalyser, workerContext } from '../services/analysis-jobs';
import type { NewModel } from '../store/models';
import type { NewRun } from '../store/runs';
import type { CurveDataset } from '../methods/logreg/state';
import { loadJobData } from './job-data';
import { recoverInterruptedJobs } from './recovery';
import { HEARTBEAT_INTERVAL_MS, maxConcurrentJobs } from './limits';
import { backendRecord, initTfjsBackend } from './tfjs/backend';
import { withTensorScope, type TensorScopeReport } from './tfjs/tensor-scope';
import { findTrainable, packTensors } from './trainable';

/** Where a job's progress stands when the fit ends and the model's analyses begin (methods that have them). */
const ANALYSES_FROM = 0.9;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

class Cancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

export interface RunOptions {
  /** Aborted when the host sends 'cancel'. */
  hostCancel: AbortSignal;
  limit?: number;
  pollMs?: number;
}

export async function runJob(db: Db, dbPath: string, jobId: string, opts: RunOptions): Promise<JobStatus> {
  const me = { pid: process.pid, host: hostname() };
  recordWorker(db, jobId, me.pid, me.host);
  const limit = opts.limit ?? maxConcurrentJobs();
  // Wait for a free slot; a cancel while waiting ends the job as cancelled at once. A slot held by a dead
  // worker is freed by crash recovery, which the waiting worker runs too (nobody else may be looking).
  for (let polls = 0; ; polls++) {
    if (opts.hostCancel.aborted) requestCancel(db, jobId);
    if (polls % 8 === 7) recoverInterruptedJobs(db);
    const claim = claimJob(db, jobId, limit, me);
    if (claim === 'claimed') break;
    if (claim === 'gone') return readJob(db, jobId)?.status ?? 'failed';
    await sleep(opts.pollMs ?? 250);
  }
  const log = (line: string) => appendJobLog(db, jobId, line);
  const job = readJob(db, jobId)!;
  const spec = { params: job.params, seed: job.seed, data: job.data };
  const abort = new AbortController();
  const cancel = () => abort.abort(new Cancelled());
  opts.hostCancel.addEventListener('abort', cancel);
  let progress = { fraction: 0, stage: 'starting' };
  let fitStartMs = 0;
  let lastLogged = -1;
  let lastBeatMs = 0;
  const beat = () => {
    if (!db.open) return;
    lastBeatMs = Date.now();
    const elapsedS = fitStartMs ? (Date.now() - fitStartMs) / 1000 : 0;
    const etaS = fitStartMs && progress.fraction > 0 ? Math.max(0, (elapsedS * (1 - progress.fraction)) / progress.fraction) : null;
    if (heartbeatJob(db, jobId, { progress: progress.fraction, stage: progress.stage, etaS }).cancelRequested) cancel();
  };
  const timer = setInterval(beat, HEARTBEAT_INTERVAL_MS);
  let tensors: TensorScopeReport | null = null;
  const tensorCounts = () => (tensors ? { tensorsBefore: tensors.tensorsBefore, tensorsAfter: tensors.tensorsAfter } : {});
  const onProgress = (p: { stage: string; fraction: number }) => {
    progress = p;
    // A fit that computes without yielding (the linear SVM's coordinate descent, one class at a time) leaves
    // the heartbeat timer no turn: its progress reports beat instead, so the job is not taken for dead.
    if (Date.now() - lastBeatMs >= HEARTBEAT_INTERVAL_MS) beat();
    const tenth = Math.floor(p.fraction * 10);
    if (tenth !== lastLogged) {
      lastLogged = tenth;
      log(p.stage);
    }
  };
  try {
    const analysis = findAnalysisJob(job.method);
    if (analysis) {
      // An analysis of a stored model: its result is a method run, stored with the job's `done` in one transaction.
      log(`worker ${me.pid} on ${me.host}: ${job.method} ${JSON.stringify(spec.params)}`);
      fitStartMs = Date.now();
      const out = await analysis(workerContext(db, dbPath, job.actor ?? 'unknown'), spec.params, { signal: abort.signal, onProgress });
      if (abort.signal.aborted) throw new Cancelled();
      const seconds = (Date.now() - fitStartMs) / 1000;
      progress = { fraction: 1, stage: 'storing the result' };
      const { outcome, runId } = completeJobWithRun(db, jobId, out.run, job.actor ?? 'unknown', { seconds });
      if (outcome === 'done') log(`run ${runId} in ${seconds.toFixed(1)} s: ${out.headline}`);
      else log(`ended ${outcome} before the result was stored; nothing was kept`);
      return readJob(db, jobId)?.status ?? 'failed';
    }
    const trainable = findTrainable(job.method);
    if (!trainable) throw new Error(`"${job.method}" cannot be trained as a job`);
    progress = { fraction: 0, stage: 'loading data' };
    beat();
    log(`worker ${me.pid} on ${me.host}: ${job.method} seed ${spec.seed}, data cohort ${spec.data.cohort}${spec.data.session ? ` session ${spec.data.session}` : ''}`);
    // A method's own loader (SincPD: whole walks; Horst: curves or insole gait cycles) or the rows its dataKind names
    // (compute/job-data.ts). Rows are trials unless the loader names them (one row per gait cycle: trial @ start).
    const loaded: { data: unknown; selection: { trials: { id: string }[] }; rowIds?: string[]; rowTrialIds?: string[]; describe?: string } =
      trainable.loadData ? trainable.loadData(db, spec.data, basename(dbPath)) : loadJobData(db, trainable.dataKind, spec.data, basename(dbPath));
    const { data, selection } = loaded;
    const rowIds = loaded.rowIds ?? loaded.rowTrialIds ?? selection.trials.map((t) => t.id);
    const leftOut = 'leftOut' in selection ? (selection as { leftOut?: { subject: string; reason: string }[] }).leftOut ?? [] : [];
    if (leftOut.length) log(`left out: ${leftOut.map((l) => `${l.subject} (${l.reason})`).join('; ')}`);
    const d = data as CurveDataset;
    log(`data: ${loaded.describe ?? `${d.rows} ${loaded.rowIds ? `gait cycles of ${selection.trials.length} trials` : trainable.dataKind === 'trials' ? 'trials' : 'rows'} × ${d.features} features (${d.channels.length} channels × ${d.points} points), classes ${[...new Set(d.labels)].sort().join(', ')}`}`);
    const choice = await initTfjsBackend();
    const runtime = backendRecord();
    log(`tfjs ${runtime.tfjsVersion} on ${choice.tier} (${choice.tiers.map((t) => `${t.tier}: ${t.detail}`).join('; ')})`);
    if (abort.signal.aborted) throw new Cancelled();
    // A method whose analyses are stored with the model (the SAE dictionary's) computes them after the fit, as the
    // job's last phase: the fit's progress runs to ANALYSES_FROM, the analyses' the rest.
    const analyser = findModelAnalyser(job.method);
    const fitShare = analyser ? ANALYSES_FROM : 1;
    fitStartMs = Date.now();
    // The worker's tensor count before and after the fit, recorded with the job (a leak is logged, not fatal).
    const fitted = await withTensorScope(`job ${jobId}`, () => trainable.fit(data, spec.params, {
      seed: spec.seed,
      signal: abort.signal,
      onProgress: (p) => onProgress({ stage: p.stage, fraction: p.fraction * fitShare }),
    }), { onReport: (r) => { tensors = r; } });
    const fitSeconds = (Date.now() - fitStartMs) / 1000;
    log(`fit done in ${fitSeconds.toFixed(2)} s; ${tensors!.tensorsAfter} tensors after (${tensors!.tensorsBefore} before)`);
    const stored = fitted.stored;
    const { manifest, bytes } = packTensors(stored.tensors);
    const modelId = newId('M');
    const result = { ...tensorCounts(), backend: runtime.backend, runtime, fitSeconds };
    // JSON as the store will hold it, so that analyses computed now equal those of the model read back.
    const asStored = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
    const model: NewModel = {
      id: modelId, method: fitted.method, methodVersion: fitted.version, name: `${fitted.method} on ${spec.data.cohort}`, jobId,
      params: fitted.params as unknown as Record<string, unknown>, architecture: asStored({ ...stored.architecture, runtime }), weightsManifest: manifest, weights: bytes,
      dataSelection: asStored({ ...selection, ...fitted.selectionExtras(rowIds) }),
      preprocessing: asStored(stored.preprocessing), seed: fitted.seed, backend: runtime.backend, metrics: fitted.summary, gaitlabVersion: version, actor: job.actor ?? 'unknown',
    };
    let analyses: (NewRun & { inputs: { modelId: string } }) | null = null;
    if (analyser) {
      progress = { fraction: ANALYSES_FROM, stage: 'analyses: starting' };
      beat();
      const startMs = Date.now();
      try {
        let lastStage = '';
        analyses = await analyser(workerContext(db, dbPath, job.actor ?? 'unknown'), model, (p) => {
          onProgress({ stage: `analyses: ${p.stage}`, fraction: ANALYSES_FROM + (1 - ANALYSES_FROM) * p.fraction });
          // Each step in the log (the progress logs tenths, and all of these lie in the last tenth).
          if (p.stage !== lastStage) log(`analyses: ${(lastStage = p.stage)}`);
        }, abort.signal);
        log(`analyses computed in ${((Date.now() - startMs) / 1000).toFixed(2)} s on data version ${String(analyses.inputs.dataVersion)}`);
      } catch (e) {
        if (e instanceof Cancelled || abort.signal.aborted) throw e;
        // The model is worth keeping without them: a model without stored analyses computes them when first read.
        log(`analyses failed (${(e as Error).message.split('\n')[0]}); they will be computed when the model is first read`);
      }
      if (abort.signal.aborted) throw new Cancelled();
    }
    progress = { fraction: 1, stage: 'storing the model' };
    const outcome = completeJobWithModel(db, jobId, model, result, analyses);
    if (outcome === 'done') log(`model ${modelId}: ${fitted.headline}`);
    else log(`ended ${outcome} before the model was stored; nothing was kept`);
    return readJob(db, jobId)?.status ?? 'failed';
  } catch (e) {
    const cancelled = e instanceof Cancelled || abort.signal.aborted;
    const result = tensorCounts();
    if (cancelled) {
      log(`cancelled at ${(progress.fraction * 100).toFixed(0)} % (${progress.stage}); nothing was stored`);
      finishJob(db, jobId, 'cancelled', null, result);
    } else {
      const message = (e as Error).message.split('\n')[0];
      log(`failed: ${message}`);
      finishJob(db, jobId, 'failed', message, result);
    }
    return readJob(db, jobId)?.status ?? 'failed';
  } finally {
    clearInterval(timer);
    opts.hostCancel.removeEventListener('abort', cancel);
  }
}
