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

export type ParamValue = number | string | boolean | null;

/** `--param name=value` (repeatable): numbers as numbers, true/false/null as themselves, anything else as text (the method checks it). */
export function keyValue(value: string, previous: Record<string, ParamValue> = {}): Record<string, ParamValue> {
  const m = /^([A-Za-z][A-Za-z0-9]*)=(.+)$/.exec(value);
  if (!m) throw new InvalidArgumentError(`expected name=value, found "${value}"`);
  const n = Number(m[2]);
  const literal: Record<string, ParamValue> = { true: true, false: false, null: null };
  return { ...previous, [m[1]]: m[2] in literal ? literal[m[2]] : Number.isFinite(n) ? n : m[2] };
}
