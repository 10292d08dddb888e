// Linear SVM as the paper trains it (scikit-learn LinearSVC(C=0.1) defaults, spec §1.3, §5.1.5): one-vs-rest,
// L2 penalty, squared hinge loss, the bias regularised as a constant feature of value 1 (liblinear's
// convention), solved by liblinear's dual coordinate descent for the L2-loss SVM (Hsieh et al. 2008, Alg. 1 with
// shrinking): α_n ≥ 0, diagonal term 1/(2C), stop when the projected-gradient spread PGmax − PGmin ≤ tol or after
// maxPasses outer passes. The dual is strictly convex, so the solution does not depend on the visiting order;
// the order is still drawn from the caller's seed so that a fit is repeatable to the last bit.

export interface LinearSvmOptions {
  /** C of the primal; 0.1 as in the paper. */
  c?: number;
  /** liblinear's eps (scikit-learn tol): 1e-4. */
  tol?: number;
  /** scikit-learn's max_iter: 1000 outer passes. */
  maxPasses?: number;
  /** Uniform [0, 1) stream for the visiting order. */
  random: () => number;
  /** Checked between the binary problems of one-vs-rest: a cancelled job stops within one problem. */
  signal?: AbortSignal;
  onProgress?(fraction: number): void;
}

export interface BinarySvm {
  /** w (length d) then the bias b = w̃_{d}. */
  weight: Float64Array;
  bias: number;
  passes: number;
  converged: boolean;
}

/**
 * One binary problem: rows of `x` (n × d, row-major) with labels ±1 in `y`. Returns w and b of
 * f(x) = wᵀx + b. Liblinear's solve_l2r_l1l2_svc for L2-loss, with U = ∞.
 */
export function fitBinarySvm(x: Float64Array, n: number, d: number, y: Int8Array, options: LinearSvmOptions): BinarySvm {
  const c = options.c ?? 0.1;
  const tol = options.tol ?? 1e-4;
  const maxPasses = options.maxPasses ?? 1000;
  const diag = 1 / (2 * c);
  const w = new Float64Array(d + 1);
  const alpha = new Float64Array(n);
  const qd = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 1 + diag; // the constant feature contributes 1² to xᵢ·xᵢ
    const row = i * d;
    for (let k = 0; k < d; k++) s += x[row + k] * x[row + k];
    qd[i] = s;
  }
  const index = Int32Array.from({ length: n }, (_, i) => i);
  let activeSize = n;
  let pgMaxOld = Infinity;
  let passes = 0;
  let converged = false;
  while (passes < maxPasses) {
    let pgMaxNew = -Infinity;
    let pgMinNew = Infinity;
    for (let i = 0; i < activeSize; i++) {
      const j = i + Math.floor(options.random() * (activeSize - i));
      const t = index[i]; index[i] = index[j]; index[j] = t;
    }
    for (let s = 0; s < activeSize; s++) {
      const i = index[s];
      const yi = y[i];
      const row = i * d;
      let dot = w[d];
      for (let k = 0; k < d; k++) dot += w[k] * x[row + k];
      const g = yi * dot - 1 + alpha[i] * diag;
      let pg = 0;
      if (alpha[i] === 0) {
        if (g > pgMaxOld) {
          // Shrinking: a bound variable whose gradient points outward is set aside until the final check.
          activeSize--;
          const t = index[s]; index[s] = index[activeSize]; index[activeSize] = t;
          s--;
          continue;
        }
        if (g < 0) pg = g;
      } else {
        pg = g;
      }
      if (pg > pgMaxNew) pgMaxNew = pg;
      if (pg < pgMinNew) pgMinNew = pg;
      if (Math.abs(pg) > 1e-12) {
        const old = alpha[i];
        alpha[i] = Math.max(old - g / qd[i], 0);
        const step = (alpha[i] - old) * yi;
        for (let k = 0; k < d; k++) w[k] += step * x[row + k];
        w[d] += step;
      }
    }
    passes++;
    if (pgMaxNew - pgMinNew <= tol) {
      if (activeSize === n) { converged = true; break; }
      activeSize = n;
      pgMaxOld = Infinity;
      continue;
    }
    // liblinear's PGmin_old only shrinks variables at the upper bound U, which is ∞ for the L2-loss SVM.
    pgMaxOld = pgMaxNew <= 0 ? Infinity : pgMaxNew;
  }
  return { weight: w.slice(0, d), bias: w[d], passes, converged };
}

export interface LinearSvm {
  /** [d][K] like a dense layer's weight, so LRP treats it as the linear model (§1.3). */
  weight: Float64Array;
  bias: Float64Array;
  classes: number;
  /** Outer passes of each binary problem, and whether each met the tolerance (the report says which). */
  passes: number[];
  converged: boolean[];
}

/**
 * One-vs-rest for K ≥ 3; for K = 2 one classifier (class 1 positive) and logits [−f, +f] (§5.1.5, [C]).
 * `labels` are class indices 0..K−1.
 */
export function fitLinearSvm(x: Float64Array, n: number, d: number, labels: Int32Array, classes: number, options: LinearSvmOptions): LinearSvm {
  if (x.length !== n * d) throw new RangeError(`linear-svm: ${x.length} values for ${n} rows × ${d} features`);
  if (classes < 2) throw new RangeError(`linear-svm: needs at least 2 classes, got ${classes}`);
  const weight = new Float64Array(d * classes);
  const bias = new Float64Array(classes);
  const passes: number[] = [];
  const converged: boolean[] = [];
  const problems = classes === 2 ? [1] : Array.from({ length: classes }, (_, k) => k);
  for (const [done, k] of problems.entries()) {
    if (options.signal?.aborted) throw options.signal.reason instanceof Error ? options.signal.reason : new Error('cancelled');
    options.onProgress?.(done / problems.length);
    const y = Int8Array.from(labels, (l) => (l === k ? 1 : -1));
    const fit = fitBinarySvm(x, n, d, y, options);
    passes.push(fit.passes);
    converged.push(fit.converged);
    if (classes === 2) {
      for (let i = 0; i < d; i++) { weight[i * 2] = -fit.weight[i]; weight[i * 2 + 1] = fit.weight[i]; }
      bias[0] = -fit.bias;
      bias[1] = fit.bias;
    } else {
      for (let i = 0; i < d; i++) weight[i * classes + k] = fit.weight[i];
      bias[k] = fit.bias;
    }
  }
  return { weight, bias, classes, passes, converged };
}

/** Decision values (logits) of rows of x: n × K. */
export function svmDecisionValues(model: LinearSvm, x: Float64Array, n: number, d: number): Float64Array {
  const k = model.classes;
  const out = new Float64Array(n * k);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < k; j++) out[r * k + j] = model.bias[j];
    for (let i = 0; i < d; i++) {
      const xi = x[r * d + i];
      if (xi === 0) continue;
      for (let j = 0; j < k; j++) out[r * k + j] += xi * model.weight[i * k + j];
    }
  }
  return out;
}
