// Explains one trial with a stored Horst model: the trial's curves are read from the store (inputs are never
// duplicated, §5.1.7), scaled with the constants of the run in which the trial was a test trial, and explained
// by LRP (float64, from the stored weights) for its true class.
import type { ApiResponse } from '../../src-shared/api/schema';
import { attributeBatch, parseComposite, type Composite } from '../../src-shared/lrp';
import { lrpModel, modelPlan, SAMPLES } from '../../src-shared/methods/horst/architectures';
import { applyChannelScaling } from '../../src-shared/methods/horst/scaling';
import { unpackTensors } from '../compute/trainable';
import { HORST_NAME } from '../methods/horst';
import { horstTrainable } from '../methods/horst/stored';
import { readModel } from '../store/models';
import { readSignals } from '../store/queries';
import { decodeSamples } from '../store/sample-codec';
import { meanMap, meanSd, relevanceCV } from '../../src-shared/methods/horst/relevance-stats';
import { mostRelevantPhases, type CurveSpan } from '../../src-shared/methods/horst/phases';
import { readRelevanceMaps, storeRelevanceMaps, type NewRelevanceMap } from '../store/relevance-maps';
import { throwIfCancelled, type CallContext } from './call-context';
import { version } from './version';
import type { HorstState } from '../methods/horst';
import { ApiError } from './api-errors';
import type { ServiceContext } from './context';

interface HorstSelection {
  cohort?: string;
  session?: string | null;
  folds?: { byTrial?: Record<string, number> };
  trials?: { id: string; subject: string; label: string }[];
}

export interface LoadedHorstModel {
  id: string;
  seed: number;
  state: HorstState;
  selection: HorstSelection;
}

export function loadHorstModel(ctx: ServiceContext, modelId: string): LoadedHorstModel {
  const m = readModel(ctx.db, modelId);
  if (!m) throw new ApiError('not-found', `no model ${modelId}`);
  if (m.method !== HORST_NAME) throw new ApiError('input', `model ${m.id} is a ${m.method} model; explain needs a Horst model`);
  // A model of insole gait cycles has one row per cycle, not per trial: its maps would need the cycles re-cut.
  if ((m.dataSelection as { kind?: string } | null)?.kind === 'insole gait cycle') {
    throw new ApiError('input', `model ${m.id} was trained on insole gait cycles (one row per cycle); relevance maps and perturbation work on models of trial curves so far`);
  }
  const state = horstTrainable.fromStored({ architecture: m.architecture ?? {}, preprocessing: m.preprocessing ?? {}, tensors: unpackTensors(m.weightsManifest, m.weights ?? Buffer.alloc(0)) }, { train: [], test: [] });
  return { id: m.id, seed: m.seed ?? 0, state, selection: (m.dataSelection ?? {}) as HorstSelection };
}

// Horst models are trained on the clinical GRF set's curves over 0–100 % of stance, the only curve data path
// so far; gait-cycle curves (gaitpdb insoles, issue 14 item 4) will name their span.
const curveSpan: CurveSpan = 'stance';

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

interface ExplainedTrial extends NewRelevanceMap { explanation: Explanation }

/** The trial's curves in the model's channel order, unscaled (channel-major, §5.1.2). */
export function trialCurves(ctx: ServiceContext, model: LoadedHorstModel, trialId: string): Float32Array {
  const signals = readSignals(ctx.db, trialId);
  const C = model.state.channels.length;
  const x = new Float32Array(C * SAMPLES);
  model.state.channels.forEach((name, c) => {
    const s = signals.find((g) => g.channel === name);
    if (!s) throw new ApiError('input', `trial ${trialId} has no channel "${name}", which model ${model.id} needs`);
    if (s.samples !== SAMPLES) throw new ApiError('input', `trial ${trialId} channel "${name}" has ${s.samples} samples, model ${model.id} needs ${SAMPLES}`);
    x.set(decodeSamples(s.data, s.encoding, s.samples), c * SAMPLES);
  });
  return x;
}

/**
 * Explains trials of a model, each by the run in which it was a test trial, for its true class: the trials of
 * one run go through LRP as one batch (attributeBatch: one pass per layer over the [B, …] block).
 */
export function explainTrials(ctx: ServiceContext, model: LoadedHorstModel, trialIds: readonly string[], composite: Composite, signal?: AbortSignal, onRun?: (done: number) => void): { trials: ExplainedTrial[]; lrpSeconds: number } {
  const { state, selection } = model;
  const C = state.channels.length;
  const D = C * SAMPLES;
  const byRun = new Map<number, { trialId: string; subject: string; label: string; target: number }[]>();
  for (const trialId of trialIds) {
    const fold = selection.folds?.byTrial?.[trialId];
    const trial = selection.trials?.find((t) => t.id === trialId);
    if (fold === undefined || !trial) throw new ApiError('input', `trial ${trialId} is not in the data of model ${model.id}`);
    if (fold < 0) throw new ApiError('input', `trial ${trialId}: its subject was excluded from model ${model.id} (fewer than 3 trials)`);
    const label = state.task === 'subject' ? trial.subject : trial.label;
    const target = state.classes.indexOf(label);
    if (target < 0) throw new ApiError('input', `trial ${trialId}: class "${label}" is not one of model ${model.id}'s classes`);
    byRun.set(fold, [...(byRun.get(fold) ?? []), { trialId, subject: trial.subject, label, target }]);
  }
  const out = new Map<string, ExplainedTrial>();
  let lrpSeconds = 0;
  let done = 0;
  for (const [fold, trials] of [...byRun.entries()].sort((a, b) => a[0] - b[0])) {
    throwIfCancelled(signal, 'explain');
    const run = state.runs.find((r) => r.run === fold);
    if (!run) throw new ApiError('input', `model ${model.id} has no run ${fold}, the run in which trial ${trials[0].trialId} was a test trial`);
    const block = new Float64Array(trials.length * D);
    trials.forEach((t, b) => block.set(applyChannelScaling(trialCurves(ctx, model, t.trialId), [0], C, SAMPLES, run.scaling), b * D));
    const t0 = performance.now();
    const a = attributeBatch(lrpModel(modelPlan(state.kind, C, state.classes.length), run.weights), block, trials.map((t) => t.target), composite);
    lrpSeconds += (performance.now() - t0) / 1000;
    const K = state.classes.length;
    trials.forEach((t, b) => {
      const logits = a.logits.slice(b * K, (b + 1) * K);
      let predicted = 0;
      for (let k = 1; k < K; k++) if (logits[k] > logits[predicted]) predicted = k;
      const relevance = a.relevance.subarray(b * D, (b + 1) * D);
      const target = { index: t.target, label: t.label };
      const pred = { index: predicted, label: state.classes[predicted] };
      const rows = state.channels.map((_, c) => Array.from(relevance.subarray(c * SAMPLES, (c + 1) * SAMPLES)));
      out.set(t.trialId, {
        trialId: t.trialId, subjectId: t.subject, run: run.run, target, predicted: pred, logits, explainedLogit: a.explainedLogit[b],
        relevance: Float32Array.from(relevance), relevanceSum: a.relevanceSum[b], residual: a.residual[b],
        explanation: {
          modelId: model.id, trialId: t.trialId, selection: selectionName(selection), kind: state.kind, task: state.task, run: run.run, composite: a.composite,
          target, predicted: pred, logits: Array.from(logits), explainedLogit: a.explainedLogit[b], relevanceSum: a.relevanceSum[b], residual: a.residual[b],
          channels: state.channels, samples: SAMPLES, relevance: rows, phases: mostRelevantPhases(rows, state.channels, curveSpan),
        },
      });
    });
    done += trials.length;
    onRun?.(done);
  }
  return { trials: trialIds.map((id) => out.get(id)!), lrpSeconds };
}

export function explainTrial(ctx: ServiceContext, req: { modelId: string; trialId: string; composite: string }): ApiResponse<'explainTrial'> {
  const model = loadHorstModel(ctx, req.modelId);
  return { explanation: explainTrials(ctx, model, [req.trialId], compositeOf(req.composite)).trials[0].explanation };
}

/** Subject map = mean of the subject's trial maps (each from its test run), with the TP rate and CV (§5.1.8, §5.1.10). */
export function explainSubject(ctx: ServiceContext, req: { modelId: string; subjectId: string; composite: string }): ApiResponse<'explainSubject'> {
  const model = loadHorstModel(ctx, req.modelId);
  const composite = compositeOf(req.composite);
  const trials = (model.selection.trials ?? []).filter((t) => t.subject === req.subjectId && (model.selection.folds?.byTrial?.[t.id] ?? -1) >= 0);
  if (trials.length === 0) throw new ApiError('input', `subject ${req.subjectId} has no explained trials in model ${model.id}`);
  const maps = explainTrials(ctx, model, trials.map((t) => t.id), composite).trials.map((t) => t.explanation);
  const flat = maps.map((e) => Float64Array.from(e.relevance.flat()));
  const mean = meanMap(flat);
  const C = model.state.channels.length;
  const meanRows = Array.from({ length: C }, (_, c) => Array.from(mean.subarray(c * SAMPLES, (c + 1) * SAMPLES)));
  return {
    subject: {
      modelId: model.id, subjectId: req.subjectId, selection: selectionName(model.selection), composite: composite.name, trials: maps.map((e) => e.trialId),
      truePositiveRate: maps.filter((e) => e.predicted.index === e.target.index).length / maps.length,
      cv: relevanceCV(flat), channels: model.state.channels, samples: SAMPLES, relevance: meanRows,
      phases: mostRelevantPhases(meanRows, model.state.channels, curveSpan),
    },
  };
}

/**
 * Batch explain: the map of every trial of the model's data (each from its test run) computed run by run and
 * stored (§5.1.7) in one transaction, replacing earlier maps of the same model, trial and composite.
 */
export function explainModel(ctx: ServiceContext, req: { modelId: string; composite: string }, call?: CallContext): ApiResponse<'explainModel'> {
  const model = loadHorstModel(ctx, req.modelId);
  const composite = compositeOf(req.composite);
  const byTrial = model.selection.folds?.byTrial ?? {};
  const ids = (model.selection.trials ?? []).map((t) => t.id).filter((id) => (byTrial[id] ?? -1) >= 0);
  const excluded = (model.selection.trials ?? []).length - ids.length;
  const t0 = performance.now();
  const progress = (done: number) => call?.progress({ kind: 'progress', task: 'explain', stage: 'LRP', done, total: ids.length });
  progress(0);
  const { trials, lrpSeconds } = explainTrials(ctx, model, ids, composite, call?.signal, progress);
  throwIfCancelled(call?.signal, 'explain');
  const stored = storeRelevanceMaps(ctx.db, {
    modelId: model.id, dataset: selectionName(model.selection), task: model.state.task, modelKind: model.state.kind, runSeed: model.seed,
    composite: composite.name, samples: SAMPLES, channels: model.state.channels, gaitlabVersion: version,
  }, trials);
  const correct = trials.filter((t) => t.predicted.index === t.target.index).length;
  return {
    explained: {
      modelId: model.id, selection: selectionName(model.selection), kind: model.state.kind, task: model.state.task, composite: composite.name,
      maps: stored, excludedTrials: excluded, runs: new Set(trials.map((t) => t.run)).size, testAccuracy: trials.length ? correct / trials.length : 0,
      lrpSeconds, seconds: (performance.now() - t0) / 1000,
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
      key, trials: ms.map((m) => m.trialId), truePositiveRate: ms.filter((m) => m.predicted.index === m.target.index).length / ms.length,
      cv: relevanceCV(ms.map((m) => m.relevance)), relevance: meanRows, phases: mostRelevantPhases(meanRows, model.state.channels, curveSpan),
    };
  });
  return {
    summary: {
      modelId: model.id, selection: maps[0].dataset, kind: model.state.kind, task: model.state.task, composite: composite.name, by: req.by,
      maps: maps.length, channels: model.state.channels, samples: SAMPLES, cv: meanSd(rows.map((r) => r.cv)), groups: rows,
    },
  };
}
