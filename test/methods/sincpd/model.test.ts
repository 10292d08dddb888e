// The SincPD networks and their training on wasm, on real gaitpdb segments. Training runs use QUICK settings
// (labelled: 6 filters per sensor, 2 epochs, batch 8); their accuracies are not the method's figures.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { initTfjsBackend } from '../../../src-main/compute/tfjs/backend';
import { withTensorScope } from '../../../src-main/compute/tfjs/tensor-scope';
import { buildSincPdModel, defaultArchitecture, parameterCounts, sincLayers } from '../../../src-main/methods/sincpd/model';
import { predictProbabilities, predictSincPd, QUICK_SINCPD_CONFIG, restoreNet, trainSincPd, type SincPdFitted } from '../../../src-main/methods/sincpd/train';
import { PAPER_K_OVERRIDE } from '../../../src-shared/methods/sincpd/pruning';
import { gaitpdbSegments, interleave } from './gaitpdb-segments';

before(async () => {
  assert.equal((await initTfjsBackend({ order: ['wasm'] })).backend, 'wasm');
});

/** Every layer's output shape of the binary model with 100 filters per sensor (§3.3.4). */
const BINARY_SHAPES: [string, (number | null)[], number][] = [
  ['sinc_s1', [null, 200, 100], 200], ['layernorm_s1', [null, 200, 100], 200], ['leaky_s1', [null, 200, 100], 0], ['pool_s1', [null, 100, 100], 0],
  ['concat', [null, 100, 800], 0],
  ['conv_1', [null, 98, 128], 384 * 800 + 128], ['bn_conv_1', [null, 98, 128], 512], ['dropout_1', [null, 98, 128], 0], ['pool_conv_1', [null, 49, 128], 0],
  ['conv_2', [null, 47, 256], 98_560], ['bn_conv_2', [null, 47, 256], 1024], ['pool_conv_2', [null, 23, 256], 0],
  ['flatten', [null, 5888], 0], ['dense_1', [null, 128], 753_792], ['bn_dense_1', [null, 128], 512],
  ['dense_2', [null, 64], 8256], ['bn_dense_2', [null, 64], 256], ['output', [null, 1], 65],
];

test('§3.3.4 binary model: every layer shape and count; 1,173,505 parameters (1,152 non-trainable) at F = 800, 872,029 at the paper\'s F = 23', () => {
  const model = buildSincPdModel(defaultArchitecture('pd', 'sincpd-2024'), 1);
  for (const [name, shape, params] of BINARY_SHAPES) {
    assert.deepEqual(model.getLayer(name).outputShape, shape, `${name} shape`);
    assert.equal(model.getLayer(name).countParams(), params, `${name} parameters`);
  }
  for (let s = 2; s <= 8; s++) assert.deepEqual(model.getLayer(`pool_s${s}`).outputShape, [null, 100, 100]);
  assert.deepEqual(parameterCounts(model), { total: 1_173_505, trainable: 1_172_353, nonTrainable: 1152 });
  assert.deepEqual(model.getLayer('sinc_s1').getWeights().map((w) => w.shape), [[100, 1], [100, 1]]);
  assert.deepEqual(sincLayers(model)[0].weights.map((w) => w.originalName), ['sinc_s1/filt_b1', 'sinc_s1/filt_band']);
  model.dispose();
  const pruned = { ...defaultArchitecture('pd', 'sincnet-gait'), filtersPerSensor: [...PAPER_K_OVERRIDE] };
  const m2 = buildSincPdModel(pruned, 1);
  assert.equal(parameterCounts(m2).total, 872_029);
  assert.deepEqual(m2.getLayer('concat').outputShape, [null, 100, 23]);
  m2.dispose();
});

test('§3.6 severity model at F = 24 (4,3,3,3,4,2,2,3): head shapes, 13,812,068 parameters, 48 + 48 frozen in the front end', () => {
  const arch = { ...defaultArchitecture('severity', 'sincnet-gait'), filtersPerSensor: [4, 3, 3, 3, 4, 2, 2, 3], frozenFrontEnd: true };
  const model = buildSincPdModel(arch, 1);
  const shapes: [string, (number | null)[]][] = [['concat', [null, 100, 24]], ['conv_1', [null, 98, 512]], ['pool_conv_1', [null, 49, 512]],
    ['conv_2', [null, 47, 1024]], ['pool_conv_2', [null, 23, 1024]], ['flatten', [null, 23_552]], ['dense_1', [null, 512]], ['dense_2', [null, 256]], ['output', [null, 4]]];
  for (const [name, shape] of shapes) assert.deepEqual(model.getLayer(name).outputShape, shape, name);
  const counts = parameterCounts(model);
  assert.equal(counts.total, 13_812_068);
  const frozen = model.nonTrainableWeights.filter((w) => /^(sinc|layernorm)_s/.test(w.originalName));
  assert.equal(frozen.filter((w) => w.originalName.startsWith('sinc')).reduce((s, w) => s + w.shape[0]!, 0), 48);
  assert.equal(frozen.filter((w) => w.originalName.startsWith('layernorm')).reduce((s, w) => s + w.shape[0]!, 0), 48);
  model.dispose();
});

// Two controls and two PD walks (Ga study, usual walks), 4 segments each, rows interleaved: 16 segments.
const WALKS = [
  { file: 'GaCo01_01.txt.gz', label: 0 }, { file: 'GaCo02_01.txt.gz', label: 0 },
  { file: 'GaPt03_01.txt.gz', label: 1 }, { file: 'GaPt06_01.txt.gz', label: 1 },
];
let quickRun: SincPdFitted;

test('QUICK training (pd, sincnet-gait, 6 filters/sensor, 2 epochs): stages, pruning, band test at init and after training, best weights restored', async () => {
  const data = interleave(gaitpdbSegments(WALKS, 4));
  assert.equal(data.n, 16);
  const progress: string[] = [];
  quickRun = await withTensorScope('sincpd quick training', () =>
    trainSincPd(data, { task: 'pd', ...QUICK_SINCPD_CONFIG, seed: 7 }, { onProgress: (p) => progress.push(`${p.stage}:${p.epoch}`) }));
  assert.deepEqual(quickRun.stages.map((s) => s.stage), ['binary', 'binary-pruned']);
  assert.deepEqual(progress.slice(0, 2), ['binary:1', 'binary:2']);
  const [full, pruned] = quickRun.stages;
  assert.deepEqual(full.filtersPerSensor, [6, 6, 6, 6, 6, 6, 6, 6]);
  assert.ok(full.parameters.total > pruned.parameters.total, `parameters before ${full.parameters.total}, after ${pruned.parameters.total}`);
  assert.deepEqual(pruned.filtersPerSensor, quickRun.pruning!.map((p) => p.k));
  for (const p of quickRun.pruning!) assert.ok(p.k >= 1 && p.k <= 6 && p.silhouettes.length > 0, `sensor ${p.sensor}: k ${p.k}`);
  for (const s of quickRun.stages) for (const l of s.trainLoss) assert.ok(Number.isFinite(l));
  console.log(`QUICK: filters ${full.filtersPerSensor.reduce((a, b) => a + b)} → ${pruned.filtersPerSensor.reduce((a, b) => a + b)}, parameters ${full.parameters.total} → ${pruned.parameters.total}, losses ${full.trainLoss.map((l) => l.toFixed(3))} / ${pruned.trainLoss.map((l) => l.toFixed(3))}`);
  // §5.3.2: every sincnet-gait filter passes the band test at initialisation and after training.
  assert.equal(quickRun.bandsAtInit.length, 48);
  assert.equal(quickRun.bandsAfterTraining.length, pruned.filtersPerSensor.reduce((a, b) => a + b));
  for (const b of [...quickRun.bandsAtInit, ...quickRun.bandsAfterTraining]) assert.ok(b.passes && !b.aliased, `sensor ${b.sensor} filter ${b.filter}: ${JSON.stringify(b)}`);
  // The band parameters moved during training.
  const initNet = quickRun.nets[0].net;
  assert.ok(initNet.weights.find((w) => w.name === 'sinc_s1/theta_lo')!.values.some((v, i) => Math.abs(v - quickRun.bandsAtInit[i].w1) > 1e-7));
  // Best weights restored: the stored net scores its best validation accuracy on the validation rows (the last 20 %).
  const validation = { x: data.x.subarray(13 * 8000), n: 3, y: data.y.subarray(13) };
  for (const [k, stage] of (['binary', 'binary-pruned'] as const).entries()) {
    const p = predictSincPd(quickRun, validation.x, stage).probabilities;
    let right = 0;
    for (let i = 0; i < 3; i++) if ((p[i * 2 + 1] >= p[i * 2] ? 1 : 0) === validation.y[i]) right++;
    assert.equal(right / 3, quickRun.stages[k].bestValidationAccuracy, stage);
  }
});

test('QUICK training is reproducible from its seed (float32 tolerance) and another seed gives other weights', async () => {
  const data = interleave(gaitpdbSegments(WALKS, 4));
  const again = await trainSincPd(data, { task: 'pd', ...QUICK_SINCPD_CONFIG, seed: 7, prune: false });
  const other = await trainSincPd(data, { task: 'pd', ...QUICK_SINCPD_CONFIG, seed: 8, prune: false });
  const a = quickRun.nets[0].net.weights, b = again.nets[0].net.weights, c = other.nets[0].net.weights;
  let worst = 0, differs = 0;
  a.forEach((w, i) => {
    assert.equal(w.name, b[i].name);
    for (let k = 0; k < w.values.length; k++) {
      worst = Math.max(worst, Math.abs(w.values[k] - b[i].values[k]) / Math.max(1, Math.abs(w.values[k])));
      differs = Math.max(differs, Math.abs(w.values[k] - c[i].values[k]));
    }
  });
  console.log(`same seed: worst relative weight difference ${worst.toExponential(2)}; other seed: largest difference ${differs.toFixed(3)}`);
  assert.ok(worst < 1e-5);
  assert.ok(differs > 1e-2);
  assert.deepEqual(again.stages[0].trainLoss.map((l) => l.toFixed(5)), quickRun.stages[0].trainLoss.map((l) => l.toFixed(5)));
});

test('QUICK severity (H&Y classes 0, 2, 2.5, 3): front end transferred frozen from the pruned binary model; probabilities over 4 classes', async () => {
  const walks = [
    { file: 'GaCo01_01.txt.gz', label: 0 }, { file: 'GaPt06_01.txt.gz', label: 1 }, { file: 'GaPt04_01.txt.gz', label: 2 }, { file: 'GaPt03_01.txt.gz', label: 3 },
  ];
  const data = interleave(gaitpdbSegments(walks, 3));
  const fit = await trainSincPd(data, { task: 'severity', ...QUICK_SINCPD_CONFIG, epochs: 1, seed: 3 });
  assert.deepEqual(fit.stages.map((s) => s.stage), ['binary', 'binary-pruned', 'severity']);
  const binaryPruned = fit.nets[1].net, severity = fit.nets[2].net;
  for (const w of binaryPruned.weights.filter((x) => /^(sinc|layernorm)_s/.test(x.name))) {
    assert.deepEqual(severity.weights.find((x) => x.name === w.name)!.values, w.values, `${w.name} transferred unchanged`);
  }
  const pred = predictSincPd(fit, data.x.subarray(0, 2 * 8000));
  assert.deepEqual(pred.classValues, [0, 2, 2.5, 3]);
  assert.equal(pred.probabilities.length, 8);
  for (let i = 0; i < 2; i++) assert.ok(Math.abs(pred.probabilities.subarray(i * 4, i * 4 + 4).reduce((s, v) => s + v, 0) - 1) < 1e-5);
  // The restored net predicts what the trained one did.
  const model = restoreNet(severity);
  const direct = predictProbabilities(model, severity.architecture, { x: data.x.subarray(0, 2 * 8000), n: 2 });
  model.dispose();
  assert.deepEqual(direct, pred.probabilities);
});

test('bad input: one-line errors naming the problem', async () => {
  const data = gaitpdbSegments(WALKS.slice(0, 1), 2);
  await assert.rejects(trainSincPd({ ...data, x: data.x.subarray(10) }, { task: 'pd' }), /^Error: SincPD training data: x has 15990 values, 2 × 8 × 1000 = 16000 expected$/);
  await assert.rejects(trainSincPd({ ...data, y: Int32Array.from([0, 4]) }, { task: 'pd' }), /segment 1 has class 4 \(expected 0\.\.1\)/);
  await assert.rejects(trainSincPd(data, { task: 'pd', profile: 'sinc' as never }), /unknown profile "sinc"/);
  await assert.rejects(trainSincPd(data, { task: 'pd', epochs: 0 }), /parameter epochs = 0 is out of range/);
  assert.throws(() => predictSincPd(quickRun, new Float32Array(7999)), /not a whole number of 8 × 1000 segments/);
  assert.throws(() => predictSincPd(quickRun, new Float32Array(8000), 'severity'), /has no severity network/);
});
