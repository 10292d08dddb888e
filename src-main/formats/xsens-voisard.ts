// Xsens MTw Awinda text exports of the Voisard et al. gait data (IPOL 2023 healthy reference set, doi:10.5201/ipol.2023.497;
// IPOL 2025 semiogram examples): one file per sensor, `<trial>_<lb|lf|rf>.txt` (lower back at L5, left foot, right
// foot), and one JSON per trial with the gait events (`<trial>.json` healthy, `<trial>_ge.json` impaired).
// See ../shared/data/voisard2023-ipol-imu-healthy/README.md.
//
// Signal files: either `Acquisition frequency: 100 Hz` or MT Manager `//` comment lines, then a header line starting
// with PacketCounter, then tab-separated values. Columns are found by name (the layouts differ). Units as exported:
// Acc/FreeAcc/AccHR m/s², Mag normalised (a.u.), VelInc m/s, Roll/Pitch/Yaw deg, quaternions and rotation matrix
// dimensionless; Gyr/GyrHR are rad/s and are stored in deg/s (× 180/π) like every gyroscope in GaitLab.
//
// Time base. The event indices of the JSON files are 0-based data rows at 100 Hz of each sensor's own file, equal to
// PacketCounter − first PacketCounter (README). So sample k of a channel is packet first + k, at t = k / rate s, and
// an event at index i is at t = i / 100 s. Dropped packets (PacketCounter jumps, all after the annotated walk in
// this data) are NaN samples, so that later samples keep their packet's time instead of sliding earlier.
//
// One trial = the three sensor files + the JSON: each file's batch carries the same (subject, session, trial) keys and
// the import service merges the channels. The JSON carries the events and is imported first (order 20), because
// events are only written when a trial is created. Keys: healthy `1-1` → subject `1`, trial `1-1`; impaired
// `M0_edss_6` → subject and trial `M0_edss_6` (the files name no patient). One session, `gait-protocol`.
import type { Attributes, ImportBatch, ImportedChannel, ImportedEvent, ImportedSubject, ImportedTrial, Side } from '../../src-shared/domain/import-batch';
import { InputError } from '../../src-shared/domain/errors';
import { recordingDay, yearFirstDay } from '../../src-shared/domain/recording-day';
import { UNIT } from '../../src-shared/units';
import type { FormatModule, SourceFile } from './format';

export const VOISARD_COHORT = 'voisard2023';
/** The dataset's rate (README: line 1 of the healthy files, "freq" of the impaired JSON). */
export const VOISARD_RATE_HZ = 100;
export const VOISARD_SESSION = 'gait-protocol';
const SESSION_LABEL = 'Paris gait protocol: stand, walk 10 m, U-turn, walk back, stop';
export const XSENS_SIGNAL_NAME = /^(.+)_(lb|lf|rf)\.txt$/;
const EVENTS_NAME = /^(.+?)(_ge)?\.json$/;
const HEALTHY_TRIAL = /^(\d+)-(\d+)$/;
const RAD_TO_DEG = 180 / Math.PI;
/** A jump of the packet counter beyond this is a broken file, not dropped packets (10 s at 100 Hz). */
const MAX_MISSING_PACKETS = 1000;
const PREAMBLE_MAX_LINES = 64;
const ARBITRARY_UNIT = 'a.u.';
const NO_UNIT = '';

const PLACEMENTS = {
  lb: { prefix: 'lower_back', side: null, label: 'lower back (L5)' },
  lf: { prefix: 'left_foot', side: 'left', label: 'left foot (dorsum)' },
  rf: { prefix: 'right_foot', side: 'right', label: 'right foot (dorsum)' },
} as const satisfies Record<string, { prefix: string; side: Side | null; label: string }>;

/** Groups of the impaired examples, from the folder they are published in. */
const IMPAIRED_GROUPS: Record<string, string> = { multiple_sclerosis: 'multiple sclerosis', equino_varus_foot: 'equinovarus foot' };

interface ColumnRule { pattern: RegExp; name: (m: RegExpExecArray) => string; unit: string; scale: number }

/** Xsens export columns → channel name suffix, unit, factor from the file's unit. */
const COLUMN_RULES: ColumnRule[] = [
  { pattern: /^Acc_([XYZ])$/, name: (m) => `acc_${m[1].toLowerCase()}`, unit: UNIT.metrePerSecondSquared, scale: 1 },
  { pattern: /^AccHR_([XYZ])$/, name: (m) => `acc_hr_${m[1].toLowerCase()}`, unit: UNIT.metrePerSecondSquared, scale: 1 },
  { pattern: /^FreeAcc_([XYZENU])$/, name: (m) => `free_acc_${m[1].toLowerCase()}`, unit: UNIT.metrePerSecondSquared, scale: 1 },
  { pattern: /^Gyr_([XYZ])$/, name: (m) => `gyro_${m[1].toLowerCase()}`, unit: UNIT.degreePerSecond, scale: RAD_TO_DEG },
  { pattern: /^GyrHR_([XYZ])$/, name: (m) => `gyro_hr_${m[1].toLowerCase()}`, unit: UNIT.degreePerSecond, scale: RAD_TO_DEG },
  { pattern: /^Mag_([XYZ])$/, name: (m) => `mag_${m[1].toLowerCase()}`, unit: ARBITRARY_UNIT, scale: 1 },
  { pattern: /^VelInc_([XYZ])$/, name: (m) => `vel_inc_${m[1].toLowerCase()}`, unit: UNIT.metrePerSecond, scale: 1 },
  { pattern: /^OriInc_(q[0-3])$/, name: (m) => `ori_inc_${m[1]}`, unit: NO_UNIT, scale: 1 },
  { pattern: /^Quat_(q[0-3])$/, name: (m) => `quat_${m[1]}`, unit: NO_UNIT, scale: 1 },
  { pattern: /^(Roll|Pitch|Yaw)$/, name: (m) => m[1].toLowerCase(), unit: UNIT.degree, scale: 1 },
  { pattern: /^Mat\[([1-3])\]\[([1-3])\]$/, name: (m) => `rot_matrix_${m[1]}${m[2]}`, unit: NO_UNIT, scale: 1 },
];
/** Columns that are clocks or status words, not signals. */
const NOT_SIGNALS = /^(PacketCounter|SampleTimeFine|SampleTimeCoarse|UTC_.*|Status.*)$/;

/** The file's lines, decoded one at a time: never one string of the whole file (V8 caps a string at 512 MiB). */
function linesOf(bytes: Buffer): string[] {
  const lines: string[] = [];
  for (let start = 0; start < bytes.length;) {
    let end = bytes.indexOf(10, start);
    if (end < 0) end = bytes.length;
    const stop = end > start && bytes[end - 1] === 13 ? end - 1 : end;
    lines.push(bytes.toString('latin1', start, stop));
    start = end + 1;
  }
  return lines;
}

function strictNumber(text: string): number {
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : NaN;
}

interface Preamble { headerLine: number; settings: Map<string, string>; rateHz: number | null }

/** The lines before the header: the healthy files' rate line or MT Manager's `// key: value` comments. */
function readPreamble(lines: string[], path: string): Preamble {
  const settings = new Map<string, string>();
  let rateHz: number | null = null;
  for (let i = 0; i < Math.min(lines.length, PREAMBLE_MAX_LINES); i++) {
    const line = lines[i];
    if (line.startsWith('PacketCounter')) return { headerLine: i, settings, rateHz };
    const kv = /^(?:\/\/)?\s*([^:]+?)\s*:\s*(.*?)\s*$/.exec(line);
    if (kv && kv[2] !== '') settings.set(kv[1], kv[2]);
    const rate = /^(?:\/\/)?\s*(?:Acquisition frequency|Update Rate|Sample ?rate)\s*:\s*([\d.]+)\s*Hz\s*$/i.exec(line);
    if (rate) {
      rateHz = Number(rate[1]);
      if (!(rateHz > 0 && rateHz <= 10000)) throw new InputError(path, i + 1, 'rate', `sample rate "${rate[1]}" Hz is not a usable rate`);
    }
  }
  throw new InputError(path, null, 'PacketCounter', `no header line starting with PacketCounter in the first ${PREAMBLE_MAX_LINES} lines`);
}

function looksLikeXsensExport(head: Buffer): boolean {
  const lines = head.subarray(0, 8192).toString('latin1').split('\n').slice(0, PREAMBLE_MAX_LINES);
  const header = lines.find((l) => l.startsWith('PacketCounter'));
  return !!header && /[\t;,]Acc_X\b/.test(header) && lines.slice(0, lines.indexOf(header)).every((l) => l.startsWith('//') || /^Acquisition frequency:/.test(l) || l.trim() === '');
}

function trialKeysOf(stem: string, path: string): { subject: ImportedSubject; trialKey: string; label: string } {
  const healthy = HEALTHY_TRIAL.exec(stem);
  if (healthy) {
    return { subject: { key: healthy[1], cohort: VOISARD_COHORT, group: 'healthy' }, trialKey: stem, label: `Subject ${healthy[1]}, trial ${healthy[2]}` };
  }
  const folder = path.split(/[\\/]/).slice(-2, -1)[0] ?? '';
  return { subject: { key: stem, cohort: VOISARD_COHORT, group: IMPAIRED_GROUPS[folder] ?? null }, trialKey: stem, label: stem };
}

function batchOf(format: string, keys: ReturnType<typeof trialKeysOf>, trial: ImportedTrial, warnings: string[], date: string | null = null): ImportBatch {
  return {
    format,
    subjects: [keys.subject],
    sessions: [{ subjectKey: keys.subject.key, key: VOISARD_SESSION, label: SESSION_LABEL, date, trials: [trial] }],
    warnings,
  };
}

/**
 * The recording day where the export states one: MT Manager's `// Start Time:` comment (year first: 2021-04-22,
 * 2021/04/22, with or without a time; "Unknown" when the device had no UTC time), else the UTC_Year/Month/Day
 * columns of the first row (MT Manager's UTC Time output). A start time in another spelling is named in a warning.
 */
function startDay(preamble: Preamble, names: string[], values: Float64Array[], path: string, warnings: string[]): string | null {
  const start = preamble.settings.get('Start Time');
  if (start && !/^unknown$/i.test(start)) {
    const day = yearFirstDay(start);
    if (day) return day;
    warnings.push(`${path}: Start Time "${start.slice(0, 40)}" not understood; the session date is left to the import`);
  }
  const col = (n: string) => names.indexOf(n);
  const [y, mo, d] = [col('UTC_Year'), col('UTC_Month'), col('UTC_Day')];
  if (y < 0 || mo < 0 || d < 0) return null;
  return recordingDay(values[y][0], values[mo][0], values[d][0]);
}

export function readXsensSignal(file: SourceFile): ImportBatch {
  const m = XSENS_SIGNAL_NAME.exec(file.name);
  if (!m) throw new InputError(file.path, null, 'file name', 'a sensor file is named <trial>_lb.txt, _lf.txt or _rf.txt (lower back, left foot, right foot); cannot tell the trial or the placement');
  const [, stem, code] = m;
  const placement = PLACEMENTS[code as keyof typeof PLACEMENTS];
  const lines = linesOf(file.bytes);
  const preamble = readPreamble(lines, file.path);
  const headerNo = preamble.headerLine + 1;
  const separator = lines[preamble.headerLine].includes('\t') ? '\t' : lines[preamble.headerLine].includes(';') ? ';' : ',';
  const names = lines[preamble.headerLine].split(separator).map((n) => n.trim());
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) throw new InputError(file.path, headerNo, n, `column "${n}" appears twice`);
    seen.add(n);
  }
  const counterCol = names.indexOf('PacketCounter');
  if (counterCol < 0) throw new InputError(file.path, headerNo, names[0], 'the header has no PacketCounter column');
  const rows = lines.length - headerNo;
  if (rows < 2) throw new InputError(file.path, headerNo + Math.max(rows, 1), null, `a recording needs at least 2 samples, found ${Math.max(rows, 0)}`);

  // Parse every cell: a number, or empty (MT Manager leaves fields it did not record empty).
  const values = names.map(() => new Float64Array(rows));
  const filled = names.map(() => 0);
  for (let r = 0; r < rows; r++) {
    const lineNo = headerNo + r + 1;
    const fields = lines[headerNo + r].split(separator);
    if (fields.length !== names.length) throw new InputError(file.path, lineNo, null, `expected ${names.length} columns, found ${fields.length}`);
    for (let c = 0; c < names.length; c++) {
      const text = fields[c].trim();
      if (text === '') {
        values[c][r] = NaN;
        continue;
      }
      const v = strictNumber(text);
      if (!Number.isFinite(v)) throw new InputError(file.path, lineNo, names[c], /^[+-]?inf/i.test(text) ? `infinite value "${text.slice(0, 40)}"` : `not a finite number: "${text.slice(0, 40)}"`);
      values[c][r] = v;
      filled[c]++;
    }
  }

  // Packet counter → sample offset (uint16 in Xsens devices: a wrap is a step, not a reset).
  const counter = values[counterCol];
  const offsets = new Int32Array(rows);
  let gaps = 0, missing = 0, firstGapAt = -1;
  for (let r = 0; r < rows; r++) {
    const pc = counter[r];
    if (!Number.isInteger(pc) || pc < 0) throw new InputError(file.path, headerNo + r + 1, 'PacketCounter', `packet counter "${Number.isNaN(pc) ? '' : pc}" is not a non-negative integer`);
    if (r === 0) continue;
    let step = pc - counter[r - 1];
    if (step <= 0 && counter[r - 1] >= 65536 - MAX_MISSING_PACKETS && pc < MAX_MISSING_PACKETS) step += 65536;
    if (step <= 0) throw new InputError(file.path, headerNo + r + 1, 'PacketCounter', `packet counter goes from ${counter[r - 1]} to ${pc}`);
    if (step > MAX_MISSING_PACKETS + 1) throw new InputError(file.path, headerNo + r + 1, 'PacketCounter', `packet counter jumps from ${counter[r - 1]} to ${pc}: more than ${MAX_MISSING_PACKETS} packets missing`);
    if (step > 1) {
      if (gaps === 0) firstGapAt = offsets[r - 1] + 1;
      gaps++;
      missing += step - 1;
    }
    offsets[r] = offsets[r - 1] + step;
  }
  const length = offsets[rows - 1] + 1;

  const warnings: string[] = [];
  let rateHz = preamble.rateHz;
  let rateBasis = 'stated in the file';
  if (rateHz === null) {
    rateHz = VOISARD_RATE_HZ;
    rateBasis = 'not stated in the file; 100 Hz as documented for the data set';
    warnings.push(`${file.path}: the file states no sample rate; ${VOISARD_RATE_HZ} Hz assumed (the data set's documented rate)`);
  }
  if (gaps) {
    warnings.push(`${file.path}: ${gaps} jump${gaps > 1 ? 's' : ''} of PacketCounter (${missing} packets missing, the first after sample ${firstGapAt - 1}, t = ${((firstGapAt - 1) / rateHz).toFixed(2)} s); the missing samples are NaN`);
  }
  if (counter[0] > 0 && counter[0] <= MAX_MISSING_PACKETS) {
    // A counter that should have started at 0. If the trial's sensors share one counter, this file's first row
    // (packet N) is timed at 0, N samples earlier than a file whose counter starts at 0 puts it.
    warnings.push(`${file.path}: PacketCounter starts at ${counter[0]}, not 0; samples are timed from this file's first row, t = (PacketCounter − ${counter[0]}) / ${rateHz} s, as the data set's event indices are (relative to a sensor whose counter starts at 0 this may put it ${counter[0]} sample${counter[0] > 1 ? 's' : ''} early)`);
  }

  const device = [preamble.settings.get('ProductCode') ?? 'Xsens MTw Awinda', preamble.settings.get('DeviceId')].filter(Boolean).join(' ');
  const channels: ImportedChannel[] = [];
  const skipped: string[] = [];
  const empty: string[] = [];
  let partialCells = 0;
  names.forEach((name, c) => {
    if (NOT_SIGNALS.test(name)) return;
    const rule = COLUMN_RULES.map((rl) => ({ rl, match: rl.pattern.exec(name) })).find((x) => x.match);
    if (!rule) {
      skipped.push(name);
      return;
    }
    if (filled[c] === 0) {
      empty.push(name);
      return;
    }
    partialCells += rows - filled[c];
    const samples = new Float32Array(length).fill(NaN);
    const column = values[c];
    for (let r = 0; r < rows; r++) samples[offsets[r]] = column[r] * rule.rl.scale;
    channels.push({
      name: `${placement.prefix}_${rule.rl.name(rule.match!)}`, unit: rule.rl.unit, rateHz, domain: 'time',
      side: placement.side, device: `${device} (${placement.label})`, samples,
    });
  });
  if (channels.length === 0) throw new InputError(file.path, headerNo, null, 'no signal columns (Acc_X, Gyr_X, …) with values');
  if (skipped.length) warnings.push(`${file.path}: columns not imported (unknown to GaitLab's Xsens reader): ${skipped.join(', ')}`);
  if (partialCells) warnings.push(`${file.path}: ${partialCells} empty cells in partly filled columns are NaN`);

  const p = placement.prefix;
  const attributes: Attributes = {
    [`${p}_device`]: { value: device },
    [`${p}_sample_rate`]: { value: rateHz, unit: UNIT.hertz },
    [`${p}_sample_rate_basis`]: { value: rateBasis },
    [`${p}_placement`]: { value: placement.label },
    [`${p}_first_packet_counter`]: { value: counter[0] },
    [`${p}_packet_jumps`]: { value: gaps },
    [`${p}_missing_packets`]: { value: missing },
    [`${p}_gyroscope_conversion`]: { value: RAD_TO_DEG, unit: 'deg/s per rad/s' },
    ...(empty.length ? { [`${p}_empty_columns`]: { value: empty.join(' ') } } : {}),
  };
  for (const [key, label] of [['MT Manager version', 'software'], ['XDA version', 'sdk'], ['Firmware Version', 'firmware'], ['Hardware Version', 'hardware'],
    ['Filter Profile', 'filter_profile'], ['Coordinate system', 'coordinate_system'], ['Option Flags', 'option_flags']] as const) {
    const v = preamble.settings.get(key);
    if (v) attributes[`${p}_${label}`] = { value: v };
  }
  const keys = trialKeysOf(stem, file.path);
  const day = startDay(preamble, names, values, file.path, warnings);
  if (preamble.settings.has('Start Time')) attributes[`${p}_start_time`] = { value: preamble.settings.get('Start Time')! };
  return batchOf('xsens-voisard', keys, {
    key: keys.trialKey, label: keys.label, contentSha256: file.sha256, channels, attributes,
    sourceLocation: `${file.name} lines ${headerNo + 1}–${headerNo + rows}`,
  }, warnings, day);
}

export const xsensVoisardSignal: FormatModule = {
  id: 'xsens-voisard',
  description: 'Xsens MTw Awinda text export, Voisard et al. gait data (<trial>_lb/_lf/_rf.txt: m/s², deg/s, a.u.; 100 Hz)',
  order: 30,
  // The Voisard data set's layout names subject and trial (1-1_lf.txt = subject 1, trial 1; three sensor files and
  // a JSON make one trial): the data set's keys stand, as for the other cohort formats.
  visits: 'own',
  detect(name, head) {
    if (!looksLikeXsensExport(head)) return 0;
    return XSENS_SIGNAL_NAME.test(name) ? 1 : 0.6;
  },
  read: readXsensSignal,
};

// ---- Gait-event JSON files ----

/** Line (1-based) of the first occurrence of a key in the JSON text, for messages. */
function lineOfKey(text: string, key: string): number | null {
  const at = text.indexOf(`"${key}"`);
  return at < 0 ? null : text.slice(0, at).split('\n').length;
}

/** The files write bare NaN (not JSON): read NaN / ±Infinity in value position as null. */
function parseLenientJson(text: string, path: string): unknown {
  const fixed = text.replace(/([:\[,]\s*)-?(NaN|Infinity)(?=\s*[,\]}])/g, '$1null');
  try {
    return JSON.parse(fixed);
  } catch (e) {
    const pos = /position (\d+)/.exec((e as Error).message);
    const line = pos ? fixed.slice(0, Number(pos[1])).split('\n').length : null;
    throw new InputError(path, line, null, `not valid JSON (${(e as Error).message.slice(0, 120)})`);
  }
}

function eventPairs(doc: Record<string, unknown>, key: string, text: string, path: string): [number, number][] {
  const v = doc[key];
  const line = lineOfKey(text, key);
  if (!Array.isArray(v)) throw new InputError(path, line, key, `expected a list of [toe-off, heel-strike] sample pairs`);
  const pairs: [number, number][] = [];
  v.forEach((pair, k) => {
    if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((i: unknown) => Number.isInteger(i) && (i as number) >= 0)) {
      throw new InputError(path, line, `${key}[${k}]`, `expected a pair of non-negative sample indices, found ${JSON.stringify(pair)?.slice(0, 40)}`);
    }
    if (!(pair[0] < pair[1])) throw new InputError(path, line, `${key}[${k}]`, `toe-off ${pair[0]} is not before heel strike ${pair[1]}`);
    pairs.push([pair[0], pair[1]]);
  });
  return pairs;
}

function sampleIndex(doc: Record<string, unknown>, key: string, text: string, path: string): number | null {
  const v = doc[key];
  if (v === undefined || v === null) return null;
  if (!Number.isInteger(v) || (v as number) < 0) throw new InputError(path, lineOfKey(text, key), key, `expected a sample index, found ${JSON.stringify(v)?.slice(0, 40)}`);
  return v as number;
}

function boundaries(doc: Record<string, unknown>, listKey: string, startKey: string, endKey: string, text: string, path: string): [number, number] | null {
  const list = doc[listKey];
  if (list !== undefined && list !== null) {
    if (!Array.isArray(list) || list.length !== 2 || !list.every((i: unknown) => Number.isInteger(i) && (i as number) >= 0) || list[0] > list[1]) {
      throw new InputError(path, lineOfKey(text, listKey), listKey, `expected [start, end] sample indices, found ${JSON.stringify(list)?.slice(0, 40)}`);
    }
    return [list[0], list[1]];
  }
  const start = sampleIndex(doc, startKey, text, path);
  const end = sampleIndex(doc, endKey, text, path);
  if (start === null || end === null) return null;
  if (start > end) throw new InputError(path, lineOfKey(text, endKey), endKey, `${endKey} ${end} is before ${startKey} ${start}`);
  return [start, end];
}

export function readVoisardEvents(file: SourceFile): ImportBatch {
  const text = file.bytes.toString('utf8');
  const doc = parseLenientJson(text, file.path);
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new InputError(file.path, 1, null, 'expected a JSON object');
  const d = doc as Record<string, unknown>;
  const warnings: string[] = [];
  const nameMatch = EVENTS_NAME.exec(file.name);
  const stem = typeof d.Filename === 'string' && HEALTHY_TRIAL.test(d.Filename) ? d.Filename : nameMatch?.[1];
  if (!stem) throw new InputError(file.path, null, 'file name', 'an event file is named <trial>.json or <trial>_ge.json; cannot tell the trial');
  if (nameMatch && nameMatch[1] !== stem) warnings.push(`${file.path}: the file is named for trial ${nameMatch[1]} but says "Filename": "${stem}"; ${stem} is used`);

  let rateHz = VOISARD_RATE_HZ;
  if (d.freq !== undefined) {
    if (typeof d.freq !== 'number' || !(d.freq > 0)) throw new InputError(file.path, lineOfKey(text, 'freq'), 'freq', `expected a sample rate in Hz, found ${JSON.stringify(d.freq)?.slice(0, 20)}`);
    rateHz = d.freq;
  }
  const automatic = typeof d.method_ge === 'string';
  const source = automatic ? `algorithm:${d.method_ge}` : 'annotation';
  const events: ImportedEvent[] = [];
  for (const [key, side] of [['LeftFootEvents', 'left'], ['RightFootEvents', 'right']] as const) {
    const pairs = eventPairs(d, key, text, file.path);
    pairs.forEach(([to, hs], k) => {
      if (k > 0 && to < pairs[k - 1][1]) warnings.push(`${file.path}: ${key}[${k}] starts (toe-off ${to}) before the previous heel strike ${pairs[k - 1][1]}`);
      const params = { step: k + 1, swing: [to, hs], ...(automatic ? { method: d.method_ge, manuallyChecked: false } : {}) };
      events.push(
        { label: 'final_contact', side, timeS: to / rateHz, source, params: { ...params, sample: to } },
        { label: 'initial_contact', side, timeS: hs / rateHz, source, params: { ...params, sample: hs } },
      );
    });
  }
  const walk = boundaries(d, 'TrialBoundaries', 'gait start', 'gait end', text, file.path);
  const uturn = boundaries(d, 'UTurnBoundaries', 'uturn start', 'uturn end', text, file.path);
  for (const [name, range] of [['gait', walk], ['uturn', uturn]] as const) {
    if (!range) continue;
    events.push(
      { label: `${name}_start`, side: null, timeS: range[0] / rateHz, source, params: { sample: range[0] } },
      { label: `${name}_end`, side: null, timeS: range[1] / rateHz, source, params: { sample: range[1] } },
    );
  }
  events.sort((a, b) => a.timeS - b.timeS);

  const keys = trialKeysOf(stem, file.path);
  if (!automatic) {
    const subjectAttributes: Attributes = {};
    if (typeof d.Age === 'number') subjectAttributes.age = { value: d.Age, unit: UNIT.year };
    if (typeof d.Height === 'number') subjectAttributes.height = { value: Math.round(d.Height * 10) / 1000, unit: UNIT.metre };
    if (typeof d.Weight === 'number') subjectAttributes.weight = { value: d.Weight, unit: UNIT.kilogram };
    keys.subject.attributes = subjectAttributes;
    keys.subject.sex = d.Gender === 'F' ? 'female' : d.Gender === 'M' ? 'male' : null;
    if (typeof d.Subject === 'number' && String(d.Subject) !== keys.subject.key) {
      throw new InputError(file.path, lineOfKey(text, 'Subject'), 'Subject', `subject ${d.Subject} does not match trial ${stem}`);
    }
  }
  const attributes: Attributes = {
    device: { value: 'Xsens MTw Awinda' },
    sample_rate: { value: rateHz, unit: UNIT.hertz },
    sensor_placement: { value: keys.subject.group === 'healthy' ? 'lower back (L5), left foot and right foot (dorsum)' : 'lower back (L5); the feet sensors that gave the events are not published' },
    event_time_base: { value: `t = sample index / ${rateHz} Hz; index = 0-based data row of each sensor file (PacketCounter − first PacketCounter)` },
    events_method: { value: automatic ? `${d.method_ge} (automatic, not manually checked)` : 'two validated algorithms, then manually checked (IPOL 2023)' },
    ...(typeof d.date === 'string' ? { events_computed_at: { value: d.date } } : {}),
  };
  return batchOf('voisard-events', keys, {
    key: keys.trialKey, label: keys.label, contentSha256: file.sha256, channels: [], attributes, events,
    sourceLocation: file.name,
  }, warnings);
}

export const voisardEvents: FormatModule = {
  id: 'voisard-events',
  description: 'Voisard et al. gait events JSON (<trial>.json, <trial>_ge.json: [toe-off, heel-strike] pairs per foot, 100 Hz samples)',
  // Before the sensor files: events are written with the trial that the first file of a trial creates.
  order: 20,
  // The events of a Voisard trial: the data set's keys stand (see xsensVoisardSignal).
  visits: 'own',
  detect(name, head) {
    const text = head.subarray(0, 4096).toString('latin1').trimStart();
    if (!text.startsWith('{') || !text.includes('"LeftFootEvents"') || !text.includes('"RightFootEvents"')) return 0;
    return EVENTS_NAME.test(name) ? 1 : 0.9;
  },
  read: readVoisardEvents,
};
