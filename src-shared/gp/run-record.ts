// HG-22 (methods-spec §5.4.8): what a fit records so that its result can say what produced it: Z, every
// hyperparameter (original units, HG-3), final bound, iterations, converged flag, jitter levels, seeds, split
// mode, M and the options. Plain JSON.

import { kernelName } from './bound';
import type { GpFit } from './fit';

export interface GpRunRecord {
  m: number;
  z: number[];
  /** f-kernels: the node (untied) or level (tieLevels) each belongs to, σ² in squared original units, ℓ in cycle fraction. */
  kernels: { kernel: string; variance: number; lengthscale: number }[];
  /** hetero: per group μ₀ (log of squared original units), η and δ kernels (log scale, so σ² is unit-free). */
  noise: { group: string; mu0: number; eta: { variance: number; lengthscale: number }; delta: { variance: number; lengthscale: number } }[]
    | { leaf: string; noiseVariance: number }[];
  standardisation: { mean: number; sd: number };
  bound: number;
  iterations: number;
  phaseIterations: number[];
  converged: boolean;
  cancelled: boolean;
  zOptimisationRejected: boolean;
  jitter: { kernel: string; jitter: number }[];
  jitterEscalations: { kernel: string; iteration: number; jitter: number }[];
  observations: number;
  seed: number;
  split: { mode: string; testFraction: number; seed: number } | null;
  options: Record<string, number | string | boolean>;
}

export function gpRunRecord(fit: GpFit, seed: number, split: GpRunRecord['split']): GpRunRecord {
  const { model, theta } = fit;
  const { structure: s, layout } = model;
  const sd2 = fit.standardisation.sd ** 2, logSd2 = Math.log(sd2);
  const pair = (o: number) => ({ variance: Math.exp(theta[o]), lengthscale: Math.exp(theta[o + 1]) });
  const kernels = Array.from({ length: s.kernelCount }, (_, c) => {
    const p = pair(layout.fKernel + 2 * c);
    return { kernel: kernelName(model, c), variance: p.variance * sd2, lengthscale: p.lengthscale };
  });
  const noise = layout.noise === 'hetero'
    ? s.groupIds.map((group, g) => ({ group, mu0: theta[layout.noiseLevel + g] + logSd2, eta: pair(layout.noiseKernel + 4 * g), delta: pair(layout.noiseKernel + 4 * g + 2) }))
    : Array.from(s.leafNode, (v, l) => ({ leaf: s.nodeIds[v], noiseVariance: Math.exp(theta[layout.noiseLevel + l]) * sd2 }));
  return {
    m: layout.m, z: Array.from(theta.subarray(0, layout.m)), kernels, noise, standardisation: { ...fit.standardisation },
    bound: fit.bound, iterations: fit.iterations, phaseIterations: fit.phases.map((p) => p.iterations), converged: fit.converged,
    cancelled: fit.cancelled, zOptimisationRejected: fit.zOptimisationRejected,
    jitter: fit.jitter.map((jitter, c) => ({ kernel: kernelName(model, c), jitter })), jitterEscalations: fit.jitterEscalations,
    observations: fit.observations, seed, split, options: { ...fit.options },
  };
}
