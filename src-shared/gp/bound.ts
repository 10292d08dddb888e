// The factorised variational bound (R9) of the hierarchical GP and its hand-coded reverse-mode gradient
// (methods-spec §4.1.6–§4.1.9, §5.4.3–§5.4.4). Data enter through per-(leaf, grid point) cell terms, either
// from sufficient statistics (HG-9, the fitting path) or from raw points (the HG-11 cross-check).

import type { CellStats } from './cell-stats';
import { matern32Backward, matern32Matrix } from './kernel';
import { choleskyWithJitter, lowerInverse } from './linalg';
import { choleskyAdjointByInverse, productABt, productABtLower, productLB, productLtB } from './products';
import { noiseKernelOf, readCholeskyFactor, type GpLayout, type GpStructure } from './structure';

const LOG_2PI = Math.log(2 * Math.PI);

/** The data of every leaf on the grid: cell statistics (HG-9) or raw cycles (NaN = missing). */
export type GpData = { kind: 'stats'; stats: readonly CellStats[] } | { kind: 'points'; cycles: readonly (readonly ArrayLike<number>[])[] };

export interface GpModel {
  structure: GpStructure;
  layout: GpLayout;
  /** The grid t_j of every cycle (HG-1: j/100). */
  grid: Float64Array;
}

/** One factorised kernel: L = chol(K(Z, Z) + ε σ² I), Ã = L⁻¹ K(Z, t) (§4.1.5 whitened form). */
export interface KernelFactor {
  variance: number;
  lengthscale: number;
  jitter: number;
  l: Float64Array;
  /** L⁻¹: Ã and the backward pass's L⁻ᵀ products become matrix products instead of triangular solves. */
  lInverse: Float64Array;
  aTilde: Float64Array;
}

export class JitterExhaustedError extends Error {
  constructor(readonly kernel: string) {
    super(`GP: the covariance of ${kernel} is not positive definite even with jitter 1e-4 (HG-16)`);
  }
}

/**
 * Factorises every f-kernel and noise kernel at θ. `jitter` holds the current relative jitter of each kernel
 * (f-kernels first, then noise kernels) and is escalated in place (HG-16); escalations are pushed to `escalated`.
 */
export function factorKernels(model: GpModel, theta: Float64Array, jitter: Float64Array, escalated: number[] = []): KernelFactor[] {
  const { structure: s, layout, grid } = model;
  const m = layout.m, t = grid.length;
  const z = theta.subarray(0, m);
  const pairs: [number, number][] = [];
  for (let c = 0; c < s.kernelCount; c++) pairs.push([theta[layout.fKernel + 2 * c], theta[layout.fKernel + 2 * c + 1]]);
  if (layout.noise === 'hetero') for (let c = 0; c < 2 * s.groupCount; c++) pairs.push([theta[layout.noiseKernel + 2 * c], theta[layout.noiseKernel + 2 * c + 1]]);
  return pairs.map(([logVar, logLen], c) => {
    const variance = Math.exp(logVar), lengthscale = Math.exp(logLen);
    const k = matern32Matrix(z, z, variance, lengthscale);
    const f = choleskyWithJitter(k, m, variance, jitter[c]);
    if (!f) throw new JitterExhaustedError(kernelName(model, c));
    if (f.jitter !== jitter[c]) { jitter[c] = f.jitter; escalated.push(c); }
    const lInverse = lowerInverse(f.l, m);
    const aTilde = productLB(lInverse, matern32Matrix(z, grid, variance, lengthscale), m, t);
    return { variance, lengthscale, jitter: f.jitter, l: f.l, lInverse, aTilde };
  });
}

/** The name of kernel c for messages: the node it belongs to (untied), its level (tied) or its noise node. */
export function kernelName(model: GpModel, c: number): string {
  const s = model.structure;
  if (c < s.kernelCount) {
    const v = s.kernelOf.indexOf(c);
    return s.kernelCount === s.parent.length ? `node ${s.nodeIds[v]}` : `level ${s.level[v]}`;
  }
  const g = (c - s.kernelCount) >> 1;
  return `${(c - s.kernelCount) % 2 === 0 ? 'η' : 'δ'} noise kernel of group ${s.groupIds[g]}`;
}

/** q(g_v(t_j)) of one node: mean μ_v, variance s²_v (§4.1.7), W = L̃ᵀ Ã kept for the backward pass, and KL (R8b). */
export interface NodeMarginal {
  mean: Float64Array;
  variance: Float64Array;
  w: Float64Array;
  lTilde: Float64Array;
  kl: number;
}

export function nodeMarginal(theta: Float64Array, block: number, m: number, kf: KernelFactor, t: number): NodeMarginal {
  const mTilde = theta.subarray(block, block + m);
  const lTilde = readCholeskyFactor(theta, block, m);
  const a = kf.aTilde;
  const mean = new Float64Array(t);
  const variance = new Float64Array(t).fill(kf.variance);
  for (let i = 0; i < m; i++) {
    const mi = mTilde[i];
    for (let j = 0; j < t; j++) { const aij = a[i * t + j]; mean[j] += aij * mi; variance[j] -= aij * aij; }
  }
  const w = productLtB(lTilde, a, m, t);
  for (let i = 0; i < m; i++) for (let j = 0; j < t; j++) { const x = w[i * t + j]; variance[j] += x * x; }
  let kl = -m;
  for (let i = 0; i < m * m; i++) kl += lTilde[i] * lTilde[i];
  for (let i = 0; i < m; i++) kl += mTilde[i] * mTilde[i] - 2 * theta[block + m + (m * (m - 1)) / 2 + i];
  return { mean, variance, w, lTilde, kl: 0.5 * kl };
}

/** (R7): the marginals of f and h at every leaf and grid point. */
export interface LeafMarginals {
  muF: Float64Array[];
  s2F: Float64Array[];
  muH: Float64Array[];
  s2H: Float64Array[];
}

export function leafMarginals(model: GpModel, theta: Float64Array, f: NodeMarginal[], h: NodeMarginal[]): LeafMarginals {
  const { structure: s, layout, grid } = model;
  const t = grid.length;
  const out: LeafMarginals = { muF: [], s2F: [], muH: [], s2H: [] };
  s.leafNode.forEach((_, l) => {
    const muF = new Float64Array(t), s2F = new Float64Array(t);
    for (const v of s.ancestors[l]) for (let j = 0; j < t; j++) { muF[j] += f[v].mean[j]; s2F[j] += f[v].variance[j]; }
    const muH = new Float64Array(t), s2H = new Float64Array(t);
    if (layout.noise === 'hetero') {
      const g = s.leafGroup[l], eta = h[g], delta = h[s.groupCount + l];
      const mu0 = theta[layout.noiseLevel + g];
      for (let j = 0; j < t; j++) { muH[j] = mu0 + eta.mean[j] + delta.mean[j]; s2H[j] = eta.variance[j] + delta.variance[j]; }
    } else muH.fill(theta[layout.noiseLevel + l]);
    out.muF.push(muF); out.s2F.push(s2F); out.muH.push(muH); out.s2H.push(s2H);
  });
  return out;
}

/**
 * Σ_j D_lj of one leaf from its cell statistics (§5.4.3), and the cell adjoints ∂D/∂μ_f, ∂D/∂σ²_f, ∂D/∂μ_h,
 * ∂D/∂σ²_h (§5.4.4) written into the four gradient arrays.
 */
export function statsDataTerm(cs: CellStats, muF: Float64Array, s2F: Float64Array, muH: Float64Array, s2H: Float64Array, gMuF: Float64Array, gS2F: Float64Array, gMuH: Float64Array, gS2H: Float64Array): number {
  let total = 0;
  for (let j = 0; j < muF.length; j++) {
    const n = cs.n[j];
    if (n === 0) { gMuF[j] = gS2F[j] = gMuH[j] = gS2H[j] = 0; continue; }
    const e = Math.exp(-muH[j] + 0.5 * s2H[j]);
    const d = cs.mean[j] - muF[j];
    const q = cs.c[j] + n * d * d + n * s2F[j];
    total += -0.5 * n * LOG_2PI - 0.5 * n * muH[j] - 0.5 * e * q;
    gMuF[j] = e * n * d;
    gS2F[j] = -0.5 * n * e;
    gMuH[j] = -0.5 * n + 0.5 * e * q;
    gS2H[j] = -0.25 * e * q;
  }
  return total;
}

/** The same from raw points, summing (R8a) and its derivatives observation by observation (HG-11's reference). */
export function pointsDataTerm(cycles: readonly ArrayLike<number>[], muF: Float64Array, s2F: Float64Array, muH: Float64Array, s2H: Float64Array, gMuF: Float64Array, gS2F: Float64Array, gMuH: Float64Array, gS2H: Float64Array): number {
  gMuF.fill(0); gS2F.fill(0); gMuH.fill(0); gS2H.fill(0);
  let total = 0;
  for (const y of cycles) {
    for (let j = 0; j < muF.length; j++) {
      if (Number.isNaN(y[j])) continue;
      const e = Math.exp(-muH[j] + 0.5 * s2H[j]);
      const r = y[j] - muF[j];
      const q = r * r + s2F[j];
      total += -0.5 * LOG_2PI - 0.5 * muH[j] - 0.5 * e * q;
      gMuF[j] += e * r;
      gS2F[j] += -0.5 * e;
      gMuH[j] += -0.5 + 0.5 * e * q;
      gS2H[j] += -0.25 * e * q;
    }
  }
  return total;
}

export interface BoundEvaluation {
  bound: number;
  /** ∂(R9)/∂θ (ascent direction), when asked for. */
  gradient: Float64Array | null;
  kernels: KernelFactor[];
  f: NodeMarginal[];
  h: NodeMarginal[];
  leaves: LeafMarginals;
}

/** Per-node forward pass: marginals of every f-node and noise node at θ with the given kernel factors. */
export function nodeMarginals(model: GpModel, theta: Float64Array, kernels: KernelFactor[], noise?: NodeMarginal[]): { f: NodeMarginal[]; h: NodeMarginal[] } {
  const { structure: s, layout, grid } = model;
  const m = layout.m, t = grid.length;
  const f = Array.from(s.parent, (_, v) => nodeMarginal(theta, layout.fVariational + v * layout.blockSize, m, kernels[s.kernelOf[v]], t));
  const h = noise ?? Array.from({ length: layout.noiseNodeCount }, (_, w) => nodeMarginal(theta, layout.noiseVariational + w * layout.blockSize, m, kernels[s.kernelCount + noiseKernelOf(s, w)], t));
  return { f, h };
}

/**
 * (R9) at θ, and its gradient when `withGradient`. `kernels` may be passed when Z and the kernel parameters
 * are unchanged since they were factorised (the CAVI sweep changes only q(u) of f-nodes), and `noise` the
 * noise-node marginals when only f-nodes changed since they were computed. With `fVariationalGradient` false
 * the f-nodes' m̃ and L̃ entries of the gradient are left 0 (cavi-adam sets those nodes in closed form), which
 * saves the M²T product Ã G_s Ãᵀ L̃ per f-node.
 */
export function evaluateBound(model: GpModel, theta: Float64Array, data: GpData, jitter: Float64Array, withGradient: boolean, kernels = factorKernels(model, theta, jitter), noise?: NodeMarginal[], fVariationalGradient = true): BoundEvaluation {
  const { structure: s, layout, grid } = model;
  const m = layout.m, t = grid.length, nLeaves = s.leafNode.length;
  const { f, h } = nodeMarginals(model, theta, kernels, noise);
  const leaves = leafMarginals(model, theta, f, h);

  // Data term and the cell adjoints, accumulated per node (§5.4.4 second item).
  const gMu = f.map(() => new Float64Array(t)), gS = f.map(() => new Float64Array(t));
  const hMu = h.map(() => new Float64Array(t)), hS = h.map(() => new Float64Array(t));
  const gradient = withGradient ? new Float64Array(layout.size) : null;
  const a = new Float64Array(t), b = new Float64Array(t), c = new Float64Array(t), d = new Float64Array(t);
  let bound = 0;
  for (let l = 0; l < nLeaves; l++) {
    const args = [leaves.muF[l], leaves.s2F[l], leaves.muH[l], leaves.s2H[l], a, b, c, d] as const;
    bound += data.kind === 'stats' ? statsDataTerm(data.stats[l], ...args) : pointsDataTerm(data.cycles[l], ...args);
    for (const v of s.ancestors[l]) for (let j = 0; j < t; j++) { gMu[v][j] += a[j]; gS[v][j] += b[j]; }
    if (layout.noise === 'hetero') {
      const g = s.leafGroup[l];
      for (const w of [g, s.groupCount + l]) for (let j = 0; j < t; j++) { hMu[w][j] += c[j]; hS[w][j] += d[j]; }
      if (gradient) for (let j = 0; j < t; j++) gradient[layout.noiseLevel + g] += c[j];
    } else if (gradient) for (let j = 0; j < t; j++) gradient[layout.noiseLevel + l] += c[j];
  }
  for (const x of f) bound -= x.kl;
  for (const x of h) bound -= x.kl;
  if (!gradient) return { bound, gradient, kernels, f, h, leaves };

  // Per node: adjoints of m̃, L̃ and Ã (§5.4.4 third item), Ã-adjoints summed per kernel.
  const aBar = kernels.map(() => new Float64Array(m * t));
  // Σ_v ḡ^s_v per kernel: the −2 Ã G_s term of every node of a kernel is added once, as −2 Ã diag(Σ ḡ^s).
  const gsSum = kernels.map(() => new Float64Array(t));
  const diagBar = new Float64Array(kernels.length);
  const nodeBackward = (x: NodeMarginal, block: number, kernel: number, gm: Float64Array, gs: Float64Array, ownGradient: boolean) => {
    const kf = kernels[kernel], at = kf.aTilde, lt = x.lTilde;
    const mTilde = theta.subarray(block, block + m);
    const wGs = new Float64Array(m * t);
    for (let i = 0; i < m; i++) for (let j = 0; j < t; j++) wGs[i * t + j] = x.w[i * t + j] * gs[j];
    if (ownGradient) {
      for (let i = 0; i < m; i++) {
        let sum = 0;
        for (let j = 0; j < t; j++) sum += at[i * t + j] * gm[j];
        gradient[block + i] = sum - mTilde[i];
      }
      const x2 = productABtLower(at, wGs, m, t, m); // Ã G_s Ãᵀ L̃ = Ã (G_s W)ᵀ, W = L̃ᵀ Ã
      let p = block + m;
      for (let i = 1; i < m; i++) for (let j = 0; j < i; j++) gradient[p++] = 2 * x2[i * m + j] - lt[i * m + j];
      for (let j = 0; j < m; j++) { const ljj = lt[j * m + j]; gradient[p++] = (2 * x2[j * m + j] - ljj + 1 / ljj) * ljj; }
    }
    const lw = productLB(lt, wGs, m, t); // L̃ L̃ᵀ Ã G_s
    const ab = aBar[kernel];
    for (let i = 0; i < m; i++) {
      const mi = mTilde[i], r = i * t;
      for (let j = 0; j < t; j++) ab[r + j] += mi * gm[j] + 2 * lw[r + j];
    }
    const sum = gsSum[kernel];
    for (let j = 0; j < t; j++) sum[j] += gs[j];
  };
  f.forEach((x, v) => nodeBackward(x, layout.fVariational + v * layout.blockSize, s.kernelOf[v], gMu[v], gS[v], fVariationalGradient));
  h.forEach((x, w) => nodeBackward(x, layout.noiseVariational + w * layout.blockSize, s.kernelCount + noiseKernelOf(s, w), hMu[w], hS[w], true));
  kernels.forEach((kf, c) => {
    const ab = aBar[c], at = kf.aTilde, sum = gsSum[c];
    for (let i = 0; i < m; i++) for (let j = 0; j < t; j++) ab[i * t + j] -= 2 * at[i * t + j] * sum[j];
    for (let j = 0; j < t; j++) diagBar[c] += sum[j];
  });

  // Per kernel: through Ã = L⁻¹ B and the Cholesky to K, then to (log σ², log ℓ) and Z (§5.4.4 items 4–5).
  const z = theta.subarray(0, m);
  const zBar = gradient.subarray(0, m);
  kernels.forEach((kf, c) => {
    const bBar = productLtB(kf.lInverse, aBar[c], m, t);
    const lBar = productABt(bBar, kf.aTilde, m, t, m);
    for (let i = 0; i < m * m; i++) lBar[i] = -lBar[i];
    const kBar = choleskyAdjointByInverse(kf.l, kf.lInverse, lBar, m);
    const [kv, kl] = matern32Backward(z, z, kf.variance, kf.lengthscale, kBar, zBar, 2, kf.jitter);
    const [bv, bl] = matern32Backward(z, grid, kf.variance, kf.lengthscale, bBar, zBar, 1);
    const offset = c < s.kernelCount ? layout.fKernel + 2 * c : layout.noiseKernel + 2 * (c - s.kernelCount);
    gradient[offset] = kv + bv + kf.variance * diagBar[c];
    gradient[offset + 1] = kl + bl;
  });
  return { bound, gradient, kernels, f, h, leaves };
}
