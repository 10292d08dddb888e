// The loop of the paper's training rule around the one SGD step (train-step.test.ts checks the step): batches of 5
// distinct trials drawn uniformly (§1.4), validation every `validateEvery` iterations, the best state of a phase
// (lowest validation L1, ties → later) kept and restored at its end, early stopping after `patience` evaluations
// without improvement (§5.1.4). Tiny synthetic data and a short schedule, so these are loop checks, not accuracy.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { modelPlan, SAMPLES } from '../../../src-shared/methods/horst/architectures';
import { uniformStream } from '../../../src-shared/methods/horst/random';
import type { Schedule } from '../../../src-shared/methods/horst/schedule';
import { initTfjsBackend } from '../../../src-main/compute/tfjs/backend';
import { createVariables, networkLogits } from '../../../src-main/methods/horst/network';
import { batchDrawer, trainNetwork, type Evaluation } from '../../../src-main/methods/horst/train-network';

test('batches: 5 distinct indices of 0..n−1, every index drawn equally often (n = 7, 20 000 batches)', () => {
  const n = 7;
  const draw = batchDrawer(n, 5, uniformStream(1234, 'test-batches'));
  const counts = new Array<number>(n).fill(0);
  const draws = 20_000;
  for (let i = 0; i < draws; i++) {
    const batch = draw();
    assert.equal(new Set(batch).size, 5);
    for (const b of batch) { assert.ok(b >= 0 && b < n); counts[b]++; }
  }
  // Each index is in a batch with probability 5/7; binomial SD ≈ 64, so ±5 SD.
  const expected = (draws * 5) / n;
  counts.forEach((c, i) => assert.ok(Math.abs(c - expected) < 320, `index ${i}: ${c} vs ${expected.toFixed(0)}`));
});

/** Three classes of one-channel curves: a class-specific sine plus noise. */
function curves(perClass: number, seed: number, shuffleLabels: boolean): { x: Float32Array; y: Int32Array } {
  const u = uniformStream(seed, 'curves');
  const x = new Float32Array(3 * perClass * SAMPLES);
  const y = new Int32Array(3 * perClass);
  for (let r = 0; r < y.length; r++) {
    const k = r % 3;
    y[r] = shuffleLabels ? Math.floor(u() * 3) : k;
    for (let t = 0; t < SAMPLES; t++) x[r * SAMPLES + t] = 0.6 * Math.sin((k + 1) * Math.PI * t / 100) + 0.4 * (u() - 0.5);
  }
  return { x, y };
}

function validationL1Of(weights: Parameters<typeof createVariables>[1], x: Float32Array, y: Int32Array): number {
  const plan = modelPlan('mlp3-64', 1, 3);
  const vars = createVariables(plan, weights);
  const l1 = tf.tidy(() => tf.softmax(networkLogits(plan, vars, tf.tensor2d(x, [y.length, SAMPLES])))
    .sub(tf.oneHot(tf.tensor1d(y, 'int32'), 3).toFloat()).abs().sum(1).mean().dataSync()[0]);
  for (const v of vars) { v.weight.dispose(); v.bias.dispose(); }
  return l1;
}

test('phases: evaluations every 10 iterations, best = lowest L1 (ties → later), early stop after patience, best state restored', async () => {
  await initTfjsBackend();
  const schedule: Schedule = { name: 'smoke', learningRates: [5e-2, 1e-2], maxIterationsPerPhase: 400, validateEvery: 10, patience: 4, batchSize: 5 };
  const train = curves(10, 1, false);
  let stops = 0;
  // Validation curves of the same classes (the net learns), then with random labels (L1 wanders: early stops).
  for (const validation of [curves(5, 2, false), curves(5, 3, true)]) {
    const seen: Evaluation[] = [];
    const fit = await trainNetwork(modelPlan('mlp3-64', 1, 3), train, validation, schedule, { seed: 7, run: 0 }, { onEvaluate: (e) => seen.push(e) });
    assert.equal(fit.phases.length, 2);
    fit.phases.forEach((p, phase) => {
      const evals = seen.filter((e) => e.phase === phase);
      assert.deepEqual(evals.map((e) => e.iteration), Array.from({ length: Math.floor(p.iterations / 10) }, (_, i) => 10 * (i + 1)));
      const lowest = Math.min(...evals.map((e) => e.l1));
      const last = evals.map((e) => e.l1).lastIndexOf(lowest);
      assert.equal(p.bestL1, lowest);
      assert.equal(p.bestIteration, evals[last].iteration, 'ties → the later evaluation');
      // (A phase may stop early at its very last iteration, so stoppedEarly is not `iterations < max`.)
      if (p.iterations < schedule.maxIterationsPerPhase) assert.ok(p.stoppedEarly);
      if (p.stoppedEarly) {
        stops++;
        assert.equal(evals.length - 1 - last, schedule.patience, 'stops at the patience-th evaluation without improvement');
      } else {
        assert.equal(p.iterations, schedule.maxIterationsPerPhase);
        assert.ok(evals.length - 1 - last < schedule.patience);
      }
      evals.forEach((e) => assert.ok(e.accuracy >= 0 && e.accuracy <= 1));
    });
    // The returned weights are the last phase's best state: its validation L1 again (float32 tolerance).
    const again = validationL1Of(fit.weights, validation.x, validation.y);
    assert.ok(Math.abs(again - fit.phases[1].bestL1) < 1e-5, `restored state's L1 ${again} vs best ${fit.phases[1].bestL1}`);
  }
  assert.ok(stops > 0, 'at least one phase stopped early (random validation labels)');
});
