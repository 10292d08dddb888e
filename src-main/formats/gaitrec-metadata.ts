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
import { type Attributes, type ImportBatch, type ImportedSession, type ImportedSubject, type Side } from '../../src-shared/domain/import-batch';
import { InputError } from '../../src-shared/domain/errors';
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

export interface CsvContent<H> {
  header: H;
  rowCount: number;
}

/** Lines handed to csv-parse at a time: bounds memory on the large curve files. */
const LINES_PER_CHUNK = 2000;

/**
 * Reads a CSV file record by record: `readHeader` turns the first record into H (or throws), `visitRow` gets
 * every later non-empty record with its 1-based line number. The files use no quoting, so quotes are not
 * special (a stray `"` then fails as a value instead of swallowing lines) and record n is line n. The text goes
 * to csv-parse in chunks of whole lines and records are consumed, never collected: the curve files run to
 * hundreds of MB. LF and CRLF may even be mixed. Returns null for a file without any record.
 */
export function readCsvRecords<H>(
  file: SourceFile,
  readHeader: (fields: string[], line: number) => H,
  visitRow: (header: H, fields: string[], line: number) => void,
): CsvContent<H> | null {
  let text = file.bytes.toString('utf8');
  if (text.startsWith('\ufeff')) text = text.slice(1);
  let content: CsvContent<H> | null = null;
  let firstLineOfChunk = 1;
  for (let start = 0; start < text.length;) {
    let end = start;
    for (let n = 0; n < LINES_PER_CHUNK && end < text.length; n++) {
      const newline = text.indexOf('\n', end);
      end = newline < 0 ? text.length : newline + 1;
    }
    let records: string[][];
    try {
      records = parse(text.slice(start, end), {
        quote: null,
        record_delimiter: ['\r\n', '\n'],
        relax_column_count: true, // column counts are checked by the caller, with a readable message
        max_record_size: 64 * 1024 * 1024, // RAW rows of long recordings exceed the default 128,000 characters
      });
    } catch (error) {
      if (!(error instanceof CsvError)) throw error;
      const line = typeof error.lines === 'number' ? firstLineOfChunk + error.lines - 1 : null;
      throw new InputError(file.path, line, null, `not readable as CSV (${error.message})`);
    }
    for (let i = 0; i < records.length; i++) {
      const fields = records[i];
      if (fields.length === 1 && fields[0] === '') continue; // an empty line
      const line = firstLineOfChunk + i;
      if (content === null) {
        content = { header: readHeader(fields, line), rowCount: 0 };
      } else {
        visitRow(content.header, fields, line);
        content.rowCount++;
      }
    }
    firstLineOfChunk += records.length;
    start = end;
  }
  return content;
}

/** The first line of a file head, without BOM and line ending (for detect). */
export function firstLineOf(head: Buffer): string {
  let text = head.toString('latin1');
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

const NON_NEGATIVE_INTEGER = /^\d+$/;

/** A non-negative integer id, canonical as a string (`007` → `7`); required. */
export function parseId(text: string, file: string, line: number, field: string): string {
  const value = NON_NEGATIVE_INTEGER.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value)) throw new InputError(file, line, field, `expected a non-negative integer id, found '${text}'`);
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

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function twoDigits(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `DD.MM.YYYY` → `YYYY-MM-DD`, `DD.MM.YYYY hh:mm:ss` → `YYYY-MM-DDThh:mm:ss` (local time, no zone given). */
export function parseSessionDate(text: string, file: string, line: number, field: string): string | null {
  if (isMissing(text)) return null;
  const m = SESSION_DATE.exec(text);
  if (m) {
    const day = Number(m[1]);
    const month = Number(m[2]);
    const year = Number(m[3]);
    const hour = m[4] === undefined ? 0 : Number(m[4]);
    const minute = Number(m[5] ?? 0);
    const second = Number(m[6] ?? 0);
    const valid = month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) &&
      hour <= 23 && minute <= 59 && second <= 59;
    if (valid) {
      const date = `${m[3]}-${twoDigits(month)}-${twoDigits(day)}`;
      return m[4] === undefined ? date : `${date}T${twoDigits(hour)}:${m[5]}:${m[6]}`;
    }
  }
  throw new InputError(file, line, field, `expected a date DD.MM.YYYY or DD.MM.YYYY hh:mm:ss, found '${text}'`);
}

/** Reads the typed values of one row; one instance per file, so a row costs no closures. */
class RowReader {
  private readonly index: Record<string, number>;
  fields: string[] = [];
  line = 0;

  constructor(readonly columns: readonly Column[], private readonly file: string) {
    this.index = Object.fromEntries(columns.map((name, i) => [name, i]));
  }

  text(column: Column): string {
    return this.fields[this.index[column]] ?? '';
  }
  id(column: Column): string {
    return parseId(this.text(column), this.file, this.line, column);
  }
  num(column: Column): number | null {
    return parseDecimal(this.text(column), this.file, this.line, column);
  }
  count(column: Column): number | null {
    return parseCount(this.text(column), this.file, this.line, column);
  }
  code<T>(column: Column, codes: Record<string, T>): T | null {
    return parseCode(this.text(column), codes, this.file, this.line, column);
  }
  date(column: Column): string | null {
    return parseSessionDate(this.text(column), this.file, this.line, column);
  }

  row(fields: string[], line: number): SessionRow {
    this.fields = fields;
    this.line = line;
    const classLabel = this.text('CLASS_LABEL').toUpperCase();
    if (!CLASS_LABELS.includes(classLabel)) {
      throw new InputError(this.file, line, 'CLASS_LABEL',
        `expected one of ${CLASS_LABELS.join(', ')}, found '${this.text('CLASS_LABEL')}'`);
    }
    const detailed = this.text('CLASS_LABEL_DETAILED');
    const heightCm = this.num('HEIGHT');
    return {
      datasetId: this.columns === GUTENBERG_COLUMNS ? this.id('DATASET_ID') : null,
      subjectKey: this.id('SUBJECT_ID'),
      sessionKey: this.id('SESSION_ID'),
      classLabel,
      classLabelDetailed: isMissing(detailed) ? null : detailed.toUpperCase(),
      sex: this.code('SEX', SEX_CODES),
      ageYears: this.num('AGE'),
      heightM: heightCm === null ? null : heightCm / 100,
      bodyWeightN: this.num('BODY_WEIGHT'),
      bodyMassKg: this.num('BODY_MASS'),
      shoeSizeEu: this.num('SHOE_SIZE'),
      affectedSide: this.code('AFFECTED_SIDE', AFFECTED_SIDE_CODES),
      shodCondition: this.code('SHOD_CONDITION', SHOD_CONDITION_CODES),
      orthopedicInsole: this.code('ORTHOPEDIC_INSOLE', FLAG_CODES),
      speedCategory: this.code('SPEED', SPEED_CODES),
      readmission: this.count('READMISSION'),
      sessionType: this.count('SESSION_TYPE'),
      date: this.date('SESSION_DATE'),
      train: this.code('TRAIN', FLAG_CODES),
      trainBalanced: this.code('TRAIN_BALANCED', FLAG_CODES),
      test: this.code('TEST', FLAG_CODES),
    };
  }
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
  const speed = row.speedCategory === null ? null : `${row.speedCategory} speed`;
  if (row.shodCondition === null) return speed;
  return speed === null ? row.shodCondition : `${row.shodCondition}, ${speed}`;
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

function readMetadataHeader(file: SourceFile, fields: string[], line: number): RowReader {
  const columns = headerVariant(fields);
  if (columns === null) {
    throw new InputError(file.path, line, null,
      'expected a GRF_metadata.csv header starting SUBJECT_ID,SESSION_ID (GaitRec) or DATASET_ID,SUBJECT_ID (Gutenberg)');
  }
  const wrong = columns.findIndex((name, i) => fields[i] !== name);
  if (wrong >= 0 || fields.length !== columns.length) {
    const i = wrong >= 0 ? wrong : columns.length;
    throw new InputError(file.path, line, columns[i] ?? fields[i] ?? null,
      `header column ${i + 1}: expected ${columns[i] ?? 'end of header'}, found ${fields[i] ?? 'end of header'} ` +
      `(${columns.length} columns expected)`);
  }
  return new RowReader(columns, file.path);
}

function readMetadata(file: SourceFile): ImportBatch {
  const rows: SessionRow[] = [];
  const lineOfSession = new Map<string, number>();
  const datasetOfSubject = new DatasetOfSubject(file.path);
  let lowerCaseLabels = 0;
  const mismatchedLabels: number[] = [];

  const content = readCsvRecords(file, (fields, line) => readMetadataHeader(file, fields, line), (reader, fields, line) => {
    if (fields.length !== reader.columns.length) {
      throw new InputError(file.path, line, null, `expected ${reader.columns.length} columns, found ${fields.length}`);
    }
    const row = reader.row(fields, line);
    const firstLine = lineOfSession.get(row.sessionKey);
    if (firstLine !== undefined) {
      throw new InputError(file.path, line, 'SESSION_ID', `duplicate SESSION_ID ${row.sessionKey} (first on line ${firstLine})`);
    }
    lineOfSession.set(row.sessionKey, line);
    if (row.datasetId !== null) datasetOfSubject.check(row.subjectKey, row.datasetId, line);
    const detailed = row.classLabelDetailed;
    if (detailed !== null && detailed !== reader.text('CLASS_LABEL_DETAILED')) lowerCaseLabels++;
    if (detailed !== null && detailed !== row.classLabel && !detailed.startsWith(`${row.classLabel}_`)) {
      mismatchedLabels.push(line);
    }
    rows.push(row);
  });

  if (content === null) throw new InputError(file.path, null, null, 'empty file: expected a GRF_metadata.csv header');
  if (content.rowCount === 0) throw new InputError(file.path, 1, null, 'no session rows after the header');
  const cohort = content.header.columns === GUTENBERG_COLUMNS ? GUTENBERG_COHORT : GAITREC_COHORT;

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
  // A cohort table whose rows name subject and session: the data set's keys stand.
  visits: 'own',
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
