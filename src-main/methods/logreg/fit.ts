// Multinomial logistic regression trained with Adam on mini-batches (softmax cross-entropy + L2), in tfjs.
// Weights start at zero (the loss is convex, so no random initialisation is needed); only the batch order
// is random, drawn from the seed, so a fit is reproducible on one backend.
import * as tf from '@tensorflow/tfjs';
import { classificationMetrics } from './metrics';
import type { LogRegParams } from './params';
import { argmaxRows, predictProbabilities } from './predict';
import { seededRandom } from '../../../src-shared/random';
import { shuffleInPlace, subjectGroupedSplit } from './split';
import { featureMeanSd, standardiseRows } from './standardise';
import type { CurveDataset, LogRegState } from './state';

export interface FitHooks {
  signal?: AbortSignal;
  onProgress?(p: { stage: string; fraction: number }): void;
}

export interface LogRegFit {
  state: LogRegState;
  metrics: { testAccuracy: number; trainAccuracy: number; finalLoss: number; epochs: number; trainRows: number; testRows: number };
}

function classIndex(labels: readonly string[]): { classNames: string[]; y: Int32Array } {
  const classNames = [...new Set(labels)].sort();
  const index = new Map(classNames.map((c, i) => [c, i]));
  return { classNames, y: Int32Array.from(labels, (l) => index.get(l)!) };
}

function stopIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('cancelled');
}

export async function fitLogisticRegression(data: CurveDataset, p: LogRegParams, seed: number, hooks: FitHooks = {}): Promise<LogRegFit> {
  const { classNames, y } = classIndex(data.labels);
  if (classNames.length < 2) throw new RangeError(`LogisticRegression: the data has ${classNames.length} class, at least 2 are needed`);
  const split = subjectGroupedSplit(data.labels, data.subjects, p.testFraction, seed);
  if (split.test.length === 0) throw new RangeError('LogisticRegression: no test subjects (each class needs at least 2 subjects)');
  const F = data.features;
  const K = classNames.length;
  const { mean, sd } = featureMeanSd(data.x, F, split.train);
  const zTrain = standardiseRows(data.x, F, split.train, mean, sd);
  const yTrain = Int32Array.from(split.train, (r) => y[r]);
  const n = split.train.length;

  const xT = tf.tensor2d(zTrain, [n, F]);
  const yT = tf.tidy(() => tf.oneHot(tf.tensor1d(yTrain, 'int32'), K).toFloat());
  // tidy disposes the zero tensors the variables are made from (variables themselves survive a tidy).
  const W = tf.tidy(() => tf.variable(tf.zeros([F, K]), true, undefined, 'float32'));
  const b = tf.tidy(() => tf.variable(tf.zeros([K]), true, undefined, 'float32'));
  const optimizer = tf.train.adam(p.learningRate);
  const random = seededRandom(seed ^ 0x5eed);
  const order = Array.from({ length: n }, (_, i) => i);
  let finalLoss = NaN;
  try {
    for (let epoch = 0; epoch < p.epochs; epoch++) {
      shuffleInPlace(order, random);
      let lossSum = 0;
      for (let start = 0; start < n; start += p.batchSize) {
        const batch = tf.tensor1d(order.slice(start, start + p.batchSize), 'int32');
        const cost = optimizer.minimize(() => tf.tidy(() => {
          const logits = tf.gather(xT, batch).matMul(W).add(b);
          const ce = tf.losses.softmaxCrossEntropy(tf.gather(yT, batch), logits);
          return ce.add(W.square().sum().mul(p.l2 / 2)) as tf.Scalar;
        }), true, [W, b]);
        batch.dispose();
        if (cost) {
          lossSum += cost.dataSync()[0] * Math.min(p.batchSize, n - start);
          cost.dispose();
        }
      }
      finalLoss = lossSum / n;
      hooks.onProgress?.({ stage: `epoch ${epoch + 1}/${p.epochs} (loss ${finalLoss.toFixed(4)})`, fraction: (epoch + 1) / p.epochs });
      // Yield to the event loop each epoch: the worker's heartbeat and cancel checks run here.
      await new Promise<void>((resolve) => setImmediate(resolve));
      stopIfAborted(hooks.signal);
    }
    const state: LogRegState = {
      features: F, classes: K, classNames, channels: data.channels, points: data.points,
      mean: Float32Array.from(mean), sd: Float32Array.from(sd),
      weights: Float32Array.from(W.dataSync()), bias: Float32Array.from(b.dataSync()),
      split, backend: tf.getBackend(), confusion: [], counts: [],
    };
    const accuracyOn = (rows: number[]) => {
      const xs = new Float32Array(rows.length * F);
      rows.forEach((r, i) => xs.set(data.x.subarray(r * F, (r + 1) * F), i * F));
      return classificationMetrics(Int32Array.from(rows, (r) => y[r]), argmaxRows(predictProbabilities(state, xs, rows.length), K), K);
    };
    const test = accuracyOn(split.test);
    const train = accuracyOn(split.train);
    state.confusion = test.confusion;
    state.counts = test.counts;
    return {
      state,
      metrics: { testAccuracy: test.accuracy, trainAccuracy: train.accuracy, finalLoss, epochs: p.epochs, trainRows: split.train.length, testRows: split.test.length },
    };
  } finally {
    xT.dispose();
    yT.dispose();
    W.dispose();
    b.dispose();
    optimizer.dispose();
  }
}
