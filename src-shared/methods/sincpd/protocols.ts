// The two SincPD evaluation protocols (methods-spec §5.3.3). `segment-stratified` replicates the paper: a seeded,
// class-stratified 90/10 split of SEGMENTS, so one subject's segments sit on both sides (leaky; always labelled).
// `subject-10fold` (default) deals whole subjects into ten folds within each class, so no subject is ever on both
// sides; the fold assignment is plain data stored with a model.
import { seededRandom } from '../../random';

export const SINCPD_PROTOCOLS = ['subject-10fold', 'segment-stratified'] as const;
export type SincPdProtocol = (typeof SINCPD_PROTOCOLS)[number];
export const LEAKY_LABEL = 'LEAKY: subjects shared between train and test';

function shuffle<T>(a: T[], random: () => number): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** Counts per class of a sample of `total` items spread over classes in proportion (largest remainders). */
function proportionalCounts(sizes: number[], total: number): number[] {
  const n = sizes.reduce((a, b) => a + b, 0);
  const exact = sizes.map((s) => (s * total) / n);
  const counts = exact.map(Math.floor);
  const order = exact.map((e, k) => ({ k, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.k - b.k);
  for (let i = 0, left = total - counts.reduce((a, b) => a + b, 0); left > 0; i++, left--) counts[order[i % order.length].k]++;
  return counts;
}

export interface SegmentSplit { train: number[]; validation: number[]; test: number[]; sharedSubjects: number; label: typeof LEAKY_LABEL }

/**
 * The paper's split (§3.2 item 5, §5.3.3 item 1): ⌈10 %⌉ of the segments to test, stratified by class, drawn with a
 * seeded PRNG; validation is the last 20 % of the seeded-shuffled training part. `sharedSubjects` counts the test
 * subjects that also have training segments.
 */
export function segmentStratifiedSplit(labels: ArrayLike<number>, subjects: readonly string[], seed: number, testFraction = 0.1, validationFraction = 0.2): SegmentSplit {
  const random = seededRandom(seed);
  const classes = [...new Set(Array.from(labels))].sort((a, b) => a - b);
  const byClass = classes.map((c) => Array.from({ length: labels.length }, (_, i) => i).filter((i) => labels[i] === c));
  const testCounts = proportionalCounts(byClass.map((m) => m.length), Math.ceil(testFraction * labels.length));
  const test: number[] = [];
  const train: number[] = [];
  byClass.forEach((members, k) => {
    const s = shuffle([...members], random);
    test.push(...s.slice(0, testCounts[k]));
    train.push(...s.slice(testCounts[k]));
  });
  shuffle(train, random);
  const nVal = Math.floor(validationFraction * train.length);
  const validation = train.splice(train.length - nVal, nVal);
  test.sort((a, b) => a - b);
  const trainSubjects = new Set([...train, ...validation].map((i) => subjects[i]));
  const sharedSubjects = new Set(test.map((i) => subjects[i]).filter((s) => trainSubjects.has(s))).size;
  return { train, validation, test, sharedSubjects, label: LEAKY_LABEL };
}

export interface SubjectStratum { subject: string; stratum: number }
/** Which fold each subject belongs to: data, stored with a model. */
export interface FoldAssignment { protocol: 'subject-10fold'; folds: number; seed: number; subjectFold: Record<string, number> }

/**
 * Subject-grouped, class-stratified folds (§5.3.3 item 2): within each stratum (in stratum order) the subjects,
 * sorted by code, are shuffled with the seed and dealt round-robin; the dealing continues across strata so that fold
 * sizes differ by at most one subject.
 */
export function subjectFolds(subjects: SubjectStratum[], folds: number, seed: number): FoldAssignment {
  const seen = new Map<string, number>();
  for (const s of subjects) {
    const had = seen.get(s.subject);
    if (had !== undefined && had !== s.stratum) throw new RangeError(`subject ${s.subject} is in two strata (${had} and ${s.stratum})`);
    seen.set(s.subject, s.stratum);
  }
  const random = seededRandom(seed);
  const strata = [...new Set(seen.values())].sort((a, b) => a - b);
  const subjectFold: Record<string, number> = {};
  let next = 0;
  for (const st of strata) {
    const members = shuffle([...seen.entries()].filter(([, v]) => v === st).map(([k]) => k).sort(), random);
    for (const m of members) subjectFold[m] = next++ % folds;
  }
  return { protocol: 'subject-10fold', folds, seed, subjectFold };
}

/**
 * About `fraction` of the training subjects, stratified the same way, for early stopping (§5.3.3 item 2): per
 * stratum round(fraction × n) subjects (at least one where the stratum has two or more), seeded.
 */
export function innerValidationSubjects(subjects: SubjectStratum[], fraction: number, seed: number): Set<string> {
  const random = seededRandom(seed);
  const strata = [...new Set(subjects.map((s) => s.stratum))].sort((a, b) => a - b);
  const out = new Set<string>();
  for (const st of strata) {
    const members = shuffle([...new Set(subjects.filter((s) => s.stratum === st).map((s) => s.subject))].sort(), random);
    const take = members.length >= 2 ? Math.max(1, Math.round(fraction * members.length)) : 0;
    members.slice(0, take).forEach((m) => out.add(m));
  }
  return out;
}

/** Refuses an assignment in which a subject of the segments has no fold (a subject cannot have two: one key). */
export function checkFoldAssignment(a: FoldAssignment, segmentSubjects: readonly string[]): void {
  for (const s of new Set(segmentSubjects)) {
    const f = a.subjectFold[s];
    if (!(Number.isInteger(f) && f >= 0 && f < a.folds)) throw new RangeError(`subject ${s} has no fold in the assignment`);
  }
}
