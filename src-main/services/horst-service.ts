// Explains one trial with a stored Horst model: the trial's curves are read from the store (inputs are never
// duplicated, §5.1.7), scaled with the constants of the run in which the trial was a test trial, and explained
// by LRP (float64, from the stored weights) for its true class.
import type { ApiResponse } from '../../src-shared/api/schema';
import { attribute, parseComposite, type Composite } from '../../src-shared/lrp';
import { lrpModel, modelPlan, SAMPLES } from '../../src-shared/methods/horst/architectures';
import { applyChannelScaling } from '../../src-shared/methods/horst/scaling';
import { unpackTensors } from '../compute/trainable';
import { HORST_NAME } from '../methods/horst';
import { horstTrainable } from '../methods/horst/stored';
import { readModel } from '../store/models';
import { readSignals } from '../store/queries';
import { decodeSamples } from '../store/sample-codec';
import { meanMap, relevanceCV } from '../../src-shared/methods/horst/relevance-stats';
import type { HorstState } from '../methods/horst';
import { ApiError } from './api-errors';
import type { ServiceContext } from './context';

interface HorstSelection { folds?: { byTrial?: Record<string, number> }; trials?: { id: string; subject: string; label: string }[] }

interface LoadedHorstModel {
  id: string;
  state: HorstState;
  selection: HorstSelection;
}

function loadHorstModel(ctx: ServiceContext, modelId: string): LoadedHorstModel {
  const m = readModel(ctx.db, modelId);
  if (!m) throw new ApiError('not-found', `no model ${modelId}`);
  if (m.method !== HORST_NAME) throw new ApiError('input', `model ${m.id} is a ${m.method} model; explain needs a Horst model`);
  const state = horstTrainable.fromStored({ architecture: m.architecture ?? {}, preprocessing: m.preprocessing ?? {}, tensors: unpackTensors(m.weightsManifest, m.weights ?? Buffer.alloc(0)) }, { train: [], test: [] });
  return { id: m.id, state, selection: (m.dataSelection ?? {}) as HorstSelection };
}

function compositeOf(text: string): Composite {
  try {
    return parseComposite(text);
  } catch (e) {
    throw new ApiError('input', (e as Error).message);
  }
}

function explainOne(ctx: ServiceContext, model: LoadedHorstModel, trialId: string, composite: Composite): ApiResponse<'explainTrial'>['explanation'] {
  const { state, selection } = model;
  const fold = selection.folds?.byTrial?.[trialId];
  const trial = selection.trials?.find((t) => t.id === trialId);
  if (fold === undefined || !trial) throw new ApiError('input', `trial ${trialId} is not in the data of model ${model.id}`);
  if (fold < 0) throw new ApiError('input', `trial ${trialId}: its subject was excluded from model ${model.id} (fewer than 3 trials)`);
  const run = state.runs.find((r) => r.run === fold);
  if (!run) throw new ApiError('input', `model ${model.id} has no run ${fold}, the run in which trial ${trialId} was a test trial`);
  const signals = readSignals(ctx.db, trialId);
  const C = state.channels.length;
  const x = new Float32Array(C * SAMPLES);
  state.channels.forEach((name, c) => {
    const s = signals.find((g) => g.channel === name);
    if (!s) throw new ApiError('input', `trial ${trialId} has no channel "${name}", which model ${model.id} needs`);
    if (s.samples !== SAMPLES) throw new ApiError('input', `trial ${trialId} channel "${name}" has ${s.samples} samples, model ${model.id} needs ${SAMPLES}`);
    x.set(decodeSamples(s.data, s.encoding, s.samples), c * SAMPLES);
  });
  const scaled = Float64Array.from(applyChannelScaling(x, [0], C, SAMPLES, run.scaling));
  const label = state.task === 'subject' ? trial.subject : trial.label;
  const target = state.classes.indexOf(label);
  if (target < 0) throw new ApiError('input', `trial ${trialId}: class "${label}" is not one of model ${model.id}'s classes`);
  const a = attribute(lrpModel(modelPlan(state.kind, C, state.classes.length), run.weights), scaled, target, composite);
  let predicted = 0;
  for (let k = 1; k < a.logits.length; k++) if (a.logits[k] > a.logits[predicted]) predicted = k;
  return {
    modelId: model.id, trialId, kind: state.kind, task: state.task, run: run.run, composite: a.composite,
    target: { index: target, label }, predicted: { index: predicted, label: state.classes[predicted] },
    logits: Array.from(a.logits), explainedLogit: a.explainedLogit, relevanceSum: a.relevanceSum, residual: a.residual,
    channels: state.channels, samples: SAMPLES,
    relevance: state.channels.map((_, c) => Array.from(a.relevance.subarray(c * SAMPLES, (c + 1) * SAMPLES))),
  };
}

export function explainTrial(ctx: ServiceContext, req: { modelId: string; trialId: string; composite: string }): ApiResponse<'explainTrial'> {
  const model = loadHorstModel(ctx, req.modelId);
  return { explanation: explainOne(ctx, model, req.trialId, compositeOf(req.composite)) };
}

/** Subject map = mean of the subject's trial maps (each from its test run), with the TP rate and CV (§5.1.8, §5.1.10). */
export function explainSubject(ctx: ServiceContext, req: { modelId: string; subjectId: string; composite: string }): ApiResponse<'explainSubject'> {
  const model = loadHorstModel(ctx, req.modelId);
  const composite = compositeOf(req.composite);
  const trials = (model.selection.trials ?? []).filter((t) => t.subject === req.subjectId && (model.selection.folds?.byTrial?.[t.id] ?? -1) >= 0);
  if (trials.length === 0) throw new ApiError('input', `subject ${req.subjectId} has no explained trials in model ${model.id}`);
  const maps = trials.map((t) => explainOne(ctx, model, t.id, composite));
  const flat = maps.map((e) => Float64Array.from(e.relevance.flat()));
  const mean = meanMap(flat);
  const C = model.state.channels.length;
  return {
    subject: {
      modelId: model.id, subjectId: req.subjectId, composite: composite.name, trials: maps.map((e) => e.trialId),
      truePositiveRate: maps.filter((e) => e.predicted.index === e.target.index).length / maps.length,
      cv: relevanceCV(flat), channels: model.state.channels, samples: SAMPLES,
      relevance: Array.from({ length: C }, (_, c) => Array.from(mean.subarray(c * SAMPLES, (c + 1) * SAMPLES))),
    },
  };
}
