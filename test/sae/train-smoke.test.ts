// T-SMOKE (methods-spec §5.2.5), QUICK SETTINGS: 3,000 synthetic samples, 20 epochs, no split, on the tfjs
// cpu backend so the same seed reproduces the weights exactly. Asserts reconstruction R² in scaled space and
// that the disentanglement penalty lowers the max pairwise |r| between feature activations.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { initTfjsBackend } from '../../src-main/compute/tfjs/backend';
import { trainSae, reconstructRows, encodeRows, DEFAULT_TRAIN_OPTIONS, type SaeTrainData, type SaeTrainResult } from '../../src-main/methods/sae/train';
import type { SaeModelKind } from '../../src-main/methods/sae/losses';
import { syntheticDictionaryData } from '../../src-shared/sae/synthetic';
import { fitScaling, applyScaling } from '../../src-shared/sae/type-rms-scaling';
import { featureStats, rSquared } from '../../src-shared/sae/feature-stats';

const ROWS = 3000;
const DIM = 135;
let data: SaeTrainData;
const results = new Map<SaeModelKind, { fit: SaeTrainResult; r2: number; maxR: number; meanRate: number }>();

before(async () => {
  await initTfjsBackend({ order: ['cpu'] });
  const raw = syntheticDictionaryData(ROWS, DIM);
  const scaled = applyScaling(raw, DIM, DIM, fitScaling(raw, ROWS, DIM, DIM, 'type-rms'));
  const all = Array.from({ length: ROWS }, (_, i) => i);
  data = { x: Float32Array.from(scaled), rows: ROWS, dim: DIM, train: all, validation: [] };
});

async function quickFit(kind: SaeModelKind) {
  const fit = await trainSae(data, { ...DEFAULT_TRAIN_OPTIONS, kind, maxEpochs: 20, earlyStopping: null });
  const r2 = rSquared(data.x, reconstructRows(fit.weights, data.x, ROWS), ROWS, DIM);
  const stats = featureStats(encodeRows(fit.weights, data.x, ROWS), ROWS, 100, kind === 'svae' ? 'signed' : 'relu');
  const out = { fit, r2, maxR: stats.maxAbsCorrelation, meanRate: stats.meanRate };
  results.set(kind, out);
  console.log(`T-SMOKE ${kind}: R² ${r2.toFixed(4)}, max |r| ${stats.maxAbsCorrelation.toFixed(3)}, mean firing rate ${stats.meanRate.toFixed(3)}, dead ${stats.dead.length}, final loss ${fit.trainLoss.at(-1)!.toFixed(4)}`);
  return out;
}

test('T-SMOKE (quick: 20 epochs) baseline SAE reconstructs the synthetic dictionary data with R² ≥ 0.95', async () => {
  const { fit, r2 } = await quickFit('sae');
  assert.equal(fit.epochsRun, 20);
  assert.ok(fit.trainLoss[19] < fit.trainLoss[0], 'the loss falls');
  assert.ok(r2 >= 0.95, `R² ${r2}`);
});

test('T-SMOKE (quick) disentangled SAE: R² ≥ 0.85 and a lower max pairwise |r| than the baseline', async () => {
  const { r2, maxR } = await quickFit('sae-disent');
  assert.ok(r2 >= 0.85, `R² ${r2}`);
  const base = results.get('sae');
  assert.ok(base, 'baseline ran first');
  assert.ok(maxR < base.maxR, `max |r| ${maxR} vs baseline ${base.maxR}`);
});

test('T-SMOKE (quick) sparse VAE (z = μ) reaches R² ≥ 0.80', async () => {
  const { r2 } = await quickFit('svae');
  assert.ok(r2 >= 0.8, `R² ${r2}`);
});

test('the same seed on the cpu backend reproduces the weights exactly (quick: 2 epochs)', async () => {
  const small = { ...data, rows: 300, x: data.x.subarray(0, 300 * DIM), train: data.train.slice(0, 300) };
  const o = { ...DEFAULT_TRAIN_OPTIONS, kind: 'sae' as const, maxEpochs: 2, earlyStopping: null };
  const a = await trainSae(small, o);
  const b = await trainSae(small, o);
  assert.deepEqual(a.weights.W, b.weights.W);
  const c = await trainSae(small, { ...o, seed: 7 });
  assert.notDeepEqual(a.weights.W, c.weights.W);
});
