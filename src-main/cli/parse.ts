import { InvalidArgumentError } from 'commander';

export function int(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`expected a whole number, found "${value}"`);
  return Number(value);
}
