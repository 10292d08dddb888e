// The baseline SAE loss with its hand-written gradient (losses.ts saeBaselineLossFused) against tfjs autograd of the
// loss as §5.2.4 writes it (saeLoss, G-L1-checked): the same value and the same gradients of W, b_e and b_d, for
// both reductions, on the G-L1 inputs and on random batches with dead units (ρ̂ = 0) and saturated ones (ρ̂ > 1).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../../src-main/compute/tfjs/backend';
import { saeBaselineLossFused, saeLoss, DEFAULT_LOSS_WEIGHTS, type SaeParams, type SaeReductions } from '../../src-main/methods/sae/losses';
import { seededNormal } from '../../src-shared/random';

before(async () => { await initTfjsBackend({ order: ['cpu'] }); });

function compare(X: tf.Tensor2D, W: tf.Tensor2D, be: tf.Tensor1D, bd: tf.Tensor1D, reductions: SaeReductions, what: string): void {
  const autograd = tf.grads((w: tf.Tensor, b: tf.Tensor, d: tf.Tensor) => saeLoss('sae', X, { W: w, be: b, bd: d } as SaeParams, DEFAULT_LOSS_WEIGHTS, reductions).total);
  const fused = tf.grads((w: tf.Tensor, b: tf.Tensor, d: tf.Tensor) => saeBaselineLossFused(X, { W: w, be: b, bd: d } as SaeParams, DEFAULT_LOSS_WEIGHTS, reductions));
  const value = saeLoss('sae', X, { W, be, bd }, DEFAULT_LOSS_WEIGHTS, reductions).total.dataSync()[0];
  const fusedValue = saeBaselineLossFused(X, { W, be, bd }, DEFAULT_LOSS_WEIGHTS, reductions).dataSync()[0];
  assert.ok(Math.abs(fusedValue - value) <= 1e-6 * Math.abs(value), `${what} value: ${fusedValue} vs ${value}`);
  const a = autograd([W, be, bd]);
  const b = fused([W, be, bd]);
  ['W', 'b_e', 'b_d'].forEach((name, i) => {
    const x = a[i].dataSync(), y = b[i].dataSync();
    const scale = Math.max(...Array.from(x, Math.abs), 1e-12);
    let worst = 0;
    for (let j = 0; j < x.length; j++) worst = Math.max(worst, Math.abs(x[j] - y[j]));
    assert.ok(worst <= 1e-5 * scale, `${what} ∂${name}: max difference ${worst} of max |grad| ${scale}`);
  });
}

test('G-L1 inputs: the fused loss has saeLoss\'s value and gradients, paper and code reductions', () => {
  tf.tidy(() => {
    const X = tf.tensor2d([[1, 0.5, -0.5], [0.2, -0.1, 0.3], [-0.4, 0.8, 0.6], [0, 0, 1]]);
    const W = tf.tensor2d([[0.5, -0.25, 0.1], [-0.3, 0.2, 0.4]]);
    for (const r of ['paper', 'code'] as const) compare(X, W, tf.tensor1d([0.05, -0.02]), tf.tensor1d([0.01, 0, -0.01]), r, `G-L1 ${r}`);
  });
});

test('random batches of 32 × 40 with 12 features: a dead unit, a saturated unit (ρ̂ > 1) and ordinary ones', () => {
  tf.tidy(() => {
    const normal = seededNormal(11);
    const X = tf.tensor2d(Float32Array.from({ length: 32 * 40 }, () => normal()), [32, 40]);
    const W = tf.tensor2d(Float32Array.from({ length: 12 * 40 }, () => 0.2 * normal()), [12, 40]);
    const beValues = Float32Array.from({ length: 12 }, () => 0.1 * normal());
    beValues[0] = -100; // dead: never active, ρ̂ = 0
    beValues[1] = 5; // saturated: ρ̂ ≈ 5 > 1
    for (const r of ['paper', 'code'] as const) compare(X, W, tf.tensor1d(beValues), tf.tensor1d(Float32Array.from({ length: 40 }, () => 0.1 * normal())), r, `random ${r}`);
  });
});
