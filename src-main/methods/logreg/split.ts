// Subject-grouped, class-stratified, seeded train/test split: all trials of a subject fall on one side, so
// the test accuracy says how the model does on people it has never seen (trials of one person are alike).
import { seededRandom } from '../../../src-shared/random';

/** Fisher–Yates shuffle in place with the given generator. */
export function shuffleInPlace<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/**
 * Row indices of the training and test sets. Per class, the subjects (in the order they first appear in the rows,
 * then shuffled with `seed`) are cut so that round(testFraction × subjects) of them (at least one when the class has
 * two or more) are test. Not sorted by id: ids are drawn at random on import, so two imports of the same files would
 * split differently; rows come in the source's order, so their first appearance is the same in both.
 */
export function subjectGroupedSplit(labels: readonly string[], subjects: readonly string[], testFraction: number, seed: number): { train: number[]; test: number[] } {
  const random = seededRandom(seed);
  const subjectsOfClass = new Map<string, Set<string>>();
  for (let i = 0; i < labels.length; i++) {
    let s = subjectsOfClass.get(labels[i]);
    if (!s) subjectsOfClass.set(labels[i], (s = new Set()));
    s.add(subjects[i]);
  }
  const testSubjects = new Set<string>();
  for (const cls of [...subjectsOfClass.keys()].sort()) {
    const list = shuffleInPlace([...subjectsOfClass.get(cls)!], random);
    const k = list.length < 2 ? 0 : Math.max(1, Math.round(testFraction * list.length));
    for (const s of list.slice(0, k)) testSubjects.add(s);
  }
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < labels.length; i++) (testSubjects.has(subjects[i]) ? test : train).push(i);
  return { train, test };
}
