// HG-24 synthetic acceptance on generateHierarchy(0) (HG-23: 2 groups × 4 individuals × 2 limbs, 30 cycles,
// T = 101), M = 20, Z fixed, cavi-adam. QUICK SETTINGS: iteration caps of 1,000 (full data) and 1,500 (split
// fits) instead of convergence, so that the file runs in minutes on a shared CPU.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitHierarchy, type GpFit } from '../../src-shared/gp/fit';
import { nmseAndMsll, wassersteinAsymmetry } from '../../src-shared/gp/metrics';
import { pooledPredictive, predict } from '../../src-shared/gp/predict';
import { splitCycles } from '../../src-shared/gp/split';
import { generateHierarchy } from '../../src-shared/gp/synthetic';
import { observationCount } from '../../src-shared/gp/cell-stats';

const synthetic = generateHierarchy(0);
const quick = { m: 20, optimizeZ: false } as const;

test('HG-24 full data: CAVI sweeps never lower the bound, leaf RMSE ≤ 0.05, noise recovered, the injected individual ranks first', () => {
  const started = performance.now();
  const fit = fitHierarchy(synthetic.leaves, synthetic.stats, synthetic.grid, { ...quick, maxIterations: 1000, traceSweeps: true });
  const seconds = (performance.now() - started) / 1000;
  assert.ok(fit.minSweepChange! >= -1e-9, `a CAVI sweep lowered the bound by ${-fit.minSweepChange!}`);
  const p = predict(fit);
  let worstRmse = 0;
  const ratios: number[] = [];
  p.leaves.forEach((leaf, l) => {
    const truth = synthetic.trueF.get(leaf.id)!;
    let se = 0;
    for (let j = 0; j < truth.length; j++) { se += (leaf.latentMean[j] - truth[j]) ** 2; ratios.push(leaf.noiseVar[j] / Math.exp(synthetic.trueH[l][j])); }
    worstRmse = Math.max(worstRmse, Math.sqrt(se / truth.length));
  });
  ratios.sort((a, b) => a - b);
  const median = ratios[Math.floor(ratios.length / 2)];
  assert.ok(worstRmse <= 0.05, `worst leaf RMSE ${worstRmse}`);
  assert.ok(median >= 0.8 && median <= 1.4, `median noiseVar / e^h ${median}`);
  // Wasserstein asymmetry per individual on linspace(0, 1, 100), 500 samples per limb, seed 0.
  const grid100 = Float64Array.from({ length: 100 }, (_, j) => j / 99);
  const p100 = predict(fit, grid100);
  const scores = new Map<string, { score: number; exact: number }>();
  for (let l = 0; l + 1 < p100.leaves.length; l += 2) {
    const left = p100.leaves[l], right = p100.leaves[l + 1];
    assert.ok(left.id.endsWith('/L') && right.id.endsWith('/R'));
    const w = wassersteinAsymmetry(grid100, { mean: left.latentMean, variance: left.predVar }, { mean: right.latentMean, variance: right.predVar });
    scores.set(left.id.slice(0, -2), { score: w.score, exact: w.exactScore });
  }
  const ranked = [...scores].sort((a, b) => b[1].score - a[1].score);
  assert.equal(ranked[0][0], 'MS/MS01', `ranking ${ranked.map(([k, v]) => `${k} ${v.score.toFixed(3)}`).join(', ')}`);
  console.log(`HG-24 full: ${fit.iterations} iterations in ${seconds.toFixed(1)} s, bound ${fit.bound.toFixed(1)}, worst RMSE ${worstRmse.toFixed(4)}, ` +
    `median noise ratio ${median.toFixed(3)} (5–95 %: ${ratios[Math.floor(0.05 * ratios.length)].toFixed(2)}–${ratios[Math.floor(0.95 * ratios.length)].toFixed(2)}), ` +
    `W1 scores ${ranked.slice(0, 3).map(([k, v]) => `${k} ${v.score.toFixed(3)} (exact ${v.exact.toFixed(3)})`).join(', ')}`);
});

test('HG-24 cycle split: the homoscedastic model has the worse MS test MSLL (pooled and over MS leaves), NMSEs within 1 %', () => {
  const split = splitCycles(synthetic.cycles, 101, 'cycle', 0);
  const fits: Record<string, GpFit> = {};
  const figures: Record<string, { pooled: { nmse: number; msll: number }; leafMsll: number }> = {};
  for (const noise of ['hetero', 'homo'] as const) {
    const fit = fitHierarchy(synthetic.leaves, split.train, synthetic.grid, { ...quick, noise, maxIterations: 1500 });
    fits[noise] = fit;
    const p = predict(fit);
    const msNode = fit.model.structure.nodeIds.indexOf('MS');
    const msLeaves = synthetic.leaves.map((l, i) => (l.group === 'MS' ? i : -1)).filter((i) => i >= 0);
    const pooled = pooledPredictive(fit, p, msNode, split.train.map((s) => observationCount([s])));
    const pooledScore = nmseAndMsll(msLeaves.map((l) => ({ test: split.test[l], mean: pooled.mean, variance: pooled.variance, train: split.train[l] })));
    const leafMsll = msLeaves.reduce((a, l) => a + nmseAndMsll([{ test: split.test[l], mean: p.leaves[l].latentMean, variance: p.leaves[l].predVar, train: split.train[l] }]).msll, 0) / msLeaves.length;
    figures[noise] = { pooled: pooledScore, leafMsll };
  }
  const { hetero, homo } = figures;
  console.log(`HG-24 split (21 train / 9 test cycles per limb, 1,500 iterations): MS pooled MSLL hetero ${hetero.pooled.msll.toFixed(3)} vs homo ${homo.pooled.msll.toFixed(3)}; ` +
    `MS leaves MSLL ${hetero.leafMsll.toFixed(3)} vs ${homo.leafMsll.toFixed(3)}; NMSE ${hetero.pooled.nmse.toFixed(3)} vs ${homo.pooled.nmse.toFixed(3)}`);
  assert.ok(homo.pooled.msll > hetero.pooled.msll);
  assert.ok(homo.leafMsll > hetero.leafMsll);
  assert.ok(Math.abs(homo.pooled.nmse - hetero.pooled.nmse) <= 0.01 * hetero.pooled.nmse);
});
