import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factorKernels, kernelName } from '../../src-shared/gp/bound';
import { WindowConvergence } from '../../src-shared/gp/convergence';
import { fitHierarchy, fitStructure } from '../../src-shared/gp/fit';
import { initialTheta } from '../../src-shared/gp/init';
import { NadamPaper } from '../../src-shared/gp/optimisers';
import { gpRunRecord } from '../../src-shared/gp/run-record';
import { splitCycles } from '../../src-shared/gp/split';
import { gpLayout, hierarchyStructure } from '../../src-shared/gp/structure';
import { generateHierarchy } from '../../src-shared/gp/synthetic';

const small = generateHierarchy(1, { individualsPerGroup: 2, cyclesPerLimb: 5, gridSize: 21 });

test('HG-13b window means: converged on the third consecutive calm check; the N_obs floor; a reset starts over', () => {
  const run = (values: number[], c: WindowConvergence) => values.findIndex((v) => c.push(v));
  // W = 2: checks after pushes 2, 4, 6, 8; the first has no predecessor, so the third calm check is at push 8.
  assert.equal(run(Array(20).fill(5), new WindowConvergence(2, 1e-3, 10)), 7);
  // A bound crossing 0: with floor 10 the change 0.002 ≤ 1e-3·10 is calm; with floor 0 it is not (|B̄| ≈ 0.001).
  const nearZero = Array.from({ length: 40 }, (_, i) => ((i >> 1) % 2 ? 0.002 : 0));
  assert.equal(run(nearZero, new WindowConvergence(2, 1e-3, 10)), 7);
  assert.equal(run(nearZero, new WindowConvergence(2, 1e-3, 0)), -1);
  // A growing bound never converges.
  assert.equal(run(Array.from({ length: 100 }, (_, i) => 1000 + 10 * i), new WindowConvergence(2, 1e-3, 1)), -1);
  const c = new WindowConvergence(2, 1e-3, 10);
  for (let i = 0; i < 6; i++) c.push(5);
  c.reset();
  assert.equal(run(Array(20).fill(5), c), 7);
});

test('cavi-adam converges on the small set (M = 10, Z fixed) and records iterations, bound and its trace', () => {
  const fit = fitHierarchy(small.leaves, small.stats, small.grid, { m: 10, optimizeZ: false });
  assert.equal(fit.converged, true);
  assert.equal(fit.iterations % 100, 0);
  assert.equal(fit.trace.length, fit.iterations);
  assert.ok(fit.iterations < 20000);
  assert.ok(Number.isFinite(fit.bound));
  // The bound rose overall (window of the first 100 vs the last 100).
  const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
  assert.ok(mean(fit.trace.slice(-100)) > mean(fit.trace.slice(0, 100)));
  console.log(`small set: converged after ${fit.iterations} iterations, bound ${fit.bound.toFixed(3)} (original units)`);
});

test('HG-13a the Z phase is kept only if its final window mean beats phase 1; otherwise phase 1\'s Z is restored', () => {
  const fit = fitHierarchy(small.leaves, small.stats, small.grid, { m: 10, maxIterations: 3000 });
  assert.equal(fit.phases.length, 2);
  const z = Array.from(fit.theta.subarray(0, 10));
  const initialZ = Array.from({ length: 10 }, (_, i) => i / 9);
  if (fit.zOptimisationRejected) assert.deepEqual(z, initialZ);
  else {
    assert.ok(fit.phases[1].windowMean > fit.phases[0].windowMean);
    assert.notDeepEqual(z, initialZ);
  }
  console.log(`HG-13a: phase 1 ${fit.phases[0].iterations} its (window mean ${fit.phases[0].windowMean.toFixed(3)}), phase 2 ${fit.phases[1].iterations} its (${fit.phases[1].windowMean.toFixed(3)}), rejected ${fit.zOptimisationRejected}`);
});

test('HG-16 coincident inducing inputs escalate the jitter of the kernels that fail from 0 to 1e-10; a NaN kernel aborts naming node and iteration', () => {
  const structure = hierarchyStructure(small.leaves);
  const model = { structure, layout: gpLayout(structure, 10, 'hetero' as const), grid: small.grid };
  const theta = initialTheta(model, small.stats);
  theta[3] = theta[2];
  const jitter = new Float64Array(structure.kernelCount + 4);
  const escalated: number[] = [];
  const kernels = factorKernels(model, theta, jitter, escalated);
  // Two equal rows make K singular; where rounding still leaves a positive pivot, jitter 0 is kept.
  assert.ok(escalated.length >= jitter.length / 2, `${escalated.length} of ${jitter.length} escalated`);
  kernels.forEach((k, c) => { assert.equal(k.jitter, escalated.includes(c) ? 1e-10 : 0); assert.equal(jitter[c], k.jitter); });
  assert.equal(kernelName(model, 0), 'node population');
  assert.equal(kernelName(model, structure.kernelCount + 1), 'δ noise kernel of group HC');
  const broken = initialTheta(model, small.stats);
  broken[model.layout.fKernel + 1] = NaN;
  assert.throws(() => fitStructure(structure, small.stats, small.grid, { m: 10, optimizeZ: false }, broken),
    /^Error: GP: the covariance of node population is not positive definite even with jitter 1e-4 \(HG-16\) at iteration 1$/);
});

test('HG-14 nadam-paper runs 1000 iterations, no convergence test, reported as non-converged; its first step follows §4.2', () => {
  const fit = fitHierarchy(small.leaves, small.stats, small.grid, { m: 10, optimizer: 'nadam-paper' });
  assert.equal(fit.iterations, 1000);
  assert.equal(fit.converged, false);
  assert.equal(fit.phases.length, 1);
  // One step on θ = (0, 0) with g = (2, −0.5): μ_t = 0.9 (1 − ½ 0.96^{0.004 t}).
  const mu = (t: number) => 0.9 * (1 - 0.5 * 0.96 ** (0.004 * t));
  const theta = new Float64Array(2), g = Float64Array.from([2, -0.5]);
  new NadamPaper(Uint8Array.from([1, 1])).step(theta, g);
  g.forEach((gi, i) => {
    const m = 0.1 * gi, v = 0.001 * gi * gi;
    const mHat = (mu(2) * m) / (1 - mu(1) * mu(2)) + ((1 - mu(1)) * gi) / (1 - mu(1));
    const expected = (1e-4 * mHat) / (Math.sqrt(v / 0.001) + 1e-7);
    assert.ok(Math.abs(theta[i] - expected) < 1e-18, `${theta[i]} vs ${expected}`);
  });
});

test('a fit stops when onIteration returns false, flagged cancelled and not converged', () => {
  const seen: number[] = [];
  const fit = fitHierarchy(small.leaves, small.stats, small.grid, { m: 10, onIteration: (i, bound) => { seen.push(bound); return i < 5; } });
  assert.equal(fit.iterations, 5);
  assert.equal(fit.cancelled, true);
  assert.equal(fit.converged, false);
  assert.equal(fit.phases.length, 1);
  assert.ok(seen.every(Number.isFinite));
});

test('HG-22 the run record carries Z, hyperparameters in original units, bound, iterations, convergence, jitter, seed, split and options', () => {
  const scaled = small.cycles.map((leaf) => leaf.map((c) => c.map((y) => 100 + 10 * y)));
  const split = splitCycles(scaled, 21, 'cycle', 4);
  const fit = fitHierarchy(small.leaves, split.train, small.grid, { m: 10, optimizeZ: false, maxIterations: 200 });
  const record = gpRunRecord(fit, 4, { mode: split.mode, testFraction: split.testFraction, seed: split.seed });
  const json = JSON.parse(JSON.stringify(record)) as typeof record;
  assert.equal(json.m, 10);
  assert.deepEqual(json.z, Array.from({ length: 10 }, (_, i) => i / 9));
  assert.equal(json.kernels.length, fit.model.structure.parent.length);
  assert.equal(json.kernels[0].kernel, 'node population');
  // HG-15 starts the population at σ² = 0.5 (standardised); in original units that is scaled by sd².
  assert.ok(json.kernels[0].variance > 0.05 * fit.standardisation.sd ** 2 && json.kernels[0].variance < 5 * fit.standardisation.sd ** 2);
  const noise = json.noise as { group: string; mu0: number }[];
  assert.deepEqual(noise.map((n) => n.group), ['HC', 'MS']);
  // μ₀ is a log-variance in original units: the within-cell noise of the scaled data is of order 10² × 0.004…0.03.
  for (const n of noise) assert.ok(n.mu0 > Math.log(0.1) && n.mu0 < Math.log(10), `${n.mu0}`);
  assert.equal(json.iterations, 200);
  assert.equal(json.converged, false);
  assert.equal(json.jitter.length, fit.model.structure.kernelCount + 4);
  assert.ok(json.jitter.every((j) => j.jitter === 1e-8));
  assert.deepEqual(json.split, { mode: 'cycle', testFraction: 0.3, seed: 4 });
  assert.equal(json.options.optimizer, 'cavi-adam');
  assert.equal(json.bound, fit.bound);
});

test('optimizer "adam" moves every parameter but Z by Adam (lr 0.01) and raises the bound', () => {
  const fit = fitHierarchy(small.leaves, small.stats, small.grid, { m: 10, optimizer: 'adam', optimizeZ: false, maxIterations: 400 });
  assert.equal(fit.options.learningRate, 0.01);
  assert.deepEqual(Array.from(fit.theta.subarray(0, 10)), Array.from({ length: 10 }, (_, i) => i / 9));
  const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
  assert.ok(mean(fit.trace.slice(-100)) > mean(fit.trace.slice(0, 100)) + 10);
  // The f-nodes' q(u) moved by gradient steps (cavi-adam would set them in closed form instead).
  const layout = fit.model.layout;
  assert.ok(fit.theta.subarray(layout.fVariational, layout.noiseVariational).some((x) => x !== 0));
});

test('bad input is refused with one line naming the leaf or field, before any fitting', () => {
  const fit = (stats = small.stats, grid = small.grid, m = 10) => fitHierarchy(small.leaves, stats, grid, { m, maxIterations: 1 });
  assert.throws(() => fit(small.stats.slice(1)), /^RangeError: GP fit: 8 leaves but cell statistics for 7$/);
  assert.throws(() => fit(small.stats, small.grid, 1), /^RangeError: GP fit: M must be an integer ≥ 2, got 1$/);
  assert.throws(() => fit(small.stats, small.grid.map((t) => t * 100)), /^RangeError: GP fit: grid point 1 \(5\) is not an increasing cycle fraction in \[0, 1\]$/);
  const short = small.stats.map((s) => ({ n: s.n.slice(0, 20), mean: s.mean.slice(0, 20), c: s.c.slice(0, 20) }));
  assert.throws(() => fit(short), /^RangeError: GP fit: leaf HC\/HC01\/L has 20 grid points, the grid 21$/);
  const empty = small.stats.map((s, l) => (l === 3 ? { n: new Float64Array(21), mean: new Float64Array(21), c: new Float64Array(21) } : s));
  assert.throws(() => fit(empty), /^RangeError: GP fit: leaf HC\/HC02\/R has no training observations \(HG-1: leave it out\)$/);
});
