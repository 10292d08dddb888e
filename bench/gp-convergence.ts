// npm run bench:gp-convergence — why the tied fit needs so many iterations (issue 16). Runs phase 1 of
// cavi-adam (HG-13: CAVI sweep of the f-nodes, one Adam step on the rest, Z fixed) on the bench:gp cohort and
// prints, every W = 100 iterations, the window mean of the bound, its change against HG-13b's tolerance
// τ·max(|B̄|, N_obs), the RMS gradient and RMS movement per parameter group, and the tied kernels. Prints
// figures; asserts nothing. BENCH_GP_FIT_M (default 20: the per-iteration cost at M = 100 makes thousands of
// iterations take long here), BENCH_GP_FIT_LR (default 0.02, HG-13), BENCH_GP_ITERATIONS (cap, default 6000),
// BENCH_GP_CYCLES_PER_LIMB (default 178: 2 M points).
import os from 'node:os';
import { evaluateBound, factorKernels, type GpModel } from '../src-shared/gp/bound';
import { caviState, caviSweep } from '../src-shared/gp/cavi';
import { observationCount } from '../src-shared/gp/cell-stats';
import { WindowConvergence } from '../src-shared/gp/convergence';
import { pooledMoments, standardiseStats } from '../src-shared/gp/fit';
import { initialTheta } from '../src-shared/gp/init';
import { Adam } from '../src-shared/gp/optimisers';
import { gpLayout, hierarchyStructure } from '../src-shared/gp/structure';
import { generateHierarchy } from '../src-shared/gp/synthetic';

const m = Number(process.env.BENCH_GP_FIT_M ?? 20);
const lr = Number(process.env.BENCH_GP_FIT_LR ?? 0.02);
const cap = Number(process.env.BENCH_GP_ITERATIONS ?? 6000);
const window = 100, tolerance = 1e-5;
const synthetic = generateHierarchy(0, { individualsPerGroup: 28, cyclesPerLimb: Number(process.env.BENCH_GP_CYCLES_PER_LIMB ?? 178) });
const structure = hierarchyStructure(synthetic.leaves, true);
const model: GpModel = { structure, layout: gpLayout(structure, m, 'hetero'), grid: synthetic.grid };
const layout = model.layout;
const { mean, sd } = pooledMoments(synthetic.stats);
const stats = standardiseStats(synthetic.stats, mean, sd);
const nObs = observationCount(stats);
const theta = initialTheta(model, stats);
const jitter = new Float64Array(structure.kernelCount + 2 * structure.groupCount).fill(1e-8);
// cavi-adam's phase-1 mask (fit.ts gradientMask): not Z, not the f-nodes' q(u) (set in closed form).
const mask = new Uint8Array(layout.size).fill(1);
mask.fill(0, 0, m);
mask.fill(0, layout.fVariational, layout.noiseVariational);
const adam = new Adam(mask, new Float64Array(layout.size).fill(lr));
const convergence = new WindowConvergence(window, tolerance, nObs);

// Parameter groups of θ: kernel hyperparameters, μ₀, and the noise nodes' m̃, strictly-lower L̃ and ρ = log diag L̃.
const inBlock = (i: number) => (i - layout.noiseVariational) % layout.blockSize;
const groups: [string, (i: number) => boolean][] = [
  ['log σ²/log ℓ', (i) => i >= layout.fKernel && i < layout.noiseLevel],
  ['μ₀', (i) => i >= layout.noiseLevel && i < layout.fVariational],
  ['noise m̃', (i) => i >= layout.noiseVariational && inBlock(i) < m],
  ['noise L̃ (strict lower)', (i) => i >= layout.noiseVariational && inBlock(i) >= m && inBlock(i) < layout.blockSize - m],
  ['noise ρ', (i) => i >= layout.noiseVariational && inBlock(i) >= layout.blockSize - m],
];
const rms = (x: (i: number) => number, pick: (i: number) => boolean) => {
  let s = 0, n = 0;
  for (let i = 0; i < layout.size; i++) if (pick(i)) { s += x(i) ** 2; n++; }
  return Math.sqrt(s / n).toExponential(1);
};
const levels = ['population', 'group', 'individual', 'limb'];
console.log(`tieLevels cavi-adam phase 1, N = ${nObs.toLocaleString('en')} points, M = ${m}, lr ${lr}, W = ${window}, τ = ${tolerance}; load ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
const last = Float64Array.from(theta);
let sum = 0, previous = NaN;
const started = performance.now();
for (let it = 1; it <= cap; it++) {
  const kernels = factorKernels(model, theta, jitter);
  const state = caviState(model, theta, jitter, kernels);
  caviSweep(model, theta, stats, state);
  const e = evaluateBound(model, theta, { kind: 'stats', stats }, jitter, true, kernels, state.h, false);
  sum += e.bound;
  const converged = convergence.push(e.bound);
  if (it % window === 0) {
    const windowMean = sum / window;
    const g = e.gradient!;
    const kernelsText = levels.map((name, c) => `${name} ${Math.exp(theta[layout.fKernel + 2 * c]).toPrecision(2)}/${Math.exp(theta[layout.fKernel + 2 * c + 1]).toPrecision(2)}`).join(', ');
    console.log(`${it}: B̄ ${windowMean.toFixed(1)}, ΔB̄ ${(windowMean - previous).toFixed(1)} vs tolerance ${(tolerance * Math.max(Math.abs(windowMean), nObs)).toFixed(1)}; ` +
      `RMS gradient ${groups.map(([name, pick]) => `${name} ${rms((i) => g[i], pick)}`).join(', ')}; ` +
      `RMS move over the window ${groups.map(([name, pick]) => `${name} ${rms((i) => theta[i] - last[i], pick)}`).join(', ')}; ` +
      `f kernels σ²/ℓ ${kernelsText}; ${((performance.now() - started) / 1000).toFixed(0)} s`);
    previous = windowMean;
    sum = 0;
    last.set(theta);
  }
  if (converged) { console.log(`converged by HG-13b after ${it} iterations`); break; }
  if (it === cap) console.log(`not converged after ${cap} iterations`);
  adam.step(theta, e.gradient!);
}
