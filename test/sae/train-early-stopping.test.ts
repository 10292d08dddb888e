// Early stopping and the non-finite-loss abort of the SAE training loop (methods-spec §5.2.5), QUICK SETTINGS:
// a small synthetic set (300 samples of 30 subjects) that a 100-feature SAE overfits within a few dozen epochs.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../../src-main/compute/tfjs/backend';
import { trainSae, NonFiniteLossError, DEFAULT_TRAIN_OPTIONS } from '../../src-main/methods/sae/train';
import { saeLoss, DEFAULT_LOSS_WEIGHTS } from '../../src-main/methods/sae/losses';
import { syntheticDictionaryData } from '../../src-shared/sae/synthetic';
import { subjectGroupedSplit } from '../../src-shared/sae/subject-split';

before(async () => { await initTfjsBackend(); });

test('early stopping: stops 10 epochs after the best validation loss and returns the weights of that epoch', async () => {
  const rows = 300;
  const x = Float32Array.from(syntheticDictionaryData(rows, 135, 20, 3, 3), (v) => v * 3);
  const subjects = Array.from({ length: rows }, (_, i) => `S${i % 30}`);
  const split = subjectGroupedSplit(subjects, 42);
  const fit = await trainSae({ x, rows, dim: 135, train: split.train, validation: split.validation },
    { ...DEFAULT_TRAIN_OPTIONS, kind: 'sae', learningRate: 1e-2, maxEpochs: 300 });
  console.log(`stopped early: ${fit.stoppedEarly}, best epoch ${fit.bestEpoch} of ${fit.epochsRun}, best validation loss ${fit.validationLoss[fit.bestEpoch - 1].toFixed(4)}`);
  assert.ok(fit.stoppedEarly, `ran all ${fit.epochsRun} epochs`);
  assert.equal(fit.epochsRun - fit.bestEpoch, 10, 'patience 10');
  const best = fit.validationLoss[fit.bestEpoch - 1];
  assert.ok(fit.validationLoss.every((v) => v >= best * (1 - 1e-4)), 'the best epoch holds the lowest validation loss (within the improvement threshold)');
  // The returned weights are that epoch's: their validation loss (same batches) equals the recorded best.
  const again = tf.tidy(() => {
    const p = { W: tf.tensor2d(fit.weights.W, [100, 135]), be: tf.tensor1d(fit.weights.be), bd: tf.tensor1d(fit.weights.bd) };
    let sum = 0;
    let n = 0;
    for (let s = 0; s < split.validation.length; s += 32) {
      const idx = split.validation.slice(s, s + 32);
      if (idx.length < 2) continue;
      const X = tf.tensor2d(Float32Array.from(idx.flatMap((r) => Array.from(x.subarray(r * 135, (r + 1) * 135)))), [idx.length, 135]);
      sum += saeLoss('sae', X, p, DEFAULT_LOSS_WEIGHTS, 'paper').total.dataSync()[0];
      n++;
    }
    return sum / n;
  });
  assert.ok(Math.abs(again - best) <= 1e-5 * Math.abs(best), `restored weights give ${again}, best was ${best}`);
});

test('a non-finite loss aborts with its epoch and batch', async () => {
  const x = new Float32Array(64 * 135).fill(1e30);
  const all = Array.from({ length: 64 }, (_, i) => i);
  await assert.rejects(trainSae({ x, rows: 64, dim: 135, train: all, validation: [] }, { ...DEFAULT_TRAIN_OPTIONS, kind: 'sae', maxEpochs: 5, earlyStopping: null }),
    (e: unknown) => e instanceof NonFiniteLossError && e.epoch === 1 && e.batch === 1 && /the loss is (Infinity|NaN) at epoch 1, batch 1/.test(e.message));
});
