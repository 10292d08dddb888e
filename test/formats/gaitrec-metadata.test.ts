import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { type ImportBatch, type ImportedSession } from '../../src-shared/domain/import-batch';
import { InputError } from '../../src-shared/domain/errors';
import type { SourceFile } from '../../src-main/formats/format';
import { gaitrecMetadataFormat } from '../../src-main/formats/gaitrec-metadata';
import { readHead } from '../../src-main/formats/source-file';

const DATA = resolve(__dirname, '../../../shared/data/gaitrec-metadata');
const GAITREC_PATH = resolve(DATA, 'gaitrec_GRF_metadata.csv');
const GUTENBERG_PATH = resolve(DATA, 'gutenberg_GRF_metadata.csv');

function sourceFile(path: string, bytes: Buffer = readFileSync(path)): SourceFile {
  return { path, name: basename(path), bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}
function read(file: SourceFile): ImportBatch {
  const batch = gaitrecMetadataFormat.read(file);
  assert.ok(!(batch instanceof Promise));
  return batch;
}
function countBy<T>(items: T[], key: (item: T) => unknown): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) {
    const k = String(key(item));
    counts[k] = (counts[k] ?? 0) + 1;
  }
  return counts;
}
function attribute(session: ImportedSession, name: string): unknown {
  return session.attributes?.[name]?.value;
}

const gaitrecBytes = readFileSync(GAITREC_PATH);
const started = performance.now();
const gaitrec = read(sourceFile(GAITREC_PATH, gaitrecBytes));
const firstReadMs = performance.now() - started;
const gutenberg = read(sourceFile(GUTENBERG_PATH));
const gaitrecSession = new Map(gaitrec.sessions.map((s) => [s.key, s]));
const gutenbergSession = new Map(gutenberg.sessions.map((s) => [s.key, s]));

test('detect claims both metadata headers and nothing else', () => {
  assert.equal(gaitrecMetadataFormat.detect('GRF_metadata.csv', readHead(GAITREC_PATH)), 1);
  assert.equal(gaitrecMetadataFormat.detect('x.csv', readHead(GUTENBERG_PATH)), 1);
  assert.equal(gaitrecMetadataFormat.detect('GRF_F_V_PRO_left.csv', Buffer.from('SUBJECT_ID,SESSION_ID,TRIAL_ID,F_V_PRO_1\n1,2,3,0\n')), 0);
  assert.equal(gaitrecMetadataFormat.detect('GRF_metadata.csv', Buffer.from('a,b,c\n1,2,3\n')), 0);
  assert.equal(gaitrecMetadataFormat.detect('GRF_metadata.csv', Buffer.alloc(0)), 0);
  // A header with the right start but a wrong column is still claimed, so that read() can name the column.
  assert.equal(gaitrecMetadataFormat.detect('m.csv', Buffer.from('SUBJECT_ID,SESSION_ID,CLASS_LABEL,OTHER\n')), 0.6);
});

test('the 620 KB GaitRec metadata file is read in under 300 ms', (t) => {
  // The fastest of three reads, so that a busy machine does not fail the test; the first (cold) read is reported.
  const times = [0, 1, 2].map(() => {
    const start = performance.now();
    read(sourceFile(GAITREC_PATH, gaitrecBytes));
    return performance.now() - start;
  });
  t.diagnostic(`first read ${firstReadMs.toFixed(0)} ms, then ${times.map((ms) => ms.toFixed(0)).join(', ')} ms`);
  assert.ok(Math.min(...times) < 300, `fastest read took ${Math.min(...times).toFixed(0)} ms`);
});

test('GaitRec: 8,971 sessions of 2,295 subjects, none with trials, all in cohort gaitrec', () => {
  assert.equal(gaitrec.format, 'gaitrec-metadata');
  assert.equal(gaitrec.sessions.length, 8971);
  assert.equal(gaitrec.subjects.length, 2295);
  assert.equal(new Set(gaitrec.subjects.map((s) => s.key)).size, 2295);
  assert.deepEqual(countBy(gaitrec.subjects, (s) => s.cohort), { gaitrec: 2295 });
  assert.ok(gaitrec.sessions.every((s) => s.trials.length === 0));
});

test('GaitRec: subject groups are the CLASS_LABEL counts of the descriptor (HC 211, H 450, K 625, A 627, C 382)', () => {
  assert.deepEqual(countBy(gaitrec.subjects, (s) => s.group), { HC: 211, H: 450, K: 625, A: 627, C: 382 });
  const groupOf = new Map(gaitrec.subjects.map((s) => [s.key, s.group]));
  assert.deepEqual(countBy(gaitrec.sessions, (s) => groupOf.get(s.subjectKey)), { HC: 810, H: 1512, K: 2386, A: 2587, C: 1676 });
});

test('GaitRec: CLASS_LABEL_DETAILED is upper-cased, so the two a_f rows become A_F', () => {
  const detailed = countBy(gaitrec.sessions, (s) => attribute(s, 'class_label_detailed'));
  assert.equal(detailed.a_f, undefined);
  assert.equal(detailed.A_F, 1363 + 2);
  assert.equal(attribute(gaitrecSession.get('30241')!, 'class_label_detailed'), 'A_F');
  assert.equal(attribute(gaitrecSession.get('30368')!, 'class_label_detailed'), 'A_F');
  assert.deepEqual(
    { K_F: detailed.K_F, H_O: detailed.H_O, C_A: detailed.C_A, A_RL: detailed.A_RL, HC: detailed.HC },
    { K_F: 1057, H_O: 1, C_A: 10, A_RL: 3, HC: 810 },
  );
  assert.ok(gaitrec.warnings.some((w) => w.includes('2 CLASS_LABEL_DETAILED values were not upper case')));
});

test('GaitRec: a session keeps every metadata column, with units, height in m and body weight in N', () => {
  const session = gaitrecSession.get('29885')!;
  assert.deepEqual(session, {
    subjectKey: '1',
    key: '29885',
    label: 'Session 29885',
    date: '2015-01-29',
    condition: 'shoes, self-selected speed',
    attributes: {
      age: { value: 18, unit: 'years' },
      height: { value: 1.73, unit: 'm' },
      body_weight: { value: 516.1, unit: 'N' },
      body_mass: { value: 52.6, unit: 'kg' },
      shoe_size: { value: 42, unit: 'EU' },
      affected_side: { value: null },
      shod_condition: { value: 'shoes' },
      orthopedic_insole: { value: 0 },
      speed_category: { value: 'self-selected' },
      readmission: { value: 0 },
      session_type: { value: 1 },
      class_label_detailed: { value: 'HC' },
      train: { value: 0 },
      train_balanced: { value: 0 },
      test: { value: 1 },
    },
    trials: [],
  });
  // 1037.1 N is a body weight, not a mass: the mass column says 105.7 kg.
  assert.deepEqual(gaitrecSession.get('841')!.attributes!.body_weight, { value: 1037.1, unit: 'N' });
  assert.deepEqual(gaitrecSession.get('841')!.attributes!.body_mass, { value: 105.7, unit: 'kg' });
});

test('GaitRec: NaN becomes null (HEIGHT in 3,251 rows, SHOE_SIZE in 3,294, AFFECTED_SIDE in the 810 HC rows)', () => {
  const nulls = (name: string): number => gaitrec.sessions.filter((s) => attribute(s, name) === null).length;
  assert.equal(nulls('height'), 3251);
  assert.equal(nulls('shoe_size'), 3294);
  assert.equal(nulls('affected_side'), 810);
  assert.equal(nulls('orthopedic_insole'), 658);
  assert.equal(nulls('age'), 0);
  assert.ok(gaitrec.sessions.every((s) => s.attributes!.height.unit === 'm'));
});

test('GaitRec: coded columns are decoded with the counts the README gives', () => {
  assert.deepEqual(countBy(gaitrec.sessions, (s) => attribute(s, 'speed_category')), { 'self-selected': 8433, slow: 266, fast: 272 });
  assert.deepEqual(countBy(gaitrec.sessions, (s) => attribute(s, 'shod_condition')), { shoes: 8008, barefoot: 558, 'orthopaedic shoes': 405 });
  assert.deepEqual(countBy(gaitrec.sessions, (s) => attribute(s, 'affected_side')), { left: 3933, right: 3811, both: 417, null: 810 });
  assert.deepEqual(countBy(gaitrec.sessions, (s) => attribute(s, 'readmission')), { 0: 8335, 1: 591, 2: 34, 3: 11 });
  assert.deepEqual(countBy(gaitrec.sessions, (s) => attribute(s, 'session_type')), { 1: 2697, 2: 6110, 3: 164 });
  assert.deepEqual(countBy(gaitrec.sessions, (s) => attribute(s, 'train')), { 1: 6263, 0: 2708 });
  assert.deepEqual(countBy(gaitrec.sessions, (s) => attribute(s, 'test')), { 1: 2708, 0: 6263 });
  assert.equal(gaitrec.sessions.filter((s) => attribute(s, 'train_balanced') === 1).length, 725);
});

test('GaitRec: DD.MM.YYYY dates become ISO 8601 dates', () => {
  assert.ok(gaitrec.sessions.every((s) => /^\d{4}-\d{2}-\d{2}$/.test(s.date ?? '')));
  const dates = gaitrec.sessions.map((s) => s.date!).sort();
  assert.equal(dates[0], '2007-01-26');
  assert.equal(dates[dates.length - 1], '2018-06-22');
  assert.equal(gaitrecSession.get('888812548')!.date, '2017-08-03');
});

test('GaitRec: subject sex comes from the first session and matches the descriptor (HC 104 m / 107 f, H 373 / 77)', () => {
  const sexOf = (group: string): Record<string, number> => countBy(gaitrec.subjects.filter((s) => s.group === group), (s) => s.sex);
  assert.deepEqual(sexOf('HC'), { male: 104, female: 107 });
  assert.deepEqual(sexOf('H'), { male: 373, female: 77 });
  assert.deepEqual(countBy(gaitrec.subjects, (s) => s.sex), { male: 1739, female: 556 });
});

test('GaitRec: the first session is the lowest READMISSION, then the earliest date, then the lowest SESSION_ID', () => {
  const subject = new Map(gaitrec.subjects.map((s) => [s.key, s]));
  // Subject 2's rows are 888812549, 888812550, 888812548, all READMISSION 0 on one day.
  assert.deepEqual(subject.get('2')!.attributes!.first_session, { value: '888812548' });
  assert.deepEqual(subject.get('2')!.attributes!.age_at_first_session, { value: 51, unit: 'years' });
  // Subject 260 has no READMISSION 0 session: its earliest READMISSION 1 session counts.
  assert.deepEqual(subject.get('260')!.attributes!.first_session, { value: '33972' });
  // Subject 1137 is coded SEX 0 on 23.02.2007 and SEX 1 a week later: the first session decides, with a warning.
  assert.equal(subject.get('1137')!.sex, 'female');
  assert.deepEqual(subject.get('1137')!.attributes!.class_label_detailed, { value: 'K_P' });
  assert.ok(gaitrec.warnings.some((w) => w.includes('SEX differs between the sessions of 1 subject(s) (SUBJECT_ID 1137)')));
  assert.deepEqual(subject.get('1')!.attributes, {
    first_session: { value: '29885' },
    age_at_first_session: { value: 18, unit: 'years' },
    class_label_detailed: { value: 'HC' },
    affected_side: { value: null },
    height: { value: 1.73, unit: 'm' },
  });
});

test('Gutenberg (CRLF): 661 sessions of 350 healthy subjects, keyed by SUBJECT_ID, which is unique over the datasets', () => {
  assert.equal(gutenberg.sessions.length, 661);
  assert.equal(gutenberg.subjects.length, 350);
  assert.deepEqual(countBy(gutenberg.subjects, (s) => `${s.cohort}/${s.group}`), { 'gutenberg/HC': 350 });
  // Keys are the plain SUBJECT_IDs 1–350; each subject belongs to one DATASET_ID.
  assert.deepEqual(gutenberg.subjects.map((s) => Number(s.key)).sort((a, b) => a - b), Array.from({ length: 350 }, (_, i) => i + 1));
  assert.deepEqual(countBy(gutenberg.sessions, (s) => attribute(s, 'dataset_id')),
    { 1: 63, 2: 54, 3: 174, 4: 57, 5: 198, 6: 38, 7: 26, 8: 25, 9: 23, 10: 3 });
  assert.ok(gutenberg.sessions.every((s) => s.trials.length === 0));
});

test('Gutenberg: DD.MM.YYYY hh:mm:ss dates become ISO 8601 local date-times', () => {
  assert.equal(gutenbergSession.get('1')!.date, '2014-05-12T10:13:04');
  assert.ok(gutenberg.sessions.every((s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(s.date ?? '')));
});

test('Gutenberg: NaN counts (SEX 3, AGE 30, HEIGHT 24, SHOE_SIZE 451) and constant conditions', () => {
  const nulls = (name: string): number => gutenberg.sessions.filter((s) => attribute(s, name) === null).length;
  assert.equal(nulls('age'), 30);
  assert.equal(nulls('height'), 24);
  assert.equal(nulls('shoe_size'), 451);
  assert.equal(gutenberg.subjects.filter((s) => s.sex === null).length, 3);
  assert.deepEqual(countBy(gutenberg.sessions, (s) => `${attribute(s, 'shod_condition')}/${attribute(s, 'speed_category')}`),
    { 'barefoot/self-selected': 661 });
  assert.deepEqual(countBy(gutenberg.sessions, (s) => `${attribute(s, 'train')}${attribute(s, 'test')}${attribute(s, 'orthopedic_insole')}`),
    { 100: 661 });
  assert.deepEqual(gutenbergSession.get('1')!.attributes!.body_weight, { value: 740.1, unit: 'N' });
  assert.deepEqual(gutenbergSession.get('1')!.attributes!.height, { value: 1.84, unit: 'm' });
});

test('Gutenberg: first-session sex reproduces the descriptor (dataset 3: 76 m / 52 f) and flags 26 subjects', () => {
  const dataset3 = gutenberg.subjects.filter((s) => s.attributes!.dataset_id.value === 3);
  assert.deepEqual(countBy(dataset3, (s) => s.sex), { male: 76, female: 52 });
  assert.ok(gutenberg.warnings.some((w) => w.includes('SEX differs between the sessions of 26 subject(s)')));
  const subject8 = gutenberg.subjects.find((s) => s.key === '8')!;
  assert.deepEqual(subject8.attributes!.first_session, { value: '57' }); // no READMISSION 0 row
});

test('LF and CRLF copies of a file give the same batch, and a byte-order mark is ignored', () => {
  const crlf = Buffer.from(gaitrecBytes.toString('latin1').replace(/\n/g, '\r\n'), 'latin1');
  assert.deepEqual(read(sourceFile(GAITREC_PATH, crlf)), gaitrec);
  const lf = Buffer.from(readFileSync(GUTENBERG_PATH, 'latin1').replace(/\r\n/g, '\n'), 'latin1');
  assert.deepEqual(read(sourceFile(GUTENBERG_PATH, lf)), gutenberg);
  const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(GUTENBERG_PATH)]);
  assert.equal(gaitrecMetadataFormat.detect('x.csv', bom), 1);
  assert.deepEqual(read(sourceFile(GUTENBERG_PATH, bom)), gutenberg);
});

// Bad input, made here from the real header and the first rows of the GaitRec file.
const gaitrecLines = gaitrecBytes.toString('latin1').split('\n').slice(0, 6);
const gutenbergLines = readFileSync(GUTENBERG_PATH, 'latin1').split('\r\n').slice(0, 6);
const BAD = 'bad/GRF_metadata.csv';
function withLine(lines: string[], lineNumber: number, edit: (fields: string[]) => string[]): SourceFile {
  const edited = lines.map((line, i) => (i === lineNumber - 1 ? edit(line.split(',')).join(',') : line));
  return sourceFile(BAD, Buffer.from(edited.join('\n') + '\n'));
}
function set(index: number, value: string): (fields: string[]) => string[] {
  return (fields) => fields.map((f, i) => (i === index ? value : f));
}
function assertInputError(file: SourceFile, line: number | null, field: string | null, reason: string): void {
  const message = `${BAD}${line !== null ? ` line ${line}` : ''}${field ? ` field ${field}` : ''}: ${reason}`;
  assert.throws(() => read(file), (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.deepEqual({ message: error.message, line: error.line, field: error.field, file: error.file }, { message, line, field, file: BAD });
    return true;
  });
}

test('a row with a missing column is rejected with its line number', () => {
  assertInputError(withLine(gaitrecLines, 4, (f) => f.slice(0, -1)), 4, null, 'expected 20 columns, found 19');
  assertInputError(withLine(gutenbergLines, 3, (f) => [...f, '0']), 3, null, 'expected 21 columns, found 22');
});

test('a non-numeric value in a numeric column names line and field', () => {
  assertInputError(withLine(gaitrecLines, 3, set(5, 'eighteen')), 3, 'AGE', "expected a number or NaN, found 'eighteen'");
  assertInputError(withLine(gaitrecLines, 2, set(7, '516;1')), 2, 'BODY_WEIGHT', "expected a number or NaN, found '516;1'");
  assertInputError(withLine(gaitrecLines, 5, set(1, 'NaN')), 5, 'SESSION_ID', "expected a non-negative integer id, found 'NaN'");
  assertInputError(withLine(gaitrecLines, 2, set(4, '2')), 2, 'SEX', "expected one of 0, 1 or NaN, found '2'");
  assertInputError(withLine(gaitrecLines, 2, set(13, '4')), 2, 'SPEED', "expected one of 1, 2, 3 or NaN, found '4'");
  assertInputError(withLine(gaitrecLines, 2, set(2, 'X')), 2, 'CLASS_LABEL', "expected one of HC, H, K, A, C, found 'X'");
  assertInputError(withLine(gaitrecLines, 6, set(14, '0.5')), 6, 'READMISSION', "expected a non-negative integer or NaN, found '0.5'");
});

test('a bad date names line and field', () => {
  const reason = (text: string): string => `expected a date DD.MM.YYYY or DD.MM.YYYY hh:mm:ss, found '${text}'`;
  assertInputError(withLine(gaitrecLines, 3, set(16, '31.02.2015')), 3, 'SESSION_DATE', reason('31.02.2015'));
  assertInputError(withLine(gaitrecLines, 3, set(16, '2015-01-29')), 3, 'SESSION_DATE', reason('2015-01-29'));
  assertInputError(withLine(gutenbergLines, 2, set(17, '12.05.2014 24:13:04')), 2, 'SESSION_DATE', reason('12.05.2014 24:13:04'));
  const leap = read(withLine(gaitrecLines, 2, set(16, '29.02.2016')));
  assert.equal(leap.sessions[0].date, '2016-02-29');
});

test('duplicate sessions and a subject in two Gutenberg datasets are rejected', () => {
  assertInputError(withLine(gaitrecLines, 3, set(1, '29885')), 3, 'SESSION_ID', 'duplicate SESSION_ID 29885 (first on line 2)');
  assertInputError(withLine(gutenbergLines, 4, set(0, '2')), 4, 'DATASET_ID',
    'SUBJECT_ID 1 is in DATASET_ID 1 on line 2 and in 2 here; subjects are keyed by SUBJECT_ID alone, which needs it unique over all datasets');
});

test('a wrong header, a header without rows and an empty file are rejected', () => {
  assertInputError(withLine(gaitrecLines, 1, set(4, 'GENDER')), 1, 'SEX', 'header column 5: expected SEX, found GENDER (20 columns expected)');
  assertInputError(sourceFile(BAD, Buffer.from('a,b\n1,2\n')), 1, null,
    'expected a GRF_metadata.csv header starting SUBJECT_ID,SESSION_ID (GaitRec) or DATASET_ID,SUBJECT_ID (Gutenberg)');
  assertInputError(sourceFile(BAD, Buffer.from(gaitrecLines[0] + '\n')), 1, null, 'no session rows after the header');
  assertInputError(sourceFile(BAD, Buffer.alloc(0)), null, null, 'empty file: expected a GRF_metadata.csv header');
});
