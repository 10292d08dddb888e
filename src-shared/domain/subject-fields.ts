// What a lab may record about a subject and a visit, with units and plausible ranges. Pure: the store, the
// API, the CLI and the forms all check values against these, so that a value refused in one face is refused
// in every face with the same one-line message.
import { InputError } from './errors';

/** A numeric attribute: its unit, the plausible range (inclusive) and whether only whole numbers make sense. */
export interface NumericField { kind: 'number'; unit: string; min: number; max: number; integer?: boolean; label: string; score?: boolean }
export interface ChoiceField { kind: 'choice'; choices: readonly string[]; label: string }
export interface TextField { kind: 'text'; maxLength: number; label: string }
export type FieldSpec = NumericField | ChoiceField | TextField;

/**
 * Subject attributes a lab enters. Keys follow those the importers already write (C3D `body_mass`, gaitpdb
 * `weight`, `hoehn_yahr`, `updrs`), so that an edited value and an imported one are the same attribute.
 * Ranges are what a human can measure, wide enough for children and for the heaviest patients.
 */
export const SUBJECT_FIELDS: Record<string, FieldSpec> = {
  body_mass: { kind: 'number', unit: 'kg', min: 2, max: 400, label: 'body mass' },
  weight: { kind: 'number', unit: 'kg', min: 2, max: 400, label: 'body mass (gaitpdb)' },
  height: { kind: 'number', unit: 'm', min: 0.4, max: 2.6, label: 'height' },
  leg_length: { kind: 'number', unit: 'mm', min: 150, max: 1400, label: 'leg length' },
  diagnosis: { kind: 'text', maxLength: 200, label: 'diagnosis' },
  affected_side: { kind: 'choice', choices: ['left', 'right', 'both', 'none'], label: 'affected side' },
  hoehn_yahr: { kind: 'number', unit: 'stage', min: 0, max: 5, label: 'Hoehn & Yahr', score: true },
  updrs: { kind: 'number', unit: 'points', min: 0, max: 199, integer: true, label: 'UPDRS', score: true },
  updrs_motor: { kind: 'number', unit: 'points', min: 0, max: 132, integer: true, label: 'UPDRS motor', score: true },
  edss: { kind: 'number', unit: 'points', min: 0, max: 10, label: 'EDSS', score: true },
  gmfcs: { kind: 'number', unit: 'level', min: 1, max: 5, integer: true, label: 'GMFCS', score: true },
};

export const SEXES = ['male', 'female'] as const;

/** Identifying fields: stored only in subject_identity, never written into audit values or exports. */
export const IDENTITY_FIELDS = ['display_name', 'birth_date', 'record_number', 'contact', 'notes'] as const;
export type IdentityField = (typeof IDENTITY_FIELDS)[number];
const IDENTITY_MAX: Record<IdentityField, number> = { display_name: 200, birth_date: 10, record_number: 64, contact: 300, notes: 2000 };

/** Visit conditions kept as session attributes (text), with the values a form offers first. */
export const SESSION_FIELDS: Record<string, TextField | ChoiceField> = {
  footwear: { kind: 'choice', choices: ['barefoot', 'shoes'], label: 'footwear' },
  orthosis: { kind: 'text', maxLength: 200, label: 'orthosis' },
  walking_aid: { kind: 'text', maxLength: 200, label: 'walking aid' },
  speed_instruction: { kind: 'choice', choices: ['self-selected', 'slow', 'fast'], label: 'speed instruction' },
  assessor: { kind: 'text', maxLength: 200, label: 'assessor' },
  notes: { kind: 'text', maxLength: 2000, label: 'notes' },
};

/** A value as a request sends it: a number, a text, or null to remove it. */
export type FieldValue = number | string | null;

/** Where an error is reported: `subject S-7F3A2KQ9`, `session SE-…`, or the request when there is no id yet. */
type Where = string;

function describeRange(f: NumericField): string {
  return `${f.min}–${f.max} ${f.unit}${f.integer ? ', whole numbers' : ''}`;
}

/** Checks one subject attribute; returns the value to store with its unit. Unknown keys are free text or numbers. */
export function checkSubjectAttribute(where: Where, key: string, value: FieldValue, unit?: string | null): { value: number | string; unit: string | null } | null {
  if (!/^[a-z][a-z0-9_]{0,63}$/.test(key)) throw new InputError(where, null, key, 'attribute names are lower-case letters, digits and _');
  if (value === null) return null;
  const f = SUBJECT_FIELDS[key];
  if (!f) {
    const known = nearKnownField(key);
    if (known) throw new InputError(where, null, key, `not a known field; did you mean ${known}? (a new free attribute must not look like one)`);
    if (typeof value === 'string' && value.length > 2000) throw new InputError(where, null, key, 'at most 2000 characters');
    if (typeof value === 'number' && !Number.isFinite(value)) throw new InputError(where, null, key, `expected a finite number, found ${value}`);
    return { value, unit: unit ?? null };
  }
  return { value: checkValue(where, key, f, value, unit), unit: f.kind === 'number' ? f.unit : null };
}

const UNIT_SUFFIX = /_(m|cm|mm|kg|g|lb|lbs|in|ft|years|yrs|y|points|pts|stage|level)$/;

/**
 * The known field a free attribute name most likely meant (`height_m`, `body_mass_kg`, `heigth`, `hoehnyahr`), or
 * null. A misspelt key would otherwise be stored unchecked beside the real field and never range-checked.
 */
export function nearKnownField(key: string): string | null {
  const candidates = [...Object.keys(SUBJECT_FIELDS), ...IDENTITY_FIELDS, 'sex', 'group'];
  const stripped = key.replace(UNIT_SUFFIX, '');
  if (stripped !== key && candidates.includes(stripped)) return stripped;
  const squashed = key.replace(/_/g, '');
  let best: string | null = null;
  let bestD = Infinity;
  for (const c of candidates) {
    if (c === key) return null;
    if (c.replace(/_/g, '') === squashed) return c;
    const limit = c.length <= 5 ? 1 : 2;
    const d = editDistance(stripped, c, limit);
    if (d <= limit && d < bestD) { best = c; bestD = d; }
  }
  return best;
}

/** Optimal-string-alignment distance (adjacent swaps count 1), stopping early once it exceeds `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    let rowMin = Infinity;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = v;
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > limit) return limit + 1;
  }
  return rows[a.length]![b.length]!;
}

function checkValue(where: Where, key: string, f: FieldSpec, value: number | string, unit?: string | null): number | string {
  if (f.kind === 'number') {
    if (unit && unit !== f.unit) throw new InputError(where, null, key, `expected ${f.unit}, found ${unit}`);
    const n = typeof value === 'number' ? value : /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
    if (!Number.isFinite(n)) throw new InputError(where, null, key, `expected a number in ${describeRange(f)}, found "${value}"`);
    if (n < f.min || n > f.max || (f.integer && !Number.isInteger(n))) {
      throw new InputError(where, null, key, `${n} ${f.unit} is outside the plausible range ${describeRange(f)}`);
    }
    return n;
  }
  const text = String(value).trim();
  if (f.kind === 'choice') {
    if (!f.choices.includes(text)) throw new InputError(where, null, key, `expected one of ${f.choices.join(', ')}, found "${text}"`);
    return text;
  }
  if (text.length === 0 || text.length > f.maxLength) throw new InputError(where, null, key, `expected 1–${f.maxLength} characters`);
  return text;
}

/** A calendar date YYYY-MM-DD that exists, not after `today` and not before 1900. */
export function checkDate(where: Where, field: string, value: string, today = new Date()): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const d = m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : null;
  if (!m || !d || d.getUTCFullYear() !== +m[1] || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) {
    throw new InputError(where, null, field, `expected a date YYYY-MM-DD, found "${value}"`);
  }
  const todayIso = today.toISOString().slice(0, 10);
  if (value > todayIso || value < '1900-01-01') throw new InputError(where, null, field, `${value} is outside the plausible range 1900-01-01–${todayIso}`);
  return value;
}

export function checkIdentityField(where: Where, field: IdentityField, value: string | null): string | null {
  if (value === null) return null;
  const text = value.trim();
  if (text.length === 0) return null;
  if (text.length > IDENTITY_MAX[field]) throw new InputError(where, null, field, `at most ${IDENTITY_MAX[field]} characters`);
  return field === 'birth_date' ? checkDate(where, field, text) : text;
}

/** Checks a visit condition; choice fields also take other text (a lab's own footwear), the list is what forms offer. */
export function checkSessionField(where: Where, key: string, value: FieldValue): string | null {
  if (value === null) return null;
  const f = SESSION_FIELDS[key];
  if (!f) throw new InputError(where, null, key, `unknown visit field; known: ${Object.keys(SESSION_FIELDS).join(', ')}`);
  const text = String(value).trim();
  const max = f.kind === 'text' ? f.maxLength : 200;
  if (text.length === 0 || text.length > max) throw new InputError(where, null, key, `expected 1–${max} characters`);
  return text;
}

/** Whole years between a birth date and a day (both YYYY-MM-DD): the age at a session. */
export function ageYears(birthDate: string, on: string): number | null {
  const b = /^(\d{4})-(\d{2})-(\d{2})/.exec(birthDate), d = /^(\d{4})-(\d{2})-(\d{2})/.exec(on);
  if (!b || !d) return null;
  let age = +d[1] - +b[1];
  if (+d[2] < +b[2] || (+d[2] === +b[2] && +d[3] < +b[3])) age--;
  return age >= 0 ? age : null;
}

/** Trial attribute holding why a trial is left out of parameters and methods (kept and flagged, not deleted). */
export const TRIAL_EXCLUDED_KEY = 'excluded';
/** Trial attribute naming a trial's role in its visit; 'static' is the calibration trial, not a walk. */
export const TRIAL_ROLE_KEY = 'trial_role';
/** Session attribute naming where the visit's date came from: a format id (the file states it) or this rule. */
export const SESSION_DATE_FROM_KEY = 'date_from';
/** The date rule for files that state no date: the day of the newest modification among the visit folder's recordings. */
export const DATE_FROM_MODIFICATION_TIME = 'newest file modification time in the folder';
/** Session attribute with the visit's tags, a JSON array of strings. */
export const SESSION_TAGS_KEY = 'tags';
