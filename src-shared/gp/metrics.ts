// Metrics of a fitted hierarchical GP (methods-spec §4.4, §5.4.9): NMSE and MSLL exactly from test cell
// statistics, and the Wasserstein-1 asymmetry between limbs (sampled, with the exact Gaussian value beside it).

import type { CellStats } from './cell-stats';
import { seededNormal } from '../random';

/** One evaluated leaf: its test cells, the predictive N(mean, variance) per grid point, its training cells. */
export interface ScoredCells { test: CellStats; mean: ArrayLike<number>; variance: ArrayLike<number>; train: CellStats }

/**
 * §4.4 NMSE = 100/(n σ²_y) Σ (y − μ)² with σ²_y the variance of the evaluated targets; MSLL = mean of
 * ½ log 2πσ² + (y − μ)²/2σ² − ½ log 2πs² − (y − ȳ_tr)²/2s², (ȳ_tr, s²) of the pooled training targets. Per cell
 * Σ (y − c)² = C + n (ȳ − c)², so both are exact from (n, ȳ, C).
 */
export function nmseAndMsll(cells: readonly ScoredCells[]): { nmse: number; msll: number; n: number } {
  const moments = (pick: (c: ScoredCells) => CellStats) => {
    let n = 0, sum = 0;
    for (const c of cells) { const s = pick(c); for (let j = 0; j < s.n.length; j++) { n += s.n[j]; sum += s.n[j] * s.mean[j]; } }
    const mean = sum / n;
    let ss = 0;
    for (const c of cells) { const s = pick(c); for (let j = 0; j < s.n.length; j++) if (s.n[j] > 0) ss += s.c[j] + s.n[j] * (s.mean[j] - mean) ** 2; }
    return { n, mean, variance: ss / n };
  };
  const test = moments((c) => c.test), train = moments((c) => c.train);
  let sse = 0, msll = 0;
  for (const c of cells) {
    const s = c.test;
    for (let j = 0; j < s.n.length; j++) {
      const n = s.n[j];
      if (n === 0) continue;
      const se = s.c[j] + n * (s.mean[j] - c.mean[j]) ** 2;
      const seTrivial = s.c[j] + n * (s.mean[j] - train.mean) ** 2;
      sse += se;
      msll += 0.5 * n * Math.log(2 * Math.PI * c.variance[j]) + se / (2 * c.variance[j]) - 0.5 * n * Math.log(2 * Math.PI * train.variance) - seTrivial / (2 * train.variance);
    }
  }
  return { nmse: (100 * sse) / (test.n * test.variance), msll: msll / test.n, n: test.n };
}

/** Complementary error function (W. J. Cody's rational Chebyshev fit via Numerical Recipes erfcc; |rel. error| < 1.2e-7). */
function erfc(x: number): number {
  const z = Math.abs(x), t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}
export const normalCdf = (x: number) => 0.5 * erfc(-x / Math.SQRT2);
const normalPdf = (x: number) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);

/** §5.4.9: W₁ between N(μ_L, σ_L²) and N(μ_R, σ_R²) = |b| (2φ(c) + c (2Φ(c) − 1)), c = a/|b|, a = μ_L − μ_R, b = σ_L − σ_R. */
export function gaussianW1(meanL: number, sdL: number, meanR: number, sdR: number): number {
  const a = meanL - meanR, b = Math.abs(sdL - sdR);
  if (b === 0) return Math.abs(a);
  const c = a / b;
  return b * (2 * normalPdf(c) + c * (2 * normalCdf(c) - 1));
}

/** Trapezoidal area under y over x. */
export function trapezoid(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 1; i < x.length; i++) s += 0.5 * (x[i] - x[i - 1]) * (y[i] + y[i - 1]);
  return s;
}

export interface AsymmetryProfile { profile: Float64Array; score: number; exactProfile: Float64Array; exactScore: number }

/**
 * §4.4/§5.4.9 Wasserstein asymmetry of one individual: at each input (increasing t) draw `samples` values from
 * the left limb's predictive, then as many from the right's; W₁ = mean |a_(r) − b_(r)| of the sorted samples;
 * the score is the trapezoidal area over t.
 */
export function wassersteinAsymmetry(grid: Float64Array, left: { mean: ArrayLike<number>; variance: ArrayLike<number> }, right: { mean: ArrayLike<number>; variance: ArrayLike<number> }, seed = 0, samples = 500): AsymmetryProfile {
  const normal = seededNormal(seed);
  const t = grid.length;
  const profile = new Float64Array(t), exactProfile = new Float64Array(t);
  const a = new Float64Array(samples), b = new Float64Array(samples);
  for (let j = 0; j < t; j++) {
    const sdL = Math.sqrt(left.variance[j]), sdR = Math.sqrt(right.variance[j]);
    for (let r = 0; r < samples; r++) a[r] = left.mean[j] + sdL * normal();
    for (let r = 0; r < samples; r++) b[r] = right.mean[j] + sdR * normal();
    a.sort(); b.sort();
    let s = 0;
    for (let r = 0; r < samples; r++) s += Math.abs(a[r] - b[r]);
    profile[j] = s / samples;
    exactProfile[j] = gaussianW1(left.mean[j], sdL, right.mean[j], sdR);
  }
  return { profile, score: trapezoid(grid, profile), exactProfile, exactScore: trapezoid(grid, exactProfile) };
}
