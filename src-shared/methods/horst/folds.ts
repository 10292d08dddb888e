// Fold assignment of the Horst method, exactly as spec §5.1.3: Algorithm T (trials of each subject spread over
// the folds; subject identification), T-block (cycles cut from continuous walks stay in contiguous blocks) and
// G (subject-grouped, class-stratified; any target other than subject identity). The assignment (trial → fold)
// is computed once per run seed and shared by every model, so models compare pairwise.
import { shuffle, uniformStream } from './random';

export type FoldAlgorithm = 'T' | 'T-block' | 'G';

export interface FoldAssignment {
  algorithm: FoldAlgorithm;
  k: number;
  /** Fold of each trial (input order); −1 for a trial of an excluded subject. */
  fold: Int32Array;
  /** Subjects left out (Algorithm T: fewer than 3 trials), for the report. */
  excludedSubjects: string[];
}

/** Ascending subject-id order: numeric ids by value, others by text (so "9" < "10"). */
export function compareSubjectIds(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

function trialsBySubject(subjects: readonly string[]): Map<string, number[]> {
  const by = new Map<string, number[]>();
  subjects.forEach((s, i) => {
    const list = by.get(s);
    if (list) list.push(i); else by.set(s, [i]);
  });
  return new Map([...by].sort(([a], [b]) => compareSubjectIds(a, b)));
}

function keptSubjects(by: Map<string, number[]>): { kept: [string, number[]][]; excluded: string[]; k: number } {
  const kept = [...by].filter(([, trials]) => trials.length >= 3);
  const excluded = [...by].filter(([, trials]) => trials.length < 3).map(([s]) => s);
  if (kept.length === 0) throw new RangeError('folds: no subject has 3 or more trials');
  const k = Math.min(10, ...kept.map(([, trials]) => trials.length));
  return { kept, excluded, k };
}

/**
 * Algorithm T: k = min(10, min_s n_s); a seeded permutation of all trials; per subject (ascending id) its trials
 * in permuted order are cut at ⌊j·n_s/k⌋ and chunk j goes to fold j.
 */
export function foldsT(subjects: readonly string[], seed: number): FoldAssignment {
  const { kept, excluded, k } = keptSubjects(trialsBySubject(subjects));
  const permutation = shuffle(Array.from(subjects, (_, i) => i), uniformStream(seed, 'folds', 'T'));
  const rank = new Int32Array(subjects.length);
  permutation.forEach((trial, position) => { rank[trial] = position; });
  const fold = new Int32Array(subjects.length).fill(-1);
  for (const [, trials] of kept) {
    const ordered = [...trials].sort((a, b) => rank[a] - rank[b]);
    const n = ordered.length;
    for (let j = 0; j < k; j++) {
      for (let p = Math.floor((j * n) / k); p < Math.floor(((j + 1) * n) / k); p++) fold[ordered[p]] = j;
    }
  }
  return { algorithm: 'T', k, fold, excludedSubjects: excluded };
}

/**
 * Algorithm T-block: as T, but a subject's trials keep the caller's order (recording order: file, then time),
 * so each chunk is a contiguous block; block j goes to fold (j + o_s) mod k with a seeded offset per subject.
 */
export function foldsTBlock(subjects: readonly string[], seed: number): FoldAssignment {
  const { kept, excluded, k } = keptSubjects(trialsBySubject(subjects));
  const uniform = uniformStream(seed, 'folds', 'T-block');
  const fold = new Int32Array(subjects.length).fill(-1);
  for (const [, trials] of kept) {
    const offset = Math.floor(uniform() * k);
    const n = trials.length;
    for (let j = 0; j < k; j++) {
      for (let p = Math.floor((j * n) / k); p < Math.floor(((j + 1) * n) / k); p++) fold[trials[p]] = (j + offset) % k;
    }
  }
  return { algorithm: 'T-block', k, fold, excludedSubjects: excluded };
}

/**
 * Algorithm G: every subject has one label; per class a queue of its subjects in seeded order; the fold pointer
 * walks the classes in label order, putting all trials of the next subject of each non-empty queue into the
 * current fold, then advances (mod k).
 */
export function foldsG(subjects: readonly string[], labels: readonly string[], k: number, seed: number): FoldAssignment {
  if (labels.length !== subjects.length) throw new RangeError(`folds: ${labels.length} labels for ${subjects.length} trials`);
  if (!Number.isInteger(k) || k < 3) throw new RangeError(`folds: k must be an integer ≥ 3, got ${k}`);
  const by = trialsBySubject(subjects);
  const labelOf = new Map<string, string>();
  for (const [subject, trials] of by) {
    for (const t of trials) {
      const label = labels[t];
      if (label === '' || label == null) throw new RangeError(`folds: subject ${subject} has a trial without a label`);
      const known = labelOf.get(subject);
      if (known !== undefined && known !== label) throw new RangeError(`folds: subject ${subject} has two labels, "${known}" and "${label}"`);
      labelOf.set(subject, label);
    }
  }
  const classes = [...new Set(labelOf.values())].sort(compareSubjectIds);
  const uniform = uniformStream(seed, 'folds', 'G');
  const queues = classes.map((c) => shuffle([...by.keys()].filter((s) => labelOf.get(s) === c), uniform));
  const subjectCount = by.size;
  if (subjectCount < k) throw new RangeError(`folds: ${subjectCount} subjects cannot fill ${k} subject-grouped folds`);
  const fold = new Int32Array(subjects.length).fill(-1);
  let f = 0;
  while (queues.some((q) => q.length > 0)) {
    for (const queue of queues) {
      const subject = queue.shift();
      if (subject === undefined) continue;
      for (const t of by.get(subject)!) fold[t] = f;
    }
    f = (f + 1) % k;
  }
  return { algorithm: 'G', k, fold, excludedSubjects: [] };
}

/** Run r: test = fold r, validation = fold (r + 1) mod k, training = the other k − 2 folds. */
export function runSplit(assignment: FoldAssignment, run: number): { train: number[]; validation: number[]; test: number[] } {
  const { k, fold } = assignment;
  if (!Number.isInteger(run) || run < 0 || run >= k) throw new RangeError(`run ${run} is outside 0..${k - 1}`);
  const validationFold = (run + 1) % k;
  const split = { train: [] as number[], validation: [] as number[], test: [] as number[] };
  fold.forEach((f, i) => {
    if (f < 0) return;
    if (f === run) split.test.push(i);
    else if (f === validationFold) split.validation.push(i);
    else split.train.push(i);
  });
  return split;
}
