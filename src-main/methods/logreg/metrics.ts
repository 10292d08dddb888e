// Classification metrics: accuracy, the confusion matrix (rows: true class, columns: predicted) and counts.

export interface ClassificationMetrics {
  accuracy: number;
  /** confusion[true][predicted], in the order of `classes`. */
  confusion: number[][];
  /** Rows of each true class. */
  counts: number[];
  /** Recall of each class (correct / rows of the class); null for a class with no rows. */
  recall: (number | null)[];
}

export function classificationMetrics(truth: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): ClassificationMetrics {
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let correct = 0;
  for (let i = 0; i < truth.length; i++) {
    confusion[truth[i]][predicted[i]]++;
    if (truth[i] === predicted[i]) correct++;
  }
  const counts = confusion.map((row) => row.reduce((a, b) => a + b, 0));
  return {
    accuracy: truth.length ? correct / truth.length : 0,
    confusion,
    counts,
    recall: confusion.map((row, c) => (counts[c] ? row[c] / counts[c] : null)),
  };
}
