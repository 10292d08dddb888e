// A cohort as researchers write it: `cohort=gaitpdb group=PD age>=60 hoehn_yahr>=2 date>=2020-01-01 tag=baseline`.
// Clauses are `field op value` separated by spaces (or `and`), all of which must hold; `|` inside a value means
// any of these (`group=PD|CO`). Pure: the export, the CLI and the UI parse the same text the same way, and one
// wrong clause is refused with a message naming it.
import { InputError } from './errors';

export type Op = '=' | '!=' | '<' | '<=' | '>' | '>=';

export interface Clause { field: string; op: Op; values: string[]; text: string }

/** What a clause is checked against: one visit (session) of one subject. */
export interface CohortRow {
  cohort: string;
  group: string | null;
  sex: string | null;
  /** Age in years at the visit (from the subject's age attribute or birth date and visit date); null if unknown. */
  age: number | null;
  /** The visit's date, ISO (YYYY-MM-DD…); null if unknown. */
  date: string | null;
  session: string;
  subject: string;
  tags: string[];
  /** Subject attributes (hoehn_yahr, updrs, body_mass, …) and visit fields, by key. */
  attributes: Record<string, number | string | null>;
}

/** Short names a researcher types, for the attribute keys GaitLab stores. */
const ALIASES: Record<string, string> = { hy: 'hoehn_yahr', 'h&y': 'hoehn_yahr', mass: 'body_mass', diagnosis: 'diagnosis' };
const BUILT_IN = new Set(['cohort', 'group', 'sex', 'age', 'date', 'session', 'subject', 'tag']);
const CLAUSE = /^([A-Za-z][A-Za-z0-9_&]*)\s*(!=|<=|>=|=|<|>)\s*(.+)$/;

/** Parses a filter; '' or 'all' selects everyone. Throws an InputError naming the clause that cannot be read. */
export function parseCohortFilter(text: string, where = 'cohort filter'): Clause[] {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.toLowerCase() === 'all') return [];
  // Operators may be written with spaces around them: join them to their field first.
  const tokens = trimmed.replace(/\s*(!=|<=|>=|=|<|>)\s*/g, '$1').split(/\s+/).filter((t) => t.toLowerCase() !== 'and');
  return tokens.map((t) => {
    const m = CLAUSE.exec(t);
    if (!m) throw new InputError(where, null, t, 'expected field=value, field>=value, … (e.g. group=PD age>=60 date>=2020-01-01)');
    const field = ALIASES[m[1].toLowerCase()] ?? m[1].toLowerCase();
    const op = m[2] as Op;
    const values = m[3].split('|').map((v) => v.trim()).filter((v) => v !== '');
    if (values.length === 0 || /^[<>=!]/.test(values[0])) throw new InputError(where, null, t, 'expected one operator (=, !=, <, <=, >, >=) followed by a value');
    if (values.length > 1 && op !== '=' && op !== '!=') throw new InputError(where, null, t, 'a list of values (a|b) needs = or !=');
    if (field === 'age' && op !== '=' && op !== '!=' && !Number.isFinite(Number(values[0]))) throw new InputError(where, null, t, `age is compared with a number, found "${values[0]}"`);
    if (field === 'date' && !/^\d{4}(-\d{2}(-\d{2})?)?$/.test(values[0])) throw new InputError(where, null, t, `dates are YYYY, YYYY-MM or YYYY-MM-DD, found "${values[0]}"`);
    if (field === 'tag' && op !== '=' && op !== '!=') throw new InputError(where, null, t, 'tags are compared with = or !=');
    if (!BUILT_IN.has(field) && !/^[a-z][a-z0-9_]{0,63}$/.test(field)) throw new InputError(where, null, t, 'attribute names are lower-case letters, digits and _');
    return { field, op, values, text: t };
  });
}

/** True when every clause holds for the row. A clause on a value the row does not have is false (except !=). */
export function matchesCohort(row: CohortRow, clauses: readonly Clause[]): boolean {
  return clauses.every((c) => holds(c, row));
}

function holds(c: Clause, row: CohortRow): boolean {
  if (c.field === 'tag') {
    const has = c.values.some((v) => row.tags.includes(v));
    return c.op === '=' ? has : !has;
  }
  const value = valueOf(c.field, row);
  if (value === null || value === undefined) return c.op === '!=';
  if (c.field === 'date') return compare(String(value).slice(0, c.values[0].length), c.values[0], c.op);
  if (c.op === '=' || c.op === '!=') {
    const any = c.values.some((v) => equal(value, v));
    return c.op === '=' ? any : !any;
  }
  return compare(value, c.values[0], c.op);
}

function valueOf(field: string, row: CohortRow): number | string | null | undefined {
  switch (field) {
    case 'cohort': return row.cohort;
    case 'group': return row.group;
    case 'sex': return row.sex;
    case 'age': return row.age;
    case 'date': return row.date;
    case 'session': return row.session;
    case 'subject': return row.subject;
    default: return row.attributes[field];
  }
}

function equal(value: number | string, wanted: string): boolean {
  if (typeof value === 'number') return Number.isFinite(Number(wanted)) && value === Number(wanted);
  return value.toLowerCase() === wanted.toLowerCase();
}

function compare(value: number | string, wanted: string, op: Op): boolean {
  const n = Number(wanted);
  const d = typeof value === 'number' && Number.isFinite(n) ? value - n : String(value).localeCompare(wanted);
  switch (op) {
    case '<': return d < 0;
    case '<=': return d <= 0;
    case '>': return d > 0;
    case '>=': return d >= 0;
    case '=': return d === 0;
    case '!=': return d !== 0;
  }
}

/** The fields a filter names that no row has (a typing error is likelier than an empty cohort). */
export function unknownFields(rows: readonly CohortRow[], clauses: readonly Clause[]): string[] {
  return clauses.filter((c) => !BUILT_IN.has(c.field) && !rows.some((r) => c.field in r.attributes)).map((c) => c.field);
}

/** The filter as one canonical line, for provenance (what an export or a model was made from). */
export function describeCohortFilter(clauses: readonly Clause[]): string {
  return clauses.length === 0 ? 'all' : clauses.map((c) => `${c.field}${c.op}${c.values.join('|')}`).join(' ');
}
