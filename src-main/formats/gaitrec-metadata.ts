// Session metadata of GaitRec (Horsak et al. 2020, Sci Data 7:143) and of the Gutenberg Gait Database
// (Horst et al. 2021, Sci Data 8:232): `GRF_metadata.csv`, one row per recording session, no curves.
// Layout and quirks: ../shared/data/gaitrec-metadata/README.md. Decisions made here:
//
// - Cohort from the header: 20 columns → 'gaitrec', 21 with a leading DATASET_ID → 'gutenberg'.
// - Subject key = SUBJECT_ID in both databases, session key = SESSION_ID. Checked on the Gutenberg file: its
//   SUBJECT_IDs 1–350 each occur under exactly one DATASET_ID and its SESSION_IDs 1–661 are unique over the
//   whole file, so DATASET_ID is not part of either key. The rule must not depend on what a file contains (the
//   curve files in gaitrec-grf.ts are read without the metadata and must produce the same keys), so a file in
//   which one SUBJECT_ID appears under two DATASET_IDs is rejected instead of switching to combined keys.
// - Per-subject values (sex, class, affected side, height) come from the subject's first session: lowest
//   READMISSION, then earliest SESSION_DATE, then lowest SESSION_ID. Rows are not in session order and one
//   admission holds several sessions on different days. This reproduces the descriptors' sex counts (GaitRec HC
//   104 male / 107 female, hip 373 / 77; Gutenberg dataset 3: 76 / 52, whose later sessions flip SEX for 26
//   subjects). Disagreements between a subject's sessions are reported as warnings.
// - The codings of AFFECTED_SIDE, SHOD_CONDITION, SPEED are the README's, which it gives from memory of the
//   GaitRec descriptor; SESSION_TYPE is kept as its numeric code for that reason.
import { CsvError, parse } from 'csv-parse/sync';
import {
  InputError,
  type Attributes,
  type ImportBatch,
  type ImportedSession,
  type ImportedSubject,
  type Side,
} from '../../src-shared/domain/import-batch';
import type { FormatModule, SourceFile } from './format';

export const GAITREC_COHORT = 'gaitrec';
export const GUTENBERG_COHORT = 'gutenberg';

const GAITREC_COLUMNS = [
  'SUBJECT_ID', 'SESSION_ID', 'CLASS_LABEL', 'CLASS_LABEL_DETAILED', 'SEX', 'AGE', 'HEIGHT', 'BODY_WEIGHT',
  'BODY_MASS', 'SHOE_SIZE', 'AFFECTED_SIDE', 'SHOD_CONDITION', 'ORTHOPEDIC_INSOLE', 'SPEED', 'READMISSION',
  'SESSION_TYPE', 'SESSION_DATE', 'TRAIN', 'TRAIN_BALANCED', 'TEST',
] as const;
const GUTENBERG_COLUMNS = ['DATASET_ID', ...GAITREC_COLUMNS] as const;
type Column = (typeof GUTENBERG_COLUMNS)[number];

const CLASS_LABELS = ['HC', 'H', 'K', 'A', 'C'];
const SEX_CODES: Record<string, 'female' | 'male'> = { '0': 'female', '1': 'male' };
const AFFECTED_SIDE_CODES: Record<string, Side> = { '0': 'left', '1': 'right', '2': 'both' };
const SHOD_CONDITION_CODES: Record<string, string> = { '0': 'barefoot', '1': 'shoes', '2': 'orthopaedic shoes' };
const SPEED_CODES: Record<string, string> = { '1': 'slow', '2': 'self-selected', '3': 'fast' };
const FLAG_CODES: Record<string, number> = { '0': 0, '1': 1 };

// ---------------------------------------------------------------------------------------------------------------
// Helpers shared with gaitrec-grf.ts: same CSV dialect, same value rules, same subject-key rule.

/** Calls `visit` for every non-empty record with its 1-based line number; LF and CRLF may even be mixed. */
export function forEachCsvRecord(file: SourceFile, visit: (fields: string[], line: number) => void): void {
  try {
    parse(file.bytes, {
      bom: true,
      record_delimiter: ['\r\n', '\n'],
      skip_empty_lines: true,
      relax_column_count: true, // column counts are checked by the caller, with the line and a readable message
      max_record_size: 64 * 1024 * 1024,
      on_record: (fields, context) => {
        visit(fields, context.lines);
        return undefined; // records are consumed here, never collected: the curve files run to hundreds of MB
      },
    });
  } catch (error) {
    if (error instanceof CsvError) {
      const line = typeof error.lines === 'number' ? error.lines : null;
      throw new InputError(file.path, line, null, `not readable as CSV (${error.message})`);
    }
    throw error;
  }
}

/** The first line of a file head, without BOM and line ending (for detect). */
export function firstLineOf(head: Buffer): string {
  let text = head.toString('latin1', 0, Math.min(head.length, 64 * 1024));
  if (text.startsWith('\u00ef\u00bb\u00bf')) text = text.slice(3);
  const end = text.indexOf('\n');
  return (end < 0 ? text : text.slice(0, end)).replace(/\r$/, '');
}

/** Missing values are the literal `NaN`; an empty field is read the same way. */
export function isMissing(text: string): boolean {
  return text === 'NaN' || text === '';
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A decimal number, or null for a missing value. */
export function parseDecimal(text: string, file: string, line: number, field: string): number | null {
  if (isMissing(text)) return null;
  if (!DECIMAL.test(text)) throw new InputError(file, line, field, `expected a number or NaN, found '${text}'`);
  return Number(text);
}

/** A non-negative integer id, canonical as a string (`007` → `7`); required. */
export function parseId(text: string, file: string, line: number, field: string): string {
  const value = isMissing(text) ? null : parseDecimal(text, file, line, field);
  if (value === null || !Number.isSafeInteger(value) || value < 0) {
    throw new InputError(file, line, field, `expected a non-negative integer id, found '${text}'`);
  }
  return String(value);
}

/**
 * Enforces the subject-key rule of both modules: the key is SUBJECT_ID alone, so in Gutenberg files a
 * SUBJECT_ID must not occur under two DATASET_IDs.
 */
export class DatasetOfSubject {
  private readonly seen = new Map<string, { datasetId: string; line: number }>();

  constructor(private readonly file: string) {}

  check(subjectKey: string, datasetId: string, line: number): void {
    const first = this.seen.get(subjectKey);
    if (!first) {
      this.seen.set(subjectKey, { datasetId, line });
    } else if (first.datasetId !== datasetId) {
      throw new InputError(this.file, line, 'DATASET_ID',
        `SUBJECT_ID ${subjectKey} is in DATASET_ID ${first.datasetId} on line ${first.line} and in ${datasetId} here; ` +
        'subjects are keyed by SUBJECT_ID alone, which needs it unique over all datasets');
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------

interface SessionRow {
  line: number;
  datasetId: string | null;
  subjectKey: string;
  sessionKey: string;
  classLabel: string;
  classLabelDetailed: string | null;
  sex: 'female' | 'male' | null;
  ageYears: number | null;
  heightM: number | null;
  bodyWeightN: number | null;
  bodyMassKg: number | null;
  shoeSizeEu: number | null;
  affectedSide: Side | null;
  shodCondition: string | null;
  orthopedicInsole: number | null;
  speedCategory: string | null;
  readmission: number | null;
  sessionType: number | null;
  date: string | null;
  train: number | null;
  trainBalanced: number | null;
  test: number | null;
}

function headerVariant(names: readonly string[]): readonly Column[] | null {
  if (names[0] === 'SUBJECT_ID') return GAITREC_COLUMNS;
  if (names[0] === 'DATASET_ID' && names[1] === 'SUBJECT_ID') return GUTENBERG_COLUMNS;
  return null;
}

function parseCode<T>(text: string, codes: Record<string, T>, file: string, line: number, field: string): T | null {
  const value = parseDecimal(text, file, line, field);
  if (value === null) return null;
  const decoded = codes[String(value)];
  if (decoded === undefined) {
    throw new InputError(file, line, field, `expected one of ${Object.keys(codes).join(', ')} or NaN, found '${text}'`);
  }
  return decoded;
}

function parseCount(text: string, file: string, line: number, field: string): number | null {
  const value = parseDecimal(text, file, line, field);
  if (value !== null && (!Number.isSafeInteger(value) || value < 0)) {
    throw new InputError(file, line, field, `expected a non-negative integer or NaN, found '${text}'`);
  }
  return value;
}

const SESSION_DATE = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?: (\d{1,2}):(\d{2}):(\d{2}))?$/;

/** `DD.MM.YYYY` → `YYYY-MM-DD`, `DD.MM.YYYY hh:mm:ss` → `YYYY-MM-DDThh:mm:ss` (local time, no zone given). */
export function parseSessionDate(text: string, file: string, line: number, field: string): string | null {
  if (isMissing(text)) return null;
  const m = SESSION_DATE.exec(text);
  const fail = (): never => {
    throw new InputError(file, line, field, `expected a date DD.MM.YYYY or DD.MM.YYYY hh:mm:ss, found '${text}'`);
  };
  if (!m) return fail();
  const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return fail();
  const pad = (n: number): string => String(n).padStart(2, '0');
  const date = `${m[3]}-${pad(month)}-${pad(day)}`;
  if (m[4] === undefined) return date;
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6])];
  if (hour > 23 || minute > 59 || second > 59) return fail();
  return `${date}T${pad(hour)}:${pad(minute)}:${pad(second)}`;
}

function parseRow(fields: string[], columns: readonly Column[], file: string, line: number): SessionRow {
  const text = (column: Column): string => fields[columns.indexOf(column)] ?? '';
  const num = (column: Column): number | null => parseDecimal(text(column), file, line, column);
  const code = <T>(column: Column, codes: Record<string, T>): T | null => parseCode(text(column), codes, file, line, column);

  const classLabel = text('CLASS_LABEL').toUpperCase();
  if (!CLASS_LABELS.includes(classLabel)) {
    throw new InputError(file, line, 'CLASS_LABEL', `expected one of ${CLASS_LABELS.join(', ')}, found '${text('CLASS_LABEL')}'`);
  }
  const detailed = text('CLASS_LABEL_DETAILED');
  const heightCm = num('HEIGHT');
  return {
    line,
    datasetId: columns === GUTENBERG_COLUMNS ? parseId(text('DATASET_ID'), file, line, 'DATASET_ID') : null,
    subjectKey: parseId(text('SUBJECT_ID'), file, line, 'SUBJECT_ID'),
    sessionKey: parseId(text('SESSION_ID'), file, line, 'SESSION_ID'),
    classLabel,
    classLabelDetailed: isMissing(detailed) ? null : detailed.toUpperCase(),
    sex: code('SEX', SEX_CODES),
    ageYears: num('AGE'),
    heightM: heightCm === null ? null : heightCm / 100,
    bodyWeightN: num('BODY_WEIGHT'),
    bodyMassKg: num('BODY_MASS'),
    shoeSizeEu: num('SHOE_SIZE'),
    affectedSide: code('AFFECTED_SIDE', AFFECTED_SIDE_CODES),
    shodCondition: code('SHOD_CONDITION', SHOD_CONDITION_CODES),
    orthopedicInsole: code('ORTHOPEDIC_INSOLE', FLAG_CODES),
    speedCategory: code('SPEED', SPEED_CODES),
    readmission: parseCount(text('READMISSION'), file, line, 'READMISSION'),
    sessionType: parseCount(text('SESSION_TYPE'), file, line, 'SESSION_TYPE'),
    date: parseSessionDate(text('SESSION_DATE'), file, line, 'SESSION_DATE'),
    train: code('TRAIN', FLAG_CODES),
    trainBalanced: code('TRAIN_BALANCED', FLAG_CODES),
    test: code('TEST', FLAG_CODES),
  };
}

function sessionAttributes(row: SessionRow): Attributes {
  const attributes: Attributes = {
    age: { value: row.ageYears, unit: 'years' },
    height: { value: row.heightM, unit: 'm' },
    body_weight: { value: row.bodyWeightN, unit: 'N' },
    body_mass: { value: row.bodyMassKg, unit: 'kg' },
    shoe_size: { value: row.shoeSizeEu, unit: 'EU' },
    affected_side: { value: row.affectedSide },
    shod_condition: { value: row.shodCondition },
    orthopedic_insole: { value: row.orthopedicInsole },
    speed_category: { value: row.speedCategory },
    readmission: { value: row.readmission },
    session_type: { value: row.sessionType },
    class_label_detailed: { value: row.classLabelDetailed },
    train: { value: row.train },
    train_balanced: { value: row.trainBalanced },
    test: { value: row.test },
  };
  if (row.datasetId !== null) attributes.dataset_id = { value: Number(row.datasetId) };
  return attributes;
}

function sessionCondition(row: SessionRow): string | null {
  const parts = [row.shodCondition, row.speedCategory === null ? null : `${row.speedCategory} speed`];
  const known = parts.filter((p): p is string => p !== null);
  return known.length ? known.join(', ') : null;
}

/** Lowest READMISSION, then earliest date, then lowest SESSION_ID; unknowns sort last. */
function compareSessionOrder(a: SessionRow, b: SessionRow): number {
  const readmission = (a.readmission ?? Infinity) - (b.readmission ?? Infinity);
  if (readmission !== 0 && !Number.isNaN(readmission)) return readmission;
  if (a.date !== b.date) return a.date === null ? 1 : b.date === null ? -1 : a.date < b.date ? -1 : 1;
  return Number(a.sessionKey) - Number(b.sessionKey);
}

/** Per-subject fields whose disagreement between sessions is worth a warning. */
const PER_SUBJECT_FIELDS: { column: Column; of: (row: SessionRow) => unknown }[] = [
  { column: 'CLASS_LABEL', of: (row) => row.classLabel },
  { column: 'CLASS_LABEL_DETAILED', of: (row) => row.classLabelDetailed },
  { column: 'SEX', of: (row) => row.sex },
  { column: 'AFFECTED_SIDE', of: (row) => row.affectedSide },
  { column: 'HEIGHT', of: (row) => row.heightM },
];

function listSome(keys: string[], max = 10): string {
  return keys.slice(0, max).join(', ') + (keys.length > max ? `, … (${keys.length - max} more)` : '');
}

function buildSubject(rows: SessionRow[], cohort: string): ImportedSubject {
  const first = rows.reduce((best, row) => (compareSessionOrder(row, best) < 0 ? row : best));
  const attributes: Attributes = {
    first_session: { value: first.sessionKey },
    age_at_first_session: { value: first.ageYears, unit: 'years' },
    class_label_detailed: { value: first.classLabelDetailed },
    affected_side: { value: first.affectedSide },
    height: { value: first.heightM, unit: 'm' },
  };
  if (first.datasetId !== null) attributes.dataset_id = { value: Number(first.datasetId) };
  return { key: first.subjectKey, cohort, group: first.classLabel, sex: first.sex, attributes };
}

function readMetadata(file: SourceFile): ImportBatch {
  let columns: readonly Column[] | null = null;
  const rows: SessionRow[] = [];
  const lineOfSession = new Map<string, number>();
  const datasetOfSubject = new DatasetOfSubject(file.path);
  let lowerCaseLabels = 0;
  const mismatchedLabels: number[] = [];

  forEachCsvRecord(file, (fields, line) => {
    if (columns === null) {
      columns = headerVariant(fields);
      if (columns === null) {
        throw new InputError(file.path, line, null,
          'expected a GRF_metadata.csv header starting SUBJECT_ID,SESSION_ID (GaitRec) or DATASET_ID,SUBJECT_ID (Gutenberg)');
      }
      const expected = columns;
      const wrong = expected.findIndex((name, i) => fields[i] !== name);
      if (wrong >= 0 || fields.length !== expected.length) {
        const i = wrong >= 0 ? wrong : expected.length;
        throw new InputError(file.path, line, expected[i] ?? fields[i] ?? null,
          `header column ${i + 1}: expected ${expected[i] ?? 'end of header'}, found ${fields[i] ?? 'end of header'} ` +
          `(${expected.length} columns expected)`);
      }
      return;
    }
    if (fields.length !== columns.length) {
      throw new InputError(file.path, line, null, `expected ${columns.length} columns, found ${fields.length}`);
    }
    const row = parseRow(fields, columns, file.path, line);
    const firstLine = lineOfSession.get(row.sessionKey);
    if (firstLine !== undefined) {
      throw new InputError(file.path, line, 'SESSION_ID', `duplicate SESSION_ID ${row.sessionKey} (first on line ${firstLine})`);
    }
    lineOfSession.set(row.sessionKey, line);
    if (row.datasetId !== null) datasetOfSubject.check(row.subjectKey, row.datasetId, line);
    const detailedText = fields[columns.indexOf('CLASS_LABEL_DETAILED')];
    if (row.classLabelDetailed !== null && detailedText !== row.classLabelDetailed) lowerCaseLabels++;
    const detailed = row.classLabelDetailed;
    if (detailed !== null && detailed !== row.classLabel && !detailed.startsWith(`${row.classLabel}_`)) {
      mismatchedLabels.push(line);
    }
    rows.push(row);
  });

  if (columns === null) throw new InputError(file.path, null, null, 'empty file: expected a GRF_metadata.csv header');
  if (rows.length === 0) throw new InputError(file.path, 1, null, 'no session rows after the header');
  const cohort = columns === GUTENBERG_COLUMNS ? GUTENBERG_COHORT : GAITREC_COHORT;

  const rowsOfSubject = new Map<string, SessionRow[]>();
  for (const row of rows) {
    const list = rowsOfSubject.get(row.subjectKey);
    if (list) list.push(row);
    else rowsOfSubject.set(row.subjectKey, [row]);
  }

  const warnings: string[] = [];
  if (lowerCaseLabels > 0) {
    warnings.push(`${file.path}: ${lowerCaseLabels} CLASS_LABEL_DETAILED values were not upper case; stored upper-cased`);
  }
  if (mismatchedLabels.length > 0) {
    warnings.push(`${file.path}: CLASS_LABEL_DETAILED does not belong to CLASS_LABEL on lines ${listSome(mismatchedLabels.map(String))}`);
  }
  for (const { column, of } of PER_SUBJECT_FIELDS) {
    const varying = [...rowsOfSubject].filter(([, list]) => new Set(list.map(of)).size > 1).map(([key]) => key);
    if (varying.length > 0) {
      warnings.push(`${file.path}: ${column} differs between the sessions of ${varying.length} subject(s) ` +
        `(SUBJECT_ID ${listSome(varying)}); the subject's value is taken from its first session`);
    }
  }

  const subjects = [...rowsOfSubject.values()].map((list) => buildSubject(list, cohort));
  const sessions: ImportedSession[] = rows.map((row) => ({
    subjectKey: row.subjectKey,
    key: row.sessionKey,
    label: `Session ${row.sessionKey}`,
    date: row.date,
    condition: sessionCondition(row),
    attributes: sessionAttributes(row),
    trials: [],
  }));
  return { format: gaitrecMetadataFormat.id, subjects, sessions, warnings };
}

export const gaitrecMetadataFormat: FormatModule = {
  id: 'gaitrec-metadata',
  description: 'GaitRec / Gutenberg Gait Database session metadata (GRF_metadata.csv)',
  order: 10,
  detect(_name, head) {
    const names = firstLineOf(head).split(',');
    const columns = headerVariant(names);
    if (columns === null || names[columns.indexOf('CLASS_LABEL')] !== 'CLASS_LABEL') return 0;
    const exact = names.length === columns.length && columns.every((name, i) => names[i] === name);
    // A near miss still claims the file, so that read() can say which header column is wrong.
    return exact ? 1 : 0.6;
  },
  read: readMetadata,
};
