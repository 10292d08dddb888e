import { InvalidArgumentError } from 'commander';

/** A side as the API takes it: left, right or both. */
export function side(value: string): 'left' | 'right' | 'both' {
  if (value === 'left' || value === 'right' || value === 'both') return value;
  throw new InvalidArgumentError(`expected left, right or both, found "${value}"`);
}

export function int(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`expected a whole number, found "${value}"`);
  return Number(value);
}
