// The seeded train/test split of methods-spec §5.4.1 HG-2: by point (the paper's) or by whole cycle, into
// per-leaf cell statistics (HG-9: test statistics are kept the same way).

import { addObservation, emptyCellStats, type CellStats } from './cell-stats';
import { seededRandom } from '../random';

export type SplitMode = 'point' | 'cycle';

export interface CellSplit {
  train: CellStats[];
  test: CellStats[];
  mode: SplitMode;
  seed: number;
  testFraction: number;
}

/**
 * `point`: every (cycle, j) sample goes to test with probability `testFraction`, independently; `cycle`: per
 * leaf, round(testFraction · cycles) whole cycles, chosen by a seeded Fisher–Yates shuffle, go to test.
 */
export function splitCycles(cycles: readonly (readonly ArrayLike<number>[])[], gridSize: number, mode: SplitMode, seed: number, testFraction = 0.3): CellSplit {
  const random = seededRandom(seed);
  const train: CellStats[] = [], test: CellStats[] = [];
  for (const leaf of cycles) {
    const tr = emptyCellStats(gridSize), te = emptyCellStats(gridSize);
    let testCycles = new Set<number>();
    if (mode === 'cycle') {
      const order = leaf.map((_, i) => i);
      for (let i = order.length - 1; i > 0; i--) { const k = Math.floor(random() * (i + 1)); [order[i], order[k]] = [order[k], order[i]]; }
      testCycles = new Set(order.slice(0, Math.round(testFraction * leaf.length)));
    }
    leaf.forEach((cycle, r) => {
      for (let j = 0; j < gridSize; j++) {
        const toTest = mode === 'cycle' ? testCycles.has(r) : random() < testFraction;
        addObservation(toTest ? te : tr, j, cycle[j]);
      }
    });
    train.push(tr); test.push(te);
  }
  return { train, test, mode, seed, testFraction };
}
