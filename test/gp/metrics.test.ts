import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factorKernels, nodeMarginals } from '../../src-shared/gp/bound';
import { cellStatsOfCycles } from '../../src-shared/gp/cell-stats';
import { fitHierarchy } from '../../src-shared/gp/fit';
import { gaussianKl, klAsymmetry, leafCovariances } from '../../src-shared/gp/kl-asymmetry';
import { gaussianW1, nmseAndMsll, normalCdf, trapezoid, wassersteinAsymmetry } from '../../src-shared/gp/metrics';
import { pooledPredictive, predict } from '../../src-shared/gp/predict';
import { seededNormal } from '../../src-shared/random';
import { splitCycles } from '../../src-shared/gp/split';
import { generateHierarchy } from '../../src-shared/gp/synthetic';

test('NMSE and MSLL from test cell statistics equal the point-by-point formulas of §4.4', () => {
  const normal = seededNormal(5);
  const cyclesA = Array.from({ length: 7 }, () => Float64Array.from({ length: 5 }, (_, j) => Math.sin(j) + 0.3 * normal()));
  const cyclesB = Array.from({ length: 4 }, () => Float64Array.from({ length: 5 }, (_, j) => (j === 2 ? NaN : Math.cos(j) + 0.2 * normal())));
  const trainA = cyclesA.slice(0, 4), testA = cyclesA.slice(4), trainB = cyclesB.slice(0, 2), testB = cyclesB.slice(2);
  const mean = [0.1, 0.8, 0.9, 0.2, -0.7], variance = [0.1, 0.09, 0.2, 0.15, 0.12];
  const score = nmseAndMsll([
    { test: cellStatsOfCycles(testA, 5), mean, variance, train: cellStatsOfCycles(trainA, 5) },
    { test: cellStatsOfCycles(testB, 5), mean, variance, train: cellStatsOfCycles(trainB, 5) },
  ]);
  const points = (cs: Float64Array[]) => cs.flatMap((c) => Array.from(c, (y, j) => ({ y, j }))).filter((p) => !Number.isNaN(p.y));
  const test_ = points([...testA, ...testB]), train = points([...trainA, ...trainB]).map((p) => p.y);
  const avg = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
  const yBar = avg(test_.map((p) => p.y)), sy2 = avg(test_.map((p) => (p.y - yBar) ** 2));
  const trMean = avg(train), s2 = avg(train.map((y) => (y - trMean) ** 2));
  const nmse = (100 / (test_.length * sy2)) * test_.reduce((a, p) => a + (p.y - mean[p.j]) ** 2, 0);
  const msll = avg(test_.map((p) => 0.5 * Math.log(2 * Math.PI * variance[p.j]) + (p.y - mean[p.j]) ** 2 / (2 * variance[p.j]) - 0.5 * Math.log(2 * Math.PI * s2) - (p.y - trMean) ** 2 / (2 * s2)));
  assert.equal(score.n, test_.length);
  assert.ok(Math.abs(score.nmse - nmse) < 1e-10 * nmse, `${score.nmse} vs ${nmse}`);
  assert.ok(Math.abs(score.msll - msll) < 1e-12, `${score.msll} vs ${msll}`);
});

test('exact Gaussian W1 matches numerical integration of |F_L⁻¹ − F_R⁻¹|; the 500-sample estimate is close and biased upward', () => {
  assert.equal(gaussianW1(1, 0.5, 0.2, 0.5), 0.8);
  // W1 = ∫₀¹ |F_L⁻¹(u) − F_R⁻¹(u)| du = E|a + b Z| for Z ~ N(0, 1), by the midpoint rule on a fine grid of z.
  const [mL, sL, mR, sR] = [0.3, 0.9, 0.1, 0.4];
  let numeric = 0;
  const dz = 1e-4;
  for (let z = -10 + dz / 2; z < 10; z += dz) numeric += Math.abs(mL - mR + (sL - sR) * z) * Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI) * dz;
  assert.ok(Math.abs(gaussianW1(mL, sL, mR, sR) - numeric) < 1e-6, `${gaussianW1(mL, sL, mR, sR)} vs ${numeric}`);
  assert.ok(Math.abs(normalCdf(1.959963984540054) - 0.975) < 2e-7);
  const grid = Float64Array.from({ length: 100 }, (_, j) => j / 99);
  const left = { mean: grid.map(() => 0), variance: grid.map(() => 1) }, right = { mean: grid.map((t) => 0.3 * t), variance: grid.map(() => 0.8) };
  const w = wassersteinAsymmetry(grid, left, right, 0);
  assert.ok(w.score > w.exactScore && w.score < w.exactScore + 0.05, `${w.score} vs exact ${w.exactScore}`);
  assert.ok(Math.abs(trapezoid([0, 0.5, 1], [0, 1, 0]) - 0.5) < 1e-15);
  // Seeded: the same seed draws the same samples.
  assert.equal(wassersteinAsymmetry(grid, left, right, 0).score, w.score);
});

test('HG-19–HG-21 outputs in original units: leaf = Σ of its ancestors, predVar = latentVar + noiseVar, pooled moments by N_l weights', () => {
  const syn = generateHierarchy(3, { individualsPerGroup: 2, cyclesPerLimb: 6, gridSize: 21 });
  const scaled = syn.cycles.map((leaf) => leaf.map((c) => c.map((y) => 50 + 20 * y)));
  const split = splitCycles(scaled, 21, 'point', 1);
  const fit = fitHierarchy(syn.leaves, split.train, syn.grid, { m: 10, optimizeZ: false, maxIterations: 400 });
  assert.ok(Math.abs(fit.standardisation.mean - 50) < 20);
  const p = predict(fit);
  const s = fit.model.structure;
  p.leaves.forEach((leaf, l) => {
    const node = p.nodes[s.leafNode[l]];
    for (let j = 0; j < 21; j++) {
      assert.ok(Math.abs(leaf.latentMean[j] - node.latentMean[j]) < 1e-9);
      assert.ok(Math.abs(leaf.predVar[j] - leaf.latentVar[j] - leaf.noiseVar[j]) < 1e-9);
      assert.ok(Math.abs(leaf.noiseVar[j] - Math.exp(leaf.logNoiseMean[j] + leaf.logNoiseVar[j] / 2)) < 1e-9 * leaf.noiseVar[j]);
    }
  });
  // HG-21 group noise: the group's log-noise plus a leaf's δ gives the leaf's log-noise mean.
  assert.deepEqual(p.groups.map((g) => g.group), ['HC', 'MS']);
  for (const g of p.groups) for (let j = 0; j < 21; j++) assert.ok(Math.abs(g.groupNoiseVar[j] - Math.exp(g.groupLogNoiseMean[j] + g.groupLogNoiseVar[j] / 2)) < 1e-9 * g.groupNoiseVar[j]);
  const { h } = nodeMarginals(fit.model, fit.theta, factorKernels(fit.model, fit.theta, Float64Array.from(fit.jitter)));
  for (let j = 0; j < 21; j++) assert.ok(Math.abs(p.leaves[0].logNoiseMean[j] - p.groups[0].groupLogNoiseMean[j] - h[2].mean[j]) < 1e-9);
  // The fit follows the data in original units: the leaf means sit within a few noise SDs of the cell means.
  const leaf0 = p.leaves[0], cells = split.train[0];
  for (let j = 0; j < 21; j++) assert.ok(Math.abs(leaf0.latentMean[j] - cells.mean[j]) < 4 * Math.sqrt(leaf0.predVar[j]));
  const counts = split.train.map((c) => c.n.reduce((a, b) => a + b, 0));
  const ind = s.nodeIds.indexOf('HC/HC01');
  const pooled = pooledPredictive(fit, p, ind, counts);
  const [l, r] = [0, 1];
  const w = counts[l] / (counts[l] + counts[r]);
  for (let j = 0; j < 21; j++) {
    const m = w * p.leaves[l].latentMean[j] + (1 - w) * p.leaves[r].latentMean[j];
    const v = w * (p.leaves[l].predVar[j] + p.leaves[l].latentMean[j] ** 2) + (1 - w) * (p.leaves[r].predVar[j] + p.leaves[r].latentMean[j] ** 2) - m * m;
    assert.ok(Math.abs(pooled.mean[j] - m) < 1e-9 && Math.abs(pooled.variance[j] - v) < 1e-7);
  }
});

test('HG-2 split: by point about 30 % of samples at random, by cycle round(0.3 n) whole cycles per leaf; seeded', () => {
  const syn = generateHierarchy(0, { individualsPerGroup: 1, cyclesPerLimb: 30, gridSize: 101 });
  const count = (s: { n: Float64Array }[]) => s.reduce((a, c) => a + c.n.reduce((x, y) => x + y, 0), 0);
  const bySample = splitCycles(syn.cycles, 101, 'point', 7);
  const total = count(bySample.train) + count(bySample.test);
  assert.equal(total, 4 * 30 * 101);
  assert.ok(Math.abs(count(bySample.test) / total - 0.3) < 0.02, `${count(bySample.test) / total}`);
  assert.deepEqual(splitCycles(syn.cycles, 101, 'point', 7).test[0].n, bySample.test[0].n);
  const byCycle = splitCycles(syn.cycles, 101, 'cycle', 7);
  for (const s of byCycle.test) assert.deepEqual(Array.from(new Set(s.n)), [9]);
  for (const s of byCycle.train) assert.deepEqual(Array.from(new Set(s.n)), [21]);
});

test('Gaussian KL: 0 for identical distributions, the univariate formula in 1-D, additive over independent coordinates', () => {
  const mu = Float64Array.from([0.3, -1]), cov = Float64Array.from([2, 0.5, 0.5, 1]);
  assert.ok(Math.abs(gaussianKl(mu, cov, mu, cov)) < 1e-12);
  const kl1 = (m0: number, v0: number, m1: number, v1: number) => 0.5 * Math.log(v1 / v0) + (v0 + (m0 - m1) ** 2) / (2 * v1) - 0.5;
  assert.ok(Math.abs(gaussianKl(Float64Array.of(0.2), Float64Array.of(0.5), Float64Array.of(1), Float64Array.of(2)) - kl1(0.2, 0.5, 1, 2)) < 1e-14);
  const two = gaussianKl(Float64Array.from([0.2, 3]), Float64Array.from([0.5, 0, 0, 4]), Float64Array.from([1, 2]), Float64Array.from([2, 0, 0, 1]));
  assert.ok(Math.abs(two - kl1(0.2, 0.5, 1, 2) - kl1(3, 4, 2, 1)) < 1e-14);
});

test('leaf covariances on a new grid: symmetric, diagonal = predVar of the marginal predictions; KL asymmetry per individual', () => {
  const syn = generateHierarchy(3, { individualsPerGroup: 2, cyclesPerLimb: 6, gridSize: 21 });
  const fit = fitHierarchy(syn.leaves, syn.stats, syn.grid, { m: 10, optimizeZ: false, maxIterations: 300 });
  const grid = Float64Array.from({ length: 30 }, (_, j) => j / 29);
  const covs = leafCovariances(fit, grid);
  const p = predict(fit, grid);
  covs.covariance.forEach((c, l) => {
    for (let a = 0; a < 30; a++) {
      assert.ok(Math.abs(c[a * 30 + a] - p.leaves[l].predVar[a]) < 1e-9 * p.leaves[l].predVar[a], `leaf ${l} t ${a}`);
      for (let b = 0; b < a; b++) assert.ok(Math.abs(c[a * 30 + b] - c[b * 30 + a]) < 1e-12);
    }
  });
  const scores = klAsymmetry(fit, covs, syn.stats.map((s) => s.n.reduce((a, b) => a + b, 0)));
  assert.deepEqual(scores.map((s) => s.individual), ['HC/HC01', 'HC/HC02', 'MS/MS01', 'MS/MS02']);
  for (const s of scores) assert.ok(s.left > 0 && s.right > 0 && Math.abs(s.score - s.left - s.right) < 1e-12);
  // MS01's right limb carries the injected bump (A = 0.8 at t = 0.62): its KL against the individual is the largest.
  const top = [...scores].sort((a, b) => b.score - a.score)[0];
  assert.equal(top.individual, 'MS/MS01', JSON.stringify(scores));
});
