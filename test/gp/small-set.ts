// The small synthetic set of HG-11/HG-12/HG-13c: 2 groups × 2 individuals × 2 limbs, 5 cycles, T = 21, about
// 10 % of the samples set to NaN so that cell counts differ, standardised (HG-3), M = 10, random q(u).
import { cellStatsOfCycles, type CellStats } from '../../src-shared/gp/cell-stats';
import type { GpData, GpModel } from '../../src-shared/gp/bound';
import { fitStructure } from '../../src-shared/gp/fit';
import { initialTheta } from '../../src-shared/gp/init';
import { seededNormal, seededRandom } from '../../src-shared/random';
import { gpLayout, hierarchyStructure, type NoiseModel } from '../../src-shared/gp/structure';
import { generateHierarchy } from '../../src-shared/gp/synthetic';

export interface SmallSet { model: GpModel; theta: Float64Array; stats: CellStats[]; points: GpData; statsData: GpData; jitter: Float64Array }

/**
 * `scale` 'wide' draws q(u) far from any fit (a bound of about −4·10⁴ nats); 'near-fit' first runs two CAVI
 * sweeps, then perturbs every q(u) a little, so that the bound is a few hundred nats and central differences
 * with step 1e-6 are not swamped by rounding (their error is about 1e-16·|bound|/1e-6).
 */
export function smallSet(noise: NoiseModel, scale: 'wide' | 'near-fit' = 'wide', tieLevels = false, m = 10): SmallSet {
  const synthetic = generateHierarchy(1, { individualsPerGroup: 2, cyclesPerLimb: 5, gridSize: 21 });
  const drop = seededRandom(2);
  let sum = 0, sum2 = 0, count = 0;
  const cycles = synthetic.cycles.map((leaf) => leaf.map((c) => c.map((y) => (drop() < 0.1 ? NaN : y))));
  for (const leaf of cycles) for (const c of leaf) for (const y of c) if (!Number.isNaN(y)) { sum += y; sum2 += y * y; count++; }
  const mean = sum / count, sd = Math.sqrt(sum2 / count - mean * mean);
  const standardised = cycles.map((leaf) => leaf.map((c) => c.map((y) => (y - mean) / sd)));
  const stats = standardised.map((leaf) => cellStatsOfCycles(leaf, 21));
  const structure = hierarchyStructure(synthetic.leaves, tieLevels);
  const model: GpModel = { structure, layout: gpLayout(structure, m, noise), grid: synthetic.grid };
  const theta = initialTheta(model, stats);
  const r = seededRandom(3), normal = seededNormal(4);
  const { layout } = model;
  // Random but valid θ: Z jittered around its grid, kernels moved off their initial values, random m̃ and L̃.
  for (let i = 0; i < m; i++) theta[i] += (r() - 0.5) * 0.05;
  for (let p = layout.fKernel; p < layout.fVariational; p++) theta[p] += (r() - 0.5) * 0.4;
  for (let p = layout.fVariational; p < layout.size; p++) {
    const inBlock = (p - layout.fVariational) % layout.blockSize;
    theta[p] = inBlock < m ? 0.5 * normal() : inBlock < layout.blockSize - m ? 0.1 * normal() : 0.3 * normal() - 0.5;
  }
  const jitter = new Float64Array(structure.kernelCount + (noise === 'hetero' ? 2 * structure.groupCount : 0)).fill(1e-8);
  if (scale === 'near-fit') {
    // 300 cavi-adam iterations from the HG-15 start (Z fixed), then every q(u) and kernel nudged off the fit.
    const fitted = fitStructure(structure, stats, synthetic.grid, { m, noise, tieLevels, optimizeZ: false, maxIterations: 300 }).theta;
    theta.set(fitted);
    for (let p = layout.fKernel; p < layout.size; p++) {
      const inBlock = (p - layout.fVariational) % layout.blockSize;
      theta[p] += p < layout.fVariational ? 0.05 * normal() : inBlock < m ? 0.05 * normal() : 0.02 * normal();
    }
  }
  return { model, theta, stats, points: { kind: 'points', cycles: standardised }, statsData: { kind: 'stats', stats }, jitter };
}
