// KL asymmetry (methods-spec §4.4, §5.4.9): per individual and limb, KL(N(μ_l, Σ_l) ‖ N(μ̄_i, Σ̄_i)) on a grid,
// with the leaf covariance Σ_l = Σ_{w ∈ anc(l)} (K_w(t, t) − Ãᵀ Ã + Ãᵀ S̃ Ã) + diag(r_l) and the individual's
// pooled covariance of HG-21; the individual's score is left + right.

import { factorKernels, type GpModel } from './bound';
import type { GpFit } from './fit';
import { matern32Matrix } from './kernel';
import { choleskyWithJitter, logDetFromCholesky, lowerTransposedTimes, solveLower } from './linalg';
import { predict } from './predict';
import { readCholeskyFactor } from './structure';

export interface LeafCovariances {
  grid: Float64Array;
  /** Per leaf: mean (original units) and the dense covariance (row-major T × T, original units, noise included). */
  mean: Float64Array[];
  covariance: Float64Array[];
}

export function leafCovariances(fit: GpFit, grid: Float64Array): LeafCovariances {
  const model: GpModel = { ...fit.model, grid };
  const { structure: s, layout } = model;
  const m = layout.m, t = grid.length, sd2 = fit.standardisation.sd ** 2;
  const kernels = factorKernels(model, fit.theta, Float64Array.from(fit.jitter));
  // Per f-node: K_v(t, t) − Ãᵀ Ã + Wᵀ W with W = L̃ᵀ Ã.
  const nodeCov = Array.from(s.parent, (_, v) => {
    const kf = kernels[s.kernelOf[v]];
    const cov = matern32Matrix(grid, grid, kf.variance, kf.lengthscale);
    const w = lowerTransposedTimes(readCholeskyFactor(fit.theta, layout.fVariational + v * layout.blockSize, m), m, kf.aTilde, t);
    for (let i = 0; i < m; i++) {
      for (let a = 0; a < t; a++) {
        const aa = kf.aTilde[i * t + a], wa = w[i * t + a];
        for (let b = 0; b < t; b++) cov[a * t + b] += wa * w[i * t + b] - aa * kf.aTilde[i * t + b];
      }
    }
    return cov;
  });
  const p = predict(fit, grid);
  const covariance = Array.from(s.leafNode, (_, l) => {
    const cov = new Float64Array(t * t);
    for (const v of s.ancestors[l]) for (let k = 0; k < t * t; k++) cov[k] += nodeCov[v][k] * sd2;
    for (let j = 0; j < t; j++) cov[j * t + j] += p.leaves[l].noiseVar[j];
    return cov;
  });
  return { grid, mean: p.leaves.map((x) => x.latentMean), covariance };
}

/** KL(N(μ₀, Σ₀) ‖ N(μ₁, Σ₁)) in d dimensions; Σ₁ factorised with jitter relative to its mean diagonal (HG-16). */
export function gaussianKl(mu0: Float64Array, cov0: Float64Array, mu1: Float64Array, cov1: Float64Array): number {
  const d = mu0.length;
  let meanDiag0 = 0, meanDiag1 = 0;
  for (let i = 0; i < d; i++) { meanDiag0 += cov0[i * d + i] / d; meanDiag1 += cov1[i * d + i] / d; }
  const l1 = choleskyWithJitter(cov1, d, meanDiag1, 0)?.l;
  const l0 = choleskyWithJitter(cov0, d, meanDiag0, 0)?.l;
  if (!l1 || !l0) throw new Error('KL asymmetry: a covariance is not positive definite even with jitter 1e-4');
  // tr(Σ₁⁻¹ Σ₀) = ‖L₁⁻¹ L₀‖²_F
  const x = solveLower(l1, d, Float64Array.from(l0), d);
  let trace = 0;
  for (const v of x) trace += v * v;
  const diff = solveLower(l1, d, mu1.map((m, i) => m - mu0[i]), 1);
  let quad = 0;
  for (const v of diff) quad += v * v;
  return 0.5 * (trace + quad - d + logDetFromCholesky(l1, d) - logDetFromCholesky(l0, d));
}

/**
 * Per individual with both limbs observed: KL of each limb against the individual's pooled distribution
 * (weights N_l / Σ N, HG-21), and their sum.
 */
export function klAsymmetry(fit: GpFit, covs: LeafCovariances, leafObservations: readonly number[]): { individual: string; left: number; right: number; score: number }[] {
  const s = fit.model.structure;
  const t = covs.grid.length;
  const out: { individual: string; left: number; right: number; score: number }[] = [];
  s.nodeIds.forEach((id, v) => {
    // Limbs in id order, so 'L' comes before 'R'.
    const limbs = Array.from(s.leafNode.keys()).filter((l) => s.parent[s.leafNode[l]] === v).sort((a, b) => (s.nodeIds[s.leafNode[a]] < s.nodeIds[s.leafNode[b]] ? -1 : 1));
    if (limbs.length !== 2) return;
    const total = limbs.reduce((a, l) => a + leafObservations[l], 0);
    const mean = new Float64Array(t), cov = new Float64Array(t * t);
    for (const l of limbs) {
      const w = leafObservations[l] / total;
      for (let a = 0; a < t; a++) mean[a] += w * covs.mean[l][a];
      for (let a = 0; a < t; a++) for (let b = 0; b < t; b++) cov[a * t + b] += w * (covs.covariance[l][a * t + b] + covs.mean[l][a] * covs.mean[l][b]);
    }
    for (let a = 0; a < t; a++) for (let b = 0; b < t; b++) cov[a * t + b] -= mean[a] * mean[b];
    const [left, right] = limbs.map((l) => gaussianKl(covs.mean[l], covs.covariance[l], mean, cov));
    out.push({ individual: id, left, right, score: left + right });
  });
  return out;
}
