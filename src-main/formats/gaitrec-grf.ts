// GRF curve files of GaitRec (Horsak et al. 2020, Sci Data 7:143) and of the Gutenberg Gait Database (Horst et
// al. 2021, Sci Data 8:232): `GRF_<F_V|F_AP|F_ML|COP_AP|COP_ML>_<PRO|RAW>_<left|right>.csv`, one row per trial:
// key columns SUBJECT_ID, SESSION_ID, TRIAL_ID (Gutenberg: DATASET_ID first), then `<COMP>_<PRO|RAW>_1` … `_n`.
//
// One file holds one component of one side, so each row becomes a trial `trial-<TRIAL_ID>` of session
// `<SESSION_ID>` with ONE channel, `<COMP>_<PRO|RAW>_<side>`. The same trial key therefore arrives in the batches
// of up to 20 files (5 components × PRO/RAW × left/right), each with a different channel: the import service
// merges channels of one (session, trial key) into one trial; this module never sees the other files. A trial's
// contentSha256 is the SHA-256 of its row's text without line ending (fields re-joined by commas, which is the
// row as written since the files use no quoting), so LF and CRLF copies of a file hash the same.
//
// Sessions and subjects here carry keys only (no date, condition or attributes; subject group null): the
// metadata module (gaitrec-metadata.ts, order 10, imported first) describes them, and the keys follow its rule
// (subject = SUBJECT_ID, session = SESSION_ID, cohort 'gutenberg' when DATASET_ID is present).
//
// Units, from the Gutenberg descriptor's Table 3 (adapted there from the GaitRec descriptor): PRO forces are
// multiples of body weight, PRO and RAW centre of pressure in metres, RAW forces in newtons.
// Domains: PRO curves are time-normalised to 101 points of stance (0–100 %, so 1.01 samples per %).
// RAW curves have each trial's own sample count and are padded after the end of stance with NaN or empty fields;
// trailing padding ends the data, a gap before the last value is an error.
import { hash } from 'node:crypto';
import { type ImportBatch, type ImportedSession, type ImportedSubject, type Side } from '../../src-shared/domain/import-batch';
import { InputError } from '../../src-shared/domain/errors';
import type { FormatModule, SourceFile } from './format';
import { UNIT } from '../../src-shared/units';
import {
  DatasetOfSubject,
  GAITREC_COHORT,
  GUTENBERG_COHORT,
  firstLineOf,
  parseDecimal,
  parseId,
} from './gaitrec-metadata';
import { forEachLine, isMissingBytes, LineFields } from './csv-bytes';

const COMPONENTS = ['F_V', 'F_AP', 'F_ML', 'COP_AP', 'COP_ML'] as const;
type Component = (typeof COMPONENTS)[number];
type Processing = 'PRO' | 'RAW';

const GAITREC_KEYS = ['SUBJECT_ID', 'SESSION_ID', 'TRIAL_ID'] as const;
const GUTENBERG_KEYS = ['DATASET_ID', ...GAITREC_KEYS] as const;

const PRO_SAMPLES = 101;
/** PRO: 101 samples over 0–100 % of stance. */
const PRO_SAMPLES_PER_PERCENT = 1.01;
/**
 * RAW sample rate. Assumption, not stated in the files: the force plates sampled at 2000 Hz (GaitRec) and
 * 1000 Hz (Gutenberg), and both databases publish RAW resampled to 250 Hz, as we recall the descriptors and as
 * third-party processing code for both databases (the ForceID-A authors' scripts) assumes. Confirm against the
 * descriptors' Methods sections before deriving times from RAW curves.
 */
export const RAW_SAMPLE_RATE_HZ = 250;

const UNIT_BODY_WEIGHT = UNIT.bodyWeight;
const UNIT_NEWTON = UNIT.newton;
const UNIT_METRE = UNIT.metre;

const FIRST_SAMPLE_COLUMN = new RegExp(`^(${COMPONENTS.join('|')})_(PRO|RAW)_1$`);
const FILE_NAME = new RegExp(`GRF_(${COMPONENTS.join('|')})_(PRO|RAW)_(left|right)\\.csv$`, 'i');

interface CurveLayout {
  keys: readonly string[];
  component: Component;
  processing: Processing;
}

/** Recognises the key columns followed by `<COMP>_<PRO|RAW>_1`; null if the header is not a curve file's. */
function layoutOf(names: readonly string[]): CurveLayout | null {
  const keys = names[0] === 'DATASET_ID' ? GUTENBERG_KEYS : GAITREC_KEYS;
  if (!keys.every((key, i) => names[i] === key)) return null;
  const m = FIRST_SAMPLE_COLUMN.exec(names[keys.length] ?? '');
  if (!m) return null;
  return { keys, component: m[1] as Component, processing: m[2] as Processing };
}

function unitOf(component: Component, processing: Processing): string {
  if (component.startsWith('COP_')) return UNIT_METRE;
  return processing === 'PRO' ? UNIT_BODY_WEIGHT : UNIT_NEWTON;
}

function sideFromName(file: SourceFile, layout: CurveLayout): Side {
  const m = FILE_NAME.exec(file.name);
  if (!m) {
    throw new InputError(file.path, null, null,
      'cannot tell the side from the file name: expected GRF_<F_V|F_AP|F_ML|COP_AP|COP_ML>_<PRO|RAW>_<left|right>.csv');
  }
  const [, component, processing, side] = m;
  const inHeader = `${layout.component}_${layout.processing}`;
  if (`${component}_${processing}`.toUpperCase() !== inHeader) {
    throw new InputError(file.path, 1, `${inHeader}_1`,
      `the file name says ${component}_${processing} but the header holds ${inHeader} samples`);
  }
  return side.toLowerCase() as Side;
}

function checkSampleColumns(names: readonly string[], layout: CurveLayout, file: string): void {
  const prefix = `${layout.component}_${layout.processing}_`;
  const count = names.length - layout.keys.length;
  for (let i = 0; i < count; i++) {
    const name = names[layout.keys.length + i];
    if (name !== `${prefix}${i + 1}`) {
      throw new InputError(file, 1, name, `header column ${layout.keys.length + i + 1}: expected ${prefix}${i + 1}`);
    }
  }
  if (layout.processing === 'PRO' && count !== PRO_SAMPLES) {
    throw new InputError(file, 1, null, `a PRO file has ${PRO_SAMPLES} sample columns, this header has ${count}`);
  }
}

/** The samples of one row (see LineFields): PRO must be complete; RAW ends at its last value, with no gap before it. */
/**
 * Hands out the rows' sample arrays as views of larger blocks: one allocation per block instead of one per row
 * (tens of thousands of rows per file), which halves the time spent allocating and collecting.
 */
class SampleBlocks {
  private block = new Float32Array(0);
  private used = 0;

  take(count: number): Float32Array {
    if (this.used + count > this.block.length) {
      this.block = new Float32Array(Math.max(count, 1 << 16));
      this.used = 0;
    }
    const view = this.block.subarray(this.used, this.used + count);
    this.used += count;
    return view;
  }
}

function readSamples(bytes: Buffer, row: LineFields, header: CurveHeader, file: string, line: number, blocks: SampleBlocks): Float32Array {
  const { bounds, values } = row;
  const first = header.keys.length;
  let end = row.count;
  if (header.processing === 'RAW') {
    while (end > first && isMissingBytes(bytes, bounds[2 * end - 2], bounds[2 * end - 1])) end--;
    if (end === first) throw new InputError(file, line, header.sampleColumns[0], 'the row has no samples (all NaN or empty)');
  }
  const samples = blocks.take(end - first);
  for (let i = first; i < end; i++) {
    let value = values[i];
    if (value !== value) {
      // The rare forms (exponents, long mantissas) and every error go through the strict text rules.
      const column = header.sampleColumns[i - first];
      const text = row.text(bytes, i);
      const parsed = parseDecimal(text, file, line, column);
      if (parsed === null) {
        const reason = header.processing === 'PRO'
          ? `missing value '${text}' in a processed curve (all ${PRO_SAMPLES} samples are required)`
          : `missing value '${text}' before the end of the samples (the last value is in ${header.sampleColumns[end - first - 1]})`;
        throw new InputError(file, line, column, reason);
      }
      value = parsed;
    }
    samples[i - first] = value;
  }
  return samples;
}

interface CurveHeader extends CurveLayout {
  side: Side;
  sampleColumns: string[];
  columnCount: number;
}

function readCurveHeader(file: SourceFile, fields: string[], line: number): CurveHeader {
  const layout = layoutOf(fields);
  if (layout === null) {
    throw new InputError(file.path, line, null,
      'expected a GRF curve header: SUBJECT_ID,SESSION_ID,TRIAL_ID (Gutenberg: DATASET_ID first), then <COMP>_<PRO|RAW>_1, …');
  }
  const side = sideFromName(file, layout);
  checkSampleColumns(fields, layout, file.path);
  return { ...layout, side, sampleColumns: fields.slice(layout.keys.length), columnCount: fields.length };
}

function readCurves(file: SourceFile): ImportBatch {
  const sessions = new Map<string, ImportedSession>();
  const lineOfSession = new Map<string, number>();
  const subjects = new Map<string, ImportedSubject>();
  const lineOfTrial = new Map<string, number>();
  const datasetOfSubject = new DatasetOfSubject(file.path);

  const { bytes } = file;
  let header: CurveHeader | null = null;
  let rowCount = 0;
  const row = new LineFields();
  const blocks = new SampleBlocks();
  // Plain digits are the ids of every real row; anything else gets parseId's checks and message.
  const id = (k: number, name: string, line: number): string => row.digitsId(bytes, k) ?? parseId(row.text(bytes, k), file.path, line, name);

  // Rows are read from the bytes (csv-bytes.ts): only the key fields become strings.
  forEachLine(bytes, ({ start, end, line }) => {
    if (header === null) {
      header = readCurveHeader(file, bytes.toString('utf8', start, end).split(','), line);
      return;
    }
    rowCount++;
    row.scan(bytes, start, end);
    if (row.count !== header.columnCount) {
      throw new InputError(file.path, line, null, `expected ${header.columnCount} columns, found ${row.count}`);
    }
    const gutenberg = header.keys === GUTENBERG_KEYS;
    const offset = gutenberg ? 1 : 0;
    const subjectKey = id(offset, 'SUBJECT_ID', line);
    const sessionKey = id(offset + 1, 'SESSION_ID', line);
    const trialId = id(offset + 2, 'TRIAL_ID', line);
    if (gutenberg) datasetOfSubject.check(subjectKey, id(0, 'DATASET_ID', line), line);

    let session = sessions.get(sessionKey);
    if (!session) {
      session = { subjectKey, key: sessionKey, label: `Session ${sessionKey}`, trials: [] };
      sessions.set(sessionKey, session);
      lineOfSession.set(sessionKey, line);
    } else if (session.subjectKey !== subjectKey) {
      throw new InputError(file.path, line, 'SUBJECT_ID',
        `SESSION_ID ${sessionKey} belongs to SUBJECT_ID ${session.subjectKey} on line ${lineOfSession.get(sessionKey)}, here to ${subjectKey}`);
    }
    const trialKey = `trial-${trialId}`;
    const sessionTrial = `${sessionKey}/${trialKey}`;
    const earlier = lineOfTrial.get(sessionTrial);
    if (earlier !== undefined) {
      throw new InputError(file.path, line, 'TRIAL_ID', `SESSION_ID ${sessionKey} TRIAL_ID ${trialId} already on line ${earlier}`);
    }
    lineOfTrial.set(sessionTrial, line);
    if (!subjects.has(subjectKey)) {
      subjects.set(subjectKey, { key: subjectKey, cohort: gutenberg ? GUTENBERG_COHORT : GAITREC_COHORT, group: null });
    }

    const { component, processing, side } = header;
    session.trials.push({
      key: trialKey,
      label: `Trial ${trialId}`,
      // The row's bytes are its fields re-joined by commas: the files use no quoting.
      contentSha256: hash('sha256', bytes.subarray(start, end), 'hex'),
      channels: [{
        name: `${component}_${processing}_${side}`,
        unit: unitOf(component, processing),
        rateHz: processing === 'PRO' ? PRO_SAMPLES_PER_PERCENT : RAW_SAMPLE_RATE_HZ,
        domain: processing === 'PRO' ? 'stance' : 'time',
        side,
        samples: readSamples(bytes, row, header, file.path, line, blocks),
      }],
      sourceLocation: `${file.name} line ${line}`,
    });
  });

  if (header === null) throw new InputError(file.path, null, null, 'empty file: expected a GRF curve header');
  if (rowCount === 0) throw new InputError(file.path, 1, null, 'no trial rows after the header');
  return {
    format: gaitrecGrfFormat.id,
    subjects: [...subjects.values()],
    sessions: [...sessions.values()],
    warnings: [],
  };
}

export const gaitrecGrfFormat: FormatModule = {
  id: 'gaitrec-grf',
  description: 'GaitRec / Gutenberg Gait Database GRF and COP curves (GRF_<component>_<PRO|RAW>_<side>.csv)',
  order: 20,
  // A cohort table (GaitRec/Gutenberg) whose rows name subject and session: the data set's keys stand.
  visits: 'own',
  detect(_name, head) {
    return layoutOf(firstLineOf(head).split(',')) === null ? 0 : 1;
  },
  read: readCurves,
};
