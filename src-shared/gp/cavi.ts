// The closed-form coordinate update of each f-node's q(ũ_v) given all other factors (methods-spec §5.4.5
// HG-13 (a)): the data term is quadratic in f once q(h) is fixed, so the optimum is Gaussian.

import type { CellStats } from './cell-stats';
import { factorKernels, leafMarginals, nodeMarginal, type GpModel, type KernelFactor, type LeafMarginals, type NodeMarginal } from './bound';
import { choleskyInPlace, lowerInverse } from './linalg';
import { productABtLower } from './products';
import { noiseKernelOf, writeCholeskyFactor } from './structure';

/** Leaves below each node (a node is below itself). */
export function leavesBelow(model: GpModel): number[][] {
  const s = model.structure;
  const below: number[][] = s.nodeIds.map(() => []);
  s.ancestors.forEach((path, l) => { for (const v of path) below[v].push(l); });
  return below;
}

export interface CaviState {
  kernels: KernelFactor[];
  /** μ_v of every f-node (only the means matter to the sweep). */
  fMean: Float64Array[];
  /** Noise-node marginals: unchanged by the sweep, so the evaluation after it reuses them. */
  h: NodeMarginal[];
  /** μ_f, μ_h, σ²_h per leaf (σ²_f is not used by the sweep and left zero). */
  leaves: LeafMarginals;
  below: number[][];
}

export function caviState(model: GpModel, theta: Float64Array, jitter: Float64Array, kernels = factorKernels(model, theta, jitter)): CaviState {
  const { structure: s, layout, grid } = model;
  const m = layout.m, t = grid.length;
  const fMean = Array.from(s.parent, (_, v) => {
    const at = kernels[s.kernelOf[v]].aTilde, block = layout.fVariational + v * layout.blockSize;
    const mean = new Float64Array(t);
    for (let i = 0; i < m; i++) { const mi = theta[block + i]; for (let j = 0; j < t; j++) mean[j] += at[i * t + j] * mi; }
    return mean;
  });
  const h = Array.from({ length: layout.noiseNodeCount }, (_, w) => nodeMarginal(theta, layout.noiseVariational + w * layout.blockSize, m, kernels[s.kernelCount + noiseKernelOf(s, w)], t));
  const zeros = new Float64Array(t);
  const f = fMean.map((mean) => ({ mean, variance: zeros, w: zeros, lTilde: zeros, kl: 0 }));
  return { kernels, fMean, h, leaves: leafMarginals(model, theta, f, h), below: leavesBelow(model) };
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
  const muV = state.fMean[v];
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
  // P = I + Ã diag(ω) Ãᵀ as one product of Ã diag(ω) and Ãᵀ; its lower triangle is mirrored (the product's two
  // triangles differ in rounding) so that P is exactly symmetric.
  const aOmega = new Float64Array(m * t);
  for (let a = 0; a < m; a++) for (let j = 0; j < t; j++) aOmega[a * t + j] = at[a * t + j] * omega[j];
  const p = productABtLower(aOmega, at, m, t, m);
  for (let a = 0; a < m; a++) {
    p[a * m + a] = 1 + p[a * m + a];
    for (let b = 0; b < a; b++) p[b * m + a] = p[a * m + b];
  }
  // S̃ = P⁻¹ and its lower factor without forming the inverse: with J the exchange matrix, chol(J P J) = L′ gives
  // P = U Uᵀ for the upper U = J L′ J, so S̃ = U⁻ᵀ U⁻¹ and L̃ = U⁻ᵀ = J L′⁻ᵀ J is lower with a positive diagonal.
  const reversed = new Float64Array(m * m);
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) reversed[a * m + b] = p[(m - 1 - a) * m + (m - 1 - b)];
  if (choleskyInPlace(reversed, m) >= 0) throw new Error(`GP: CAVI update of node ${s.nodeIds[v]} met a non-positive pivot`);
  const inv = lowerInverse(reversed, m);
  const lTilde = new Float64Array(m * m);
  for (let a = 0; a < m; a++) for (let b = 0; b <= a; b++) lTilde[a * m + b] = inv[(m - 1 - b) * m + (m - 1 - a)];
  const aRho = new Float64Array(m);
  for (let a = 0; a < m; a++) { let sum = 0; for (let j = 0; j < t; j++) sum += at[a * t + j] * rho[j]; aRho[a] = sum; }
  // m̃ = L̃ (L̃ᵀ Ã ρ)
  const half = new Float64Array(m);
  for (let b = 0; b < m; b++) { let sum = 0; for (let a = b; a < m; a++) sum += lTilde[a * m + b] * aRho[a]; half[b] = sum; }
  const block = layout.fVariational + v * layout.blockSize;
  for (let a = 0; a < m; a++) { let sum = 0; for (let b = 0; b <= a; b++) sum += lTilde[a * m + b] * half[b]; theta[block + a] = sum; }
  writeCholeskyFactor(theta, block, m, lTilde);
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
