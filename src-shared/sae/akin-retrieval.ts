// "Akin gait" retrieval (methods-spec §5.2.10): one entry per subject (the mean code of its samples), cosine
// distance, the query subject always excluded, codes with ‖a‖ < 1e-8 excluded and counted, ties broken by
// ascending subject ID. An exact search over unit-normalised float32 codes: one pass of dot products.
import { seededRandom } from '../random';

export interface SubjectCodes {
  subjects: string[];
  /** subjects × k, row-major. */
  codes: Float32Array;
  k: number;
}

/** Mean code per subject over its rows (subjects in ascending ID order). */
export function subjectMeanCodes(codes: ArrayLike<number>, rows: number, k: number, rowSubjects: readonly string[]): SubjectCodes {
  const subjects = [...new Set(rowSubjects)].sort();
  const index = new Map(subjects.map((s, i) => [s, i]));
  const sum = new Float64Array(subjects.length * k);
  const count = new Float64Array(subjects.length);
  for (let n = 0; n < rows; n++) {
    const s = index.get(rowSubjects[n])!;
    count[s]++;
    for (let j = 0; j < k; j++) sum[s * k + j] += codes[n * k + j];
  }
  const out = new Float32Array(subjects.length * k);
  for (let s = 0; s < subjects.length; s++) for (let j = 0; j < k; j++) out[s * k + j] = sum[s * k + j] / count[s];
  return { subjects, codes: out, k };
}

export interface LatentIndex {
  subjects: string[];
  /** Unit-normalised codes of the retrievable entries. */
  unit: Float32Array;
  k: number;
  /** Entries left out because ‖a‖ < 1e-8 (cannot be compared by angle). */
  excludedZero: string[];
}

export const ZERO_NORM = 1e-8;

export function buildLatentIndex(db: SubjectCodes): LatentIndex {
  const { k } = db;
  const keep: number[] = [];
  const excludedZero: string[] = [];
  const norms = new Float64Array(db.subjects.length);
  db.subjects.forEach((s, i) => {
    let ss = 0;
    for (let j = 0; j < k; j++) ss += db.codes[i * k + j] ** 2;
    norms[i] = Math.sqrt(ss);
    if (norms[i] < ZERO_NORM) excludedZero.push(s);
    else keep.push(i);
  });
  const unit = new Float32Array(keep.length * k);
  keep.forEach((i, r) => { for (let j = 0; j < k; j++) unit[r * k + j] = db.codes[i * k + j] / norms[i]; });
  return { subjects: keep.map((i) => db.subjects[i]), unit, k, excludedZero };
}

export interface Neighbour { subject: string; distance: number }

/**
 * The `count` nearest subjects to `query` by cosine distance 1 − a·b/(‖a‖‖b‖), never `querySubject` itself.
 * A zero query has no direction: it is refused with a one-line error.
 */
export function nearestSubjects(index: LatentIndex, query: ArrayLike<number>, count: number, querySubject: string | null): Neighbour[] {
  const { k, unit, subjects } = index;
  if (query.length !== k) throw new RangeError(`the query code has ${query.length} values, the index ${k}`);
  let qq = 0;
  for (let j = 0; j < k; j++) qq += query[j] * query[j];
  const qn = Math.sqrt(qq);
  if (qn < ZERO_NORM) throw new RangeError('the query code is zero (no feature fires): it has no nearest neighbours by angle');
  const q = new Float32Array(k);
  for (let j = 0; j < k; j++) q[j] = query[j] / qn;
  // Keep the best `count` in a small sorted list: distance ascending, subject ID ascending on ties.
  const best: Neighbour[] = [];
  const worse = (a: Neighbour, b: Neighbour) => a.distance > b.distance || (a.distance === b.distance && a.subject > b.subject);
  // The dot product runs four terms at a time, and a candidate object is made only when it enters the list: at
  // 100 000 codes the allocation per code cost as much as the arithmetic.
  const k4 = k - (k % 4);
  for (let i = 0, off = 0; i < subjects.length; i++, off += k) {
    let d0 = 0, d1 = 0, d2 = 0, d3 = 0;
    let j = 0;
    for (; j < k4; j += 4) {
      d0 += q[j] * unit[off + j];
      d1 += q[j + 1] * unit[off + j + 1];
      d2 += q[j + 2] * unit[off + j + 2];
      d3 += q[j + 3] * unit[off + j + 3];
    }
    for (; j < k; j++) d0 += q[j] * unit[off + j];
    const distance = 1 - (d0 + d1 + d2 + d3);
    if (best.length === count) {
      const last = best[count - 1];
      if (!(last.distance > distance || (last.distance === distance && last.subject > subjects[i]))) continue;
    }
    const cand = { subject: subjects[i], distance };
    if (cand.subject === querySubject) continue;
    let pos = best.length;
    while (pos > 0 && worse(best[pos - 1], cand)) pos--;
    best.splice(pos, 0, cand);
    if (best.length > count) best.pop();
  }
  return best;
}

/** Precision at k: the share of neighbours with the query's label; and the base rate of that label in the database. */
export function precisionAtK(neighbours: readonly Neighbour[], labelOf: (subject: string) => string, queryLabel: string, databaseSubjects: readonly string[], querySubject: string): { precision: number; baseRate: number } {
  const same = neighbours.filter((n) => labelOf(n.subject) === queryLabel).length;
  const others = databaseSubjects.filter((s) => s !== querySubject);
  return { precision: neighbours.length > 0 ? same / neighbours.length : NaN, baseRate: others.filter((s) => labelOf(s) === queryLabel).length / others.length };
}

/**
 * Permutation p of a mean precision@k (§5.2.10 step 4): the database labels are shuffled `permutations` times
 * (neighbour lists fixed) and p = (1 + #{permuted mean P@k ≥ observed}) / (permutations + 1).
 */
export function permutationPValue(neighbours: readonly (readonly string[])[], queryLabels: readonly string[], databaseSubjects: readonly string[],
  databaseLabels: readonly string[], seed: number, permutations = 1000): { observed: number; p: number } {
  const meanPrecision = (labelOf: Map<string, string>) => {
    let sum = 0;
    neighbours.forEach((list, q) => { sum += list.filter((s) => labelOf.get(s) === queryLabels[q]).length / list.length; });
    return sum / neighbours.length;
  };
  const observed = meanPrecision(new Map(databaseSubjects.map((s, i) => [s, databaseLabels[i]])));
  const random = seededRandom(seed);
  const labels = [...databaseLabels];
  let atLeast = 0;
  for (let b = 0; b < permutations; b++) {
    for (let i = labels.length - 1; i > 0; i--) { const j = Math.floor(random() * (i + 1)); [labels[i], labels[j]] = [labels[j], labels[i]]; }
    // A tiny tolerance so that float rounding of equal means counts as "≥".
    if (meanPrecision(new Map(databaseSubjects.map((s, i) => [s, labels[i]]))) >= observed - 1e-12) atLeast++;
  }
  return { observed, p: (1 + atLeast) / (permutations + 1) };
}
