// SincPD's model side behind the seam (seam.ts) that the evaluation side, the job, the CLI and predict use: train
// on standardised segments with the inner validation subjects for early stopping, and predict per-segment class
// probabilities from a just-trained model or from a stored one (its tensors unpacked from the models table).
import { initTfjsBackend } from '../../compute/tfjs/backend';
import { unpackTensors } from '../../compute/trainable';
import type { StoredModel } from '../../store/models';
import { sincPdFromStored } from './stored';
import { predictSincPd as predictFitted, QUICK_SINCPD_CONFIG, trainSincPd as trainFitted, type SincPdConfig, type SincPdFitted } from './train';
import type { SincPdHooks, SincPdTrainConfig, SincPdTrainData, TrainedSincPd } from './seam';

/** What this side's training returns through the seam: the fitted networks of every stage. */
export interface TrainedSincPdModel extends TrainedSincPd { readonly fitted: SincPdFitted }

/** The model configuration for a seam config: the spec's (§5.3), or QUICK (tests only, labelled as such). */
export function modelConfig(config: SincPdTrainConfig): Partial<SincPdConfig> & Pick<SincPdConfig, 'task'> {
  const quick = config.quick ? { ...QUICK_SINCPD_CONFIG } : {};
  const epochs = config.epochs ?? quick.epochs;
  // An epochs override caps every stage; patience is kept below it so early stopping still means something.
  return { ...quick, task: config.task, profile: config.profile, seed: config.seed, ...(epochs ? { epochs, patience: Math.min(20, epochs) } : {}) };
}

export async function trainSincPd(data: SincPdTrainData, config: SincPdTrainConfig, hooks: SincPdHooks): Promise<TrainedSincPdModel> {
  const c = modelConfig(config);
  const expected = config.task === 'pd' ? 2 : 4;
  if (data.classes !== expected) throw new RangeError(`SincPD ${config.task}: ${data.classes} classes given, ${expected} expected`);
  // Stages in order (binary, pruned binary, severity): progress is the stage's share times its epoch fraction.
  const stages = (c.prune ?? true) ? (config.task === 'severity' ? 3 : 2) : config.task === 'severity' ? 2 : 1;
  const order: Record<string, number> = { binary: 0, 'binary-pruned': 1, severity: stages - 1 };
  const fitted = await trainFitted(
    {
      x: data.x, n: data.y.length, y: data.y,
      ...(data.validY.length > 0 ? { validation: { x: data.validX, n: data.validY.length, y: data.validY } } : {}),
    },
    c,
    {
      signal: hooks.signal,
      onProgress: (p) => hooks.onProgress?.({
        fraction: Math.min(1, (order[p.stage] + p.epoch / p.epochs) / stages),
        stage: `${p.stage} epoch ${p.epoch}/${p.epochs}, loss ${p.loss.toFixed(4)}, validation accuracy ${(p.validationAccuracy * 100).toFixed(1)} %`,
      }),
    },
  );
  return { kind: 'sincpd', task: config.task, fitted };
}

/** A stored SincPD model's fitted networks and scaling, from its models-table row. */
export function storedSincPd(model: StoredModel): ReturnType<typeof sincPdFromStored> {
  if (!model.architecture || !model.weights) throw new Error(`model ${model.id} has no stored networks`);
  return sincPdFromStored({ architecture: model.architecture, preprocessing: model.preprocessing ?? {}, tensors: unpackTensors(model.weightsManifest, model.weights) });
}

function isStored(m: TrainedSincPd | StoredModel): m is StoredModel {
  return 'weightsManifest' in m;
}

/** Class probabilities n × classes (pd: control, PD; severity: H&Y 0, 2, 2.5, 3) of standardised segments. */
export async function predictSincPd(model: TrainedSincPd | StoredModel, x: Float32Array): Promise<Float64Array> {
  const fitted = isStored(model) ? storedSincPd(model).fitted : (model as TrainedSincPdModel).fitted;
  if (!fitted) throw new Error('SincPD predict: the model holds no fitted networks');
  // Idempotent: the job worker has the backend already; a CLI or UI call may not.
  await initTfjsBackend();
  return Float64Array.from(predictFitted(fitted, x).probabilities);
}
