// The seam between SincPD's evaluation side (data, protocols, metrics, CLI: this folder's data.ts, training-run.ts)
// and its model side (SincConv1D, the binary and severity networks, training, pruning: part A of issue 15, built in
// parallel). Part A exports `trainSincPd` and `predictSincPd` from src-main/methods/sincpd/index.ts with these
// types; until it is merged `loadSincPdImplementation()` returns null and the commands say so in one line.
import type { StoredModel } from '../../store/models';

export const SINCPD_METHOD = 'sincpd';
export const SINCPD_TASKS = ['pd', 'severity'] as const;
export type SincPdTaskName = (typeof SINCPD_TASKS)[number];
export const SINCPD_CONFIGS = ['sincnet-gait', 'sincpd-2024'] as const;
export type SincPdConfigName = (typeof SINCPD_CONFIGS)[number];

/** Standardised segments n × 8 × 1000 (channel-major) with class labels (pd: 0/1; severity: 0..3 = H&Y 0, 2, 2.5, 3). */
export interface SincPdTrainData {
  x: Float32Array; y: Int32Array;
  /** Early-stopping data (the inner validation subjects, or the last 20 % for segment-stratified). */
  validX: Float32Array; validY: Int32Array;
  classes: number;
  fold: number;
}

export interface SincPdTrainConfig {
  task: SincPdTaskName; profile: SincPdConfigName; epochs?: number; seed: number;
  /** QUICK settings (tests and CI only, labelled as such): few filters, small batches; never the method's figures. */
  quick?: boolean;
}
export interface SincPdHooks { signal?: AbortSignal; onProgress?(p: { fraction: number; stage: string }): void }

/** What part A's training returns: an opaque trained model that predictSincPd accepts. */
export interface TrainedSincPd { readonly kind: 'sincpd'; readonly task: SincPdTaskName }

export interface SincPdImplementation {
  trainSincPd(data: SincPdTrainData, config: SincPdTrainConfig, hooks: SincPdHooks): Promise<TrainedSincPd>;
  /** Class probabilities n × classes of standardised segments (pd: column 1 = P(PD)). */
  predictSincPd(model: TrainedSincPd | StoredModel, x: Float32Array): Promise<Float64Array>;
}

/** Part A's implementation where this build has it, else null. */
export function loadSincPdImplementation(): SincPdImplementation | null {
  try {
    // A runtime lookup on purpose: the module is part A's and may not exist in this build.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const m = require('./index') as Partial<SincPdImplementation>;
    return typeof m.trainSincPd === 'function' && typeof m.predictSincPd === 'function' ? (m as SincPdImplementation) : null;
  } catch (e) {
    if ((e as { code?: string }).code === 'MODULE_NOT_FOUND') return null;
    throw e;
  }
}

export const NOT_MERGED = 'SincPD training and prediction are not in this build yet (src-main/methods/sincpd trainSincPd/predictSincPd, issue 15 part A)';
