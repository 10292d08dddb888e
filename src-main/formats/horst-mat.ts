// Horst-style GRF tensors in MAT-files (Horst et al. 2019, Sci Rep 9:2391; Slijepcevic et al. 2021,
// ACM HEALTH 3(2):14): a `Feature` tensor of time-normalised stance curves plus one-hot targets.
//
//   Feature               N × C × 101 (trial × channel × point; the 2021 files) or N × 101 × C (Horst 2019).
//                         The layout is decided by which dimension equals the number of labels in
//                         Feature_GRF_AV_Label (the other must be 101); without labels, by which one is 101.
//                         When both fit, N × C × 101 wins (the layout of the files we have).
//   Feature_GRF_AV_Label  cell of channel names (optional).
//   Target_Subject        N × S one-hot: column s = subject s (0-based), the same columns in every file.
//   Target_Injury         N × K one-hot class (optional): 0 = healthy control, 1..3 = disorder classes.
//
// Each trial becomes one trial of channels in multiples of body weight over 0–100 % of stance:
// 101 points per 100 %, so rateHz 1.01 (samples per 100 %, see ImportedChannel.rateHz).
import { createHash } from 'node:crypto';
import { endianness } from 'node:os';
import { basename } from 'node:path';
import { type ImportBatch, type ImportedChannel, type ImportedSession, type ImportedSubject, type ImportedTrial } from '../../src-shared/domain/import-batch';
import { InputError } from '../../src-shared/domain/errors';
import type { FormatModule, SourceFile } from './format';
import { peekVariableNames, readMat5, type MatArray, type MatNumeric } from './mat5';
import { UNIT } from '../../src-shared/units';

const POINTS = 101;
const RATE_PER_100_PERCENT = POINTS / 100;
/** The GRF values are multiples of body weight (README of slijepcevic2021-clinical-grf-mat). */
const UNIT_BODY_WEIGHT = UNIT.bodyWeight;
const KNOWN_VARIABLES = new Set(['Feature', 'Feature_GRF_AV_Label', 'Target_Subject', 'Target_Injury']);
const HEADER_TEXT = 'MATLAB 5.0 MAT-file';

export const horstMat: FormatModule = {
  id: 'horst-mat',
  description: 'GRF stance curves as Horst/Slijepcevic MAT-file tensors (Feature, Target_Subject, Target_Injury)',
  order: 50,
  // One file holds the whole cohort (subjects × trials): the file's own keys stand.
  visits: 'own',
  detect(name, head) {
    if (head.length < 128 || head.subarray(0, HEADER_TEXT.length).toString('latin1') !== HEADER_TEXT) return 0;
    const names = peekVariableNames(head);
    if (names.some((n) => KNOWN_VARIABLES.has(n))) return 0.9;
    return /\.mat$/i.test(name) ? 0.5 : 0.3;
  },
  read: readHorstMat,
};

export function readHorstMat(file: SourceFile): ImportBatch {
  const where = file.path;
  const mat = readMat5(file.bytes, where);
  const fail: Fail = (field, reason) => {
    throw new InputError(where, null, field, reason);
  };
  const feature = requireFeature(mat.variables.get('Feature'), fail);
  const subjectsOneHot = requireOneHot(mat.variables.get('Target_Subject'), 'Target_Subject', fail);
  const injuryVar = mat.variables.get('Target_Injury');
  const injuryOneHot = injuryVar ? requireOneHot(injuryVar, 'Target_Injury', fail) : null;
  const warnings: string[] = [];
  const labels = readLabels(mat.variables.get('Feature_GRF_AV_Label'), fail);
  if (!labels) warnings.push(`${file.name}: no Feature_GRF_AV_Label; channels are named channel_1, channel_2, …`);
  if (!injuryOneHot) warnings.push(`${file.name}: no Target_Injury; subjects have no group`);

  const layout = featureLayout(feature.dims, labels?.length ?? null, fail);
  const trials = feature.dims[0];
  for (const [name, v] of [['Target_Subject', subjectsOneHot], ['Target_Injury', injuryOneHot]] as const) {
    if (v && (v.dims.length !== 2 || v.dims[0] !== trials)) {
      fail(name, `is ${v.dims.join('×')}, expected ${trials} rows (one per Feature row) and one column per ${name === 'Target_Subject' ? 'subject' : 'class'}`);
    }
  }
  const channelNames = shortChannelNames(labels ?? Array.from({ length: layout.channels }, (_, c) => `channel ${c + 1}`));
  const subjectOfRow = oneHotColumns(subjectsOneHot, 'Target_Subject', fail);
  const classOfRow = injuryOneHot ? oneHotColumns(injuryOneHot, 'Target_Injury', fail) : null;

  const cohort = cohortOf(file.name);
  const variant = /shearzero/i.test(file.name) ? 'shearzero' : 'full';
  const bySubject = new Map<number, { classCol: number | null; firstRow: number; trials: ImportedTrial[] }>();
  const values = feature.data as Float64Array | Float32Array;
  for (let row = 0; row < trials; row++) {
    const col = subjectOfRow[row];
    const classCol = classOfRow ? classOfRow[row] : null;
    let entry = bySubject.get(col);
    if (!entry) bySubject.set(col, (entry = { classCol, firstRow: row, trials: [] }));
    if (entry.classCol !== classCol) {
      fail('Target_Injury', `subject column ${col} (${subjectKey(col)}) has trials in class column ${entry.classCol} (row ${entry.firstRow}) and class column ${classCol} (row ${row}); a subject belongs to one class`);
    }
    const channels: ImportedChannel[] = [];
    const hash = createHash('sha256');
    for (let c = 0; c < layout.channels; c++) {
      const samples = new Float32Array(POINTS);
      for (let t = 0; t < POINTS; t++) {
        const v = values[layout.index(row, c, t)];
        samples[t] = v;
        if (!Number.isFinite(samples[t])) {
          const what = Number.isNaN(v) ? 'NaN' : Number.isFinite(v) ? `${v}, outside the float32 range` : `${v}`;
          fail('Feature', `row ${row}, channel ${c} (${channelNames[c]}), point ${t}: value is ${what}`);
        }
      }
      hash.update(littleEndianBytes(samples));
      channels.push({ name: channelNames[c], unit: UNIT_BODY_WEIGHT, rateHz: RATE_PER_100_PERCENT, domain: 'stance', side: null, samples });
    }
    const n = entry.trials.length + 1;
    entry.trials.push({
      key: `t${n}`,
      label: `Trial ${n}`,
      contentSha256: hash.digest('hex'),
      channels,
      sourceLocation: `Feature row ${row}`,
    });
  }

  const subjects: ImportedSubject[] = [];
  const sessions: ImportedSession[] = [];
  for (const col of [...bySubject.keys()].sort((a, b) => a - b)) {
    const entry = bySubject.get(col)!;
    const key = subjectKey(col);
    subjects.push({
      key,
      cohort,
      group: entry.classCol === null ? null : groupOf(entry.classCol),
      // The files carry no class names: columns 1–3 are most likely hip / knee / ankle (README), unconfirmed.
      ...(entry.classCol === null ? {} : { attributes: { injury_class_index: { value: entry.classCol } } }),
    });
    sessions.push({ subjectKey: key, key: variant, label: `GRF stance curves (${variant})`, trials: entry.trials });
  }
  return { format: horstMat.id, subjects, sessions, warnings };
}

export function subjectKey(col: number): string {
  return `S${String(col).padStart(3, '0')}`;
}

function groupOf(classCol: number): string {
  return classCol === 0 ? 'HC' : `class-${classCol + 1}`;
}

/** 'slijepcevic2021' for the 2021 ACM files, else the file's base name, lower case, [a-z0-9-] only. */
export function cohortOf(name: string): string {
  const base = basename(name);
  if (base.startsWith('2021_acm_')) return 'slijepcevic2021';
  const stem = base.replace(/\.mat$/i, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return stem || 'horst-mat';
}

type Fail = (field: string | null, reason: string) => never;

interface OneHot {
  dims: number[];
  data: Exclude<MatNumeric['data'], BigInt64Array | BigUint64Array>;
}

function requireFeature(v: MatArray | undefined, fail: Fail): MatNumeric {
  if (!v) return fail('Feature', 'missing: a Horst-style MAT-file needs the variables Feature and Target_Subject');
  if (v.class !== 'double' && v.class !== 'single') return fail('Feature', `is a ${v.class} array, expected double or single`);
  if (v.complex) fail('Feature', 'is complex, expected real values');
  return v;
}

/** A one-hot target: any real numeric or logical class except 64-bit integers. */
function requireOneHot(v: MatArray | undefined, name: string, fail: Fail): OneHot {
  if (!v) return fail(name, 'missing: a Horst-style MAT-file needs the variables Feature and Target_Subject');
  if (v.class === 'char' || v.class === 'cell' || v.class === 'struct' || v.class === 'int64' || v.class === 'uint64') {
    return fail(name, `is a ${v.class} array, expected a numeric one-hot matrix`);
  }
  if (v.class !== 'logical' && v.complex) fail(name, 'is complex, expected real values');
  return { dims: v.dims, data: v.data as OneHot['data'] };
}

function readLabels(v: MatArray | undefined, fail: Fail): string[] | null {
  if (!v) return null;
  if (v.class !== 'cell') fail('Feature_GRF_AV_Label', `is a ${v.class} array, expected a cell array of channel names`);
  return v.data.map((x, k) => {
    if (x.class !== 'char' || x.strings.length > 1) fail(`Feature_GRF_AV_Label[${k}]`, `is a ${x.dims.join('×')} ${x.class} array, expected one channel name`);
    return x.strings[0] ?? '';
  });
}

interface FeatureLayout {
  channels: number;
  /** Linear (column-major) index of Feature(row, channel, point). */
  index(row: number, channel: number, point: number): number;
}

function featureLayout(dims: number[], labelCount: number | null, fail: Fail): FeatureLayout {
  const [n, a, b] = dims;
  if (dims.length !== 3) fail('Feature', `is ${dims.join('×')}, expected 3 dimensions (trial × channel × ${POINTS} points)`);
  const fits = (channelDim: number, timeDim: number) => timeDim === POINTS && (labelCount === null || channelDim === labelCount);
  if (fits(a, b)) return { channels: a, index: (r, c, t) => r + n * (c + a * t) };
  if (fits(b, a)) return { channels: b, index: (r, c, t) => r + n * (t + a * c) };
  const labels = labelCount === null ? '' : ` and ${labelCount} channels (Feature_GRF_AV_Label)`;
  return fail('Feature', `is ${dims.join('×')}; expected N × C × ${POINTS} or N × ${POINTS} × C with ${POINTS} points${labels}`);
}

/** The column holding the single 1 of each row of a one-hot matrix. */
function oneHotColumns(v: OneHot, name: string, fail: Fail): Int32Array {
  const [rows, cols] = v.dims;
  const data = v.data;
  const out = new Int32Array(rows).fill(-1);
  for (let c = 0; c < cols; c++) {
    for (let r = 0; r < rows; r++) {
      const x = data[r + rows * c];
      if (x === 0) continue;
      if (x !== 1) fail(name, `row ${r}, column ${c}: value ${x} in a one-hot matrix (expected 0 or 1)`);
      if (out[r] !== -1) fail(name, `row ${r} has a 1 in columns ${out[r]} and ${c}; expected exactly one`);
      out[r] = c;
    }
  }
  const empty = out.indexOf(-1);
  if (empty !== -1) fail(name, `row ${empty} has no 1; expected exactly one per row`);
  return out;
}

/**
 * Short channel names: 'ground reaction force - affected foot - fore-aft shear force' → 'affected_fore_aft'
 * (drops the 'ground reaction force' prefix and the words foot/shear/force). When that does not give
 * distinct non-empty names, the whole labels are used, in snake case.
 */
export function shortChannelNames(labels: readonly string[]): string[] {
  const snake = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  const short = labels.map((label) =>
    label.split(/\s+-\s+/)
      .filter((part, k) => !(k === 0 && /^ground reaction force$/i.test(part.trim())))
      .map((part) => snake(part.replace(/\b(foot|shear|force)\b/gi, ' ')))
      .filter((part) => part !== '')
      .join('_'));
  if (short.every((s) => s !== '') && new Set(short).size === short.length) return short;
  const full = labels.map((label, c) => snake(label) || `channel_${c + 1}`);
  return new Set(full).size === full.length ? full : full.map((s, c) => `${s}_${c + 1}`);
}

const HOST_LITTLE_ENDIAN = endianness() === 'LE';

function littleEndianBytes(samples: Float32Array): Uint8Array {
  const bytes = new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
  return HOST_LITTLE_ENDIAN ? bytes : Buffer.from(bytes).swap32();
}
