// The closed-form coordinate update of each f-node's q(ũ_v) given all other factors (methods-spec §5.4.5
// HG-13 (a)): the data term is quadratic in f once q(h) is fixed, so the optimum is Gaussian.

import type { CellStats } from './cell-stats';
import { factorKernels, leafMarginals, nodeMarginals, type GpModel, type KernelFactor, type LeafMarginals, type NodeMarginal } from './bound';
import { choleskyInPlace, inverseFromCholesky } from './linalg';
import { writeCholeskyFactor } from './structure';

/** Leaves below each node (a node is below itself). */
export function leavesBelow(model: GpModel): number[][] {
  const s = model.structure;
  const below: number[][] = s.nodeIds.map(() => []);
  s.ancestors.forEach((path, l) => { for (const v of path) below[v].push(l); });
  return below;
}

export interface CaviState {
  kernels: KernelFactor[];
  f: NodeMarginal[];
  h: NodeMarginal[];
  leaves: LeafMarginals;
  below: number[][];
}

export function caviState(model: GpModel, theta: Float64Array, jitter: Float64Array, kernels = factorKernels(model, theta, jitter)): CaviState {
  const { f, h } = nodeMarginals(model, theta, kernels);
  return { kernels, f, h, leaves: leafMarginals(model, theta, f, h), below: leavesBelow(model) };
}

/**
 * HG-13 (a) for node v: with e_lj = exp(−μ_h + σ²_h/2), ω_j = Σ n e, ρ_j = Σ n e (ȳ − μ_f + μ_v) over the
 * leaves below v, S̃ = (I + Ã diag(ω) Ãᵀ)⁻¹, m̃ = S̃ Ã ρ, L̃ = chol(S̃). Writes q(ũ_v) into θ and keeps the
 * leaves' μ_f in `state` current (their σ²_f is not used by later updates of the sweep and is left stale).
 */
export function caviUpdateNode(model: GpModel, theta: Float64Array, stats: readonly CellStats[], state: CaviState, v: number): void {
  const { structure: s, layout, grid } = model;
  const m = layout.m, t = grid.length;
  const at = state.kernels[s.kernelOf[v]].aTilde;
  const muV = state.f[v].mean;
  const omega = new Float64Array(t), rho = new Float64Array(t);
  for (const l of state.below[v]) {
    const cs = stats[l], muF = state.leaves.muF[l], muH = state.leaves.muH[l], s2H = state.leaves.s2H[l];
    for (let j = 0; j < t; j++) {
      const n = cs.n[j];
      if (n === 0) continue;
      const ne = n * Math.exp(-muH[j] + 0.5 * s2H[j]);
      omega[j] += ne;
      rho[j] += ne * (cs.mean[j] - muF[j] + muV[j]);
    }
  }
  const p = new Float64Array(m * m);
  for (let a = 0; a < m; a++) {
    for (let b = 0; b <= a; b++) {
      let sum = a === b ? 1 : 0;
      for (let j = 0; j < t; j++) sum += at[a * t + j] * omega[j] * at[b * t + j];
      p[a * m + b] = sum; p[b * m + a] = sum;
    }
  }
  if (choleskyInPlace(p, m) >= 0) throw new Error(`GP: CAVI update of node ${s.nodeIds[v]} met a non-positive pivot`);
  const sTilde = inverseFromCholesky(p, m);
  const aRho = new Float64Array(m);
  for (let a = 0; a < m; a++) { let sum = 0; for (let j = 0; j < t; j++) sum += at[a * t + j] * rho[j]; aRho[a] = sum; }
  const block = layout.fVariational + v * layout.blockSize;
  for (let a = 0; a < m; a++) { let sum = 0; for (let b = 0; b < m; b++) sum += sTilde[a * m + b] * aRho[b]; theta[block + a] = sum; }
  if (choleskyInPlace(sTilde, m) >= 0) throw new Error(`GP: CAVI update of node ${s.nodeIds[v]}: S̃ is not positive definite`);
  writeCholeskyFactor(theta, block, m, sTilde);
  // New μ_v = Ãᵀ m̃; move every leaf below by the change.
  for (let j = 0; j < t; j++) {
    let sum = 0;
    for (let a = 0; a < m; a++) sum += at[a * t + j] * theta[block + a];
    const change = sum - muV[j];
    muV[j] = sum;
    for (const l of state.below[v]) state.leaves.muF[l][j] += change;
  }
}

/** One top-down sweep over all f-nodes (population, groups, individuals, leaves: the node order). */
export function caviSweep(model: GpModel, theta: Float64Array, stats: readonly CellStats[], state: CaviState): void {
  for (let v = 0; v < model.structure.parent.length; v++) caviUpdateNode(model, theta, stats, state, v);
}
