// Training loop of the three autoencoders (methods-spec §5.2.5): Adam (lr 1e-3, β 0.9/0.999, ε 1e-8 set
// explicitly), batch 32 reshuffled each epoch, a final partial batch kept when it holds ≥ 2 samples, a
// non-finite loss aborts with its epoch and batch, and early stopping on the subject-held-out validation loss
// (improvement = below best·(1 − 1e-4), patience 10, best weights restored). All randomness is drawn in JS from
// seeded streams, so the cpu backend reproduces the weights exactly.
import * as tf from '@tensorflow/tfjs';
import { seededNormal, seededRandom } from '../../../src-shared/random';
import { deriveSeed, shuffleInPlace } from '../../../src-shared/sae/subject-split';
import { saeBaselineLossFused, saeLoss, svaeLoss, encode, decode, DEFAULT_LOSS_WEIGHTS, type SaeLossWeights, type SaeModelKind, type SaeParams, type SaeReductions } from './losses';

export interface SaeTrainOptions {
  kind: SaeModelKind;
  reductions: SaeReductions;
  latent: number;
  weights: SaeLossWeights;
  learningRate: number;
  batchSize: number;
  maxEpochs: number;
  /** null: run exactly maxEpochs and keep the last weights (replication preset). */
  earlyStopping: { patience: number; minRelativeImprovement: number } | null;
  seed: number;
}

export const DEFAULT_TRAIN_OPTIONS: Omit<SaeTrainOptions, 'kind'> = {
  reductions: 'paper', latent: 100, weights: DEFAULT_LOSS_WEIGHTS, learningRate: 1e-3, batchSize: 32, maxEpochs: 100,
  earlyStopping: { patience: 10, minRelativeImprovement: 1e-4 }, seed: 42,
};

/** Scaled model inputs, row-major float32, and which rows train and validate. */
export interface SaeTrainData {
  x: Float32Array;
  rows: number;
  dim: number;
  train: readonly number[];
  validation: readonly number[];
}

/** Fitted weights as plain arrays: W is k × D row-major (encoder rows, decoder atoms). */
export interface SaeWeights {
  kind: SaeModelKind;
  reductions: SaeReductions;
  latent: number;
  dim: number;
  W: Float32Array;
  be: Float32Array;
  bd: Float32Array;
  V?: Float32Array;
  bv?: Float32Array;
}

export interface SaeTrainResult {
  weights: SaeWeights;
  bestEpoch: number;
  epochsRun: number;
  trainLoss: number[];
  validationLoss: number[];
  stoppedEarly: boolean;
}

export interface SaeTrainHooks {
  signal?: AbortSignal;
  onProgress?(p: { stage: string; fraction: number }): void;
}

export class NonFiniteLossError extends Error {
  constructor(readonly epoch: number, readonly batch: number, readonly value: number) {
    super(`sae training: the loss is ${value} at epoch ${epoch}, batch ${batch}; stopped (lower the learning rate or check the input scaling)`);
    this.name = 'NonFiniteLossError';
  }
}

/** Glorot-uniform W ~ U(−a, a), a = √(6/(D + k)), from the seed's init stream; biases zero; V zero (§5.2.4). */
export function initialWeights(kind: SaeModelKind, reductions: SaeReductions, latent: number, dim: number, seed: number): SaeWeights {
  const random = seededRandom(deriveSeed(seed, 'init'));
  const a = Math.sqrt(6 / (dim + latent));
  const W = Float32Array.from({ length: latent * dim }, () => (2 * random() - 1) * a);
  const w: SaeWeights = { kind, reductions, latent, dim, W, be: new Float32Array(latent), bd: new Float32Array(dim) };
  // The released-code SVAE (reductions 'code') has no variance head: log σ² ≡ 0.
  if (kind === 'svae' && reductions === 'paper') { w.V = new Float32Array(latent * dim); w.bv = new Float32Array(latent); }
  return w;
}

interface Variables { W: tf.Variable<tf.Rank.R2>; be: tf.Variable<tf.Rank.R1>; bd: tf.Variable<tf.Rank.R1>; V?: tf.Variable<tf.Rank.R2>; bv?: tf.Variable<tf.Rank.R1> }

function toVariables(w: SaeWeights): Variables {
  // tidy disposes the tensors the variables are made from (the variables themselves survive it).
  return tf.tidy(() => makeVariables(w) as unknown as tf.TensorContainerObject) as unknown as Variables;
}

function makeVariables(w: SaeWeights): Variables {
  const v: Variables = {
    W: tf.variable(tf.tensor2d(w.W, [w.latent, w.dim]), true, undefined, 'float32'),
    be: tf.variable(tf.tensor1d(w.be), true, undefined, 'float32'),
    bd: tf.variable(tf.tensor1d(w.bd), true, undefined, 'float32'),
  };
  // The released-code SVAE has no variance head (log σ² ≡ 0), so V is trained only in the default variant.
  if (w.kind === 'svae' && w.reductions === 'paper') {
    v.V = tf.variable(tf.tensor2d(w.V!, [w.latent, w.dim]), true, undefined, 'float32');
    v.bv = tf.variable(tf.tensor1d(w.bv!), true, undefined, 'float32');
  }
  return v;
}

function snapshot(v: Variables, base: SaeWeights): SaeWeights {
  const out: SaeWeights = { ...base, W: Float32Array.from(v.W.dataSync()), be: Float32Array.from(v.be.dataSync()), bd: Float32Array.from(v.bd.dataSync()) };
  if (v.V && v.bv) { out.V = Float32Array.from(v.V.dataSync()); out.bv = Float32Array.from(v.bv.dataSync()); }
  return out;
}

function batchLoss(kind: SaeModelKind, reductions: SaeReductions, X: tf.Tensor2D, p: SaeParams, w: SaeLossWeights, eps: tf.Tensor2D | null): tf.Scalar {
  if (kind === 'svae') return svaeLoss(X, eps ?? tf.zeros([X.shape[0], p.W.shape[0]]), p, w, reductions).total;
  // The baseline's loss with its gradient written out (the same value and gradients, test/sae/fused-loss.test.ts):
  // a step ≈ 1.2–1.3× faster on wasm than autograd through the loss as written.
  if (kind === 'sae') return saeBaselineLossFused(X, p, w, reductions);
  return saeLoss(kind, X, p, w, reductions).total;
}

/** The rows of a batch copied out of the float32 matrix: on wasm this is several times faster than tf.gather. */
function batchTensor(x: Float32Array, dim: number, idx: readonly number[]): tf.Tensor2D {
  const out = new Float32Array(idx.length * dim);
  idx.forEach((r, i) => out.set(x.subarray(r * dim, (r + 1) * dim), i * dim));
  return tf.tensor2d(out, [idx.length, dim]);
}

/** Validation loss: consecutive unshuffled batches, a final batch of < 2 skipped, mean over batches; SVAE at z = μ. */
function validationLoss(o: SaeTrainOptions, data: SaeTrainData, rows: readonly number[], v: Variables): number {
  let sum = 0;
  let batches = 0;
  for (let start = 0; start < rows.length; start += o.batchSize) {
    const idx = rows.slice(start, start + o.batchSize);
    if (idx.length < 2) continue;
    const value = tf.tidy(() => {
      const X = batchTensor(data.x, data.dim, idx);
      return batchLoss(o.kind, o.reductions, X, v, o.weights, null).dataSync()[0];
    });
    sum += value;
    batches++;
  }
  return batches > 0 ? sum / batches : NaN;
}

export async function trainSae(data: SaeTrainData, o: SaeTrainOptions, hooks: SaeTrainHooks = {}): Promise<SaeTrainResult> {
  if (data.x.length !== data.rows * data.dim) throw new RangeError(`sae training: ${data.x.length} values are not ${data.rows} rows × ${data.dim}`);
  if (data.train.length < 2) throw new RangeError(`sae training: ${data.train.length} training samples, at least 2 are needed`);
  const init = initialWeights(o.kind, o.reductions, o.latent, data.dim, o.seed);
  const shuffle = seededRandom(deriveSeed(o.seed, 'shuffle'));
  const normal = seededNormal(deriveSeed(o.seed, 'sampling'));
  const v = toVariables(init);
  const trainable = [v.W, v.be, v.bd, ...(v.V && v.bv ? [v.V, v.bv] : [])];
  const optimizer = tf.train.adam(o.learningRate, 0.9, 0.999, 1e-8);
  const order = [...data.train];
  const trainLoss: number[] = [];
  const validationLosses: number[] = [];
  const useValidation = o.earlyStopping !== null && data.validation.length >= 2;
  let best = { loss: Infinity, epoch: 0, weights: init };
  let stale = 0;
  let stoppedEarly = false;
  try {
    for (let epoch = 1; epoch <= o.maxEpochs; epoch++) {
      shuffleInPlace(order, shuffle);
      let sum = 0;
      let batches = 0;
      for (let start = 0, b = 1; start < order.length; start += o.batchSize, b++) {
        const idx = order.slice(start, start + o.batchSize);
        if (idx.length < 2) continue;
        const eps = o.kind === 'svae' ? tf.tensor2d(Float32Array.from({ length: idx.length * o.latent }, normal), [idx.length, o.latent]) : null;
        const X = batchTensor(data.x, data.dim, idx);
        const cost = optimizer.minimize(() => batchLoss(o.kind, o.reductions, X, v, o.weights, eps), true, trainable);
        X.dispose();
        eps?.dispose();
        const value = cost!.dataSync()[0];
        cost!.dispose();
        if (!Number.isFinite(value)) throw new NonFiniteLossError(epoch, b, value);
        sum += value;
        batches++;
      }
      trainLoss.push(sum / batches);
      const val = useValidation ? validationLoss(o, data, data.validation, v) : NaN;
      validationLosses.push(val);
      if (useValidation) {
        if (val < best.loss * (1 - o.earlyStopping!.minRelativeImprovement)) {
          best = { loss: val, epoch, weights: snapshot(v, init) };
          stale = 0;
        } else if (++stale >= o.earlyStopping!.patience) {
          stoppedEarly = true;
        }
      }
      hooks.onProgress?.({
        stage: `epoch ${epoch}/${o.maxEpochs}: train loss ${trainLoss[epoch - 1].toFixed(4)}${useValidation ? `, validation ${val.toFixed(4)}` : ''}`,
        fraction: epoch / o.maxEpochs,
      });
      // Yield each epoch so the worker's heartbeat and cancel messages are handled.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (hooks.signal?.aborted) throw hooks.signal.reason instanceof Error ? hooks.signal.reason : new Error('cancelled');
      if (stoppedEarly) break;
    }
    const epochsRun = trainLoss.length;
    if (!useValidation) best = { loss: NaN, epoch: epochsRun, weights: snapshot(v, init) };
    return { weights: best.weights, bestEpoch: best.epoch, epochsRun, trainLoss, validationLoss: validationLosses, stoppedEarly };
  } finally {
    for (const t of trainable) t.dispose();
    optimizer.dispose();
  }
}

/** Codes of every row (SAE: ReLU activations; SVAE: μ), row-major rows × k, in chunks to bound memory. */
export function encodeRows(w: SaeWeights, x: Float32Array, rows: number): Float32Array {
  return mapRows(w, x, rows, w.latent, (X, p) => encode(w.kind, X, p));
}

/** Reconstructions X̂ in scaled space (SVAE at z = μ). */
export function reconstructRows(w: SaeWeights, x: Float32Array, rows: number): Float32Array {
  return mapRows(w, x, rows, w.dim, (X, p) => decode(encode(w.kind, X, p), p));
}

function mapRows(w: SaeWeights, x: Float32Array, rows: number, outDim: number, f: (X: tf.Tensor2D, p: SaeParams) => tf.Tensor2D): Float32Array {
  if (x.length !== rows * w.dim) throw new RangeError(`the model takes ${w.dim} coefficients per sample; the data has ${rows > 0 ? x.length / rows : 0}`);
  const out = new Float32Array(rows * outDim);
  const chunk = 4096;
  tf.tidy(() => {
    const p: SaeParams = { W: tf.tensor2d(w.W, [w.latent, w.dim]), be: tf.tensor1d(w.be), bd: tf.tensor1d(w.bd) };
    for (let start = 0; start < rows; start += chunk) {
      const n = Math.min(chunk, rows - start);
      const y = tf.tidy(() => f(tf.tensor2d(x.subarray(start * w.dim, (start + n) * w.dim), [n, w.dim]), p).dataSync());
      out.set(y, start * outDim);
    }
  });
  return out;
}
