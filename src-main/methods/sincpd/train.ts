// Training of SincPD (methods-spec §3.4, §3.5, §3.6, §5.3): Adam (lr 1e-3, β 0.9/0.999, ε 1e-7, Keras defaults),
// batch 32 reshuffled each epoch from a seeded stream, at most 1000 epochs with early stopping on validation
// accuracy (patience 20, best weights restored); then pruning (§5.3.5) and retraining of a new model whose sinc
// layers start at the cluster representatives; for severity, a model whose frozen front end is the pruned binary
// model's (same data), with a new head. Everything random comes from one seed through named streams.
//
// The data seam: plain arrays of standardised segments, sensor-major [n, 8, 1000], with class indices. Building
// them from the database or files (grid, differences, segments, folds, standardisation) is the caller's.
import * as tf from '@tensorflow/tfjs';
import { backendRecord, type BackendRecord } from '../../compute/tfjs/backend';
import { FusedAdam } from '../../compute/tfjs/fused-adam';
import { checkBand } from '../../../src-shared/methods/sincpd/band-measure';
import { PAPER_K_OVERRIDE, pruneFilterBank, type Representative, type SensorPruning } from '../../../src-shared/methods/sincpd/pruning';
import { isAliased, nominalBand, sincTaps, type SincProfile } from '../../../src-shared/methods/sincpd/sinc-filters';
import { seededRandom } from '../../../src-shared/random';
import {
  buildSincPdModel, defaultArchitecture, deriveSeed, L2_FACTOR, L2_LAYERS, parameterCounts, readNamedWeights, SEGMENT_LENGTH, SENSORS,
  SEVERITY_HY, sincLayers, writeNamedWeights, type ParameterCounts, type SincPdArchitecture, type SincPdTask,
} from './model';

export interface SincPdSegments {
  /** Standardised segments, sensor-major: x[(i·8 + s)·1000 + t]. */
  x: Float32Array;
  n: number;
  /** pd: 0 control, 1 PD. severity: class index 0..3 for H&Y (0, 2, 2.5, 3). */
  y: Int32Array;
}

export interface SincPdData extends SincPdSegments {
  /** Early-stopping data (e.g. the inner validation subjects); default the last 20 % of the rows, as Keras' validation_split. */
  validation?: SincPdSegments;
}

export interface SincPdConfig {
  task: SincPdTask;
  profile: SincProfile;
  /** Filters per sensor before pruning. */
  filters: number;
  /** Maximum epochs (§5.3: 1000); an `epochs` override shortens every stage. */
  epochs: number;
  patience: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  /** Prune and retrain (§5.3.5); the severity front end always comes from a pruned binary model when true. */
  prune: boolean;
  kOverride?: readonly number[];
  representative: Representative;
}

export const DEFAULT_SINCPD_CONFIG: SincPdConfig = {
  task: 'pd', profile: 'sincnet-gait', filters: 100, epochs: 1000, patience: 20, batchSize: 32, learningRate: 1e-3, seed: 42,
  prune: true, representative: 'centroid',
};

/** QUICK (tests only, labelled as such): 6 filters per sensor, 2 epochs, batch 8. Never the method's figures. */
export const QUICK_SINCPD_CONFIG: Partial<SincPdConfig> = { filters: 6, epochs: 2, patience: 2, batchSize: 8 };

export { PAPER_K_OVERRIDE };

export interface StageReport {
  stage: 'binary' | 'binary-pruned' | 'severity';
  filtersPerSensor: number[];
  parameters: ParameterCounts;
  epochsRun: number;
  bestEpoch: number;
  bestValidationAccuracy: number;
  trainLoss: number[];
  validationAccuracy: number[];
  stoppedEarly: boolean;
}

export interface FilterBand {
  sensor: number;
  filter: number;
  w1: number;
  w2: number;
  f1Hz: number;
  f2Hz: number;
  measuredBandsHz: [number, number][];
  peakGain: number;
  edgeErrorHz: number;
  aliased: boolean;
  /** §5.3.2 step 4 (asserted for sincnet-gait, reported for sincpd-2024). */
  passes: boolean;
}

export interface StoredNet {
  architecture: SincPdArchitecture;
  weights: { name: string; shape: number[]; values: Float32Array }[];
}

export interface SincPdFitted {
  config: SincPdConfig;
  /** Every network of the run by stage; the last is the one predict uses by default. */
  nets: { stage: StageReport['stage']; net: StoredNet }[];
  stages: StageReport[];
  pruning: SensorPruning[] | null;
  /** The band test of every filter, at initialisation and after training (of the final model's filters). */
  bandsAtInit: FilterBand[];
  bandsAfterTraining: FilterBand[];
  backend: BackendRecord;
}

export interface SincPdProgress {
  stage: StageReport['stage'];
  epoch: number;
  epochs: number;
  loss: number;
  validationAccuracy: number;
}

export interface SincPdHooks {
  signal?: AbortSignal;
  onProgress?(p: SincPdProgress): void;
}

function checkSegments(what: string, d: SincPdSegments, classes: number): void {
  if (!Number.isInteger(d.n) || d.n < 1) throw new Error(`SincPD ${what}: no segments`);
  if (d.x.length !== d.n * SENSORS * SEGMENT_LENGTH) throw new Error(`SincPD ${what}: x has ${d.x.length} values, ${d.n} × 8 × 1000 = ${d.n * SENSORS * SEGMENT_LENGTH} expected`);
  if (d.y.length !== d.n) throw new Error(`SincPD ${what}: y has ${d.y.length} labels for ${d.n} segments`);
  for (let i = 0; i < d.n; i++) if (!(d.y[i] >= 0 && d.y[i] < classes)) throw new Error(`SincPD ${what}: segment ${i} has class ${d.y[i]} (expected 0..${classes - 1})`);
  for (let i = 0; i < d.x.length; i++) if (!Number.isFinite(d.x[i])) throw new Error(`SincPD ${what}: segment ${Math.floor(i / (SENSORS * SEGMENT_LENGTH))} holds a non-finite value`);
}

function rows(d: SincPdSegments, idx: readonly number[]): SincPdSegments {
  const size = SENSORS * SEGMENT_LENGTH;
  const x = new Float32Array(idx.length * size);
  idx.forEach((r, i) => x.set(d.x.subarray(r * size, (r + 1) * size), i * size));
  return { x, n: idx.length, y: Int32Array.from(idx, (r) => d.y[r]) };
}

/** Train/validation rows: the given validation set, or the last 20 % of the rows (at least one each). */
function splitValidation(data: SincPdData): { train: SincPdSegments; validation: SincPdSegments } {
  if (data.validation) return { train: data, validation: data.validation };
  if (data.n < 2) throw new Error('SincPD: at least 2 segments are needed to hold out validation rows');
  const nVal = Math.max(1, Math.floor(0.2 * data.n));
  const cut = data.n - nVal;
  return { train: rows(data, Array.from({ length: cut }, (_, i) => i)), validation: rows(data, Array.from({ length: nVal }, (_, i) => cut + i)) };
}

/** The loss of §3.4 / §5.3 on logits (without the L2 term): binary CE; categorical CE; BCE over 4 softmax outputs for severity in sincpd-2024. */
export function lossOf(arch: Pick<SincPdArchitecture, 'outputs' | 'profile'>, logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  if (arch.outputs === 1) return tf.losses.sigmoidCrossEntropy(labels.reshape([-1, 1]), logits) as tf.Scalar;
  const oneHot = tf.oneHot(labels.toInt(), arch.outputs);
  if (arch.profile === 'sincpd-2024') {
    // As the published code: binary cross-entropy over the 4 softmax outputs (Keras clips to [1e-7, 1 − 1e-7]).
    const p = tf.clipByValue(tf.softmax(logits), 1e-7, 1 - 1e-7);
    return tf.neg(tf.mean(tf.add(tf.mul(oneHot, tf.log(p)), tf.mul(tf.sub(1, oneHot), tf.log(tf.sub(1, p)))))) as tf.Scalar;
  }
  return tf.losses.softmaxCrossEntropy(oneHot, logits) as tf.Scalar;
}

/** The L2 term of §3.3.4: 0.3 · Σ w² over the two hidden dense kernels. */
export function l2Penalty(model: tf.LayersModel): tf.Scalar {
  return tf.mul(L2_FACTOR, tf.addN(L2_LAYERS.map((n) => tf.sum(tf.square(model.getLayer(n).getWeights()[0]))))) as tf.Scalar;
}

/** Class probabilities [n, C] (C = 2 for pd: control, PD; 4 for severity), in batches, inference mode. */
export function predictProbabilities(model: tf.LayersModel, arch: SincPdArchitecture, d: { x: Float32Array; n: number }, batchSize = 64): Float32Array {
  const size = SENSORS * arch.segmentLength;
  const classes = arch.outputs === 1 ? 2 : arch.outputs;
  const out = new Float32Array(d.n * classes);
  for (let start = 0; start < d.n; start += batchSize) {
    const b = Math.min(batchSize, d.n - start);
    const p = tf.tidy(() => {
      const logits = model.apply(tf.tensor3d(d.x.subarray(start * size, (start + b) * size), [b, SENSORS, arch.segmentLength]), { training: false }) as tf.Tensor;
      return (arch.outputs === 1 ? tf.sigmoid(logits) : tf.softmax(logits)).dataSync() as Float32Array;
    });
    if (arch.outputs === 1) for (let i = 0; i < b; i++) { out[(start + i) * 2] = 1 - p[i]; out[(start + i) * 2 + 1] = p[i]; }
    else out.set(p, start * classes);
  }
  return out;
}

function accuracy(probs: Float32Array, y: Int32Array, classes: number): number {
  let right = 0;
  for (let i = 0; i < y.length; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probs[i * classes + c] > probs[i * classes + best]) best = c;
    if (best === y[i]) right++;
  }
  return right / y.length;
}

/**
 * One optimiser step at a time (§3.4: Adam lr 1e-3, β 0.9/0.999, ε 1e-7): forward in training mode (dropout,
 * batch statistics), loss + L2, gradients of every trainable weight, update; resolves to the batch's loss.
 */
export function trainingStep(model: tf.LayersModel, arch: SincPdArchitecture, learningRate: number): { step(x: Float32Array, y: Float32Array): Promise<number>; dispose(): void } {
  // tf.train.adam's weights, computed in one pass per variable on wasm instead of a dozen ops.
  const optimizer = new FusedAdam(learningRate, 0.9, 0.999, 1e-7);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  return {
    async step(xb, yb) {
      const b = yb.length;
      const cost = tf.tidy(() => {
        const x = tf.tensor3d(xb, [b, SENSORS, arch.segmentLength]);
        const y = tf.tensor1d(yb);
        const { value, grads } = tf.variableGrads(() => tf.add(lossOf(arch, model.apply(x, { training: true }) as tf.Tensor, y), l2Penalty(model)) as tf.Scalar, vars);
        optimizer.applyGradients(vars, grads);
        return value;
      });
      const value = (await cost.data())[0];
      cost.dispose();
      return value;
    },
    dispose: () => optimizer.dispose(),
  };
}

/**
 * One stage: Adam, seeded shuffles, early stopping on validation accuracy with the best weights restored (also
 * when the epochs run out, as §5.3 asks; older Keras restored them only after an early stop). Validation accuracy
 * is the argmax accuracy for every task: for severity in sincpd-2024, Keras' "accuracy" under binary
 * cross-entropy was a binary accuracy over the 4 outputs (§3.6), a quirk not copied here.
 */
async function trainStage(stage: StageReport['stage'], model: tf.LayersModel, arch: SincPdArchitecture, train: SincPdSegments, validation: SincPdSegments,
  config: SincPdConfig, hooks: SincPdHooks): Promise<StageReport> {
  const size = SENSORS * arch.segmentLength;
  const classes = arch.outputs === 1 ? 2 : arch.outputs;
  const random = seededRandom(deriveSeed(config.seed, `shuffle/${stage}`));
  const stepper = trainingStep(model, arch, config.learningRate);
  const trainLoss: number[] = [], validationAccuracy: number[] = [];
  let best = -Infinity, bestEpoch = -1, wait = 0, stoppedEarly = false;
  let bestWeights = readNamedWeights(model);
  const order = Array.from({ length: train.n }, (_, i) => i);
  const xb = new Float32Array(config.batchSize * size);
  try {
    for (let epoch = 0; epoch < config.epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) { const j = Math.floor(random() * (i + 1)); [order[i], order[j]] = [order[j], order[i]]; }
      let lossSum = 0, seen = 0;
      for (let start = 0; start < train.n; start += config.batchSize) {
        const b = Math.min(config.batchSize, train.n - start);
        const yb = new Float32Array(b);
        for (let i = 0; i < b; i++) {
          const r = order[start + i];
          xb.set(train.x.subarray(r * size, (r + 1) * size), i * size);
          yb[i] = train.y[r];
        }
        const value = await stepper.step(xb.subarray(0, b * size), yb);
        if (!Number.isFinite(value)) throw new Error(`SincPD ${stage}: the loss became ${value} at epoch ${epoch + 1}, batch ${start / config.batchSize + 1}`);
        lossSum += value * b;
        seen += b;
        // A macrotask turn per batch: the job's heartbeat and cancel timers run between batches (awaited tensor data
        // alone resolves as microtasks and would starve them, and the job would look dead after 15 s).
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (hooks.signal?.aborted) throw hooks.signal.reason instanceof Error ? hooks.signal.reason : new Error('cancelled');
      }
      const acc = accuracy(predictProbabilities(model, arch, validation), validation.y, classes);
      trainLoss.push(lossSum / seen);
      validationAccuracy.push(acc);
      if (acc > best) { best = acc; bestEpoch = epoch; wait = 0; bestWeights = readNamedWeights(model); } else wait++;
      hooks.onProgress?.({ stage, epoch: epoch + 1, epochs: config.epochs, loss: lossSum / seen, validationAccuracy: acc });
      if (wait >= config.patience) { stoppedEarly = true; break; }
    }
  } finally {
    stepper.dispose();
  }
  writeNamedWeights(model, new Map(bestWeights.map((w) => [w.name, w.values])));
  return {
    stage, filtersPerSensor: [...arch.filtersPerSensor], parameters: parameterCounts(model), epochsRun: trainLoss.length, bestEpoch: bestEpoch + 1,
    bestValidationAccuracy: best, trainLoss, validationAccuracy, stoppedEarly,
  };
}

/** The band test (§5.3.2) of every filter of a model's sinc layers, from their current weights. */
export function bandReport(profile: SincProfile, bank: { w1: ArrayLike<number>; w2: ArrayLike<number> }[], fs: number, kernelLength: number): FilterBand[] {
  const g = { fs, kernelLength };
  const cache = new Map<string, FilterBand>();
  const out: FilterBand[] = [];
  bank.forEach((b, s) => {
    for (let j = 0; j < b.w1.length; j++) {
      const w1 = b.w1[j], w2 = b.w2[j];
      const key = `${w1}/${w2}`;
      let base = cache.get(key);
      if (!base) {
        const { f1, f2 } = nominalBand(profile, w1, w2, g);
        const c = checkBand(sincTaps(profile, w1, w2, g), f1, f2, fs);
        base = {
          sensor: 0, filter: 0, w1, w2, f1Hz: f1, f2Hz: f2, measuredBandsHz: c.measured.regions, peakGain: c.measured.peakGain,
          edgeErrorHz: c.edgeErrorHz, aliased: isAliased(profile, w1, w2, g), passes: c.passes,
        };
        cache.set(key, base);
      }
      out.push({ ...base, sensor: s + 1, filter: j + 1 });
    }
  });
  return out;
}

function bankOf(model: tf.LayersModel): { w1: Float32Array; w2: Float32Array }[] {
  return sincLayers(model).map((l) => l.weightsNow());
}

function storeNet(model: tf.LayersModel, arch: SincPdArchitecture): StoredNet {
  return { architecture: arch, weights: readNamedWeights(model) };
}

/** Trains SincPD on already-built segments: binary (then pruned and retrained), or severity on a pruned binary front end. */
export async function trainSincPd(data: SincPdData, config: Partial<SincPdConfig> & Pick<SincPdConfig, 'task'>, hooks: SincPdHooks = {}): Promise<SincPdFitted> {
  const c: SincPdConfig = { ...DEFAULT_SINCPD_CONFIG, ...config };
  if (c.profile !== 'sincpd-2024' && c.profile !== 'sincnet-gait') throw new Error(`SincPD: unknown profile "${String(c.profile)}" (expected sincnet-gait or sincpd-2024)`);
  if (c.task !== 'pd' && c.task !== 'severity') throw new Error(`SincPD: unknown task "${String(c.task)}" (expected pd or severity)`);
  for (const [k, v, min] of [['filters', c.filters, 1], ['epochs', c.epochs, 1], ['patience', c.patience, 1], ['batchSize', c.batchSize, 1]] as const) {
    if (!Number.isInteger(v) || v < min) throw new Error(`SincPD: parameter ${k} = ${v} is out of range (integer ≥ ${min})`);
  }
  const classes = c.task === 'pd' ? 2 : SEVERITY_HY.length;
  checkSegments('training data', data, classes);
  if (data.validation) checkSegments('validation data', data.validation, classes);
  const backend = backendRecord();
  const { train, validation } = splitValidation(data);
  // The binary stages see PD vs control; for severity that is every class above 0.
  const binary = (d: SincPdSegments): SincPdSegments => (c.task === 'pd' ? d : { ...d, y: Int32Array.from(d.y, (v) => (v > 0 ? 1 : 0)) });
  const nets: SincPdFitted['nets'] = [];
  const stages: StageReport[] = [];
  const disposeLater: tf.LayersModel[] = [];
  try {
    const archBinary = defaultArchitecture('pd', c.profile, c.filters);
    let model = buildSincPdModel(archBinary, deriveSeed(c.seed, 'binary'));
    disposeLater.push(model);
    const bandsAtInit = bandReport(c.profile, bankOf(model), archBinary.fs, archBinary.kernelLength);
    stages.push(await trainStage('binary', model, archBinary, binary(train), binary(validation), c, hooks));
    nets.push({ stage: 'binary', net: storeNet(model, archBinary) });
    let arch = archBinary;
    let pruning: SensorPruning[] | null = null;
    if (c.prune) {
      pruning = pruneFilterBank(c.profile, bankOf(model), { kOverride: c.kOverride, representative: c.representative, seed: deriveSeed(c.seed, 'kmeans') });
      arch = { ...archBinary, filtersPerSensor: pruning.map((p) => p.k), initialSinc: pruning.map((p) => ({ w1: p.w1, w2: p.w2 })) };
      // A new model: pruned sinc layers, every other layer freshly initialised (as [C]).
      model = buildSincPdModel(arch, deriveSeed(c.seed, 'binary-pruned'));
      disposeLater.push(model);
      stages.push(await trainStage('binary-pruned', model, arch, binary(train), binary(validation), c, hooks));
      nets.push({ stage: 'binary-pruned', net: storeNet(model, arch) });
    }
    if (c.task === 'severity') {
      const front = model;
      const archSev: SincPdArchitecture = {
        ...defaultArchitecture('severity', c.profile), filtersPerSensor: [...arch.filtersPerSensor],
        initialSinc: bankOf(front).map((b) => ({ w1: Array.from(b.w1), w2: Array.from(b.w2) })), frozenFrontEnd: true,
      };
      model = buildSincPdModel(archSev, deriveSeed(c.seed, 'severity'));
      disposeLater.push(model);
      // The LayerNorm of the front end comes along with the sinc weights (§3.6: the first 35 layers, frozen).
      for (let s = 1; s <= SENSORS; s++) model.getLayer(`layernorm_s${s}`).setWeights(front.getLayer(`layernorm_s${s}`).getWeights());
      stages.push(await trainStage('severity', model, archSev, train, validation, c, hooks));
      nets.push({ stage: 'severity', net: storeNet(model, archSev) });
      arch = archSev;
    }
    const bandsAfterTraining = bandReport(c.profile, bankOf(model), arch.fs, arch.kernelLength);
    return { config: c, nets, stages, pruning, bandsAtInit, bandsAfterTraining, backend };
  } finally {
    for (const m of disposeLater) m.dispose();
  }
}

/** Rebuilds a stored network (weights by name); the caller disposes the model. */
export function restoreNet(net: StoredNet): tf.LayersModel {
  const model = buildSincPdModel(net.architecture, 0);
  writeNamedWeights(model, new Map(net.weights.map((w) => [w.name, w.values])));
  return model;
}

export interface SincPdPrediction {
  task: SincPdTask;
  /** Class values: [0, 1] (control, PD) or [0, 2, 2.5, 3] (H&Y). */
  classValues: number[];
  /** Per segment, row-major [n, classes]. */
  probabilities: Float32Array;
  n: number;
}

/** Per-segment class probabilities of the final (or a named stage's) network, on standardised segments [n, 8, 1000]. */
export function predictSincPd(fitted: Pick<SincPdFitted, 'nets'>, x: Float32Array, stage?: StageReport['stage']): SincPdPrediction {
  const entry = stage ? fitted.nets.find((n) => n.stage === stage) : fitted.nets[fitted.nets.length - 1];
  if (!entry) throw new Error(`SincPD: the model has no ${stage} network (it has ${fitted.nets.map((n) => n.stage).join(', ')})`);
  const arch = entry.net.architecture;
  const size = SENSORS * arch.segmentLength;
  if (x.length === 0 || x.length % size !== 0) throw new Error(`SincPD predict: x has ${x.length} values, not a whole number of 8 × ${arch.segmentLength} segments`);
  const model = restoreNet(entry.net);
  try {
    const n = x.length / size;
    return {
      task: arch.task, classValues: arch.task === 'pd' ? [0, 1] : [...SEVERITY_HY], probabilities: predictProbabilities(model, arch, { x, n }), n,
    };
  } finally {
    model.dispose();
  }
}
