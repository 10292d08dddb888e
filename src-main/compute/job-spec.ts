// What a job row's params column holds for a training job: the method's parameters, the seed and the data.
import type { DataSpec } from './curve-dataset';

export interface TrainJobSpec {
  params: Record<string, unknown>;
  seed: number;
  data: DataSpec;
}

export function readTrainJobSpec(stored: Record<string, unknown>): TrainJobSpec {
  const data = (stored.data ?? {}) as Partial<DataSpec>;
  return {
    params: (stored.params ?? {}) as Record<string, unknown>,
    seed: typeof stored.seed === 'number' ? stored.seed : 0,
    data: { cohort: String(data.cohort ?? ''), session: data.session ?? null },
  };
}
