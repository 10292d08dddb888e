// Explains trials with a stored Horst model: the inputs are read from the store (never duplicated, §5.1.7: a
// trial's curves, or the gait cycles of a walk for a model of insole cycles, horst-rows.ts), scaled with the
// constants of the run in which each was a test row, and explained by LRP (float64, from the stored weights) for
// its true class. A walk's map under a model of cycles is the mean of its cycles' maps.
import type { ApiResponse } from '../../src-shared/api/schema';
import { attributeBatch, parseComposite, type BatchAttribution, type Composite, type LrpModel } from '../../src-shared/lrp';
import { dropSharedLrpThreads, MIN_SHARED_BATCH, sharedLrpThreads } from '../methods/horst/lrp-pool';
import { lrpModel, modelPlan, SAMPLES } from '../../src-shared/methods/horst/architectures';
import { applyChannelScaling } from '../../src-shared/methods/horst/scaling';
import { unpackTensors } from '../compute/trainable';
import { HORST_NAME } from '../methods/horst';
import { horstTrainable } from '../methods/horst/stored';
import { INSOLE_CHANNELS } from '../compute/insole-cycle-dataset';
import { readModel } from '../store/models';
import { meanMap, meanSd, relevanceCV } from '../../src-shared/methods/horst/relevance-stats';
import { mostRelevantPhases, type CurveSpan } from '../../src-shared/methods/horst/phases';
import { readRelevanceMaps, storeRelevanceMaps, type NewRelevanceMap } from '../store/relevance-maps';
import { throwIfCancelled, type CallContext } from './call-context';
import { version } from './version';
import type { HorstState } from '../methods/horst';
import { ApiError } from './api-errors';
import { explainableTrials, modelRows, type ModelRow } from './horst-rows';
import type { ServiceContext } from './context';

interface HorstSelection {
  cohort?: string;
  session?: string | null;
  kind?: string;
  /** Fold of each input row: trial id, or a gait cycle's row id (trial @ stride start) for a model of cycles. */
  folds?: { byTrial?: Record<string, number> };
  trials?: { id: string; subject: string; label: string }[];
}

export interface LoadedHorstModel {
  id: string;
  seed: number;
  state: HorstState;
  selection: HorstSelection;
  /** A model of insole gait cycles: one input row per cycle, not per trial. */
  cycles: boolean;
  /** What 0–100 % of a curve spans: stance for the clinical GRF curves, the gait cycle for insole cycles. */
  span: CurveSpan;
}

export function loadHorstModel(ctx: ServiceContext, modelId: string): LoadedHorstModel {
  const m = readModel(ctx.db, modelId);
  if (!m) throw new ApiError('not-found', `no model ${modelId}`);
  if (m.method !== HORST_NAME) throw new ApiError('input', `model ${m.id} is a ${m.method} model; explain needs a Horst model`);
  const state = horstTrainable.fromStored({ architecture: m.architecture ?? {}, preprocessing: m.preprocessing ?? {}, tensors: unpackTensors(m.weightsManifest, m.weights ?? Buffer.alloc(0)) }, { train: [], test: [] });
  const selection = (m.dataSelection ?? {}) as HorstSelection;
  const cycles = selection.kind === 'insole gait cycle';
  if (cycles && state.channels.join() !== INSOLE_CHANNELS.join()) throw new ApiError('input', `model ${m.id} of gait cycles has channels ${state.channels.join(', ')}; cycles are cut on ${INSOLE_CHANNELS.join(', ')}`);
  return { id: m.id, seed: m.seed ?? 0, state, selection, cycles, span: cycles ? 'gait_cycle' : 'stance' };
}

/** The data a model was trained on, as every result names it: its cohort (and session). */
export function selectionName(selection: HorstSelection): string {
  return `cohort ${selection.cohort ?? '?'}${selection.session ? `, session ${selection.session}` : ''}`;
}

export function compositeOf(text: string): Composite {
  try {
    return parseComposite(text);
  } catch (e) {
    throw new ApiError('input', (e as Error).message);
  }
}

type Explanation = ApiResponse<'explainTrial'>['explanation'];

/** One input row explained: what is stored (§5.1.7, the map as float32), and the map in float64 for what is computed from it. */
export interface ExplainedRow extends NewRelevanceMap { relevance64: Float64Array }

interface ExplainedTrial { trialId: string; explanation: Explanation }

const rowsOfMap = (flat: Float64Array, C: number) => Array.from({ length: C }, (_, c) => Array.from(flat.subarray(c * SAMPLES, (c + 1) * SAMPLES)));

/** The rows of each run (the run in which they were test rows), runs in order; rows of excluded subjects refused. */
function rowsByRun(model: LoadedHorstModel, rows: readonly ModelRow[]): [number, number[]][] {
  const byRun = new Map<number, number[]>();
  rows.forEach((r, i) => {
    if (r.fold < 0) throw new ApiError('input', `trial ${r.trialId}: its subject was excluded from model ${model.id} (fewer than 3 ${model.cycles ? 'gait cycles' : 'trials'})`);
    const members = byRun.get(r.fold);
    if (members) members.push(i);
    else byRun.set(r.fold, [i]);
  });
  return [...byRun.entries()].sort((a, b) => a[0] - b[0]);
}

/** One run's rows as an LRP batch: the run's network, its scaled inputs [B][D] and the true classes. */
function runBatch(model: LoadedHorstModel, rows: readonly ModelRow[], fold: number, members: number[]): { run: HorstState['runs'][number]; lrp: LrpModel; block: Float64Array; targets: number[] } {
  const { state } = model;
  const C = state.channels.length;
  const D = C * SAMPLES;
  const run = state.runs.find((r) => r.run === fold);
  if (!run) throw new ApiError('input', `model ${model.id} has no run ${fold}, the run in which ${rows[members[0]].rowKey ?? `trial ${rows[members[0]].trialId}`} was a test row`);
  const block = new Float64Array(members.length * D);
  members.forEach((i, b) => block.set(applyChannelScaling(rows[i].x, [0], C, SAMPLES, run.scaling), b * D));
  return { run, lrp: lrpModel(modelPlan(state.kind, C, state.classes.length), run.weights), block, targets: members.map((i) => rows[i].target) };
}

/** Writes one run's attributions into `out` at the rows' places. */
function putExplained(model: LoadedHorstModel, rows: readonly ModelRow[], run: HorstState['runs'][number], members: number[], a: BatchAttribution, out: ExplainedRow[]): void {
  const { state } = model;
  const D = state.channels.length * SAMPLES;
  const K = state.classes.length;
  members.forEach((i, b) => {
    const r = rows[i];
    const logits = a.logits.slice(b * K, (b + 1) * K);
    const predicted = argmax(logits);
    out[i] = {
      trialId: r.trialId, ...(r.rowKey ? { rowKey: r.rowKey } : {}), subjectId: r.subject, run: run.run, target: { index: r.target, label: r.label },
      predicted: { index: predicted, label: state.classes[predicted] }, logits, explainedLogit: a.explainedLogit[b],
      relevance: Float32Array.from(a.relevance.subarray(b * D, (b + 1) * D)), relevance64: a.relevance.slice(b * D, (b + 1) * D), relevanceSum: a.relevanceSum[b], residual: a.residual[b],
    };
  });
}

/**
 * Explains rows of a model, each by the run in which it was a test row, for its true class: the rows of one run
 * go through LRP as one batch (attributeBatch: one pass per layer over the [B, …] block), in this thread.
 */
export function explainRows(model: LoadedHorstModel, rows: readonly ModelRow[], composite: Composite, signal?: AbortSignal, onRun?: (done: number) => void): { rows: ExplainedRow[]; composite: string; lrpSeconds: number } {
  const out: ExplainedRow[] = new Array(rows.length);
  let lrpSeconds = 0;
  let done = 0;
  let compositeName = composite.name;
  for (const [fold, members] of rowsByRun(model, rows)) {
    throwIfCancelled(signal, 'explain');
    const { run, lrp, block, targets } = runBatch(model, rows, fold, members);
    const t0 = performance.now();
    const a = attributeBatch(lrp, block, targets, composite);
    lrpSeconds += (performance.now() - t0) / 1000;
    compositeName = a.composite;
    putExplained(model, rows, run, members, a, out);
    done += members.length;
    onRun?.(done);
  }
  return { rows: out, composite: compositeName, lrpSeconds };
}

/**
 * explainRows with each large run's batch split over the process's LRP threads (lrp-pool.ts): the same numbers,
 * sooner on a machine of several cores. A pool that fails is dropped and the run is explained in this thread.
 */
export async function explainRowsShared(model: LoadedHorstModel, rows: readonly ModelRow[], composite: Composite, signal?: AbortSignal, onRun?: (done: number) => void): Promise<{ rows: ExplainedRow[]; composite: string; lrpSeconds: number; threads: number }> {
  const out: ExplainedRow[] = new Array(rows.length);
  let lrpSeconds = 0;
  let done = 0;
  let compositeName = composite.name;
  let threads = 1;
  for (const [fold, members] of rowsByRun(model, rows)) {
    throwIfCancelled(signal, 'explain');
    const { run, lrp, block, targets } = runBatch(model, rows, fold, members);
    const t0 = performance.now();
    const pool = members.length >= MIN_SHARED_BATCH ? sharedLrpThreads() : null;
    let a: BatchAttribution | null = null;
    if (pool) {
      try {
        a = await pool.attributeBatch(lrp, block, targets, composite.name);
        threads = Math.max(threads, pool.threads);
      } catch {
        dropSharedLrpThreads();
      }
    }
    a ??= attributeBatch(lrp, block, targets, composite);
    lrpSeconds += (performance.now() - t0) / 1000;
    compositeName = a.composite;
    putExplained(model, rows, run, members, a, out);
    done += members.length;
    onRun?.(done);
  }
  return { rows: out, composite: compositeName, lrpSeconds, threads };
}

function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < v.length; k++) if (v[k] > v[best]) best = k;
  return best;
}

/**
 * Explains trials of a model. A trial of a model of trial curves is one row. A trial of a model of gait cycles is
 * explained by its cycles, each by the run in which it was a test row; its map is the mean of its cycles' maps
 * (no normalisation, as §5.1.8 averages), its logits, explained logit, Σ R and residual the means of theirs (so the
 * residual stays logit − Σ R), and its prediction the argmax of the mean logits; `cycles` says how many cycles,
 * from which runs, and how many of them were classified correctly one by one.
 */
export function explainTrials(ctx: ServiceContext, model: LoadedHorstModel, trialIds: readonly string[], composite: Composite, signal?: AbortSignal, onRun?: (done: number) => void): { trials: ExplainedTrial[]; rows: ExplainedRow[]; lrpSeconds: number } {
  const { state, selection } = model;
  const C = state.channels.length;
  const inputs = modelRows(ctx, model, trialIds);
  const explained = explainRows(model, inputs, composite, signal, onRun);
  const byTrial = new Map<string, ExplainedRow[]>();
  for (const r of explained.rows) {
    const list = byTrial.get(r.trialId);
    if (list) list.push(r);
    else byTrial.set(r.trialId, [r]);
  }
  const trials = trialIds.map((trialId): ExplainedTrial => {
    const mine = byTrial.get(trialId)!;
    const first = mine[0];
    const mean = (f: (r: ExplainedRow) => number) => mine.reduce((s, r) => s + f(r), 0) / mine.length;
    const logits = Array.from({ length: state.classes.length }, (_, k) => mean((r) => r.logits[k]));
    const predicted = argmax(logits);
    const relevance = rowsOfMap(meanMap(mine.map((r) => r.relevance64)), C);
    const runs = [...new Set(mine.map((r) => r.run))].sort((a, b) => a - b);
    // The run of most of the trial's cycles (the earliest on a tie); every run is listed under `cycles`.
    const run = runs.reduce((best, r) => (mine.filter((x) => x.run === r).length > mine.filter((x) => x.run === best).length ? r : best), runs[0]);
    return {
      trialId,
      explanation: {
        modelId: model.id, trialId, selection: selectionName(selection), kind: state.kind, task: state.task, run, composite: explained.composite,
        target: first.target, predicted: { index: predicted, label: state.classes[predicted] }, logits, explainedLogit: mean((r) => r.explainedLogit),
        relevanceSum: mean((r) => r.relevanceSum), residual: mean((r) => r.residual), channels: state.channels, samples: SAMPLES, relevance,
        phases: mostRelevantPhases(relevance, state.channels, model.span),
        ...(model.cycles ? { cycles: { n: mine.length, runs, correct: mine.filter((r) => r.predicted.index === r.target.index).length, span: 'gait_cycle' as const, map: 'mean of the cycles\' maps' } } : {}),
      },
    };
  });
  return { trials, rows: explained.rows, lrpSeconds: explained.lrpSeconds };
}

export function explainTrial(ctx: ServiceContext, req: { modelId: string; trialId: string; composite: string }): ApiResponse<'explainTrial'> {
  const model = loadHorstModel(ctx, req.modelId);
  return { explanation: explainTrials(ctx, model, [req.trialId], compositeOf(req.composite)).trials[0].explanation };
}

/**
 * Subject map = mean of the subject's maps, one per input row, each from its test run (§5.1.8): its trials' maps,
 * or for a model of gait cycles all its cycles' maps (each cycle once); with the TP rate and CV over the same
 * maps (§5.1.10).
 */
export function explainSubject(ctx: ServiceContext, req: { modelId: string; subjectId: string; composite: string }): ApiResponse<'explainSubject'> {
  const model = loadHorstModel(ctx, req.modelId);
  const composite = compositeOf(req.composite);
  const tested = new Set(explainableTrials(model).ids);
  const trials = (model.selection.trials ?? []).filter((t) => t.subject === req.subjectId && tested.has(t.id));
  if (trials.length === 0) throw new ApiError('input', `subject ${req.subjectId} has no explained trials in model ${model.id}`);
  const { rows } = explainRows(model, modelRows(ctx, model, trials.map((t) => t.id)).filter((r) => r.fold >= 0), composite);
  const flat = rows.map((r) => r.relevance64);
  const meanRows = rowsOfMap(meanMap(flat), model.state.channels.length);
  return {
    subject: {
      modelId: model.id, subjectId: req.subjectId, selection: selectionName(model.selection), composite: composite.name, trials: trials.map((t) => t.id),
      truePositiveRate: rows.filter((r) => r.predicted.index === r.target.index).length / rows.length,
      cv: relevanceCV(flat), channels: model.state.channels, samples: SAMPLES, relevance: meanRows,
      phases: mostRelevantPhases(meanRows, model.state.channels, model.span),
      ...(model.cycles ? { cycles: rows.length } : {}),
    },
  };
}

/**
 * Batch explain: the map of every trial of the model's data (each from its test run) computed run by run and
 * stored (§5.1.7) in one transaction, replacing earlier maps of the same model, trial and composite.
 */
export async function explainModel(ctx: ServiceContext, req: { modelId: string; composite: string }, call?: CallContext): Promise<ApiResponse<'explainModel'>> {
  const model = loadHorstModel(ctx, req.modelId);
  const composite = compositeOf(req.composite);
  const { ids, excluded } = explainableTrials(model);
  const t0 = performance.now();
  const inputs = modelRows(ctx, model, ids).filter((r) => r.fold >= 0);
  const progress = (done: number) => call?.progress({ kind: 'progress', task: 'explain', stage: 'LRP', done, total: inputs.length });
  progress(0);
  const { rows, lrpSeconds, threads } = await explainRowsShared(model, inputs, composite, call?.signal, progress);
  throwIfCancelled(call?.signal, 'explain');
  const stored = storeRelevanceMaps(ctx.db, {
    modelId: model.id, dataset: selectionName(model.selection), task: model.state.task, modelKind: model.state.kind, runSeed: model.seed,
    composite: composite.name, samples: SAMPLES, channels: model.state.channels, gaitlabVersion: version,
  }, rows);
  const correct = rows.filter((t) => t.predicted.index === t.target.index).length;
  return {
    explained: {
      modelId: model.id, selection: selectionName(model.selection), kind: model.state.kind, task: model.state.task, composite: composite.name,
      maps: stored, excludedTrials: excluded, runs: new Set(rows.map((t) => t.run)).size, testAccuracy: rows.length ? correct / rows.length : 0,
      lrpSeconds, lrpThreads: threads, seconds: (performance.now() - t0) / 1000,
      ...(model.cycles ? { inputs: 'gait cycles' as const, trials: ids.length } : {}),
    },
  };
}

/**
 * Aggregates the stored maps (§5.1.8): per subject or per class, the arithmetic mean of the group's maps (no
 * per-trial normalisation), with its TP rate and relevance CV (§5.1.10), and the CV's mean ± SD over groups.
 */
export function relevanceSummary(ctx: ServiceContext, req: { modelId: string; composite: string; by: 'subject' | 'class' }): ApiResponse<'relevanceSummary'> {
  const model = loadHorstModel(ctx, req.modelId);
  const composite = compositeOf(req.composite);
  const maps = readRelevanceMaps(ctx.db, model.id, composite.name);
  if (maps.length === 0) throw new ApiError('input', `model ${model.id} has no stored relevance maps for composite "${composite.name}"; run gaitlab explain ${model.id} --all first`);
  const groups = new Map<string, typeof maps>();
  for (const m of maps) {
    const key = req.by === 'subject' ? m.subjectId : m.target.label;
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  const C = model.state.channels.length;
  const rows = [...groups.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([key, ms]) => {
    const mean = meanMap(ms.map((m) => m.relevance));
    const meanRows = Array.from({ length: C }, (_, c) => Array.from(mean.subarray(c * SAMPLES, (c + 1) * SAMPLES)));
    return {
      key, trials: [...new Set(ms.map((m) => m.trialId))], truePositiveRate: ms.filter((m) => m.predicted.index === m.target.index).length / ms.length,
      cv: relevanceCV(ms.map((m) => m.relevance)), relevance: meanRows, phases: mostRelevantPhases(meanRows, model.state.channels, model.span),
    };
  });
  return {
    summary: {
      modelId: model.id, selection: maps[0].dataset, kind: model.state.kind, task: model.state.task, composite: composite.name, by: req.by,
      maps: maps.length, channels: model.state.channels, samples: SAMPLES, cv: meanSd(rows.map((r) => r.cv)), groups: rows,
    },
  };
}
