// HuGaDB v1 text files (Chereshnev & Kertész-Farkas 2018, doi:10.1007/978-3-319-73013-4_12):
// `HuGaDB_v1_<activity>_<participant>_<counter>.txt`, four header lines (#Activity, #ActivityID, #Date MM-DD-HH-MM,
// 39 column names), then one tab-separated row of integers per sample: 6 IMUs (right/left foot, shank, thigh; int16
// accelerometer and gyroscope counts), 2 EMG (uint8) and the activity ID of the sample. CRLF or LF.
// See ../shared/data/hugadb/README.md for the quirks handled here.
//
// Counts become physical units with the full-scale ranges of the upstream ReadMe (±2 g, ±2000 deg/s over int16):
// acceleration = count / 16384 × 9.80665 m/s², angular rate = count / 16.384 deg/s. Clipped cells (−32768, 32767)
// are kept; a cell outside the int16 range (one in walking_06_03/06_05) is not a reading and becomes NaN, with a
// warning naming its line and column. The files have no time column and the upstream documents give no rate: the
// nominal 58.8 Hz comes from the upstream Table 1 totals (2,111,962 samples in 35,903 s).
//
// Keys: subject = participant (`01`), session = recording day from #Date (`10-20`; the files give no year),
// trial = `<activity>_<counter>` (`walking_00`). Activity labels are a channel and one pair of
// activity_start / activity_end events per run of equal labels.
import type { Attributes, ImportBatch, ImportedChannel, ImportedEvent, Side } from '../../src-shared/domain/import-batch';
import { InputError } from '../../src-shared/domain/errors';
import { UNIT } from '../../src-shared/units';
import type { FormatModule, SourceFile } from './format';
import { parseNumericTable, type NumericTable } from './numeric-table';

export const HUGADB_COHORT = 'hugadb';
export const HUGADB_FILE_NAME = /^(?:HuGaDB|HGD)_v(\d+)_([A-Za-z]+(?:_[A-Za-z]+)*)_(\d{2})_(\d{2})\.txt$/;

/** Nominal rate: upstream Table 1 totals, 2,111,962 samples / 35,903 s (README "Sampling rate and timing"). */
export const HUGADB_RATE_HZ = 58.8;
export const STANDARD_GRAVITY = 9.80665;
/** ±2 g over the int16 range. */
export const HUGADB_ACC_G_PER_COUNT = 2 / 32768;
/** ±2000 deg/s over the int16 range. */
export const HUGADB_GYRO_DEG_S_PER_COUNT = 2000 / 32768;

const HEADER_LINES = 4;
const COLUMNS = 39;
/** Unit of a dimensionless code (activity ID): no unit. */
const NO_UNIT = '';
/** EMG is a raw 8-bit ADC value; the dataset documents no physical conversion. */
const ARBITRARY_UNIT = 'a.u.';

const SENSORS = [
  { code: 'rf', side: 'right', segment: 'foot' },
  { code: 'rs', side: 'right', segment: 'shank' },
  { code: 'rt', side: 'right', segment: 'thigh' },
  { code: 'lf', side: 'left', segment: 'foot' },
  { code: 'ls', side: 'left', segment: 'shank' },
  { code: 'lt', side: 'left', segment: 'thigh' },
] as const;
const AXES = ['x', 'y', 'z'] as const;

interface ColumnSpec {
  /** Column name in the v1 files (`acc_rs_x`). */
  name: string;
  /** The spelling of other public copies (`RS_acc_x`). */
  altName: string;
  channel: string;
  kind: 'acc' | 'gyro' | 'emg' | 'activity';
  side: Side | null;
  device: string | null;
}

const COLUMN_SPECS: ColumnSpec[] = [
  ...SENSORS.flatMap((s) => (['acc', 'gyro'] as const).flatMap((kind) => AXES.map((axis): ColumnSpec => ({
    name: `${kind}_${s.code}_${axis}`,
    altName: `${s.code.toUpperCase()}_${kind}_${axis}`,
    channel: `${s.side}_${s.segment}_${kind}_${axis}`,
    kind,
    side: s.side,
    device: `${s.side} ${s.segment} IMU`,
  })))),
  { name: 'EMG_r', altName: 'R_EMG', channel: 'right_vastus_lateralis_emg', kind: 'emg', side: 'right', device: 'right EMG (vastus lateralis)' },
  { name: 'EMG_l', altName: 'L_EMG', channel: 'left_vastus_lateralis_emg', kind: 'emg', side: 'left', device: 'left EMG (vastus lateralis)' },
  { name: 'act', altName: 'act', channel: 'activity', kind: 'activity', side: null, device: null },
];

/** Activity IDs of docs/ReadMe.txt. */
export const HUGADB_ACTIVITIES: Record<number, string> = {
  1: 'walking', 2: 'running', 3: 'going_up', 4: 'going_down', 5: 'sitting', 6: 'sitting_down',
  7: 'standing_up', 8: 'standing', 9: 'bicycling', 10: 'up_by_elevator', 11: 'down_by_elevator', 12: 'sitting_in_car',
};

/** The participant table of docs/ReadMe.txt: weight kg, height cm, age years, sex. */
const PARTICIPANTS: Record<number, [number, number, number, 'M' | 'F']> = {
  1: [75, 177, 24, 'M'], 2: [80, 183, 22, 'M'], 3: [65, 183, 23, 'M'], 4: [93, 189, 24, 'M'], 5: [63, 183, 35, 'M'],
  6: [54, 168, 25, 'F'], 7: [52, 161, 22, 'F'], 8: [80, 176, 23, 'M'], 9: [65, 175, 24, 'F'], 10: [118, 183, 27, 'M'],
  11: [85, 203, 24, 'M'], 12: [85, 192, 23, 'M'], 13: [64, 174, 18, 'M'], 14: [68, 175, 19, 'M'], 15: [72, 178, 23, 'M'],
  16: [48, 164, 26, 'F'], 17: [85, 179, 25, 'M'], 18: [70, 180, 19, 'M'],
};

/** Files of this release on the upstream "corrupted gyroscope" list (README quirk 4). */
const CORRUPTED_GYROSCOPES: Record<string, string> = {
  HuGaDB_v1_walking_06_03: 'right thigh',
  HuGaDB_v1_walking_06_05: 'right thigh',
};

interface Header {
  activityNames: string[];
  activityIds: number[];
  date: { year: string | null; month: string; day: string; hour: string; minute: string };
  /** Byte offset of the first data line. */
  bodyStart: number;
}

function headerLines(bytes: Uint8Array, count: number): { lines: string[]; end: number } {
  const lines: string[] = [];
  let start = 0;
  while (lines.length < count && start < bytes.length) {
    let end = start;
    while (end < bytes.length && bytes[end] !== 10) end++;
    lines.push(Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1').replace(/\r$/, ''));
    start = end + 1;
  }
  return { lines, end: Math.min(start, bytes.length) };
}

function columnNamesMatch(names: string[]): boolean {
  return names.length === COLUMNS && (COLUMN_SPECS.every((c, k) => names[k] === c.name) || COLUMN_SPECS.every((c, k) => names[k] === c.altName));
}

function parseHeader(file: SourceFile): Header {
  const { lines, end } = headerLines(file.bytes, HEADER_LINES);
  const activity = /^#Activity\t(.*)$/.exec(lines[0] ?? '');
  if (!activity) throw new InputError(file.path, 1, '#Activity', 'a HuGaDB file starts with "#Activity<TAB>" and the activity names');
  const ids = /^#ActivityID\t(.*)$/.exec(lines[1] ?? '');
  if (!ids) throw new InputError(file.path, 2, '#ActivityID', 'expected "#ActivityID<TAB>" and the activity IDs');
  const activityNames = activity[1].trim().split(/ +/).filter((s) => s !== '');
  const idTexts = ids[1].trim().split(/ +/).filter((s) => s !== '');
  const activityIds = idTexts.map((t) => {
    if (!/^\d+$/.test(t)) throw new InputError(file.path, 2, '#ActivityID', `activity ID "${t.slice(0, 20)}" is not an integer`);
    return Number(t);
  });
  if (activityIds.length !== activityNames.length) {
    throw new InputError(file.path, 2, '#ActivityID', `${activityIds.length} activity IDs for ${activityNames.length} activity names on line 1`);
  }
  // v1 files write MM-DD-HH-MM; another public copy adds the year in front (README "File format").
  const date = /^#Date[ \t]+(?:(\d{4})-)?(\d{2})-(\d{2})-(\d{2})-(\d{2})\s*$/.exec(lines[2] ?? '');
  if (!date) throw new InputError(file.path, 3, '#Date', `expected "#Date MM-DD-HH-MM", found "${(lines[2] ?? '').slice(0, 40)}"`);
  const names = (lines[3] ?? '').split('\t');
  if (!columnNamesMatch(names)) {
    const k = names.length === COLUMNS ? COLUMN_SPECS.findIndex((c, i) => names[i] !== c.name && names[i] !== c.altName) : -1;
    throw new InputError(file.path, 4, k >= 0 ? `column ${k + 1}` : null, k >= 0
      ? `column name "${names[k].slice(0, 30)}", expected "${COLUMN_SPECS[k].name}"`
      : `expected ${COLUMNS} column names (acc_rf_x … EMG_l act), found ${names.length}`);
  }
  return {
    activityNames, activityIds,
    date: { year: date[1] ?? null, month: date[2], day: date[3], hour: date[4], minute: date[5] },
    bodyStart: end,
  };
}

/** The data rows, with InputError line numbers counted in the whole file. */
function parseBody(file: SourceFile, bodyStart: number): NumericTable {
  try {
    return parseNumericTable(file.bytes.subarray(bodyStart), COLUMNS, file.path, (c) => COLUMN_SPECS[c].name);
  } catch (e) {
    if (e instanceof InputError) throw new InputError(e.file, e.line === null ? null : e.line + HEADER_LINES, e.field, e.reason);
    throw e;
  }
}

interface Segment { activityId: number; first: number; last: number }

function segmentsOf(activity: Float64Array): Segment[] {
  const segments: Segment[] = [];
  for (let r = 0; r < activity.length; r++) {
    const id = activity[r];
    const open = segments[segments.length - 1];
    if (open && open.activityId === id) open.last = r;
    else segments.push({ activityId: id, first: r, last: r });
  }
  return segments;
}

function activityName(id: number): string {
  return HUGADB_ACTIVITIES[id] ?? `activity_${id}`;
}

function looksLikeHugadb(head: Buffer): boolean {
  const text = head.subarray(0, 4096).toString('latin1');
  if (!text.startsWith('#Activity\t')) return false;
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  return lines.length > 4 && lines[1].startsWith('#ActivityID\t') && lines[2].startsWith('#Date') && columnNamesMatch(lines[3].split('\t'));
}

export const hugadb: FormatModule = {
  id: 'hugadb',
  description: 'HuGaDB v1 text files (6 IMUs on feet, shanks, thighs + 2 EMG, raw counts, activity labels)',
  order: 30,
  // The file name states participant and recording day (HuGaDB_v1_<activity>_<participant>_<n>.txt): the data set's keys stand.
  visits: 'own',
  detect(name, head) {
    if (!looksLikeHugadb(head)) return 0;
    return HUGADB_FILE_NAME.test(name) ? 1 : 0.9;
  },
  read: readHugadb,
};

export function readHugadb(file: SourceFile): ImportBatch {
  const m = HUGADB_FILE_NAME.exec(file.name);
  if (!m) throw new InputError(file.path, null, 'file name', 'a HuGaDB file is named like HuGaDB_v1_walking_01_00.txt (version, activity, participant, counter); cannot tell the participant');
  const [, version, activityTag, participant, counter] = m;
  const header = parseHeader(file);
  const table = parseBody(file, header.bodyStart);
  if (table.rows < 2) throw new InputError(file.path, HEADER_LINES + Math.max(table.rows, 1), null, `a recording needs at least 2 samples, found ${table.rows}`);

  const warnings: string[] = [];
  const invalidExamples: string[] = [];
  let invalidCells = 0;
  const flagInvalid = (message: string) => {
    if (invalidExamples.length < 5) invalidExamples.push(message);
    invalidCells++;
  };
  let clippedCells = 0;
  const channels: ImportedChannel[] = COLUMN_SPECS.map((spec, col) => {
    const raw = table.columns[col];
    const samples = new Float32Array(table.rows);
    for (let r = 0; r < table.rows; r++) {
      const count = raw[r];
      if (!Number.isInteger(count)) throw new InputError(file.path, r + HEADER_LINES + 1, spec.name, `expected an integer count, found ${count}`);
      if (spec.kind === 'activity') {
        if (count < 1) throw new InputError(file.path, r + HEADER_LINES + 1, spec.name, `activity ID ${count} is not a positive integer`);
        samples[r] = count;
      } else if (spec.kind === 'emg') {
        if (count < 0 || count > 255) {
          flagInvalid(`line ${r + HEADER_LINES + 1} field ${spec.name}: ${count} is outside the uint8 range`);
          samples[r] = NaN;
        } else samples[r] = count;
      } else if (count < -32768 || count > 32767) {
        // Not a reading a 16-bit sensor can give (README quirk 7): flagged, not wrapped or clipped.
        flagInvalid(`line ${r + HEADER_LINES + 1} field ${spec.name}: ${count} is outside the int16 range`);
        samples[r] = NaN;
      } else {
        if (count === -32768 || count === 32767) clippedCells++;
        samples[r] = spec.kind === 'acc' ? count * HUGADB_ACC_G_PER_COUNT * STANDARD_GRAVITY : count * HUGADB_GYRO_DEG_S_PER_COUNT;
      }
    }
    const unit = spec.kind === 'acc' ? UNIT.metrePerSecondSquared : spec.kind === 'gyro' ? UNIT.degreePerSecond : spec.kind === 'emg' ? ARBITRARY_UNIT : NO_UNIT;
    return { name: spec.channel, unit, rateHz: HUGADB_RATE_HZ, domain: 'time', side: spec.side, device: spec.device, samples };
  });
  if (invalidCells) {
    warnings.push(`${file.path}: ${invalidCells} cell${invalidCells > 1 ? 's' : ''} stored as NaN (invalid sample): ${invalidExamples.join('; ')}${invalidCells > invalidExamples.length ? '; …' : ''}`);
  }

  const activity = table.columns[COLUMNS - 1];
  const segments = segmentsOf(activity);
  const unknown = [...new Set(segments.map((s) => s.activityId))].filter((id) => !(id in HUGADB_ACTIVITIES));
  if (unknown.length) warnings.push(`${file.path}: activity IDs not in the HuGaDB list: ${unknown.join(', ')}`);
  const sequence = segments.map((s) => s.activityId);
  if (sequence.join(' ') !== header.activityIds.join(' ')) {
    warnings.push(`${file.path}: the act column runs through activities ${sequence.join(' ')}, line 2 lists ${header.activityIds.join(' ')}`);
  }
  const events: ImportedEvent[] = segments.flatMap((s, k) => {
    const params = { activity: activityName(s.activityId), activityId: s.activityId, segment: k + 1, firstSample: s.first, lastSample: s.last };
    return [
      { label: 'activity_start', side: null, timeS: s.first / HUGADB_RATE_HZ, source: 'annotation', params },
      { label: 'activity_end', side: null, timeS: s.last / HUGADB_RATE_HZ, source: 'annotation', params },
    ];
  });

  const stem = file.name.replace(/\.txt$/, '');
  const corrupted = CORRUPTED_GYROSCOPES[stem];
  if (corrupted) warnings.push(`${file.path}: the ${corrupted} gyroscope of this file is on the upstream list of corrupted gyroscopes (amplified about 10× and clipped)`);
  const { year, month, day, hour, minute } = header.date;
  const attributes: Attributes = {
    device: { value: 'HuGaDB body sensor network: 6 IMUs (3-axis accelerometer + 3-axis gyroscope in one chip) on both feet, shanks and thighs, 2 EMG on vastus lateralis' },
    software: { value: 'custom wireless collector program (upstream; no version recorded in the files)' },
    format_version: { value: `v${version}` },
    sample_rate: { value: HUGADB_RATE_HZ, unit: UNIT.hertz },
    sample_rate_basis: { value: 'nominal: upstream Table 1 totals (2,111,962 samples in 35,903 s); no timestamps in the files, regularity unknown' },
    accelerometer_range: { value: 2, unit: 'g' },
    accelerometer_scale: { value: HUGADB_ACC_G_PER_COUNT * STANDARD_GRAVITY, unit: 'm/s² per count' },
    gyroscope_range: { value: 2000, unit: UNIT.degreePerSecond },
    gyroscope_scale: { value: HUGADB_GYRO_DEG_S_PER_COUNT, unit: 'deg/s per count' },
    standard_gravity: { value: STANDARD_GRAVITY, unit: UNIT.metrePerSecondSquared },
    emg_scale: { value: 'raw 8-bit ADC value (0–255); no physical conversion documented' },
    sensor_placement: { value: 'thigh: rectus femoris about 5 cm above the knee; shank: middle of the shinbone where the calf ends; foot: metatarsals; elastic bands' },
    recorded_at: { value: `${year ? `${year}-` : ''}${month}-${day} ${hour}:${minute}` },
    activities: { value: header.activityNames.join(' ') },
    activity_segments: { value: segments.length },
    clipped_cells: { value: clippedCells },
    invalid_cells: { value: invalidCells },
    ...(corrupted ? { corrupted_gyroscope: { value: corrupted } } : {}),
  };

  const participantNumber = Number(participant);
  const p = PARTICIPANTS[participantNumber];
  const sessionKey = year ? `${year}-${month}-${day}` : `${month}-${day}`;
  return {
    format: 'hugadb',
    subjects: [{
      key: participant,
      cohort: HUGADB_COHORT,
      group: 'healthy',
      sex: p ? (p[3] === 'M' ? 'male' : 'female') : null,
      attributes: p ? { weight: { value: p[0], unit: UNIT.kilogram }, height: { value: p[1] / 100, unit: UNIT.metre }, age: { value: p[2], unit: UNIT.year } } : {},
    }],
    sessions: [{
      subjectKey: participant,
      key: sessionKey,
      label: year ? `Recorded ${sessionKey}` : `Recorded ${month}-${day} (month-day; the files give no year)`,
      date: year ? sessionKey : null,
      trials: [{
        key: `${activityTag}_${counter}`,
        label: `${activityTag} ${counter} (${hour}:${minute})`,
        contentSha256: file.sha256,
        channels,
        attributes,
        sourceLocation: `lines ${HEADER_LINES + 1}–${HEADER_LINES + table.rows}`,
        events,
      }],
    }],
    warnings,
  };
}
