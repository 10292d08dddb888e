// Subject-grouped 80/20 split for the autoencoders (methods-spec §5.2.5): sort the unique subject IDs, shuffle
// them with mulberry32 + Fisher–Yates from the seed, and the first ⌈0.2·S⌉ are validation. No labels are used
// (the dictionary is unsupervised), and no subject can fall on both sides.
import { seededRandom } from '../random';

export interface SubjectSplit {
  trainSubjects: string[];
  validationSubjects: string[];
  /** Row indices of each side, in row order. */
  train: number[];
  validation: number[];
}

/** Independent random streams for initialisation, shuffling, split and sampling, all derived from one seed. */
export function deriveSeed(seed: number, stream: 'init' | 'shuffle' | 'split' | 'sampling' | 'bootstrap' | 'synthetic'): number {
  const tag = { init: 1, shuffle: 2, split: 3, sampling: 4, bootstrap: 5, synthetic: 6 }[stream];
  return (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(tag, 0x85ebca77)) >>> 0;
}

export function shuffleInPlace<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

export function subjectGroupedSplit(rowSubjects: readonly string[], seed: number, validationFraction = 0.2): SubjectSplit {
  const unique = [...new Set(rowSubjects)].sort();
  const shuffled = shuffleInPlace([...unique], seededRandom(deriveSeed(seed, 'split')));
  const nVal = Math.ceil(validationFraction * unique.length);
  const validationSubjects = shuffled.slice(0, nVal);
  const isVal = new Set(validationSubjects);
  const train: number[] = [];
  const validation: number[] = [];
  rowSubjects.forEach((s, i) => (isVal.has(s) ? validation : train).push(i));
  return { trainSubjects: shuffled.slice(nVal).sort(), validationSubjects: [...validationSubjects].sort(), train, validation };
}

/**
 * Subject-grouped K folds for cross-validated evaluation: the sorted unique subjects shuffled from the seed's split
 * stream and dealt round-robin, so fold sizes differ by at most one and no subject is in two folds.
 */
export function subjectGroupedFolds(rowSubjects: readonly string[], folds: number, seed: number): string[][] {
  const unique = [...new Set(rowSubjects)].sort();
  if (!Number.isInteger(folds) || folds < 2 || folds > unique.length) throw new RangeError(`${folds} folds of ${unique.length} subjects: need 2 ≤ folds ≤ subjects`);
  const shuffled = shuffleInPlace([...unique], seededRandom(deriveSeed(seed, 'split')));
  const out: string[][] = Array.from({ length: folds }, () => []);
  shuffled.forEach((s, i) => out[i % folds].push(s));
  return out.map((f) => f.sort());
}
