// The paper's training rule for the networks (spec §1.4, §5.1.4): plain SGD on the gradient of the batch-summed
// loss scaled per parameter group (update-scale.ts), batches of 5 distinct training trials drawn uniformly each
// iteration, three learning-rate phases, validation L1 every `validateEvery` iterations, the best state of a
// phase (ties → later) restored at its end, early stopping after `patience` evaluations without improvement.
import * as tf from '@tensorflow/tfjs';
import { initialWeights, type LayerWeights, type ModelPlan } from '../../../src-shared/methods/horst/architectures';
import { normalStream, uniformStream } from '../../../src-shared/methods/horst/random';
import type { Schedule } from '../../../src-shared/methods/horst/schedule';
import { updateScales } from '../../../src-shared/methods/horst/update-scale';
import { denseSgdStep, denseSgdStepAvailable } from '../../compute/tfjs/ops/dense-sgd-step';
import { batchSummedLoss, createVariables, networkLogits, networkOutputs, readWeights, type NetworkVariables } from './network';

export interface TrainingData {
  /** rows × 101·C, already scaled (§5.1.2). */
  x: Float32Array;
  y: Int32Array;
}

export interface PhaseRecord {
  learningRate: number;
  iterations: number;
  bestIteration: number;
  bestL1: number;
  stoppedEarly: boolean;
}

export interface NetworkFit {
  weights: LayerWeights[];
  phases: PhaseRecord[];
}

/** One validation of the schedule (every `validateEvery` iterations): its phase (0-based), iteration in the phase. */
export interface Evaluation {
  phase: number;
  iteration: number;
  l1: number;
  /** Share of validation trials whose argmax output is their label. */
  accuracy: number;
}

export interface TrainHooks {
  signal?: AbortSignal;
  /** Fraction of the schedule's maximum iterations done. */
  onProgress?(fraction: number): void;
  /** Called at every validation, for learning curves (bench/horst-rule-curves.ts); costs one argmax per trial. */
  onEvaluate?(e: Evaluation): void;
}

/** The initial weights of a run: N(0, 1/fan-in) from the (seed, 'init', kind, run) stream (§5.1.4). */
export function initialNetworkWeights(plan: ModelPlan, streams: { seed: number; run: number }): LayerWeights[] {
  return initialWeights(plan, normalStream(streams.seed, 'init', plan.kind, streams.run));
}

/**
 * Batches of `size` distinct indices of 0..n−1, each drawn uniformly by a partial Fisher–Yates over one index pool
 * that persists between batches (and phases), from the (seed, 'batches', kind, run) stream.
 */
export function batchDrawer(n: number, size: number, uniform: () => number): () => Int32Array {
  const pool = Int32Array.from({ length: n }, (_, i) => i);
  return () => {
    const batch = new Int32Array(size);
    for (let b = 0; b < size; b++) {
      const j = b + Math.floor(uniform() * (n - b));
      const t = pool[b]; pool[b] = pool[j]; pool[j] = t;
      batch[b] = pool[b];
    }
    return batch;
  };
}

export function networkBatches(plan: ModelPlan, n: number, schedule: Schedule, streams: { seed: number; run: number }): () => Int32Array {
  return batchDrawer(n, schedule.batchSize, uniformStream(streams.seed, 'batches', plan.kind, streams.run));
}

/**
 * One SGD step θ ← θ − η·s_θ·G_θ on a given batch; exported for the golden one-step test. A network of dense
 * layers (the MLPs, linear-sgd) runs as one fused kernel where the backend has it (ops/dense-sgd-step.ts: the
 * weight gradients are never materialised, which at batch 5 is where the time goes); otherwise, and for the CNNs,
 * the tfjs composition below.
 */
export function sgdStep(plan: ModelPlan, vars: readonly NetworkVariables[], x: tf.Tensor2D, oneHot: tf.Tensor2D, learningRate: number): void {
  if (plan.input === 'vector' && plan.layers.every((layer) => layer.kind === 'dense') && denseSgdStepAvailable()) {
    const scales = updateScales(plan);
    const next = denseSgdStep(x, oneHot, vars.map((v) => ({ weight: v.weight as tf.Tensor2D, bias: v.bias as tf.Tensor1D })), {
      activations: plan.layers.map((layer) => (layer.kind === 'dense' && layer.activation === 'relu' ? 'relu' : 'linear')),
      loss: plan.kind === 'linear-sgd' ? 'halfSquaredError' : 'softmaxCrossEntropy',
      weightSteps: scales.map((s) => learningRate * s.weight),
      biasSteps: scales.map((s) => learningRate * s.bias),
    });
    if (next) {
      vars.forEach((v, l) => { v.weight.assign(next[l].weight); v.bias.assign(next[l].bias); });
      tf.dispose(next.flatMap((n) => [n.weight, n.bias]));
      return;
    }
  }
  sgdStepComposed(plan, vars, x, oneHot, learningRate);
}

/** The step as a composition of tfjs ops and its autograd, on any backend and any plan. */
export function sgdStepComposed(plan: ModelPlan, vars: readonly NetworkVariables[], x: tf.Tensor2D, oneHot: tf.Tensor2D, learningRate: number): void {
  const scales = updateScales(plan);
  tf.tidy(() => {
    const list = vars.flatMap((v) => [v.weight, v.bias]);
    const { grads } = tf.variableGrads(() => batchSummedLoss(plan, networkLogits(plan, vars, x), oneHot), list);
    vars.forEach((v, l) => {
      v.weight.assign(v.weight.sub(grads[v.weight.name].mul(learningRate * scales[l].weight)));
      v.bias.assign(v.bias.sub(grads[v.bias.name].mul(learningRate * scales[l].bias)));
    });
  });
}

/** Validation L1 of §1.4: mean over trials of Σ_k |ŷ_k − y_k|. */
function validationL1(plan: ModelPlan, vars: readonly NetworkVariables[], x: tf.Tensor2D, oneHot: tf.Tensor2D): number {
  return tf.tidy(() => networkOutputs(plan, networkLogits(plan, vars, x)).sub(oneHot).abs().sum(1).mean().dataSync()[0]);
}

function validationAccuracy(plan: ModelPlan, vars: readonly NetworkVariables[], x: tf.Tensor2D, labels: Int32Array): number {
  const predicted = tf.tidy(() => networkLogits(plan, vars, x).argMax(1).dataSync());
  let right = 0;
  predicted.forEach((p, i) => { if (p === labels[i]) right++; });
  return right / labels.length;
}

function snapshot(vars: readonly NetworkVariables[]): Float32Array[] {
  return vars.flatMap((v) => [v.weight.dataSync().slice() as Float32Array, v.bias.dataSync().slice() as Float32Array]);
}

function restore(vars: readonly NetworkVariables[], state: Float32Array[]): void {
  vars.forEach((v, l) => {
    tf.tidy(() => {
      v.weight.assign(tf.tensor(state[2 * l], v.weight.shape));
      v.bias.assign(tf.tensor(state[2 * l + 1], v.bias.shape));
    });
  });
}

export async function trainNetwork(
  plan: ModelPlan, train: TrainingData, validation: TrainingData, schedule: Schedule,
  streams: { seed: number; run: number }, hooks: TrainHooks = {},
): Promise<NetworkFit> {
  const n = train.y.length;
  if (n < schedule.batchSize) throw new RangeError(`model ${plan.kind}: ${n} training trials, fewer than a batch of ${schedule.batchSize}`);
  const width = plan.channels * 101;
  const vars = createVariables(plan, initialNetworkWeights(plan, streams));
  const nextBatch = networkBatches(plan, n, schedule, streams);
  const xTrain = tf.tensor2d(train.x, [n, width]);
  const yTrain = tf.tidy(() => tf.oneHot(tf.tensor1d(train.y, 'int32'), plan.classes).toFloat()) as tf.Tensor2D;
  const xVal = tf.tensor2d(validation.x, [validation.y.length, width]);
  const yVal = tf.tidy(() => tf.oneHot(tf.tensor1d(validation.y, 'int32'), plan.classes).toFloat()) as tf.Tensor2D;
  const phases: PhaseRecord[] = [];
  const total = schedule.learningRates.length * schedule.maxIterationsPerPhase;
  let done = 0;
  try {
    for (const learningRate of schedule.learningRates) {
      let best: Float32Array[] | null = null;
      let record: PhaseRecord = { learningRate, iterations: 0, bestIteration: 0, bestL1: Infinity, stoppedEarly: false };
      let sinceBest = 0;
      for (let it = 1; it <= schedule.maxIterationsPerPhase; it++) {
        const batch = nextBatch();
        tf.tidy(() => {
          const index = tf.tensor1d(batch, 'int32');
          sgdStep(plan, vars, tf.gather(xTrain, index), tf.gather(yTrain, index), learningRate);
        });
        record.iterations = it;
        done++;
        if (it % schedule.validateEvery === 0) {
          const l1 = validationL1(plan, vars, xVal, yVal);
          if (hooks.onEvaluate) hooks.onEvaluate({ phase: phases.length, iteration: it, l1, accuracy: validationAccuracy(plan, vars, xVal, validation.y) });
          if (best === null || l1 <= record.bestL1) {
            best = snapshot(vars);
            record = { ...record, bestIteration: it, bestL1: l1 };
            sinceBest = 0;
          } else if (++sinceBest >= schedule.patience) {
            record.stoppedEarly = true;
            break;
          }
          hooks.onProgress?.(done / total);
          // Let the event loop run so that a cancel or heartbeat gets through.
          await new Promise<void>((resolve) => setImmediate(resolve));
          if (hooks.signal?.aborted) throw hooks.signal.reason instanceof Error ? hooks.signal.reason : new Error('cancelled');
        }
      }
      if (best) restore(vars, best);
      done = phases.length * schedule.maxIterationsPerPhase + schedule.maxIterationsPerPhase;
      phases.push(record);
    }
    return { weights: readWeights(vars), phases };
  } finally {
    tf.dispose([xTrain, yTrain, xVal, yVal]);
    for (const v of vars) { v.weight.dispose(); v.bias.dispose(); }
  }
}
