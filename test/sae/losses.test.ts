// Golden tests G-L1 and G-L2 (methods-spec §5.2.4) and the clamp-gradient rule (§5.2.14), on the cpu backend.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../../src-main/compute/tfjs/backend';
import { encode, klSparsity, disentanglement, saeLoss, svaeLoss, DEFAULT_LOSS_WEIGHTS, type SaeParams } from '../../src-main/methods/sae/losses';

before(async () => { await initTfjsBackend({ order: ['cpu'] }); });

const REL = 1e-5;
function close(got: number, want: number, what: string, rel = REL): void {
  assert.ok(Math.abs(got - want) <= rel * Math.max(Math.abs(want), 1e-12), `${what}: got ${got}, want ${want}`);
}

function params(): SaeParams {
  return {
    W: tf.tensor2d([[0.5, -0.25, 0.1], [-0.3, 0.2, 0.4]]),
    be: tf.tensor1d([0.05, -0.02]),
    bd: tf.tensor1d([0.01, 0, -0.01]),
    V: tf.tensor2d([[0.1, 0, -0.2], [0, 0.3, 0.1]]),
    bv: tf.tensor1d([-0.5, 0.2]),
  };
}
const X = () => tf.tensor2d([[1, 0.5, -0.5], [0.2, -0.1, 0.3], [-0.4, 0.8, 0.6], [0, 0, 1]]);

test('G-L1: H, ρ̂, KL, covariance, disentanglement and both reductions of the SAE losses', () => {
  tf.tidy(() => {
    const p = params();
    const x = X();
    const H = encode('sae', x, p);
    const expectH = [[0.375, 0], [0.205, 0.02], [0, 0.5], [0.15, 0.38]].flat();
    Array.from(H.dataSync()).forEach((v, i) => close(v, expectH[i], `H[${i}]`));
    const rhoHat = Array.from(tf.mean(H, 0).dataSync());
    close(rhoHat[0], 0.1825, 'ρ̂0');
    close(rhoHat[1], 0.225, 'ρ̂1');
    close(klSparsity(H, 0.05).dataSync()[0], 0.196179306993, 'L_KL');
    close(disentanglement(H).dataSync()[0], 0.00236442722222, 'L_dis');
    const centred = tf.sub(H, tf.mean(H, 0, true));
    close((tf.matMul(centred, centred, true, false).div(3) as tf.Tensor2D).arraySync()[0][1], -0.034383333333, 'C01');
    const w = DEFAULT_LOSS_WEIGHTS;
    const paper = saeLoss('sae', x, p, w, 'paper');
    close(paper.reconstruction.dataSync()[0], 0.70106021875, 'L_rec paper');
    close(paper.l1.dataSync()[0], 0.4075, 'L1 paper');
    close(paper.total.dataSync()[0], 0.761428149449, 'baseline total paper');
    close(saeLoss('sae-disent', x, p, w, 'paper').total.dataSync()[0], 0.761664592171, 'disentangled total paper');
    const code = saeLoss('sae', x, p, w, 'code');
    close(code.reconstruction.dataSync()[0], 0.233686739583, 'L_rec code');
    close(code.l1.dataSync()[0], 0.20375, 'L1 code');
    close(code.total.dataSync()[0], 0.273679670283, 'baseline total code');
    close(saeLoss('sae-disent', x, p, w, 'code').total.dataSync()[0], 0.273916113005, 'disentangled total code');
  });
});

test('G-L1 clamp terms: a dead unit contributes 0.492261234553, ρ̂ ≥ 1 contributes 12.9262198367, never NaN', () => {
  tf.tidy(() => {
    close(klSparsity(tf.zeros([4, 1]), 0.05).dataSync()[0], 0.492261234553, 'dead unit', 1e-4);
    const high = klSparsity(tf.fill([4, 1], 3), 0.05).dataSync()[0];
    assert.ok(Number.isFinite(high));
    // float32 cannot hold 1 − 1e-6 exactly (it rounds to 1 − 9.54e-7), so log(1 − ρ̃) differs at the 1e-3 level.
    close(high, 12.9262198367, 'ρ̂ ≥ 1', 2e-3); // measured 12.91369 in float32
  });
});

test('clamp gradient: for a dead unit and a unit with ρ̂ > 1 − 1e-6 the KL gradient w.r.t. its b_e is exactly 0', () => {
  tf.tidy(() => {
    const x = X();
    const W = tf.tensor2d([[0.5, -0.25, 0.1], [-0.3, 0.2, 0.4], [0.01, 0.01, 0.01]]);
    // unit 0: pre-activation far below 0 (dead); unit 1: ρ̂ ≈ 5 (> 1); unit 2: inside the range.
    const grad = tf.grad((be: tf.Tensor) => klSparsity(encode('sae', x, { W, be: be as tf.Tensor1D, bd: tf.zeros([3]) }), 0.05));
    const g = Array.from(grad(tf.tensor1d([-10, 5, 0.2])).dataSync());
    assert.equal(g[0], 0, 'dead unit');
    assert.equal(g[1], 0, 'saturated unit');
    assert.ok(g[2] !== 0 && Number.isFinite(g[2]), `a unit inside the range has a gradient (${g[2]})`);
  });
});

test('G-L2: the sparse VAE loss with injected ε, default and svae-code', () => {
  tf.tidy(() => {
    const p = params();
    const eps = tf.tensor2d([[0.5, -1], [1.5, 0.25], [-0.3, 0], [0, 2]]);
    close(svaeLoss(X(), eps, p, DEFAULT_LOSS_WEIGHTS, 'paper').total.dataSync()[0], 1.04906424287, 'svae default');
    close(svaeLoss(X(), eps, p, DEFAULT_LOSS_WEIGHTS, 'code').total.dataSync()[0], 3.770294125, 'svae-code');
  });
});
