// The losses of §3.4 / §5.3 against hand computation, and a check that training learns: on real gaitpdb segments
// the network fits its training rows (QUICK settings, labelled: 6 filters per sensor, no pruning).
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../../../src-main/compute/tfjs/backend';
import { withTensorScope } from '../../../src-main/compute/tfjs/tensor-scope';
import { lossOf, predictSincPd, QUICK_SINCPD_CONFIG, trainSincPd } from '../../../src-main/methods/sincpd/train';
import { gaitpdbSegments, interleave } from './gaitpdb-segments';

before(async () => {
  assert.equal((await initTfjsBackend({ order: ['wasm'] })).backend, 'wasm');
});

const softmax = (z: number[]) => { const m = Math.max(...z); const e = z.map((v) => Math.exp(v - m)); const s = e.reduce((a, b) => a + b); return e.map((v) => v / s); };

test('losses: binary CE on the sigmoid; categorical CE (sincnet-gait severity); BCE over the 4 softmax outputs (sincpd-2024 severity, as [C])', () => {
  const logits1 = [0.3, -1.2, 2.0], y1 = [1, 0, 0];
  const bin = tf.tidy(() => lossOf({ outputs: 1, profile: 'sincnet-gait' }, tf.tensor2d(logits1, [3, 1]), tf.tensor1d(y1)).dataSync()[0]);
  const sig = (z: number) => 1 / (1 + Math.exp(-z));
  const ref1 = -logits1.reduce((s, z, i) => s + (y1[i] ? Math.log(sig(z)) : Math.log(1 - sig(z))), 0) / 3;
  assert.ok(Math.abs(bin - ref1) < 1e-6, `${bin} vs ${ref1}`);
  const logits4 = [[0.1, 0.5, -0.3, 1.0], [2.0, -1.0, 0.0, 0.3]], y4 = [3, 0];
  const cat = tf.tidy(() => lossOf({ outputs: 4, profile: 'sincnet-gait' }, tf.tensor2d(logits4), tf.tensor1d(y4)).dataSync()[0]);
  const refCat = -logits4.reduce((s, z, i) => s + Math.log(softmax(z)[y4[i]]), 0) / 2;
  assert.ok(Math.abs(cat - refCat) < 1e-6, `${cat} vs ${refCat}`);
  const bce = tf.tidy(() => lossOf({ outputs: 4, profile: 'sincpd-2024' }, tf.tensor2d(logits4), tf.tensor1d(y4)).dataSync()[0]);
  let refBce = 0;
  logits4.forEach((z, i) => softmax(z).forEach((p, c) => { refBce -= (c === y4[i] ? Math.log(p) : Math.log(1 - p)) / 8; }));
  assert.ok(Math.abs(bce - refBce) < 1e-6, `${bce} vs ${refBce}`);
});

test('QUICK: the binary network fits its training segments (real walks of 3 controls and 3 PD subjects)', async () => {
  const walks = ['GaCo01', 'GaCo02', 'GaCo03', 'GaPt03', 'GaPt04', 'GaPt05'].map((s) => ({ file: `${s}_01.txt.gz`, label: s.includes('Pt') ? 1 : 0 }));
  const data = interleave(gaitpdbSegments(walks, 4));
  const fit = await trainSincPd(data, { task: 'pd', ...QUICK_SINCPD_CONFIG, epochs: 8, patience: 8, prune: false, seed: 11 });
  const p = predictSincPd(fit, data.x).probabilities;
  let right = 0;
  for (let i = 0; i < data.n; i++) if ((p[2 * i + 1] >= 0.5 ? 1 : 0) === data.y[i]) right++;
  console.log(`QUICK: training-row accuracy ${right}/${data.n} after ${fit.stages[0].epochsRun} epochs (restored best epoch ${fit.stages[0].bestEpoch}); validation accuracy per epoch ${fit.stages[0].validationAccuracy.map((a) => a.toFixed(2))}`);
  assert.ok(right / data.n >= 0.75, `training-row accuracy ${right}/${data.n}`);
});

test('cancelling stops training at the next batch with the signal\'s reason, and leaves no tensor behind', async () => {
  const data = gaitpdbSegments([{ file: 'GaCo01_01.txt.gz', label: 0 }, { file: 'GaPt03_01.txt.gz', label: 1 }], 4);
  const controller = new AbortController();
  let epochs = 0;
  await withTensorScope('cancelled training', async () => {
    await assert.rejects(trainSincPd(data, { task: 'pd', ...QUICK_SINCPD_CONFIG, epochs: 50, patience: 50 }, {
      signal: controller.signal,
      onProgress: (p) => { epochs = p.epoch; if (p.epoch === 2) controller.abort(new Error('cancelled by the user')); },
    }), /^Error: cancelled by the user$/);
  });
  assert.equal(epochs, 2);
});
