// Training schedules (spec §1.4, §5.1.4): `paper` is the default and the only one whose numbers may be compared
// with the paper; `smoke` (3 × 300 iterations, validation every 50) is for CI, and its results are labelled
// `smoke` wherever they appear.
export type ScheduleName = 'paper' | 'smoke';

export interface Schedule {
  name: ScheduleName;
  /** Learning rate of each phase; each phase starts from the best state of the one before. */
  learningRates: number[];
  maxIterationsPerPhase: number;
  validateEvery: number;
  /** Evaluations without improvement before a phase stops (all networks, §5.1.4). */
  patience: number;
  batchSize: number;
}

export const SCHEDULES: Record<ScheduleName, Schedule> = {
  paper: { name: 'paper', learningRates: [5e-3, 1e-3, 5e-4], maxIterationsPerPhase: 10_000, validateEvery: 250, patience: 10, batchSize: 5 },
  smoke: { name: 'smoke', learningRates: [5e-3, 1e-3, 5e-4], maxIterationsPerPhase: 300, validateEvery: 50, patience: 10, batchSize: 5 },
};

export function scheduleNamed(name: string): Schedule {
  if (name !== 'paper' && name !== 'smoke') throw new RangeError(`schedule "${name}" is unknown (paper, smoke)`);
  return SCHEDULES[name];
}
