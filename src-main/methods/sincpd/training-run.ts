// A SincPD training run over a protocol: the walks → de-duplicated, labelled segments → evaluateProtocol with the
// model side (seam.ts) as fitPredict. Part A's job plugs its trainSincPd / predictSincPd in here.
import { evaluateProtocol, type FitPredict, type ProtocolResult } from '../../../src-shared/methods/sincpd/evaluate-protocol';
import type { SincPdProtocol } from '../../../src-shared/methods/sincpd/protocols';
import { withSeverityLabels } from '../../../src-shared/methods/sincpd/segments';
import { buildSincPdDataset, type BuildOptions, type RawWalk, type SincPdDataset } from './data';
import type { SincPdConfigName, SincPdHooks, SincPdImplementation, SincPdTaskName } from './seam';

export interface SincPdRunOptions extends BuildOptions { task: SincPdTaskName; config: SincPdConfigName; protocol: SincPdProtocol; epochs?: number; seed: number; quick?: boolean }

/** fitPredict backed by part A: train on the training segments, predict the test segments. */
export function sincPdFitPredict(impl: SincPdImplementation, o: SincPdRunOptions): FitPredict {
  return async (input) => {
    const model = await impl.trainSincPd(
      { x: input.trainX, y: input.trainY, validX: input.validX, validY: input.validY, classes: input.classes, fold: input.fold },
      { task: o.task, profile: o.config, epochs: o.epochs, seed: o.seed + input.fold, quick: o.quick },
      { signal: input.signal, onProgress: (p) => input.onProgress?.(p.fraction, p.stage) },
    );
    return impl.predictSincPd(model, input.testX);
  };
}

export async function runSincPdProtocol(walks: RawWalk[], o: SincPdRunOptions, fitPredict: FitPredict, hooks: SincPdHooks = {}): Promise<{ data: SincPdDataset; result: ProtocolResult }> {
  const data = buildSincPdDataset(walks, o);
  const set = o.task === 'severity' ? withSeverityLabels(data.set) : data.set;
  const result = await evaluateProtocol(set, o.protocol, fitPredict, { task: o.task, seed: o.seed, signal: hooks.signal, onProgress: hooks.onProgress });
  return { data, result };
}

/**
 * What a stored SincPD model records about its data (the models table's data selection): the protocol, its seed,
 * the fold of every subject (data, so a model can say which subjects it never saw), the walks left out as
 * duplicates, the subjects left out of severity, and the scaling fitted on each fold's training segments.
 */
export function sincPdSelectionRecord(data: SincPdDataset, result: ProtocolResult): Record<string, unknown> {
  return {
    protocol: result.protocol, task: result.task, seed: result.seed,
    ...(result.foldAssignment ? { folds: result.foldAssignment } : {}),
    ...(result.label ? { label: result.label, sharedSubjects: result.sharedSubjects } : {}),
    duplicates: data.duplicates, severityExcluded: data.severityExcluded,
    scaling: result.folds.map((f) => ({ fold: f.fold, mean: f.scaling.mean, sd: f.scaling.sd, fittedOn: f.scaling.fittedOn })),
    walks: data.walks.map((w) => ({ walk: w.walk, segments: w.segments })),
  };
}
