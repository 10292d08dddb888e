// PD vs control decided per subject (issue 14; methods-spec §5.1.12 asks for subject-level figures on grouped
// tasks): each test cycle gives P(positive) as the softmax of the model's scores, a subject's probability is the
// mean over its out-of-fold cycles, and the decision is P ≥ 0.5. Accuracy, balanced accuracy and the ROC AUC
// (Mann–Whitney, ties counted half) are over subjects, so a subject with many cycles weighs as much as one with few.

/** Softmax of row r's K scores, the probability of class `positive`. */
export function softmaxProbability(scores: ArrayLike<number>, offset: number, k: number, positive: number): number {
  let max = -Infinity;
  for (let j = 0; j < k; j++) max = Math.max(max, scores[offset + j]);
  let sum = 0;
  for (let j = 0; j < k; j++) sum += Math.exp(scores[offset + j] - max);
  return Math.exp(scores[offset + positive] - max) / sum;
}

/** ROC AUC of scores for binary truth: P(score of a positive > score of a negative), ties ½; null without both classes. */
export function rocAuc(scores: readonly number[], positive: readonly boolean[]): number | null {
  const pos = scores.filter((_, i) => positive[i]);
  const neg = scores.filter((_, i) => !positive[i]);
  if (pos.length === 0 || neg.length === 0) return null;
  let wins = 0;
  for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (pos.length * neg.length);
}

export interface SubjectDecision { subject: string; truth: string; cycles: number; probability: number; predicted: string }

export interface SubjectLevelResult {
  positiveClass: string;
  subjects: number;
  accuracy: number;
  balancedAccuracy: number;
  auc: number | null;
  /** Subjects per true class (sorted by class name). */
  counts: Record<string, number>;
  decisions: SubjectDecision[];
}

/**
 * Per-subject decisions from mean probabilities. `rows` are the out-of-fold rows pooled over runs: each with its
 * subject, its true class name and P(positive class).
 */
export function subjectLevelDecisions(rows: readonly { subject: string; truth: string; probability: number }[], positiveClass: string, negativeClass: string): SubjectLevelResult {
  const by = new Map<string, { truth: string; sum: number; n: number }>();
  for (const r of rows) {
    const s = by.get(r.subject) ?? { truth: r.truth, sum: 0, n: 0 };
    if (s.truth !== r.truth) throw new RangeError(`subject ${r.subject} has two classes, "${s.truth}" and "${r.truth}"`);
    s.sum += r.probability;
    s.n++;
    by.set(r.subject, s);
  }
  const decisions: SubjectDecision[] = [...by.entries()].map(([subject, s]) => {
    const probability = s.sum / s.n;
    return { subject, truth: s.truth, cycles: s.n, probability, predicted: probability >= 0.5 ? positiveClass : negativeClass };
  });
  if (decisions.length === 0) throw new RangeError('subject level: no test rows');
  const counts: Record<string, number> = {};
  const right: Record<string, number> = {};
  for (const d of decisions) {
    counts[d.truth] = (counts[d.truth] ?? 0) + 1;
    if (d.predicted === d.truth) right[d.truth] = (right[d.truth] ?? 0) + 1;
  }
  const classes = Object.keys(counts).sort();
  const recalls = classes.map((c) => (right[c] ?? 0) / counts[c]);
  return {
    positiveClass, subjects: decisions.length,
    accuracy: decisions.filter((d) => d.predicted === d.truth).length / decisions.length,
    balancedAccuracy: recalls.reduce((a, b) => a + b, 0) / recalls.length,
    auc: rocAuc(decisions.map((d) => d.probability), decisions.map((d) => d.truth === positiveClass)),
    counts: Object.fromEntries(classes.map((c) => [c, counts[c]])), decisions,
  };
}

/** The class read as "positive" (PD): one named PD (any case), else the second in sorted order. */
export function positiveClassOf(classes: readonly string[]): number {
  const named = classes.findIndex((c) => c.toLowerCase() === 'pd');
  return named >= 0 ? named : Math.min(1, classes.length - 1);
}
