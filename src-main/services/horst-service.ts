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
import { ApiError } from './api-errors';
import type { ServiceContext } from './context';

interface HorstSelection { folds?: { byTrial?: Record<string, number> }; trials?: { id: string; subject: string; label: string }[] }

export function explainTrial(ctx: ServiceContext, req: { modelId: string; trialId: string; composite: string }): ApiResponse<'explainTrial'> {
  const m = readModel(ctx.db, req.modelId);
  if (!m) throw new ApiError('not-found', `no model ${req.modelId}`);
  if (m.method !== HORST_NAME) throw new ApiError('input', `model ${m.id} is a ${m.method} model; explain needs a Horst model`);
  let composite: Composite;
  try {
    composite = parseComposite(req.composite);
  } catch (e) {
    throw new ApiError('input', (e as Error).message);
  }
  const state = horstTrainable.fromStored({ architecture: m.architecture ?? {}, preprocessing: m.preprocessing ?? {}, tensors: unpackTensors(m.weightsManifest, m.weights ?? Buffer.alloc(0)) }, { train: [], test: [] });
  const selection = (m.dataSelection ?? {}) as HorstSelection;
  const fold = selection.folds?.byTrial?.[req.trialId];
  const trial = selection.trials?.find((t) => t.id === req.trialId);
  if (fold === undefined || !trial) throw new ApiError('input', `trial ${req.trialId} is not in the data of model ${m.id}`);
  if (fold < 0) throw new ApiError('input', `trial ${req.trialId}: its subject was excluded from model ${m.id} (fewer than 3 trials)`);
  const run = state.runs.find((r) => r.run === fold);
  if (!run) throw new ApiError('input', `model ${m.id} has no run ${fold}, the run in which trial ${req.trialId} was a test trial`);
  const signals = readSignals(ctx.db, req.trialId);
  const C = state.channels.length;
  const x = new Float32Array(C * SAMPLES);
  state.channels.forEach((name, c) => {
    const s = signals.find((g) => g.channel === name);
    if (!s) throw new ApiError('input', `trial ${req.trialId} has no channel "${name}", which model ${m.id} needs`);
    if (s.samples !== SAMPLES) throw new ApiError('input', `trial ${req.trialId} channel "${name}" has ${s.samples} samples, model ${m.id} needs ${SAMPLES}`);
    x.set(decodeSamples(s.data, s.encoding, s.samples), c * SAMPLES);
  });
  const scaled = Float64Array.from(applyChannelScaling(x, [0], C, SAMPLES, run.scaling));
  const label = state.task === 'subject' ? trial.subject : trial.label;
  const target = state.classes.indexOf(label);
  if (target < 0) throw new ApiError('input', `trial ${req.trialId}: class "${label}" is not one of model ${m.id}'s classes`);
  const a = attribute(lrpModel(modelPlan(state.kind, C, state.classes.length), run.weights), scaled, target, composite);
  let predicted = 0;
  for (let k = 1; k < a.logits.length; k++) if (a.logits[k] > a.logits[predicted]) predicted = k;
  return {
    explanation: {
      modelId: m.id, trialId: req.trialId, kind: state.kind, task: state.task, run: run.run, composite: a.composite,
      target: { index: target, label }, predicted: { index: predicted, label: state.classes[predicted] },
      logits: Array.from(a.logits), explainedLogit: a.explainedLogit, relevanceSum: a.relevanceSum, residual: a.residual,
      channels: state.channels, samples: SAMPLES,
      relevance: state.channels.map((_, c) => Array.from(a.relevance.subarray(c * SAMPLES, (c + 1) * SAMPLES))),
    },
  };
}
