// A method's parameters: each declared once with its unit, default and range, from which come the zod schema
// (for forms, JSON Schema and the API), the defaults, and a parser whose refusals are one line naming the
// parameter and its range, e.g. `ForceThresholdEvents: parameter onN = -3 is out of range (0 < onN ≤ 5000 N)`.
// Parameters are plain JSON (numbers, strings, booleans, null) so that every result can carry them and every
// run row can store them.
import { z } from 'zod';

export type ParamValue = number | string | boolean | null;

/** A physical or count parameter. The unit is part of the name too (`onN`, `minStanceS`); here it is for messages and forms. */
export interface NumberParamSpec {
  type: 'number';
  description: string;
  unit: string;
  default: number | null;
  min?: number;
  max?: number;
  /** The bound itself is not allowed (0 < onN rather than 0 ≤ onN). */
  minExclusive?: boolean;
  maxExclusive?: boolean;
  integer?: boolean;
  /** null is a value ("no low-pass filter"). */
  nullable?: boolean;
}

export interface ChoiceParamSpec {
  type: 'choice';
  description: string;
  values: readonly (string | number)[];
  default: string | number;
}

export interface BooleanParamSpec {
  type: 'boolean';
  description: string;
  default: boolean;
}

/** A name (a marker label): free text within a pattern, since a lab's marker set cannot be listed in advance. */
export interface TextParamSpec {
  type: 'text';
  description: string;
  default: string;
  /** What a value must match, as a RegExp source anchored by the parser; and in words, for the refusal. */
  pattern: string;
  patternText: string;
}

export type ParamSpec = NumberParamSpec | ChoiceParamSpec | BooleanParamSpec | TextParamSpec;

/** A rule between parameters (on ≥ off): `holds` false refuses the set with `message`, a one-line phrase naming the parameter. */
export interface ParamConstraint<P> {
  holds(p: P): boolean;
  /** e.g. `parameter offN = 30 is out of range (offN ≤ onN = 20 N)`; the method's name is put in front. */
  message(p: P): string;
}

export type ParamSpecs<P> = { readonly [K in keyof P]-?: ParamSpec };

/** Thrown for any refused parameter set; `message` is the one line a user sees. */
export class MethodParamError extends RangeError {
  constructor(readonly method: string, readonly parameter: string | null, reason: string) {
    super(`${method}: ${reason}`);
    this.name = 'MethodParamError';
  }
}

/** The parameters of one method: their specs, zod schema, defaults and parser. */
export interface ParamSchema<P> {
  readonly method: string;
  readonly specs: ParamSpecs<P>;
  /** Strict object schema: every parameter present, none unknown, each in its range (cross-parameter rules are in `parse`). */
  readonly schema: z.ZodType<P>;
  /** Names in declaration order. */
  readonly names: readonly (keyof P & string)[];
  defaults(): P;
  /** Defaults overlaid with `input`; refuses unknown names, wrong types, out-of-range values and broken constraints. */
  parse(input?: unknown): P;
  /** `0 < onN ≤ 5000 N`: the range of one parameter, as messages and forms show it. */
  rangeText(name: keyof P & string): string;
}

const fmt = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : String(v));

export function rangeTextOf(name: string, spec: ParamSpec): string {
  if (spec.type === 'boolean') return `${name}: true or false`;
  if (spec.type === 'choice') return `${name} one of ${spec.values.map(fmt).join(', ')}`;
  if (spec.type === 'text') return `${name}: ${spec.patternText}`;
  const unit = spec.unit ? ` ${spec.unit}` : '';
  const lower = spec.minExclusive ? '<' : '≤', upper = spec.maxExclusive ? '<' : '≤';
  let text: string;
  if (spec.min !== undefined && spec.max !== undefined) text = `${spec.min} ${lower} ${name} ${upper} ${spec.max}${unit}`;
  else if (spec.min !== undefined) text = `${name} ${spec.minExclusive ? '>' : '≥'} ${spec.min}${unit}`;
  else if (spec.max !== undefined) text = `${name} ${upper} ${spec.max}${unit}`;
  else text = `${name} any number${unit ? ` of${unit}` : ''}`;
  return `${text}${spec.integer ? ', an integer' : ''}${spec.nullable ? ', or null' : ''}`;
}

function zodOf(spec: ParamSpec): z.ZodType {
  if (spec.type === 'boolean') return z.boolean();
  if (spec.type === 'choice') return z.union(spec.values.map((v) => z.literal(v)) as [z.ZodLiteral<string | number>, ...z.ZodLiteral<string | number>[]]);
  if (spec.type === 'text') return z.string().regex(new RegExp(`^(?:${spec.pattern})$`)).describe(spec.description);
  let n = spec.integer ? z.number().int() : z.number();
  if (spec.min !== undefined) n = spec.minExclusive ? n.gt(spec.min) : n.gte(spec.min);
  if (spec.max !== undefined) n = spec.maxExclusive ? n.lt(spec.max) : n.lte(spec.max);
  const described = n.describe(`${spec.description} (${spec.unit || 'no unit'})`);
  return spec.nullable ? described.nullable() : described;
}

/** Why `value` is refused for `spec`, or null when it is accepted. */
function refusal(name: string, spec: ParamSpec, value: unknown): string | null {
  if (zodOf(spec).safeParse(value).success) return null;
  const shown = `parameter ${name} = ${typeof value === 'number' || value === undefined ? String(value) : JSON.stringify(value)}`;
  const range = rangeTextOf(name, spec);
  if (spec.type === 'choice') return `${shown} is not one of ${spec.values.map(fmt).join(', ')}`;
  if (spec.type === 'boolean') return `${shown} is not true or false`;
  if (spec.type === 'text') return `${shown} is not ${spec.patternText}`;
  if (typeof value !== 'number' && !(spec.nullable && value === null)) return `${shown} is not a number (${range})`;
  if (typeof value === 'number' && !Number.isFinite(value)) return `${shown} is not a finite number (${range})`;
  if (spec.integer && typeof value === 'number' && !Number.isInteger(value)) return `${shown} is not an integer (${range})`;
  return `${shown} is out of range (${range})`;
}

/**
 * Declares a method's parameters. The defaults must satisfy their own ranges and constraints (checked here,
 * so a wrong default fails at load, not at a user's first run).
 */
export function defineParams<P extends { [K in keyof P]: ParamValue }>(
  method: string,
  specs: ParamSpecs<P>,
  constraints: readonly ParamConstraint<P>[] = [],
): ParamSchema<P> {
  const names = Object.keys(specs) as (keyof P & string)[];
  // Built on first use: constructing a zod object probes for `new Function`, which the renderer's CSP reports
  // as a violation even though zod catches it; the renderer needs the specs and the parser, not the object schema.
  let schema: z.ZodType<P> | null = null;
  const objectSchema = (): z.ZodType<P> => {
    if (!schema) {
      const shape: Record<string, z.ZodType> = {};
      for (const k of names) shape[k] = zodOf(specs[k]);
      schema = z.object(shape).strict() as unknown as z.ZodType<P>;
    }
    return schema;
  };
  const defaults = (): P => {
    const d: Record<string, ParamValue> = {};
    for (const k of names) d[k] = specs[k].default;
    return d as P;
  };
  const parse = (input: unknown = {}): P => {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      throw new MethodParamError(method, null, `parameters must be an object of name: value, got ${JSON.stringify(input)}`);
    }
    const given = input as Record<string, unknown>;
    for (const k of Object.keys(given)) {
      if (!Object.prototype.hasOwnProperty.call(specs, k)) throw new MethodParamError(method, k, `unknown parameter "${k}" (known: ${names.join(', ')})`);
    }
    const out: Record<string, unknown> = {};
    for (const k of names) {
      // An absent or undefined parameter takes its default; an explicit null is a value (and refused unless nullable).
      const v = given[k] === undefined ? specs[k].default : given[k];
      const why = refusal(k, specs[k], v);
      if (why) throw new MethodParamError(method, k, why);
      out[k] = v;
    }
    const p = out as P;
    for (const c of constraints) if (!c.holds(p)) throw new MethodParamError(method, null, c.message(p));
    return p;
  };
  const ps: ParamSchema<P> = {
    method, specs, names, defaults, parse, rangeText: (name) => rangeTextOf(name, specs[name]),
    get schema() { return objectSchema(); },
  };
  parse(defaults());
  return ps;
}
