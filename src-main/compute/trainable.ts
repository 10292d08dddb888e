// Methods that can be trained as a job: the registered model method, how its training data is read, and how
// its fitted state is split into what the models table stores (architecture, preprocessing, weight tensors)
// and restored from it.
import { logisticRegression, type LogRegState } from '../methods';
import { LOGREG_NAME } from '../methods/logreg';
import { horstTrainable } from '../methods/horst/stored';
import { HORST_NAME } from '../methods/horst';
import type { ModelMethod } from '../../src-shared/methods/contract';
import type { CurveDataset } from '../methods/logreg/state';
import type { WeightEntry } from '../store/models';

export interface StoredState {
  architecture: Record<string, unknown>;
  preprocessing: Record<string, unknown>;
  tensors: { name: string; shape: number[]; values: Float32Array }[];
}

export interface Trainable<S> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  method: ModelMethod<any, CurveDataset, any, any, S, any>;
  toStored(state: S): StoredState;
  fromStored(s: { architecture: Record<string, unknown>; preprocessing: Record<string, unknown>; tensors: Map<string, Float32Array> }, split: { train: number[]; test: number[] }): S;
  /** What the model's data selection records about how rows were used (a split, a fold assignment), by trial id. */
  selectionExtras(state: S, trialIds: readonly string[]): Record<string, unknown>;
  /** One line for the job log once the model is stored. */
  headline(metrics: Record<string, number>): string;
}

const logRegTrainable: Trainable<LogRegState> = {
  method: logisticRegression,
  selectionExtras: (s, ids) => ({ split: { train: s.split.train.map((r) => ids[r]), test: s.split.test.map((r) => ids[r]) } }),
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

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const trainables = new Map<string, Trainable<any>>([[LOGREG_NAME, logRegTrainable], [HORST_NAME, horstTrainable]]);

/** The trainable method of this name (exact, or ignoring case), or null. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function findTrainable(name: string): Trainable<any> | null {
  const exact = trainables.get(name);
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
