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

/** `--param name=value` (repeatable): numbers become numbers, the rest stays text. */
export function keyValue(value: string, previous: Record<string, number | string> = {}): Record<string, number | string> {
  const m = /^([A-Za-z][A-Za-z0-9]*)=(.+)$/.exec(value);
  if (!m) throw new InvalidArgumentError(`expected name=value, found "${value}"`);
  const n = Number(m[2]);
  return { ...previous, [m[1]]: Number.isFinite(n) ? n : m[2] };
}
