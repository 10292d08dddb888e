// Normal ranges from a reference group, as gait reports print them: mean ± 2 SD of the group's per-subject
// values (about the central 95 % for a normal distribution), only when at least three subjects contribute.
import type { NormalRange } from './model';

export const MIN_REFERENCE_SUBJECTS = 3;

export function normalRangeOf(values: readonly number[]): NormalRange | null {
  const v = values.filter(Number.isFinite);
  if (v.length < MIN_REFERENCE_SUBJECTS) return null;
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1));
  return { low: mean - 2 * sd, high: mean + 2 * sd, mean, sd, subjects: v.length };
}

export function outsideRange(value: number | null, range: NormalRange | null): 'low' | 'high' | null {
  if (value === null || range === null || !Number.isFinite(value)) return null;
  return value < range.low ? 'low' : value > range.high ? 'high' : null;
}
