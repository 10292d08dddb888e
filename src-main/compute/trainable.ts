// Methods that can be trained as a job: the registered model method, how its training data is read, and how
// its fitted state is split into what the models table stores (architecture, preprocessing, weight tensors)
// and restored from it. Each method's typed description is wrapped into one JobTrainable, so the job runner
// and the services handle every trainable method alike.
import type { AnyModel, JsonValue, ModelMethod, ParamInput, RunOptions } from '../../src-shared/methods/contract';
import { logisticRegression, sparseAutoencoder, type CurveDataset, type LogRegState, type SaeState } from '../methods';
import { HORST_NAME } from '../methods/horst';
import { GP_NAME } from '../methods/gp';
import { gpTrainable } from '../methods/gp/stored';
import { horstTrainable } from '../methods/horst/stored';
import { LOGREG_NAME } from '../methods/logreg';
import type { SaeMethodParams } from '../methods/sae';
import { SAE_METHOD_NAME } from '../methods/sae';
import type { WeightEntry } from '../store/models';
import type { Db } from '../store/db';
import type { DataSelection, DataSpec } from './curve-dataset';
import { sincPdTrainable, loadSincPdJobData } from '../methods/sincpd/job';

export interface StoredState {
  architecture: Record<string, unknown>;
  preprocessing: Record<string, unknown>;
  tensors: { name: string; shape: number[]; values: Float32Array }[];
}

type StoredInput = { architecture: Record<string, unknown>; preprocessing: Record<string, unknown>; tensors: Map<string, Float32Array> };
type Split = { train: number[]; test: number[] };

/** One method's typed description: how its state is stored and restored, what the data selection records, and the line a finished job logs. */
export interface Trainable<S, D = CurveDataset> {
  // The job runner hands a method the cohort's curves (CurveDataset) unless it has its own loader; the rest is the method's own.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  method: ModelMethod<any, D, any, any, S, any>;
  toStored(state: S): StoredState;
  fromStored(s: StoredInput, split: Split): S;
  /** What the model's data selection records about how rows were used (a split, a fold assignment), by trial id. */
  selectionExtras(state: S, trialIds: readonly string[]): Record<string, unknown>;
  /** One line for the job log once the model is stored. */
  headline(metrics: Record<string, number>): string;
  /**
   * What a row of its data is: a trial's curves (default), one gait cycle of the job's named cycle channels, or
   * (`trials-or-side-cycles`) a trial's curves unless the job names left/right cycle channel pairs, then one
   * gait cycle of one side with side-neutral channels (compute/side-cycle-dataset.ts).
   */
  dataKind?: 'trials' | 'cycles' | 'trials-or-side-cycles';
  /** A method's own reading of its data (e.g. Horst: stored curves, or insole gait cycles), in place of dataKind's. */
  loadData?: DataLoader;
}

/** Reads a job's data: the rows, what the model's data selection records, and (when rows are not trials) each row's id. */
export type DataLoader = (db: Db, spec: DataSpec, dbName: string) => { data: CurveDataset; selection: { trials: { id: string }[] }; rowIds?: string[] };

/** A held-out split of dataset rows, recorded by trial id (`ids` per row; a trial of many rows is named once). */
function splitByTrial(split: Split, ids: readonly string[]): Record<string, unknown> {
  const once = (rows: number[]) => [...new Set(rows.map((r) => ids[r]))];
  return { split: { train: once(split.train), test: once(split.test) } };
}

/** What the job runner gets back from a fit: everything it stores, already in stored form. */
export interface JobFit {
  method: string;
  version: string;
  params: Record<string, unknown>;
  seed: number;
  summary: { [key: string]: JsonValue };
  stored: StoredState;
  /** What the data selection records about how the rows were used, given each row's trial id. */
  selectionExtras(trialIds: readonly string[]): Record<string, unknown>;
  headline: string;
}

/** A method's own data loader, where the cohort's curves (loadCurveDataset) are not what it trains on. */
export type JobDataLoader = (db: Db, spec: DataSpec, dbName: string) => { data: unknown; selection: DataSelection; describe: string };

export interface JobTrainable {
  method: AnyModel;
  dataKind: NonNullable<Trainable<unknown>['dataKind']>;
  /** Absent: the job reads its rows by dataKind (compute/job-data.ts: curves, cycles or side cycles). */
  loadData?: (db: Db, spec: DataSpec, dbName: string) => { data: unknown; selection: { trials: { id: string }[] }; rowIds?: string[]; describe?: string };
  // The data is what loadData (or compute/job-data.ts) returned; each method's fit knows its own type.
  fit(data: unknown, params: ParamInput, options: RunOptions): Promise<JobFit>;
  fromStored(s: StoredInput, split: Split): unknown;
}

function jobTrainable<S, D = CurveDataset>(t: Trainable<S, D>, loadData?: JobDataLoader): JobTrainable {
  return {
    method: t.method,
    dataKind: t.dataKind ?? 'trials',
    ...((loadData ?? t.loadData) ? { loadData: loadData ?? t.loadData } : {}),
    async fit(data, params, options) {
      const fitted = await t.method.fit(data as D, params, options);
      const state = fitted.output.state;
      return {
        method: fitted.method, version: fitted.version, params: { ...fitted.params }, seed: fitted.seed, summary: fitted.summary,
        stored: t.toStored(state), selectionExtras: (ids) => t.selectionExtras(state, ids), headline: t.headline(fitted.output.metrics),
      };
    },
    fromStored: (s, split) => t.fromStored(s, split),
  };
}

const logRegTrainable: Trainable<LogRegState> = {
  method: logisticRegression,
  selectionExtras: (s, ids) => splitByTrial(s.split, ids),
  headline: (m) => `test accuracy ${(Number(m.testAccuracy) * 100).toFixed(1)} %`,
  toStored: (s) => ({
    architecture: { type: 'multinomial logistic regression', inputs: s.features, classes: s.classes, classNames: s.classNames, channels: s.channels, points: s.points, backend: s.backend },
    preprocessing: { kind: 'per-feature z-score', fittedOn: 'training rows', tensors: ['mean', 'sd'], features: 'channel-major: channel × point' },
    tensors: [
      { name: 'weights', shape: [s.features, s.classes], values: s.weights },
      { name: 'bias', shape: [s.classes], values: s.bias },
      { name: 'mean', shape: [s.features], values: s.mean },
      { name: 'sd', shape: [s.features], values: s.sd },
    ],
  }),
  fromStored: ({ architecture: a, tensors }, split) => {
    const t = (name: string) => {
      const v = tensors.get(name);
      if (!v) throw new Error(`the stored model has no tensor "${name}"`);
      return v;
    };
    return {
      features: a.inputs as number, classes: a.classes as number, classNames: a.classNames as string[], channels: a.channels as string[], points: a.points as number,
      mean: t('mean'), sd: t('sd'), weights: t('weights'), bias: t('bias'), split, backend: a.backend as string, confusion: [], counts: [],
    };
  },
};

const saeTrainable: Trainable<SaeState> = {
  method: sparseAutoencoder,
  dataKind: 'trials-or-side-cycles',
  selectionExtras: (s, ids) => splitByTrial(s.split, ids),
  headline: (m) => `held-out reconstruction R² ${m.validationR2Scaled.toFixed(3)} (scaled coefficients), mean firing rate ${m.meanFiringRate.toFixed(3)}, ${m.deadFeatures} dead features`,
  // The model card (§5.2.3) is the architecture; the scaling is the preprocessing; W, b_e, b_d (V, b_v) and μ are tensors.
  toStored: (s) => ({
    architecture: { ...s.card, backend: s.backend },
    // μ and s stay float64 JSON so a restored model scales exactly as the fitted one did.
    preprocessing: { kind: s.card.scaling, fittedOn: 'training subjects', channels: s.card.channels, scale: s.scaling.map((c) => c.scale), mean: s.scaling.map((c) => c.mean), copReference: s.card.copReference },
    tensors: [
      { name: 'W', shape: [s.weights.latent, s.weights.dim], values: s.weights.W },
      { name: 'be', shape: [s.weights.latent], values: s.weights.be },
      { name: 'bd', shape: [s.weights.dim], values: s.weights.bd },
      ...(s.weights.V && s.weights.bv ? [{ name: 'V', shape: [s.weights.latent, s.weights.dim], values: s.weights.V }, { name: 'bv', shape: [s.weights.latent], values: s.weights.bv }] : []),
    ],
  }),
  fromStored: ({ architecture: a, preprocessing: pre, tensors }, split) => {
    const t = (name: string) => {
      const v = tensors.get(name);
      if (!v) throw new Error(`the stored model has no tensor "${name}"`);
      return v;
    };
    const card = a as unknown as SaeState['card'];
    const scale = pre.scale as number[];
    const mean = pre.mean as number[][];
    return {
      card, backend: String(a.backend), split,
      scaling: scale.map((sc, c) => ({ scale: sc, mean: mean[c] })),
      weights: {
        kind: card.variant === 'svae-code' ? 'svae' : card.variant as SaeMethodParams['model'], reductions: card.reductions, latent: card.latent, dim: card.dim,
        W: t('W'), be: t('be'), bd: t('bd'), ...(tensors.has('V') ? { V: t('V'), bv: t('bv') } : {}),
      },
    };
  },
};

const trainables = new Map<string, JobTrainable>([
  [LOGREG_NAME, jobTrainable(logRegTrainable)],
  [SAE_METHOD_NAME, jobTrainable(saeTrainable)],
  [HORST_NAME, jobTrainable(horstTrainable)],
  [GP_NAME, jobTrainable(gpTrainable)],
  ['sincpd', jobTrainable(sincPdTrainable, loadSincPdJobData)],
]);
/** Short names the CLI accepts (`gaitlab train sae`). */
const aliases = new Map<string, string>([['sae', SAE_METHOD_NAME], ['gp', GP_NAME]]);

/** The trainable method of this name (exact, an alias, or ignoring case), or null. */
export function findTrainable(name: string): JobTrainable | null {
  const exact = trainables.get(aliases.get(name) ?? name);
  if (exact) return exact;
  for (const [k, v] of trainables) if (k.toLowerCase() === name.toLowerCase()) return v;
  return null;
}

export function trainableNames(): string[] {
  return [...trainables.keys()];
}

/** Packs tensors into one little-endian float32 buffer with its manifest. */
export function packTensors(tensors: StoredState['tensors']): { manifest: WeightEntry[]; bytes: Buffer } {
  const manifest: WeightEntry[] = [];
  let offset = 0;
  for (const t of tensors) {
    manifest.push({ name: t.name, shape: t.shape, dtype: 'float32', offset, length: t.values.length });
    offset += t.values.length * 4;
  }
  const bytes = Buffer.alloc(offset);
  for (const [i, t] of tensors.entries()) for (let k = 0; k < t.values.length; k++) bytes.writeFloatLE(t.values[k], manifest[i].offset + k * 4);
  return { manifest, bytes };
}

export function unpackTensors(manifest: WeightEntry[], bytes: Buffer): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const e of manifest) {
    const v = new Float32Array(e.length);
    for (let k = 0; k < e.length; k++) v[k] = bytes.readFloatLE(e.offset + k * 4);
    out.set(e.name, v);
  }
  return out;
}
