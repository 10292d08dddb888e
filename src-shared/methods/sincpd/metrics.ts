// Classification metrics of the SincPD evaluation (methods-spec §5.3.3), with scikit-learn's definitions and its
// zero-division convention (a ratio with an empty denominator is 0); checked against scikit-learn golden numbers
// in test/fixtures/sincpd/metrics-golden.json.

export interface BinaryMetrics {
  accuracy: number; precision: number; recall: number; specificity: number; f1: number; balancedAccuracy: number;
  auc: number | null;
  /** Counts, rows = truth (0 control, 1 PD), columns = prediction. */
  confusion: number[][];
  n: number;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);

/** Confusion matrix in counts, rows = true class, columns = predicted class (classes 0..k−1). */
export function confusionMatrix(truth: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): number[][] {
  if (truth.length !== predicted.length) throw new RangeError(`${truth.length} labels for ${predicted.length} predictions`);
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i], p = predicted[i];
    if (!(t >= 0 && t < classes && p >= 0 && p < classes)) throw new RangeError(`class ${t} or ${p} at ${i} is outside 0..${classes - 1}`);
    m[t][p]++;
  }
  return m;
}

/**
 * ROC AUC as the Mann–Whitney probability that a positive scores above a negative, ties counted one half
 * (equal to the trapezoidal area under the ROC curve with tied scores merged, as sklearn.metrics.roc_auc_score).
 * Null when one class is absent.
 */
export function rocAuc(truth: ArrayLike<number>, score: ArrayLike<number>): number | null {
  const n = truth.length;
  const ranks = averageRanks(score);
  let pos = 0, rankSum = 0;
  for (let i = 0; i < n; i++) if (truth[i] === 1) { pos++; rankSum += ranks[i]; }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return null;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Binary metrics of 0/1 labels with the positive-class probability (decision p ≥ threshold). */
export function binaryMetrics(truth: ArrayLike<number>, probability: ArrayLike<number>, threshold = 0.5): BinaryMetrics {
  const predicted = Int32Array.from({ length: truth.length }, (_, i) => (probability[i] >= threshold ? 1 : 0));
  const c = confusionMatrix(truth, predicted, 2);
  const [[tn, fp], [fn, tp]] = c;
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  const specificity = ratio(tn, tn + fp);
  return {
    accuracy: ratio(tp + tn, truth.length), precision, recall, specificity,
    f1: ratio(2 * tp, 2 * tp + fp + fn), balancedAccuracy: (recall + specificity) / 2,
    auc: rocAuc(truth, probability), confusion: c, n: truth.length,
  };
}

export interface MulticlassMetrics {
  accuracy: number;
  /** Support-weighted averages (the paper's averaging, §3.9 item 10). */
  precisionWeighted: number; recallWeighted: number; f1Weighted: number;
  f1Macro: number;
  confusion: number[][];
  n: number;
}

export function multiclassMetrics(truth: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): MulticlassMetrics {
  const c = confusionMatrix(truth, predicted, classes);
  let correct = 0, pw = 0, rw = 0, fw = 0, fm = 0, present = 0;
  const n = truth.length;
  const labelsSeen = new Set<number>([...Array.from(truth), ...Array.from(predicted)]);
  for (let k = 0; k < classes; k++) {
    const tp = c[k][k];
    correct += tp;
    const support = c[k].reduce((a, b) => a + b, 0);
    const predictedK = c.reduce((a, row) => a + row[k], 0);
    const p = ratio(tp, predictedK), r = ratio(tp, support), f = ratio(2 * tp, support + predictedK);
    pw += p * support; rw += r * support; fw += f * support;
    // sklearn's macro average runs over the labels present in truth or prediction.
    if (labelsSeen.has(k)) { fm += f; present++; }
  }
  return { accuracy: ratio(correct, n), precisionWeighted: ratio(pw, n), recallWeighted: ratio(rw, n), f1Weighted: ratio(fw, n), f1Macro: ratio(fm, present), confusion: c, n };
}

/** 1-based ranks with ties given their average rank (scipy.stats.rankdata 'average'). */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Float64Array(n);
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && values[order[j + 1]] === values[order[i]]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]] = r;
    i = j + 1;
  }
  return ranks;
}

function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i]; mb += b[i]; }
  ma /= n; mb /= n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) { const da = a[i] - ma, db = b[i] - mb; sab += da * db; saa += da * da; sbb += db * db; }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}

/** Spearman ρ: Pearson correlation of the average ranks (scipy.stats.spearmanr). NaN when one side is constant. */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`${a.length} values against ${b.length}`);
  return pearson(averageRanks(a), averageRanks(b));
}

export interface SpearmanWithCi { rho: number; ciLow: number; ciHigh: number; resamples: number; n: number; seed: number }

/**
 * Spearman ρ with a percentile bootstrap 95 % CI (§5.3.4): each resample draws n subjects with replacement (one
 * value pair per subject, so subjects are the unit resampled), seeded; resamples where ρ is undefined (a constant
 * side) are skipped.
 */
export function spearmanBootstrap(a: ArrayLike<number>, b: ArrayLike<number>, random: () => number, resamples = 2000, seed = 0): SpearmanWithCi {
  const n = a.length;
  const rho = spearman(a, b);
  const rhos: number[] = [];
  const ra = new Float64Array(n), rb = new Float64Array(n);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) { const j = Math.floor(random() * n); ra[i] = a[j]; rb[i] = b[j]; }
    const v = spearman(ra, rb);
    if (Number.isFinite(v)) rhos.push(v);
  }
  rhos.sort((x, y) => x - y);
  const q = (p: number) => {
    if (rhos.length === 0) return NaN;
    const h = (rhos.length - 1) * p, lo = Math.floor(h);
    return rhos[lo] + (h - lo) * ((rhos[Math.min(lo + 1, rhos.length - 1)] ?? rhos[lo]) - rhos[lo]);
  };
  return { rho, ciLow: q(0.025), ciHigh: q(0.975), resamples: rhos.length, n, seed };
}
