// The synthetic hierarchy generator of methods-spec §5.4.10 (HG-23): a population template, group, individual
// and limb increments drawn from Matérn-3/2 GPs, heteroscedastic log-noise per limb, an injected asymmetry.

import { cellStatsOfCycles, type CellStats } from './cell-stats';
import { matern32Matrix } from './kernel';
import { choleskyWithJitter } from './linalg';
import { seededNormal } from '../random';
import type { LeafKey } from './structure';

export interface HierarchyOptions {
  individualsPerGroup?: number;
  cyclesPerLimb?: number;
  /** Grid size T; t_j = j/(T − 1). */
  gridSize?: number;
  /** Individuals (group, index) whose right limb gets the asymmetry bump. */
  asymmetric?: readonly [string, number][];
  /** Height A of the bump. */
  amplitude?: number;
}

export interface SyntheticHierarchy {
  grid: Float64Array;
  leaves: LeafKey[];
  /** Raw cycles per leaf (T samples each). */
  cycles: Float64Array[][];
  stats: CellStats[];
  /** True f of every node by id ('population', group, 'group/individual', 'group/individual/limb'). */
  trueF: Map<string, Float64Array>;
  /** True log-noise h_l per leaf. */
  trueH: Float64Array[];
  asymmetric: [string, number][];
  constants: Record<string, unknown>;
}

const TEMPLATE: readonly [number, number, number][] = [[-0.6, 0.08, 0.04], [0.25, 0.35, 0.1], [-0.8, 0.58, 0.04], [1.6, 0.76, 0.07], [-0.5, 0.97, 0.03]];
const GROUPS = ['HC', 'MS'] as const;
const NOISE_BUMP: Record<string, number> = { HC: 1, MS: 2 };

/** A draw of GP(0, k(·; σ², ℓ)) on the grid by a dense Cholesky (jitter 1e-10 σ²). */
function drawGp(grid: Float64Array, variance: number, lengthscale: number, normal: () => number): Float64Array {
  const t = grid.length;
  const l = choleskyWithJitter(matern32Matrix(grid, grid, variance, lengthscale), t, variance, 1e-10)!.l;
  const xi = Float64Array.from({ length: t }, normal);
  const out = new Float64Array(t);
  for (let i = 0; i < t; i++) { let s = 0; for (let k = 0; k <= i; k++) s += l[i * t + k] * xi[k]; out[i] = s; }
  return out;
}

export function generateHierarchy(seed: number, options: HierarchyOptions = {}): SyntheticHierarchy {
  const individualsPerGroup = options.individualsPerGroup ?? 4, cyclesPerLimb = options.cyclesPerLimb ?? 30;
  const gridSize = options.gridSize ?? 101, amplitude = options.amplitude ?? 0.8;
  const asymmetric = (options.asymmetric ?? [['MS', 0]]).map(([g, i]) => [g, i] as [string, number]);
  const grid = Float64Array.from({ length: gridSize }, (_, j) => j / (gridSize - 1));
  const normal = seededNormal(seed);
  const population = grid.map((t) => TEMPLATE.reduce((s, [a, c, w]) => s + a * Math.exp(-((t - c) ** 2) / (2 * w * w)), 0));
  const trueF = new Map<string, Float64Array>([['population', population]]);
  const leaves: LeafKey[] = [], cycles: Float64Array[][] = [], trueH: Float64Array[] = [];
  for (const g of GROUPS) {
    const fg = drawGp(grid, 0.02, 0.1, normal).map((x, j) => x + population[j]);
    trueF.set(g, fg);
    const hg = grid.map((t) => Math.log(0.004) + NOISE_BUMP[g] * Math.exp(-((t - 0.7) ** 2) / (2 * 0.08 ** 2)));
    for (let i = 0; i < individualsPerGroup; i++) {
      const individual = `${g}${String(i + 1).padStart(2, '0')}`;
      const fi = drawGp(grid, 0.01, 0.08, normal).map((x, j) => x + fg[j]);
      trueF.set(`${g}/${individual}`, fi);
      for (const limb of ['L', 'R']) {
        const fl = drawGp(grid, 0.0025, 0.08, normal).map((x, j) => x + fi[j]);
        if (limb === 'R' && asymmetric.some(([ag, ai]) => ag === g && ai === i)) {
          for (let j = 0; j < gridSize; j++) fl[j] += amplitude * Math.exp(-((grid[j] - 0.62) ** 2) / (2 * 0.04 ** 2));
        }
        const hl = drawGp(grid, 0.05, 0.2, normal).map((x, j) => x + hg[j]);
        const leafCycles: Float64Array[] = [];
        for (let r = 0; r < cyclesPerLimb; r++) leafCycles.push(Float64Array.from(fl, (f, j) => f + Math.exp(hl[j] / 2) * normal()));
        trueF.set(`${g}/${individual}/${limb}`, fl);
        leaves.push({ group: g, individual, limb });
        cycles.push(leafCycles);
        trueH.push(hl);
      }
    }
  }
  return {
    grid, leaves, cycles, stats: cycles.map((c) => cellStatsOfCycles(c, gridSize)), trueF, trueH, asymmetric,
    constants: { seed, individualsPerGroup, cyclesPerLimb, gridSize, amplitude, template: TEMPLATE, group: [0.02, 0.1], individual: [0.01, 0.08], limb: [0.0025, 0.08], delta: [0.05, 0.2], noiseBase: 0.004, noiseBump: NOISE_BUMP },
  };
}
