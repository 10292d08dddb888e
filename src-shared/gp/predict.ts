// Per-node outputs of a fitted hierarchical GP (methods-spec §5.4.8 HG-19–HG-21), in original units (HG-3).

import { factorKernels, leafMarginals, nodeMarginals, type GpModel } from './bound';
import type { GpFit } from './fit';

export interface LeafPrediction {
  leaf: number;
  id: string;
  /** HG-19/HG-20 on the requested grid. */
  latentMean: Float64Array;
  latentVar: Float64Array;
  logNoiseMean: Float64Array;
  logNoiseVar: Float64Array;
  noiseVar: Float64Array;
  predVar: Float64Array;
}

export interface NodePrediction {
  node: number;
  id: string;
  latentMean: Float64Array;
  latentVar: Float64Array;
}

/** HG-21 group noise (heteroscedastic fits): μ₀,g + μ_η, s²_η and e^{μ₀ + μ_η + s²_η/2}. */
export interface GroupNoisePrediction {
  group: string;
  groupLogNoiseMean: Float64Array;
  groupLogNoiseVar: Float64Array;
  groupNoiseVar: Float64Array;
}

export interface GpPredictions {
  grid: Float64Array;
  nodes: NodePrediction[];
  leaves: LeafPrediction[];
  /** Empty for homoscedastic fits. */
  groups: GroupNoisePrediction[];
}

/** What predictions need of a fit: the model, θ, the jitter and the standardisation (a stored model has these). */
export type FittedGp = Pick<GpFit, 'model' | 'theta' | 'jitter' | 'standardisation'>;

/** Marginals of every node and leaf on `grid` (default: the fit's grid), transformed back to original units. */
export function predict(fit: FittedGp, grid: Float64Array = fit.model.grid): GpPredictions {
  const model: GpModel = { ...fit.model, grid };
  const { structure: s } = model;
  const { mean, sd } = fit.standardisation;
  const kernels = factorKernels(model, fit.theta, Float64Array.from(fit.jitter));
  const { f, h } = nodeMarginals(model, fit.theta, kernels);
  const leaves = leafMarginals(model, fit.theta, f, h);
  const var2 = sd * sd, logVar2 = 2 * Math.log(sd);
  // f_v = Σ over anc(v) of the increments (R7); the nodes are top-down so a parent is done before its children.
  const nodeMean: Float64Array[] = [], nodeVar: Float64Array[] = [];
  s.parent.forEach((p, v) => {
    nodeMean.push(f[v].mean.map((x, j) => x + (p >= 0 ? nodeMean[p][j] : 0)));
    nodeVar.push(f[v].variance.map((x, j) => x + (p >= 0 ? nodeVar[p][j] : 0)));
  });
  const groups = fit.model.layout.noise === 'hetero' ? s.groupIds.map((group, g) => {
    const mu0 = fit.theta[fit.model.layout.noiseLevel + g];
    const groupLogNoiseMean = h[g].mean.map((x) => mu0 + x + logVar2);
    const groupLogNoiseVar = Float64Array.from(h[g].variance);
    return { group, groupLogNoiseMean, groupLogNoiseVar, groupNoiseVar: groupLogNoiseMean.map((x, j) => Math.exp(x + 0.5 * groupLogNoiseVar[j])) };
  }) : [];
  return {
    grid, groups,
    nodes: s.nodeIds.map((id, v) => ({ node: v, id, latentMean: nodeMean[v].map((x) => mean + sd * x), latentVar: nodeVar[v].map((x) => x * var2) })),
    leaves: Array.from(s.leafNode, (v, l) => {
      const noiseVar = leaves.muH[l].map((mu, j) => Math.exp(mu + logVar2 + 0.5 * leaves.s2H[l][j]));
      const latentVar = leaves.s2F[l].map((x) => x * var2);
      return {
        leaf: l, id: s.nodeIds[v], latentMean: leaves.muF[l].map((x) => mean + sd * x), latentVar,
        logNoiseMean: leaves.muH[l].map((x) => x + logVar2), logNoiseVar: Float64Array.from(leaves.s2H[l]),
        noiseVar, predVar: latentVar.map((x, j) => x + noiseVar[j]),
      };
    }),
  };
}

/**
 * HG-21: the pooled predictive of an internal node, the moment-matched mixture of the predictive distributions
 * of the observed leaves below it with weights N_l / Σ N (training observations).
 */
export function pooledPredictive(fit: FittedGp, predictions: GpPredictions, node: number, leafObservations: readonly number[]): { mean: Float64Array; variance: Float64Array } {
  const s = fit.model.structure;
  const below = s.leafNode.reduce<number[]>((acc, _, l) => (s.ancestors[l].includes(node) ? [...acc, l] : acc), []);
  const total = below.reduce((a, l) => a + leafObservations[l], 0);
  const t = predictions.grid.length;
  const mean = new Float64Array(t), second = new Float64Array(t);
  for (const l of below) {
    const w = leafObservations[l] / total, p = predictions.leaves[l];
    for (let j = 0; j < t; j++) { mean[j] += w * p.latentMean[j]; second[j] += w * (p.predVar[j] + p.latentMean[j] ** 2); }
  }
  return { mean, variance: second.map((x, j) => x - mean[j] ** 2) };
}
