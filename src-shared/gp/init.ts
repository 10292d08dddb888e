// Initial values of θ (methods-spec §5.4.5 HG-15, HG-7), in standardised units.

import type { CellStats } from './cell-stats';
import type { GpModel } from './bound';

/** HG-15 f-node (σ², ℓ) by level: population, group, individual, limb (deeper levels as limbs). */
const F_INIT: readonly [number, number][] = [[0.5, 0.05], [0.1, 0.05], [0.05, 0.05], [0.02, 0.05]];
const ETA_INIT: [number, number] = [1.0, 0.1];
const DELTA_INIT: [number, number] = [0.25, 0.1];

/** Pooled within-cell variance Σ C / Σ (n − 1) over the given leaves' observed cells. */
export function pooledWithinCellVariance(stats: readonly CellStats[]): number {
  let c = 0, dof = 0;
  for (const s of stats) for (let j = 0; j < s.n.length; j++) if (s.n[j] > 0) { c += s.c[j]; dof += s.n[j] - 1; }
  return dof > 0 && c > 0 ? c / dof : 1;
}

/** HG-7 Z at (m − 1)/(M − 1); HG-15 kernels and noise levels; m̃ = 0 and L̃ = I (ρ = 0) for every node. */
export function initialTheta(model: GpModel, stats: readonly CellStats[]): Float64Array {
  const { structure: s, layout } = model;
  const m = layout.m;
  const theta = new Float64Array(layout.size);
  for (let i = 0; i < m; i++) theta[i] = m === 1 ? 0.5 : i / (m - 1);
  for (let c = 0; c < s.kernelCount; c++) {
    const level = s.level[s.kernelOf.indexOf(c)];
    const [variance, lengthscale] = F_INIT[Math.min(level, 3)];
    theta[layout.fKernel + 2 * c] = Math.log(variance);
    theta[layout.fKernel + 2 * c + 1] = Math.log(lengthscale);
  }
  if (layout.noise === 'hetero') {
    for (let g = 0; g < s.groupCount; g++) {
      const o = layout.noiseKernel + 4 * g;
      theta[o] = Math.log(ETA_INIT[0]); theta[o + 1] = Math.log(ETA_INIT[1]);
      theta[o + 2] = Math.log(DELTA_INIT[0]); theta[o + 3] = Math.log(DELTA_INIT[1]);
      theta[layout.noiseLevel + g] = Math.log(pooledWithinCellVariance(stats.filter((_, l) => s.leafGroup[l] === g)));
    }
  } else {
    stats.forEach((st, l) => { theta[layout.noiseLevel + l] = Math.log(pooledWithinCellVariance([st])); });
  }
  return theta;
}
