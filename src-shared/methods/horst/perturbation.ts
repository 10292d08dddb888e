// Perturbation analysis of spec §1.7 / §5.1.9, in the scaled input space: M = 101·C components, steps
// k = 0..49 with n_k = ⌊k·M/100⌋ components perturbed cumulatively, in random order (a new permutation per trial
// and repetition) or relevance-descending order (largest signed value first, stable, ties by index), with the
// seven noises; accuracy from the argmax of the logits. AOPC (Samek form) and AOC (the paper's Table 2 scale).
import { normalStream, shuffle, uniformStream } from './random';

export const NOISES = ['gauss0.5', 'gauss1', 'gauss2', 'saltMinus', 'pepper', 'saltPlus', 'shot'] as const;
export type Noise = (typeof NOISES)[number];
export type PerturbationOrder = 'random' | 'relevanceDescending';

export const STEPS = 50;

/** The value a component takes when perturbed (x: its current value). */
export function perturbValue(noise: Noise, x: number, normal: () => number, uniform: () => number): number {
  switch (noise) {
    case 'gauss0.5': return x + 0.5 * normal();
    case 'gauss1': return x + normal();
    case 'gauss2': return x + 2 * normal();
    case 'saltMinus': return -1;
    case 'pepper': return 0;
    case 'saltPlus': return 1;
    // ±1 with probability ½ each (the authors' "Shot" was effectively Salt+, §1.7; fixed here, §5.1.9).
    case 'shot': return uniform() < 0.5 ? -1 : 1;
  }
}

/** Components by relevance, largest signed value first; ties keep index order. */
export function relevanceOrder(relevance: ArrayLike<number>): Int32Array {
  const idx = Array.from({ length: relevance.length }, (_, i) => i);
  idx.sort((a, b) => (relevance[b] - relevance[a]) || (a - b));
  return Int32Array.from(idx);
}

export interface PerturbationInput {
  /** Scaled trials, each of length M. */
  trials: readonly Float64Array[];
  labels: readonly number[];
  /** Class scores of one input (logits). */
  predict(x: Float64Array): ArrayLike<number>;
  /** For relevanceDescending: each trial's stored true-class map. */
  relevance?: readonly ArrayLike<number>[];
}

/**
 * Correct-classification counts per step (length `steps`), summed over trials and repetitions; divide by
 * trials × repetitions for the accuracy curve. Streams are keyed by (seed, key…, repetition, noise).
 */
export function perturbationCounts(
  input: PerturbationInput, noise: Noise, order: PerturbationOrder,
  options: { seed: number; key: (string | number)[]; repetitions: number; steps?: number },
): Int32Array {
  const steps = options.steps ?? STEPS;
  const counts = new Int32Array(steps);
  for (let rep = 0; rep < options.repetitions; rep++) {
    const uniform = uniformStream(options.seed, 'perturb', ...options.key, rep, noise);
    const normal = normalStream(options.seed, 'perturb-normal', ...options.key, rep, noise);
    input.trials.forEach((clean, t) => {
      const m = clean.length;
      let perm: ArrayLike<number>;
      if (order === 'random') perm = shuffle(Array.from({ length: m }, (_, i) => i), uniform);
      else {
        const r = input.relevance?.[t];
        if (!r) throw new RangeError(`relevance-ordered perturbation needs a relevance map for trial ${t}`);
        perm = relevanceOrder(r);
      }
      const x = Float64Array.from(clean);
      let done = 0;
      for (let k = 0; k < steps; k++) {
        const target = Math.floor((k * m) / 100);
        for (; done < target; done++) x[perm[done]] = perturbValue(noise, x[perm[done]], normal, uniform);
        const scores = input.predict(x);
        let best = 0;
        for (let j = 1; j < scores.length; j++) if (scores[j] > scores[best]) best = j;
        if (best === input.labels[t]) counts[k]++;
      }
    });
  }
  return counts;
}

/** AOPC in percentage points: 100/50 · Σ_k (acc_0 − acc_k) (Samek et al. 2017, relative to clean accuracy). */
export function aopc(accuracy: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < accuracy.length; k++) s += accuracy[0] - accuracy[k];
  return (100 / accuracy.length) * s;
}

/** AOC in percentage points: 100 · Σ_k 0.01·(1 − acc_k) ∈ [0, 50] (the scale of the paper's Table 2). */
export function aoc(accuracy: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < accuracy.length; k++) s += 0.01 * (1 - accuracy[k]);
  return 100 * s;
}
