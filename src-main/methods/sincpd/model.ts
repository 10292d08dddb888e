// The SincPD networks (methods-spec §3.3.4 binary, §3.6 severity) as tfjs functional models over a sensor-major
// segment [8, 1000]. Every layer has a fixed name so that weights are stored and restored by name in any process,
// and every random initialiser has a seed derived from the model's one seed. The output layer is linear (logits):
// the sigmoid / softmax of the published model is applied in the loss and in predict (numerically safer, the
// same parameters and the same probabilities). MaxPool 2/2 VALID is PairMaxPool1D: the same values and gradients.
import * as tf from '@tensorflow/tfjs';
import { gaitlabConv1d } from '../../compute/tfjs/ops/conv1d-layer';
import { DEFAULT_GEOMETRY, type SincProfile } from '../../../src-shared/methods/sincpd/sinc-filters';
import { SincBatchNorm } from './batch-norm';
import { PairMaxPool1D, SeededDropout, SensorConcat, SincLayerNorm, SincLeakyReLU } from './layers';
import { SincConv1D } from './sinc-layer';

export type SincPdTask = 'pd' | 'severity';

export const SENSORS = 8;
export const SEGMENT_LENGTH = 1000;
/** Severity classes (§3.6): control, H&Y 2, 2.5, 3. */
export const SEVERITY_HY = [0, 2, 2.5, 3] as const;

export interface SincPdArchitecture {
  task: SincPdTask;
  profile: SincProfile;
  /** N_s per sensor (100 each before pruning). */
  filtersPerSensor: number[];
  fs: number;
  kernelLength: number;
  stride: number;
  segmentLength: number;
  /** Outputs: 1 (PD logit) or 4 (severity logits). */
  outputs: number;
  /** Initial sinc weights per sensor (pruned layers start at cluster representatives); default the profile's. */
  initialSinc?: { w1: number[]; w2: number[] }[];
  /** Severity: the front end (sinc + LayerNorm) is frozen, as transferred from the pruned binary model. */
  frozenFrontEnd?: boolean;
}

export function defaultArchitecture(task: SincPdTask, profile: SincProfile, filters = 100): SincPdArchitecture {
  return {
    task, profile, filtersPerSensor: Array.from({ length: SENSORS }, () => filters), fs: DEFAULT_GEOMETRY.fs,
    kernelLength: DEFAULT_GEOMETRY.kernelLength, stride: 5, segmentLength: SEGMENT_LENGTH, outputs: task === 'pd' ? 1 : 4,
  };
}

/** A seed for one named stream of a model's one seed (so adding a stream never shifts another). */
export function deriveSeed(seed: number, stream: string): number {
  let h = (seed ^ 0x811c9dc5) >>> 0;
  for (let i = 0; i < stream.length; i++) h = Math.imul(h ^ stream.charCodeAt(i), 0x01000193) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  return (h ^ (h >>> 13)) >>> 0;
}

/** The widths of the head (§3.3.4 binary; §3.6 severity). */
function headWidths(task: SincPdTask): { conv: [number, number]; dense: [number, number] } {
  return task === 'pd' ? { conv: [128, 256], dense: [128, 64] } : { conv: [512, 1024], dense: [512, 256] };
}

/** Names of the two hidden dense layers, whose kernels carry the L2 penalty 0.3 (§3.3.4). */
export const L2_LAYERS = ['dense_1', 'dense_2'];
export const L2_FACTOR = 0.3;

export function buildSincPdModel(arch: SincPdArchitecture, seed: number): tf.LayersModel {
  if (arch.filtersPerSensor.length !== SENSORS) throw new Error(`SincPD: ${arch.filtersPerSensor.length} sensors given, 8 expected`);
  const glorot = (name: string) => tf.initializers.glorotUniform({ seed: deriveSeed(seed, `init/${name}`) });
  const input = tf.input({ shape: [SENSORS, arch.segmentLength], name: 'segment' });
  const branches: tf.SymbolicTensor[] = [];
  for (let s = 0; s < SENSORS; s++) {
    const sinc = new SincConv1D({
      name: `sinc_s${s + 1}`, sensor: s, filters: arch.filtersPerSensor[s], profile: arch.profile, fs: arch.fs,
      kernelLength: arch.kernelLength, stride: arch.stride, initialW1: arch.initialSinc?.[s].w1, initialW2: arch.initialSinc?.[s].w2,
      trainable: !arch.frozenFrontEnd,
    });
    let h = sinc.apply(input) as tf.SymbolicTensor;
    h = new SincLayerNorm({ name: `layernorm_s${s + 1}`, trainable: !arch.frozenFrontEnd }).apply(h) as tf.SymbolicTensor;
    h = new SincLeakyReLU({ alpha: 0.2, name: `leaky_s${s + 1}` }).apply(h) as tf.SymbolicTensor;
    h = new PairMaxPool1D({ name: `pool_s${s + 1}` }).apply(h) as tf.SymbolicTensor;
    branches.push(h);
  }
  let h = new SensorConcat({ name: 'concat' }).apply(branches) as tf.SymbolicTensor;
  const widths = headWidths(arch.task);
  widths.conv.forEach((filters, i) => {
    const n = i + 1;
    h = gaitlabConv1d({ name: `conv_${n}`, filters, kernelSize: 3, strides: 1, padding: 'valid', kernelInitializer: glorot(`conv_${n}`) }).apply(h) as tf.SymbolicTensor;
    h = new SincBatchNorm({ name: `bn_conv_${n}`, momentum: 0.05, epsilon: 1e-3 }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.leakyReLU({ alpha: 0.2, name: `leaky_conv_${n}` }).apply(h) as tf.SymbolicTensor;
    h = new SeededDropout({ name: `dropout_${n}`, rate: 0.5, seed: deriveSeed(seed, `dropout_${n}`) }).apply(h) as tf.SymbolicTensor;
    h = new PairMaxPool1D({ name: `pool_conv_${n}` }).apply(h) as tf.SymbolicTensor;
  });
  h = tf.layers.flatten({ name: 'flatten' }).apply(h) as tf.SymbolicTensor;
  widths.dense.forEach((units, i) => {
    const name = L2_LAYERS[i];
    h = tf.layers.dense({ name, units, kernelInitializer: glorot(name) }).apply(h) as tf.SymbolicTensor;
    h = new SincBatchNorm({ name: `bn_${name}`, momentum: 0.05, epsilon: 1e-5 }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.leakyReLU({ alpha: 0.2, name: `leaky_${name}` }).apply(h) as tf.SymbolicTensor;
  });
  const out = tf.layers.dense({ name: 'output', units: arch.outputs, kernelInitializer: glorot('output') }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: `sincpd_${arch.task}` });
}

/** The model's sinc layers, sensor 1..8. */
export function sincLayers(model: tf.LayersModel): SincConv1D[] {
  return Array.from({ length: SENSORS }, (_, s) => model.getLayer(`sinc_s${s + 1}`) as SincConv1D);
}

/** A weight's number of values (its shape is fully known once built). */
function size(w: tf.LayerVariable): number {
  return (w.shape as number[]).reduce((a, b) => a * b, 1);
}

export interface ParameterCounts { total: number; trainable: number; nonTrainable: number }

export function parameterCounts(model: tf.LayersModel): ParameterCounts {
  const count = (ws: tf.LayerVariable[]) => ws.reduce((s, w) => s + size(w), 0);
  const trainable = count(model.trainableWeights);
  const nonTrainable = count(model.nonTrainableWeights);
  return { total: trainable + nonTrainable, trainable, nonTrainable };
}

/** Every weight by its stable name (layer/weight), in the model's order. */
export function readNamedWeights(model: tf.LayersModel): { name: string; shape: number[]; values: Float32Array }[] {
  return model.weights.map((w) => ({ name: w.originalName, shape: [...w.shape] as number[], values: Float32Array.from(w.read().dataSync() as Float32Array) }));
}

/** Sets every weight from its stored name; a missing or misshapen tensor is an error naming it. */
export function writeNamedWeights(model: tf.LayersModel, tensors: ReadonlyMap<string, Float32Array>): void {
  for (const w of model.weights) {
    const v = tensors.get(w.originalName);
    if (!v) throw new Error(`the stored SincPD model has no tensor "${w.originalName}"`);
    if (v.length !== size(w)) throw new Error(`the stored SincPD tensor "${w.originalName}" has ${v.length} values, ${size(w)} expected (shape ${w.shape.join('×')})`);
    const t = tf.tensor(v, w.shape as number[]);
    w.write(t);
    t.dispose();
  }
}
