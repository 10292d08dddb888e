import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { type ImportBatch, type ImportedTrial } from '../../src-shared/domain/import-batch';
import { InputError } from '../../src-shared/domain/errors';
import type { SourceFile } from '../../src-main/formats/format';
import { gaitrecGrfFormat, RAW_SAMPLE_RATE_HZ } from '../../src-main/formats/gaitrec-grf';
import { gaitrecMetadataFormat } from '../../src-main/formats/gaitrec-metadata';
import { readHead } from '../../src-main/formats/source-file';
import { generateCurveFile } from '../../bench/gaitrec-curves';

const FIXTURES = resolve(__dirname, '../fixtures/gaitrec');
const DATA = resolve(__dirname, '../../../shared/data/gaitrec-metadata');

function sourceFile(path: string, bytes: Buffer = readFileSync(path), name = basename(path)): SourceFile {
  return { path, name, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}
function fixture(relative: string): SourceFile {
  return sourceFile(resolve(FIXTURES, relative));
}
function read(file: SourceFile): ImportBatch {
  const batch = gaitrecGrfFormat.read(file);
  assert.ok(!(batch instanceof Promise));
  return batch;
}
function readMetadata(name: string): ImportBatch {
  const batch = gaitrecMetadataFormat.read(sourceFile(resolve(DATA, name)));
  assert.ok(!(batch instanceof Promise));
  return batch;
}
function trials(batch: ImportBatch): ImportedTrial[] {
  return batch.sessions.flatMap((s) => s.trials);
}
/** Text of line `n` (1-based) of a file, without its line ending. */
function lineOf(file: SourceFile, n: number): string {
  return file.bytes.toString('latin1').split('\n')[n - 1].replace(/\r$/, '');
}
function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

const vProLeft = fixture('GRF_F_V_PRO_left.csv');
const vProLeftBatch = read(vProLeft);

test('detect claims curve headers of both databases and not the metadata', () => {
  const head = (relative: string): Buffer => readHead(resolve(FIXTURES, relative));
  assert.equal(gaitrecGrfFormat.detect(vProLeft.name, head('GRF_F_V_PRO_left.csv')), 1);
  assert.equal(gaitrecGrfFormat.detect('x.csv', head('GRF_F_V_RAW_left.csv')), 1);
  assert.equal(gaitrecGrfFormat.detect('x.csv', head('gutenberg/GRF_F_V_PRO_left.csv')), 1);
  assert.equal(gaitrecGrfFormat.detect('x.csv', head('crlf/GRF_F_V_PRO_left.csv')), 1);
  assert.equal(gaitrecGrfFormat.detect('GRF_metadata.csv', readHead(resolve(DATA, 'gaitrec_GRF_metadata.csv'))), 0);
  assert.equal(gaitrecGrfFormat.detect('GRF_F_V_PRO_left.csv', Buffer.from('SUBJECT_ID,SESSION_ID,TRIAL_ID,WALKING_SPEED\n')), 0);
  assert.equal(gaitrecGrfFormat.detect('GRF_F_V_PRO_left.csv', Buffer.alloc(0)), 0);
  assert.equal(gaitrecMetadataFormat.detect(vProLeft.name, head('GRF_F_V_PRO_left.csv')), 0);
  assert.ok(gaitrecMetadataFormat.order < gaitrecGrfFormat.order);
});

test('a PRO file gives one trial per row, keyed trial-<TRIAL_ID> in session <SESSION_ID>', () => {
  assert.equal(vProLeftBatch.format, 'gaitrec-grf');
  assert.deepEqual(vProLeftBatch.subjects, [
    { key: '1', cohort: 'gaitrec', group: null },
    { key: '2', cohort: 'gaitrec', group: null },
  ]);
  assert.deepEqual(vProLeftBatch.sessions.map((s) => [s.subjectKey, s.key, s.label, s.trials.map((t) => t.key)]), [
    ['1', '29885', 'Session 29885', ['trial-1', 'trial-2']],
    ['1', '29886', 'Session 29886', ['trial-1', 'trial-2']],
    ['2', '888812548', 'Session 888812548', ['trial-1', 'trial-2']],
  ]);
  // Sessions carry keys only: date, condition and attributes come from the metadata file.
  assert.ok(vProLeftBatch.sessions.every((s) => !('date' in s) && !('attributes' in s) && !('condition' in s)));
  assert.deepEqual(vProLeftBatch.warnings, []);
});

test('a PRO row is one stance-normalised channel in body weights: 101 samples at 1.01 per %', () => {
  const trial = vProLeftBatch.sessions[0].trials[0];
  assert.equal(trial.label, 'Trial 1');
  assert.equal(trial.sourceLocation, 'GRF_F_V_PRO_left.csv line 2');
  assert.equal(trial.channels.length, 1);
  const channel = trial.channels[0];
  assert.deepEqual({ ...channel, samples: channel.samples.length }, {
    name: 'F_V_PRO_left', unit: '×BW', rateHz: 1.01, domain: 'stance', side: 'left', samples: 101,
  });
  assert.ok(channel.samples instanceof Float32Array);
  assert.equal(channel.samples[0], 0);
  assert.equal(channel.samples[1], Math.fround(0.054938));
  // The row's own text, as written: fields 4… are the samples.
  const written = lineOf(vProLeft, 2).split(',').slice(3).map((v) => Math.fround(Number(v)));
  assert.deepEqual(Array.from(channel.samples), written);
});

test("a trial's contentSha256 is the SHA-256 of its row's text without line ending", () => {
  const hashes = trials(vProLeftBatch).map((t) => t.contentSha256);
  assert.deepEqual(hashes, [2, 3, 4, 5, 6, 7].map((n) => sha256(lineOf(vProLeft, n))));
  assert.equal(new Set(hashes).size, 6);
});

test('left/right and F_V/F_AP files contribute differently named channels to the same trial keys', () => {
  const files = ['GRF_F_V_PRO_left.csv', 'GRF_F_V_PRO_right.csv', 'GRF_F_AP_PRO_left.csv', 'GRF_F_AP_PRO_right.csv'];
  const batches = files.map((name) => read(fixture(name)));
  const keysOf = (batch: ImportBatch): string[] => batch.sessions.flatMap((s) => s.trials.map((t) => `${s.key}/${t.key}`));
  for (const batch of batches) assert.deepEqual(keysOf(batch), keysOf(vProLeftBatch));
  assert.deepEqual(batches.map((b) => trials(b)[0].channels.map((c) => [c.name, c.unit, c.side])), [
    [['F_V_PRO_left', '×BW', 'left']],
    [['F_V_PRO_right', '×BW', 'right']],
    [['F_AP_PRO_left', '×BW', 'left']],
    [['F_AP_PRO_right', '×BW', 'right']],
  ]);
  // Braking then propulsion: F_AP_PRO_26 (25 % of stance) is the braking peak of the first trial.
  assert.equal(trials(batches[2])[0].channels[0].samples[25], Math.fround(-0.2));
});

test('LF and CRLF copies of a file give the same batch, hashes included', () => {
  assert.deepEqual(read(fixture('crlf/GRF_F_V_PRO_left.csv')), vProLeftBatch);
});

test(`a RAW file: time domain at ${RAW_SAMPLE_RATE_HZ} Hz in N, each row ending where its NaN or empty padding starts`, () => {
  const file = fixture('GRF_F_V_RAW_left.csv');
  const raw = read(file);
  const channels = trials(raw).map((t) => t.channels[0]);
  assert.deepEqual(channels.map((c) => c.samples.length), [150, 162, 155, 175, 168, 158]);
  assert.ok(channels.every((c) => c.name === 'F_V_RAW_left' && c.unit === 'N' && c.domain === 'time' && c.rateHz === 250));
  assert.equal(channels[0].samples[0], 3);
  assert.equal(channels[0].samples[1], Math.fround(22.04));
  assert.equal(channels[0].samples[149], 3);
  // Row 4 (line 5) is padded with empty fields instead of NaN.
  assert.match(lineOf(file, 5), /,3,,,,,$/);
  assert.equal(channels[3].samples[174], 3);
  // The hash covers the whole row, padding included.
  assert.equal(trials(raw)[3].contentSha256, sha256(lineOf(file, 5)));
});

test('a Gutenberg file (DATASET_ID first, CRLF) goes to cohort gutenberg with plain SUBJECT_ID keys', () => {
  const batch = read(fixture('gutenberg/GRF_F_V_PRO_left.csv'));
  assert.deepEqual(batch.subjects, [
    { key: '1', cohort: 'gutenberg', group: null },
    { key: '2', cohort: 'gutenberg', group: null },
  ]);
  assert.deepEqual(batch.sessions.map((s) => [s.subjectKey, s.key, s.trials.length]), [['1', '1', 2], ['1', '2', 2], ['2', '9', 2]]);
  assert.equal(trials(batch)[0].channels[0].name, 'F_V_PRO_left');
  assert.equal(trials(batch)[0].channels[0].samples.length, 101);
});

test('curve sessions join the real metadata on SESSION_ID, with the same subject keys', () => {
  const pairs: [ImportBatch, ImportBatch][] = [
    [readMetadata('gaitrec_GRF_metadata.csv'), vProLeftBatch],
    [readMetadata('gutenberg_GRF_metadata.csv'), read(fixture('gutenberg/GRF_F_V_PRO_left.csv'))],
  ];
  for (const [metadata, curves] of pairs) {
    const sessionByKey = new Map(metadata.sessions.map((s) => [s.key, s]));
    const subjectKeys = new Set(metadata.subjects.map((s) => `${s.cohort}/${s.key}`));
    for (const session of curves.sessions) {
      assert.equal(sessionByKey.get(session.key)?.subjectKey, session.subjectKey, `session ${session.key}`);
    }
    for (const subject of curves.subjects) assert.ok(subjectKeys.has(`${subject.cohort}/${subject.key}`));
  }
});

test('COP channels are in metres, PRO and RAW; other components name their own channels', () => {
  const make = (name: string, sampleCount: number, rows: string[]): SourceFile => {
    const component = name.replace(/^GRF_/, '').replace(/_(left|right)\.csv$/, '');
    const header = ['SUBJECT_ID', 'SESSION_ID', 'TRIAL_ID', ...Array.from({ length: sampleCount }, (_, i) => `${component}_${i + 1}`)];
    return sourceFile(`made/${name}`, Buffer.from([header.join(','), ...rows].join('\n') + '\n'));
  };
  const pro = Array.from({ length: 101 }, (_, i) => (i * 1e-3).toExponential(3)).join(',');
  const copPro = trials(read(make('GRF_COP_AP_PRO_right.csv', 101, [`1,29885,3,${pro}`])))[0];
  assert.deepEqual([copPro.key, copPro.channels[0].name, copPro.channels[0].unit, copPro.channels[0].domain],
    ['trial-3', 'COP_AP_PRO_right', 'm', 'stance']);
  assert.equal(copPro.channels[0].samples[100], Math.fround(0.1)); // `1.000e-1`: exponent notation is read
  const copRaw = trials(read(make('GRF_COP_ML_RAW_left.csv', 4, ['1,29885,1,0.01,0.02,NaN,NaN'])))[0].channels[0];
  assert.deepEqual([copRaw.name, copRaw.unit, copRaw.rateHz, Array.from(copRaw.samples)],
    ['COP_ML_RAW_left', 'm', 250, [Math.fround(0.01), Math.fround(0.02)]]);
  const mlRaw = trials(read(make('GRF_F_ML_RAW_right.csv', 3, ['1,29885,1,-5,-7.5,-2'])))[0].channels[0];
  assert.deepEqual([mlRaw.name, mlRaw.unit, Array.from(mlRaw.samples)], ['F_ML_RAW_right', 'N', [-5, -7.5, -2]]);
});

function assertInputError(file: SourceFile, line: number | null, field: string | null, reason: string): void {
  const message = `${file.path}${line !== null ? ` line ${line}` : ''}${field ? ` field ${field}` : ''}: ${reason}`;
  assert.throws(() => read(file), (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.deepEqual({ message: error.message, file: error.file, line: error.line, field: error.field },
      { message, file: file.path, line, field });
    return true;
  });
}

test('bad fixtures: wrong column count, NaN inside a RAW row, non-numeric sample, header only, empty file', () => {
  assertInputError(fixture('bad/column-count_GRF_F_V_PRO_left.csv'), 4, null, 'expected 104 columns, found 103');
  assertInputError(fixture('bad/nan-middle_GRF_F_V_RAW_left.csv'), 3, 'F_V_RAW_57',
    "missing value 'NaN' before the end of the samples (the last value is in F_V_RAW_162)");
  assertInputError(fixture('bad/non-numeric_GRF_F_AP_PRO_right.csv'), 5, 'F_AP_PRO_12', "expected a number or NaN, found 'n/a'");
  assertInputError(fixture('bad/header-only_GRF_F_V_PRO_left.csv'), 1, null, 'no trial rows after the header');
  assertInputError(fixture('bad/empty_GRF_F_V_PRO_left.csv'), null, null, 'empty file: expected a GRF curve header');
});

test('bad rows made here: NaN in a PRO curve, all-NaN RAW row, duplicate trial, session of two subjects, bad ids', () => {
  const lines = vProLeft.bytes.toString('latin1').split('\n');
  const edited = (lineNumber: number, edit: (fields: string[]) => string[], name = vProLeft.name): SourceFile => {
    const text = lines.map((line, i) => (i === lineNumber - 1 ? edit(line.split(',')).join(',') : line)).join('\n');
    return sourceFile(`made/${name}`, Buffer.from(text), name);
  };
  const set = (index: number, value: string) => (fields: string[]): string[] => fields.map((f, i) => (i === index ? value : f));
  assertInputError(edited(3, set(3 + 100, 'NaN')), 3, 'F_V_PRO_101',
    "missing value 'NaN' in a processed curve (all 101 samples are required)");
  assertInputError(edited(2, set(2, '2')), 3, 'TRIAL_ID', 'SESSION_ID 29885 TRIAL_ID 2 already on line 2');
  assertInputError(edited(3, set(0, '7')), 3, 'SUBJECT_ID', 'SESSION_ID 29885 belongs to SUBJECT_ID 1 on line 2, here to 7');
  assertInputError(edited(4, set(1, 'x')), 4, 'SESSION_ID', "expected a non-negative integer id, found 'x'");
  assertInputError(edited(4, set(2, '1.5')), 4, 'TRIAL_ID', "expected a non-negative integer id, found '1.5'");
  const raw = fixture('GRF_F_V_RAW_left.csv');
  const rawLines = raw.bytes.toString('latin1').split('\n');
  rawLines[1] = rawLines[1].split(',').map((f, i) => (i < 3 ? f : 'NaN')).join(',');
  assertInputError(sourceFile('made/GRF_F_V_RAW_left.csv', Buffer.from(rawLines.join('\n'))), 2, 'F_V_RAW_1',
    'the row has no samples (all NaN or empty)');
});

test('headers that do not fit are rejected: sample columns, PRO length, file name side and component', () => {
  const header = lineOf(vProLeft, 1);
  const withHeader = (text: string, name = vProLeft.name): SourceFile =>
    sourceFile(`made/${name}`, Buffer.from(`${text}\n${lineOf(vProLeft, 2)}\n`), name);
  assertInputError(withHeader(header.replace('F_V_PRO_7,', 'F_V_PRO_8,')), 1, 'F_V_PRO_8', 'header column 10: expected F_V_PRO_7');
  const short = header.split(',').slice(0, -1).join(',');
  assertInputError(sourceFile('made/GRF_F_V_PRO_left.csv', Buffer.from(`${short}\n`)), 1, null,
    'a PRO file has 101 sample columns, this header has 100');
  assertInputError(withHeader(header, 'GRF_F_V_PRO.csv'), null, null,
    'cannot tell the side from the file name: expected GRF_<F_V|F_AP|F_ML|COP_AP|COP_ML>_<PRO|RAW>_<left|right>.csv');
  assertInputError(withHeader(header, 'GRF_F_AP_PRO_left.csv'), 1, 'F_V_PRO_1',
    'the file name says F_AP_PRO but the header holds F_V_PRO samples');
  assertInputError(withHeader('SUBJECT_ID,SESSION_ID,F_V_PRO_1'), 1, null,
    'expected a GRF curve header: SUBJECT_ID,SESSION_ID,TRIAL_ID (Gutenberg: DATASET_ID first), then <COMP>_<PRO|RAW>_1, …');
  // Prefixed names, as in the shared data folder, still give the side.
  const prefixed = read(withHeader(header, 'gaitrec_GRF_F_V_PRO_right.csv'));
  assert.equal(trials(prefixed)[0].channels[0].name, 'F_V_PRO_right');
});

test('a Gutenberg SUBJECT_ID under two DATASET_IDs is rejected, as in the metadata module', () => {
  const file = fixture('gutenberg/GRF_F_V_PRO_left.csv');
  const lines = file.bytes.toString('latin1').split('\r\n');
  lines[3] = lines[3].replace(/^1,/, '4,');
  assertInputError(sourceFile('made/GRF_F_V_PRO_left.csv', Buffer.from(lines.join('\r\n'))), 4, 'DATASET_ID',
    'SUBJECT_ID 1 is in DATASET_ID 1 on line 2 and in 4 here; subjects are keyed by SUBJECT_ID alone, which needs it unique over all datasets');
});

/** Every row of a curve file the plain way: split by line and comma, Number() per field, SHA-256 of the line. */
function readPlainly(bytes: Buffer): { sha256: string; samples: number[] }[] {
  const lines = bytes.toString('latin1').split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l !== '');
  return lines.slice(1).map((line) => {
    const fields = line.split(',').slice(3);
    while (fields.length && (fields[fields.length - 1] === 'NaN' || fields[fields.length - 1] === '')) fields.pop();
    return { sha256: sha256(line), samples: fields.map((f) => Math.fround(Number(f))) };
  });
}

test('generated files of the releases\' form (LF and CRLF, PRO and RAW) read as the plain split-and-Number() reading does', () => {
  for (const kind of ['PRO', 'RAW'] as const) {
    for (const lineEnding of ['\n', '\r\n']) {
      const bytes = generateCurveFile(kind, 400, { seed: 7, lineEnding, rawColumns: 300 });
      const got = trials(read(sourceFile(`made/GRF_F_V_${kind}_left.csv`, bytes))).map((t) => ({ sha256: t.contentSha256, samples: Array.from(t.channels[0].samples) }));
      assert.equal(got.length, 400);
      assert.deepEqual(got, readPlainly(bytes), `${kind} ${JSON.stringify(lineEnding)}`);
    }
  }
});

test('sample text forms: the plain decimals, signs, exponents and long mantissas give Number()\'s value; others are refused', () => {
  const accepted = ['0', '-0', '+5', '1.', '.5', '-.25', '007.50', '123456789012345', '0.1234567890123456789', '1e3', '-2.5E-3', '9007199254740993', '3.4028235677973366e38'];
  const header = ['SUBJECT_ID', 'SESSION_ID', 'TRIAL_ID', ...accepted.map((_, i) => `F_V_RAW_${i + 1}`)].join(',');
  const file = sourceFile('made/GRF_F_V_RAW_left.csv', Buffer.from(`${header}\n1,29885,1,${accepted.join(',')}\n`));
  const samples = Array.from(trials(read(file))[0].channels[0].samples);
  assert.deepEqual(samples.map((v) => Object.is(v, -0) ? '-0' : v), accepted.map((t) => (t === '-0' ? '-0' : Math.fround(Number(t)))));
  for (const bad of ['1.2.3', '--1', '-', '.', '0x10', ' 1', '1 ', 'Inf', '1e', '١']) {
    const text = `${header}\n1,29885,1,${['1', bad, ...accepted.slice(2)].join(',')}\n`;
    assertInputError(sourceFile('made/GRF_F_V_RAW_left.csv', Buffer.from(text)), 2, 'F_V_RAW_2', `expected a number or NaN, found '${bad}'`);
  }
});
