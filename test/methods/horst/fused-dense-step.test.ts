// The fused dense SGD step (ops/dense-sgd-step.ts on wasm) against the tfjs composition it replaces
// (sgdStepComposed: tfjs ops and autograd, same backend), over many steps of the paper's rule on real trials of
// the clinical GRF set (Slijepcevic 2021, the 1-2 file: 6 channels × 101 points, subject labels), scaled as §5.1.2
// says, batches of 5 drawn as trainNetwork draws them.
//
// Tolerance: both are float32 and differ only in summation order (SIMD lanes vs XNNPACK's blocking, softmax in
// float64 here, Σ_r u_r·dz_r instead of (xᵀ·dz)·ηs), a few ulps of each step; the new weight W + step is rounded
// to W's float32 spacing once in both, and may land one ulp apart. One ulp of a weight of 0.1–0.3 is 1e-8–3e-8,
// about 1e-5 of how far 60 steps move it; measured here ≤ 1.9e-5 (printed). The check is ≤ 2e-4 of the movement
// per parameter tensor after N steps, 10× that, and far below what a wrong gradient, factor or mask gives (a
// wrong factor on one layer is off by a whole share of its update, ≥ 1e-1).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { modelPlan, SAMPLES, type HorstModelKind } from '../../../src-shared/methods/horst/architectures';
import { uniformStream } from '../../../src-shared/methods/horst/random';
import { applyChannelScaling, fitChannelScaling } from '../../../src-shared/methods/horst/scaling';
import { initTfjsBackend } from '../../../src-main/compute/tfjs/backend';
import { denseSgdStep, denseSgdStepAvailable } from '../../../src-main/compute/tfjs/ops/dense-sgd-step';
import type { ImportBatch } from '../../../src-shared/domain/import-batch';
import { horstMat } from '../../../src-main/formats/horst-mat';
import { createVariables, networkLogits, type NetworkVariables } from '../../../src-main/methods/horst/network';
import { batchDrawer, initialNetworkWeights, sgdStep, sgdStepComposed } from '../../../src-main/methods/horst/train-network';
import { sharedData } from '../../helpers';

const CHANNELS = 6;

/** Trials of the file as scaled rows (channel-major) and subject indices. */
function grfRows(): { x: Float32Array; y: Int32Array; classes: number } {
  const file = sharedData('slijepcevic2021-clinical-grf-mat', '2021_acm_small_dataset_v3_aff-unaff-nonorm_1-2_.mat');
  const bytes = readFileSync(file);
  const batch = horstMat.read({ path: file, name: 'grf-1-2.mat', bytes, sha256: createHash('sha256').update(bytes).digest('hex') }) as ImportBatch;
  const subjects = new Map<string, number>();
  const rows: number[] = [];
  const labels: number[] = [];
  for (const session of batch.sessions) {
    for (const trial of session.trials) {
      assert.equal(trial.channels.length, CHANNELS);
      for (const c of trial.channels) { assert.equal(c.samples.length, SAMPLES); rows.push(...c.samples); }
      if (!subjects.has(session.subjectKey)) subjects.set(session.subjectKey, subjects.size);
      labels.push(subjects.get(session.subjectKey)!);
    }
  }
  const all = labels.map((_, i) => i);
  const x = applyChannelScaling(rows, all, CHANNELS, SAMPLES, fitChannelScaling(rows, all, CHANNELS, SAMPLES));
  return { x, y: Int32Array.from(labels), classes: subjects.size };
}

let data: ReturnType<typeof grfRows>;

before(async () => {
  const choice = await initTfjsBackend({ order: ['wasm'] });
  assert.equal(choice.backend, 'wasm');
  assert.ok(denseSgdStepAvailable(), 'the fused step kernel is registered on wasm');
  data = grfRows();
  assert.ok(data.y.length > 300 && data.classes > 60, `${data.y.length} trials of ${data.classes} subjects`);
});

function weightsOf(vars: readonly NetworkVariables[]): Float32Array[] {
  return vars.flatMap((v) => [v.weight.dataSync() as Float32Array, v.bias.dataSync() as Float32Array]);
}

const cases: Array<{ kind: HorstModelKind; steps: number; learningRate: number }> = [
  { kind: 'mlp3-1024', steps: 60, learningRate: 5e-3 },
  { kind: 'mlp3-64', steps: 200, learningRate: 5e-3 },
  { kind: 'linear-sgd', steps: 200, learningRate: 1e-3 },
];

for (const { kind, steps, learningRate } of cases) {
  test(`${kind}: ${steps} fused steps on real GRF trials give the weights of the tfjs composition within 2e-4 of their movement`, () => {
    const plan = modelPlan(kind, CHANNELS, data.classes);
    const initial = initialNetworkWeights(plan, { seed: 1234, run: 0 });
    const fused = createVariables(plan, initial);
    const composed = createVariables(plan, initial);
    const start = weightsOf(fused);
    const draw = batchDrawer(data.y.length, 5, uniformStream(1234, 'batches', kind, 0));
    const width = CHANNELS * SAMPLES;
    for (let s = 0; s < steps; s++) {
      const batch = draw();
      tf.tidy(() => {
        const x = tf.tensor2d(Float32Array.from(Array.from(batch).flatMap((r) => Array.from(data.x.subarray(r * width, (r + 1) * width)))), [5, width]);
        const oneHot = tf.oneHot(tf.tensor1d(Array.from(batch, (r) => data.y[r]), 'int32'), data.classes).toFloat() as tf.Tensor2D;
        sgdStep(plan, fused, x, oneHot, learningRate);
        sgdStepComposed(plan, composed, x, oneHot, learningRate);
      });
    }
    const [got, want] = [weightsOf(fused), weightsOf(composed)];
    const report: string[] = [];
    want.forEach((w, p) => {
      let moved = 0;
      let off = 0;
      for (let i = 0; i < w.length; i++) {
        moved = Math.max(moved, Math.abs(w[i] - start[p][i]));
        off = Math.max(off, Math.abs(got[p][i] - w[i]));
      }
      const what = `layer ${p >> 1} ${p % 2 ? 'bias' : 'weight'}`;
      report.push(`${what} ${(off / moved).toExponential(1)}`);
      assert.ok(moved > 1e-4, `${what}: the steps move it (${moved})`);
      assert.ok(off <= 2e-4 * moved, `${what}: fused and composed differ by ${off}, ${(off / moved).toExponential(2)} of the movement ${moved}`);
    });
    console.log(`${kind}, ${steps} steps: largest difference / largest movement per parameter: ${report.join(', ')}`);
    // The same decisions on every trial of the file.
    const agree = tf.tidy(() => {
      const x = tf.tensor2d(data.x, [data.y.length, width]);
      const a = networkLogits(plan, fused, x).argMax(1).dataSync();
      const b = networkLogits(plan, composed, x).argMax(1).dataSync();
      return a.filter((v, i) => v === b[i]).length;
    });
    assert.ok(agree >= data.y.length - 2, `${agree} of ${data.y.length} trials get the same class`);
    for (const v of [...fused, ...composed]) { v.weight.dispose(); v.bias.dispose(); }
  });
}

test('the fused step leaves no tensor behind and keeps the variables\' shapes', () => {
  const plan = modelPlan('mlp3-256', CHANNELS, data.classes);
  const vars = createVariables(plan, initialNetworkWeights(plan, { seed: 1, run: 0 }));
  const x = tf.tensor2d(data.x.subarray(0, 5 * CHANNELS * SAMPLES), [5, CHANNELS * SAMPLES]);
  const oneHot = tf.oneHot(tf.tensor1d(Array.from(data.y.subarray(0, 5)), 'int32'), data.classes).toFloat() as tf.Tensor2D;
  const before = tf.memory().numTensors;
  for (let s = 0; s < 3; s++) sgdStep(plan, vars, x, oneHot, 5e-3);
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(vars.map((v) => [v.weight.shape, v.bias.shape]), [[[606, 256], [256]], [[256, 256], [256]], [[256, data.classes], [data.classes]]]);
  tf.dispose([x, oneHot, ...vars.flatMap((v) => [v.weight, v.bias])]);
});


test('on a backend without the kernel (tfjs cpu) sgdStep is the tfjs composition, bit for bit', async () => {
  const plan = modelPlan('mlp3-64', CHANNELS, data.classes);
  const initial = initialNetworkWeights(plan, { seed: 7, run: 0 });
  const width = CHANNELS * SAMPLES;
  try {
    assert.ok(await tf.setBackend('cpu'));
    assert.equal(denseSgdStepAvailable(), false);
    const a = createVariables(plan, initial);
    const b = createVariables(plan, initial);
    tf.tidy(() => {
      const x = tf.tensor2d(data.x.subarray(0, 5 * width), [5, width]);
      const oneHot = tf.oneHot(tf.tensor1d(Array.from(data.y.subarray(0, 5)), 'int32'), data.classes).toFloat() as tf.Tensor2D;
      for (let s = 0; s < 3; s++) { sgdStep(plan, a, x, oneHot, 5e-3); sgdStepComposed(plan, b, x, oneHot, 5e-3); }
    });
    const [got, want] = [weightsOf(a), weightsOf(b)];
    want.forEach((w, p) => assert.deepEqual(got[p], w, `parameter ${p}`));
    assert.notDeepEqual(got[0], Float32Array.from(initial[0].weight), 'the steps move the weights');
    tf.dispose([...a, ...b].flatMap((v) => [v.weight, v.bias]));
  } finally {
    assert.ok(await tf.setBackend('wasm'));
  }
});

test('denseSgdStep refuses layers that do not follow each other, in one line', () => {
  tf.tidy(() => {
    const x = tf.zeros([5, 606]) as tf.Tensor2D;
    const target = tf.zeros([5, 3]) as tf.Tensor2D;
    const layers = [{ weight: tf.zeros([606, 8]) as tf.Tensor2D, bias: tf.zeros([8]) as tf.Tensor1D }, { weight: tf.zeros([9, 3]) as tf.Tensor2D, bias: tf.zeros([3]) as tf.Tensor1D }];
    const attrs = { activations: ['relu', 'linear'] as ('relu' | 'linear')[], loss: 'softmaxCrossEntropy' as const, weightSteps: [1, 1], biasSteps: [1, 1] };
    assert.throws(() => denseSgdStep(x, target, layers, attrs), /^Error: denseSgdStep: layer 1 weight \[9,3\] and bias \[3\] do not follow an input of width 8$/);
  });
});
