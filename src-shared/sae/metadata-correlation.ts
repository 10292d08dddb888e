// Feature–metadata correlations at subject level (methods-spec §5.2.8): Pearson r (primary) and Spearman ρ,
// a two-sided p from t = r√((n−2)/(1−r²)) with n−2 degrees of freedom, Benjamini–Hochberg q across pairs, and a
// 95 % bootstrap CI over subjects (B resamples with replacement, percentiles with linear interpolation; resamples
// where either variable has zero variance are skipped, and > 1 % skipped flags the CI unstable).
import { seededRandom } from '../random';

export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) { mx += x[i]; my += y[i]; }
  mx /= n; my /= n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) { const a = x[i] - mx, b = y[i] - my; sxy += a * b; sxx += a * a; syy += b * b; }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

/** Ranks 1..n with ties given their average rank. */
function ranks(x: ArrayLike<number>): Float64Array {
  const order = Array.from({ length: x.length }, (_, i) => i).sort((a, b) => x[a] - x[b]);
  const r = new Float64Array(x.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && x[order[j + 1]] === x[order[i]]) j++;
    for (let k = i; k <= j; k++) r[order[k]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}

export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  return pearson(ranks(x), ranks(y));
}

/** ln Γ by the Lanczos approximation (g = 7, 9 terms), accurate to ~1e-15 for the arguments used here. */
function logGamma(z: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - logGamma(1 - z);
  z -= 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularised incomplete beta I_x(a, b) by its continued fraction (Numerical Recipes, betacf). */
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x > (a + 1) / (a + b + 2)) return 1 - incompleteBeta(1 - x, b, a);
  let f = 1, c = 1, d = 1 - ((a + b) * x) / (a + 1);
  d = Math.abs(d) < 1e-300 ? 1e-300 : d;
  d = 1 / d;
  f = d;
  for (let m = 1; m <= 300; m++) {
    for (const step of [0, 1]) {
      const num = step === 0 ? (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m)) : -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
      d = 1 + num * d; d = Math.abs(d) < 1e-300 ? 1e-300 : d; d = 1 / d;
      c = 1 + num / c; c = Math.abs(c) < 1e-300 ? 1e-300 : c;
      f *= c * d;
    }
    if (Math.abs(c * d - 1) < 1e-15) break;
  }
  return (front * f) / a;
}

/** Two-sided p of Pearson r with n samples: Student t with n − 2 degrees of freedom. */
export function pearsonPValue(r: number, n: number): number {
  if (!Number.isFinite(r) || n < 3) return NaN;
  if (Math.abs(r) >= 1) return 0;
  const df = n - 2;
  const t = r * Math.sqrt(df / (1 - r * r));
  return incompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/** Benjamini–Hochberg adjusted q-values (NaN p-values stay NaN and do not count). */
export function benjaminiHochberg(p: readonly number[]): number[] {
  const idx = p.flatMap((v, i) => (Number.isFinite(v) ? [i] : [])).sort((a, b) => p[a] - p[b]);
  const m = idx.length;
  const q = p.map(() => NaN);
  let running = 1;
  for (let k = m - 1; k >= 0; k--) {
    running = Math.min(running, (p[idx[k]] * m) / (k + 1));
    q[idx[k]] = running;
  }
  return q;
}

/** Percentile with linear interpolation between order statistics (numpy's default). */
export function percentile(sorted: readonly number[], pct: number): number {
  const h = (sorted.length - 1) * (pct / 100);
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]) - sorted[lo]);
}

export interface CorrelationResult {
  n: number;
  r: number;
  spearman: number;
  p: number;
  ci: [number, number];
  skippedResamples: number;
  unstable: boolean;
}

/** Pearson r, Spearman ρ, p and a seeded bootstrap CI over subjects (rows of x, y are subjects). */
export function correlateWithBootstrap(x: ArrayLike<number>, y: ArrayLike<number>, seed: number, resamples = 2000): CorrelationResult {
  const n = x.length;
  const random = seededRandom(seed);
  const rs: number[] = [];
  let skipped = 0;
  const bx = new Float64Array(n);
  const by = new Float64Array(n);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) { const j = Math.floor(random() * n); bx[i] = x[j]; by[i] = y[j]; }
    const r = pearson(bx, by);
    if (Number.isFinite(r)) rs.push(r);
    else skipped++;
  }
  rs.sort((a, b) => a - b);
  const r = pearson(x, y);
  return {
    n, r, spearman: spearman(x, y), p: pearsonPValue(r, n),
    ci: rs.length > 0 ? [percentile(rs, 2.5), percentile(rs, 97.5)] : [NaN, NaN],
    skippedResamples: skipped, unstable: skipped > 0.01 * resamples,
  };
}
