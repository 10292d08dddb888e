// Kistler BioWare exports. Two formats, one module each:
//
// * `kistlerBiowareText` — BioWare's ASCII export (`.txt`, tab-separated, LF): line 1 `BioWare Version x Export`,
//   then `key:<TAB>value per column` lines (Device, Samples (#), Rate (Hz), Contact period …, First sample time,
//   Normalized force/length), a `File Information` block (Date, Name, ID, Classification, Description), the column
//   names (`abs time (s)`, Fx, Fy, Fz, … repeated per plate), their units, then one row per sample. Values are in
//   physical units as BioWare computed them (N; Ax/Ay in m); nothing is recalibrated here.
// * `kistlerBiowareDat` — BioWare's native binary measurement file (`.dat`), read as BTK's KistlerDAT reader
//   does (the layout is reverse-engineered; only the first plate block is understood): 8 float32 channels
//   Fx12 Fx34 Fy14 Fy23 Fz1–Fz4 in N, stored channel by channel, and the plate's a, b, az0 in mm.
//
// See ../shared/data/forceplate-file-formats/README.md §3.
import type { Attributes, ImportBatch, ImportedChannel, ImportedEvent, ImportedTrial } from '../../src-shared/domain/import-batch';
import { InputError } from '../../src-shared/domain/errors';
import { UNIT } from '../../src-shared/units';
import {
  NEWTON_METRE, checkRegularClock, fileStem, float32Channel, forcePlateBatch, forcePlateConventions,
  plateChannels, printedDecimals, trimmedEnd, withLineOffset, type RowLine,
} from './amti-asc';
import type { FormatModule, SourceFile } from './format';
import { parseNumericTable } from './numeric-table';
import { LineReader } from './line-reader';

const TEXT_SIGNATURE = /^BioWare Version (\S+) Export\r?$/;

interface HeaderLine { line: number; key: string; values: string[] }

interface TextHeader {
  version: string;
  rows: Map<string, HeaderLine>;
  columns: HeaderLine;
  units: HeaderLine;
  dataStart: number;
  dataFirstLine: number;
  unknownKeys: string[];
}

const PER_COLUMN_KEYS = [
  'Device', 'Samples (#)', 'Rate (Hz)', 'Contact period start (sample #)', 'Contact period end (sample #)',
  'Contact period start time (s)', 'Contact period end time (s)', 'First sample time (s)', 'Normalized force (N)',
  'Normalized length (m)',
];
const INFO_KEYS = ['File Information', 'Date', 'Name', 'ID', 'Classification', 'Description'];
const MAX_HEADER_LINES = 200;

function readTextHeader(file: SourceFile): TextHeader {
  const lines = new LineReader(file.bytes);
  const first = lines.next();
  const sig = first === null ? null : TEXT_SIGNATURE.exec(first);
  if (!sig) throw new InputError(file.path, 1, null, 'not a BioWare ASCII export (line 1 should read "BioWare Version … Export")');
  const rows = new Map<string, HeaderLine>();
  const unknownKeys: string[] = [];
  for (;;) {
    const text = lines.next();
    if (text === null) throw new InputError(file.path, lines.lineNo + 1, null, 'the file ends inside the header (no "abs time (s)" column line)');
    if (lines.lineNo > MAX_HEADER_LINES) throw new InputError(file.path, lines.lineNo, null, `no "abs time (s)" column line in the first ${MAX_HEADER_LINES} lines`);
    const fields = text.split('\t');
    const key = fields[0].replace(/:$/, '').trim();
    if (/^(abs )?time\b/i.test(key)) {
      const columns: HeaderLine = { line: lines.lineNo, key, values: fields.slice(1) };
      const unitsText = lines.next();
      if (unitsText === null) throw new InputError(file.path, lines.lineNo + 1, null, 'the file ends after the column names (no units line)');
      const unitFields = unitsText.split('\t');
      const units: HeaderLine = { line: lines.lineNo, key: unitFields[0], values: unitFields.slice(1) };
      return { version: sig[1], rows, columns, units, dataStart: lines.pos, dataFirstLine: lines.lineNo + 1, unknownKeys };
    }
    if (key === '') continue;
    if (!PER_COLUMN_KEYS.includes(key) && !INFO_KEYS.includes(key)) unknownKeys.push(key);
    rows.set(key, { line: lines.lineNo, key, values: fields.slice(1) });
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** BioWare's `Oct 22, 2014  12:05:31` as ISO `2014-10-22T12:05:31`, or null when it reads otherwise. */
export function biowareDate(text: string): string | null {
  const m = /^([A-Z][a-z]{2}) (\d{1,2}), (\d{4})\s+(\d{1,2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const month = MONTHS.indexOf(m[1]) + 1;
  const [year, day, hour, minute, second] = [m[3], m[2], m[4], m[5], m[6]].map(Number);
  const t = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (month === 0 || t.getUTCDate() !== day || t.getUTCMonth() !== month - 1 || t.getUTCHours() !== hour || minute > 59 || second > 59) return null;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${m[3]}-${two(month)}-${two(day)}T${two(hour)}:${m[5]}:${m[6]}`;
}

/** The Kistler type code in a device name (`Kistler Grande2 9287CA` → `9287CA`). */
function kistlerType(device: string): string | null {
  return /\b(9\d{3}[A-Z]{1,3}\d{0,2})\b/.exec(device)?.[1] ?? null;
}

type ColumnKind = 'force' | 'moment' | 'cop' | 'tz' | 'sensor' | 'other';
const COLUMN_KIND: Record<string, ColumnKind> = {
  Fx: 'force', Fy: 'force', Fz: 'force', Mx: 'moment', My: 'moment', Mz: 'moment', Ax: 'cop', Ay: 'cop', Tz: 'tz',
  Fx12: 'sensor', Fx34: 'sensor', Fy14: 'sensor', Fy23: 'sensor', Fz1: 'sensor', Fz2: 'sensor', Fz3: 'sensor', Fz4: 'sensor',
};
const SUFFIX: Record<string, string> = { Ax: 'COPx', Ay: 'COPy' };

/** Target unit and factor for a column, or an error naming the units line. */
function convertUnit(kind: ColumnKind, name: string, unit: string, file: string, line: number): { unit: string; factor: number } {
  const u = unit.trim();
  const bad = (expected: string) => new InputError(file, line, name, `unit "${u}" for ${name}: expected ${expected}`);
  switch (kind) {
    case 'force': case 'sensor':
      if (u === 'N') return { unit: UNIT.newton, factor: 1 };
      if (u === 'kN') return { unit: UNIT.newton, factor: 1000 };
      throw bad('N or kN');
    case 'moment':
      if (/^N[·.\s]?m$/.test(u)) return { unit: NEWTON_METRE, factor: 1 };
      if (/^N[·.\s]?mm$/.test(u)) return { unit: UNIT.newtonMillimetre, factor: 1 };
      throw bad('N·m or N·mm');
    case 'tz':
      if (/^N[·.\s]?m$/.test(u)) return { unit: UNIT.newtonMillimetre, factor: 1000 };
      if (/^N[·.\s]?mm$/.test(u)) return { unit: UNIT.newtonMillimetre, factor: 1 };
      throw bad('N·m or N·mm');
    case 'cop':
      if (u === 'm') return { unit: UNIT.millimetre, factor: 1000 };
      if (u === 'mm') return { unit: UNIT.millimetre, factor: 1 };
      throw bad('m or mm');
    default:
      return { unit: u, factor: 1 };
  }
}

interface PlateColumns { device: string; deviceName: string; columns: number[] }

/** Groups data columns into plates: a new plate where the device name changes or a quantity repeats. */
function groupPlates(devices: string[], names: string[]): (PlateColumns | null)[] {
  const plateOf: (PlateColumns | null)[] = [];
  let current: PlateColumns | null = null;
  let count = 0;
  for (let c = 0; c < names.length; c++) {
    const deviceName = devices[c].trim();
    if (deviceName === '') { plateOf.push(null); continue; }
    if (!current || current.deviceName !== deviceName || current.columns.some((k) => names[k] === names[c])) {
      current = { device: `FP${++count}`, deviceName, columns: [] };
    }
    current.columns.push(c);
    plateOf.push(current);
  }
  return plateOf;
}

function perColumnNumbers(file: string, header: TextHeader, key: string, count: number, required: boolean): number[] | null {
  const row = header.rows.get(key);
  if (!row) {
    if (required) throw new InputError(file, null, key, `the header has no "${key}:" line`);
    return null;
  }
  const values = row.values.slice(0, count).map((t, c) => {
    const v = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t.trim()) ? Number(t) : NaN;
    if (!Number.isFinite(v)) throw new InputError(file, row.line, key, `column ${c + 2}: not a finite number: "${t.slice(0, 40)}"`);
    return v;
  });
  if (values.length !== count) throw new InputError(file, row.line, key, `lists ${values.length} values for ${count} data columns`);
  return values;
}

function oneValue(file: string, line: number, key: string, values: number[]): number {
  if (values.some((v) => v !== values[0])) throw new InputError(file, line, key, `columns differ (${[...new Set(values)].join(', ')}); one time column cannot serve them`);
  return values[0];
}

function readBiowareText(file: SourceFile): ImportBatch {
  const header = readTextHeader(file);
  const names = header.columns.values.map((n) => n.trim());
  const count = names.length;
  if (count === 0 || names.some((n) => n === '')) throw new InputError(file.path, header.columns.line, 'columns', 'the column line names no data columns, or an empty one');
  const deviceRow = header.rows.get('Device');
  if (!deviceRow) throw new InputError(file.path, null, 'Device', 'the header has no "Device:" line');
  if (deviceRow.values.length !== count) throw new InputError(file.path, deviceRow.line, 'Device', `lists ${deviceRow.values.length} devices for ${count} data columns`);
  if (header.units.values.length !== count) throw new InputError(file.path, header.units.line, 'units', `lists ${header.units.values.length} units for ${count} data columns`);
  const samplesRow = header.rows.get('Samples (#)');
  const rateRow = header.rows.get('Rate (Hz)');
  const samples = oneValue(file.path, samplesRow?.line ?? 0, 'Samples (#)', perColumnNumbers(file.path, header, 'Samples (#)', count, true)!);
  const rateHz = oneValue(file.path, rateRow?.line ?? 0, 'Rate (Hz)', perColumnNumbers(file.path, header, 'Rate (Hz)', count, true)!);
  if (!(rateHz > 0)) throw new InputError(file.path, rateRow?.line ?? null, 'Rate (Hz)', `sample rate ${rateHz} Hz`);

  const end = trimmedEnd(file.bytes, header.dataStart);
  if (end <= header.dataStart) throw new InputError(file.path, header.dataFirstLine, null, `no data rows (the header declares ${samples} samples)`);
  const columnName = (c: number) => (c === 0 ? 'time' : `${names[c - 1]} (column ${c + 1})`);
  const table = withLineOffset(header.dataFirstLine - 1, () => parseNumericTable(file.bytes.subarray(header.dataStart, end), count + 1, file.path, columnName));
  const line: RowLine = (r) => header.dataFirstLine + r;
  if (table.rows !== samples) {
    throw new InputError(file.path, line(table.rows), null, `${table.rows} data rows, the header declares ${samples} samples${table.rows < samples ? ' (truncated file?)' : ''}`);
  }
  const time = table.columns[0];
  const firstTimeToken = file.bytes.toString('latin1', header.dataStart, Math.min(end, header.dataStart + 40)).split(/[\t\r\n]/)[0];
  checkRegularClock(file.path, line, time, printedDecimals(firstTimeToken), rateHz);
  const firstSample = perColumnNumbers(file.path, header, 'First sample time (s)', count, false);
  if (firstSample && Math.abs(time[0] - firstSample[0]) > 0.5 * 10 ** -printedDecimals(firstTimeToken)) {
    throw new InputError(file.path, line(0), 'time', `first time stamp ${time[0]} s, the header's First sample time is ${firstSample[0]} s`);
  }

  const plateOf = groupPlates(deviceRow.values, names);
  const channels: ImportedChannel[] = [];
  const used = new Set<string>();
  const attributes: Attributes = {
    vendor: { value: 'Kistler' },
    software: { value: `BioWare ${header.version}` },
    export_format: { value: 'BioWare ASCII export' },
    sample_rate: { value: rateHz, unit: UNIT.hertz },
    rate_source: { value: 'header (Rate (Hz))' },
    values_in_physical_units: { value: 'yes' },
    calibration_source: { value: 'BioWare (the export is in the units of its units line)' },
  };
  const events: ImportedEvent[] = [];
  const warnings: string[] = [];
  let derivedCop = false;
  const plates = [...new Set(plateOf.filter((p): p is PlateColumns => p !== null))];
  for (let c = 0; c < count; c++) {
    if (plateOf[c] !== null) continue;
    const { unit } = convertUnit('other', names[c], header.units.values[c], file.path, header.units.line);
    const name = used.has(names[c]) ? `${names[c]}_${c + 1}` : names[c];
    used.add(name);
    channels.push(float32Channel(file.path, line, { name, unit, rateHz, device: null }, table.columns[c + 1]));
  }
  for (const plate of plates) {
    const key = plate.device.toLowerCase();
    attributes[`${key}_device`] = { value: plate.deviceName };
    const type = kistlerType(plate.deviceName);
    if (type) attributes[`${key}_type`] = { value: type };
    const byName = new Map<string, { values: Float64Array; unit: string }>();
    for (const c of plate.columns) {
      const kind = COLUMN_KIND[names[c]] ?? 'other';
      const { unit, factor } = convertUnit(kind, names[c], header.units.values[c], file.path, header.units.line);
      const values = factor === 1 ? table.columns[c + 1] : table.columns[c + 1].map((v) => v * factor);
      byName.set(names[c], { values, unit });
      const name = `${plate.device}_${SUFFIX[names[c]] ?? names[c]}`;
      used.add(name);
      channels.push(float32Channel(file.path, line, { name, unit, rateHz, device: plate.device }, values));
    }
    const has = (n: string) => byName.has(n);
    if (has('Ax') || has('Ay')) attributes[`${key}_cop_source`] = { value: 'BioWare (Ax, Ay as exported, in mm)' };
    // With forces and moments but no COP of BioWare's own, derive it (the export gives no az0: see plateChannels).
    if (['Fx', 'Fy', 'Fz', 'Mx', 'My', 'Mz'].every(has) && !has('Ax') && !has('Ay') && !has('Tz')) {
      const get = (n: string) => byName.get(n)!.values;
      const momentUnit = byName.get('Mx')!.unit;
      if (byName.get('My')!.unit !== momentUnit || byName.get('Mz')!.unit !== momentUnit) {
        throw new InputError(file.path, header.units.line, 'units', `${plate.device}: Mx, My and Mz have different units`);
      }
      const derived = plateChannels(file.path, line, {
        device: plate.device, rateHz, fx: get('Fx'), fy: get('Fy'), fz: get('Fz'),
        moments: { mx: get('Mx'), my: get('My'), mz: get('Mz'), unit: momentUnit as typeof NEWTON_METRE | typeof UNIT.newtonMillimetre },
        surfaceFromOriginMm: null,
      });
      channels.push(...derived.channels.filter((ch) => !used.has(ch.name)));
      Object.assign(attributes, derived.attributes);
      derivedCop = true;
    }
    events.push(...contactPeriod(file.path, header, plate, count));
  }
  Object.assign(attributes, forcePlateConventions(derivedCop));
  const normForce = perColumnNumbers(file.path, header, 'Normalized force (N)', count, false);
  if (normForce) attributes.normalized_force = { value: normForce[0], unit: UNIT.newton };
  const normLength = perColumnNumbers(file.path, header, 'Normalized length (m)', count, false);
  if (normLength) attributes.normalized_length = { value: normLength[0], unit: UNIT.metre };
  const info = (k: string) => header.rows.get(k)?.values.join('\t').trim() ?? '';
  for (const [k, attr] of [['Classification', 'classification'], ['Description', 'description']] as const) {
    if (info(k)) attributes[attr] = { value: info(k) };
  }
  const dateText = info('Date');
  const date = dateText ? biowareDate(dateText) : null;
  if (dateText) attributes.recording_date_text = { value: dateText };
  if (dateText && !date) warnings.push(`${file.path} line ${header.rows.get('Date')!.line}: date "${dateText}" not understood; session date left empty`);
  if (header.unknownKeys.length) warnings.push(`${file.path}: header lines not understood and ignored: ${header.unknownKeys.join(', ')}`);

  const stem = fileStem(file.name);
  const subjectKey = info('ID') || info('Name') || stem;
  const trial: ImportedTrial = {
    key: stem,
    label: stem,
    contentSha256: file.sha256,
    channels,
    deviceTimeS: Float64Array.from(time),
    attributes,
    sourceLocation: `lines ${header.dataFirstLine}–${header.dataFirstLine + table.rows - 1}`,
    events,
  };
  return forcePlateBatch('kistler-bioware-txt', file.path, subjectKey, stem, trial, warnings, date);
}

/** BioWare's contact period of a plate (the first column's values: BioWare repeats them per column). */
function contactPeriod(file: string, header: TextHeader, plate: PlateColumns, count: number): ImportedEvent[] {
  const events: ImportedEvent[] = [];
  for (const [label, sampleKey, timeKey] of [
    ['Contact period start', 'Contact period start (sample #)', 'Contact period start time (s)'],
    ['Contact period end', 'Contact period end (sample #)', 'Contact period end time (s)'],
  ] as const) {
    const times = perColumnNumbers(file, header, timeKey, count, false);
    if (!times) continue;
    const sampleNumbers = perColumnNumbers(file, header, sampleKey, count, false);
    const c = plate.columns[0];
    events.push({
      label, side: null, timeS: times[c], source: 'bioware:contact-period',
      params: { device: plate.device, ...(sampleNumbers ? { sample: sampleNumbers[c] } : {}) },
    });
  }
  return events;
}

export const kistlerBiowareText: FormatModule = {
  id: 'kistler-bioware-txt',
  description: 'Kistler BioWare ASCII export (.txt: header, then time and Fx/Fy/Fz/… per plate in N, Ax/Ay in m)',
  order: 30,
  // One file is one trial of a lab's visit: the files of a folder are grouped into the visit.
  visits: 'folder',
  detect(_name, head) {
    const end = head.indexOf(10);
    const first = head.toString('latin1', 0, end < 0 ? Math.min(head.length, 200) : end);
    return TEXT_SIGNATURE.test(first) ? 1 : 0;
  },
  read: readBiowareText,
};

// ------------------------------------------------------------------------------------------------- .dat

const DAT_LABELS = ['Fx12', 'Fx34', 'Fy14', 'Fy23', 'Fz1', 'Fz2', 'Fz3', 'Fz4'] as const;

/** Little-endian reader that turns running off the end into an InputError naming what was being read. */
class DatCursor {
  pos = 0;
  constructor(readonly file: string, readonly bytes: Buffer) {}
  need(n: number, what: string): void {
    if (n < 0 || this.pos + n > this.bytes.length) {
      throw new InputError(this.file, null, what, `the file ends at byte ${this.bytes.length} while reading ${what} at byte ${this.pos} (truncated?)`);
    }
  }
  skip(n: number, what: string): void { this.need(n, what); this.pos += n; }
  i32(what: string): number { this.need(4, what); const v = this.bytes.readInt32LE(this.pos); this.pos += 4; return v; }
  u16(what: string): number { this.need(2, what); const v = this.bytes.readUInt16LE(this.pos); this.pos += 2; return v; }
  f64(what: string): number {
    this.need(8, what);
    const v = this.bytes.readDoubleLE(this.pos);
    if (!Number.isFinite(v)) throw new InputError(this.file, null, what, `not a finite number at byte ${this.pos}`);
    this.pos += 8;
    return v;
  }
  text8(what: string): string { this.need(1, what); const n = this.bytes[this.pos++]; this.need(n, what); const s = this.bytes.toString('latin1', this.pos, this.pos + n); this.pos += n; return s; }
}

interface DatHeader {
  channels: number; frames: number; resolution: number; rateHz: number; setup: string;
  device: string; type: string; serial: string; contactStart: number; contactEnd: number;
  widthMm: number; lengthMm: number; aMm: number; bMm: number; az0Mm: number; dataStart: number;
}

/**
 * The layout BTK's KistlerDATFileIO reads (BioWare 3-era files; "totally experimental" there): a general header
 * (key 2, a table, channel/frame counts, ADC resolution, rate, a setup name), then one plate header repeating those
 * counts, with the plate's name, type, serial, contact period, size and a, b, az0 (mm), then the data.
 */
function readDatHeader(c: DatCursor): DatHeader {
  if (c.i32('header key') !== 2) throw new InputError(c.file, null, 'header key', 'not a BioWare .dat file (the first 4 bytes should read 2)');
  c.skip(12, 'general header');
  const rows = c.i32('table size'), cols = c.i32('table size');
  if (rows < 0 || cols < 0 || rows * cols > 4096) throw new InputError(c.file, null, 'table size', `table of ${rows} × ${cols} is not plausible`);
  c.skip(4 + rows * cols * 4 + 4 + 22, 'general header');
  const channels = c.i32('channel count'), frames = c.i32('frame count');
  c.skip(4, 'general header');
  const resolution = c.i32('ADC resolution');
  const rateHz = c.f64('sample rate');
  c.skip(30, 'general header');
  const setupLength = c.u16('setup name');
  c.need(setupLength, 'setup name');
  const setup = c.bytes.toString('latin1', c.pos, c.pos + setupLength);
  c.pos += setupLength;
  c.skip(12, 'plate header');
  const repeated: [string, number, number][] = [['channel count', c.i32('plate channel count'), channels], ['frame count', c.i32('plate frame count'), frames]];
  c.skip(4, 'plate header');
  repeated.push(['ADC resolution', c.i32('plate ADC resolution'), resolution], ['sample rate', c.f64('plate sample rate'), rateHz]);
  for (const [what, plate, general] of repeated) {
    if (plate !== general) throw new InputError(c.file, null, what, `the plate header says ${plate}, the general header ${general}: not a layout this reader knows`);
  }
  if (channels !== DAT_LABELS.length) throw new InputError(c.file, null, 'channel count', `${channels} channels: only 8-channel (Fx12 … Fz4) plates are supported`);
  if (!(frames > 0)) throw new InputError(c.file, null, 'frame count', `${frames} frames`);
  if (!(rateHz > 0 && rateHz <= 1e6)) throw new InputError(c.file, null, 'sample rate', `${rateHz} Hz`);
  c.skip(28, 'plate header');
  const device = c.text8('plate name'), type = c.text8('plate type'), serial = c.text8('plate serial number');
  const contactStart = c.i32('contact period start'), contactEnd = c.i32('contact period end');
  c.skip(12, 'plate header');
  const widthMm = c.f64('plate width'), lengthMm = c.f64('plate length'), aMm = c.f64('plate a'), bMm = c.f64('plate b');
  c.skip(24, 'plate header');
  const az0Mm = c.f64('plate az0');
  c.skip(8, 'plate header');
  for (let k = 0; k < 3; k++) c.text8('amplifier text');
  c.skip(8 + 128 + 128 + 104, 'plate header');
  if (!(widthMm > 0 && lengthMm > 0 && aMm > 0 && bMm > 0)) throw new InputError(c.file, null, 'plate geometry', `width ${widthMm}, length ${lengthMm}, a ${aMm}, b ${bMm} mm are not plausible`);
  return { channels, frames, resolution, rateHz, setup, device, type, serial, contactStart, contactEnd, widthMm, lengthMm, aMm, bMm, az0Mm, dataStart: c.pos };
}

function readBiowareDat(file: SourceFile): ImportBatch {
  if (file.bytes.length === 0) throw new InputError(file.path, null, null, 'the file is empty');
  const c = new DatCursor(file.path, file.bytes);
  const h = readDatHeader(c);
  const bytesNeeded = h.channels * h.frames * 4;
  if (c.pos + bytesNeeded > file.bytes.length) {
    throw new InputError(file.path, null, 'data', `the file ends inside the data: ${h.channels} channels × ${h.frames} samples need ${bytesNeeded} bytes from byte ${c.pos}, ${file.bytes.length - c.pos} present (truncated)`);
  }
  const sensors = DAT_LABELS.map((label, k) => {
    const v = new Float64Array(h.frames);
    for (let i = 0; i < h.frames; i++) {
      const at = h.dataStart + (k * h.frames + i) * 4;
      const x = file.bytes.readFloatLE(at);
      if (!Number.isFinite(x)) throw new InputError(file.path, null, `${label} sample ${i + 1}`, `not a finite number at byte ${at}`);
      v[i] = x;
    }
    return v;
  });
  const [fx12, fx34, fy14, fy23, fz1, fz2, fz3, fz4] = sensors;
  const n = h.frames;
  const fx = new Float64Array(n), fy = new Float64Array(n), fz = new Float64Array(n);
  const mx = new Float64Array(n), my = new Float64Array(n), mz = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // Kistler's 8-channel plate (C3D type 3): moments about the sensor-plane centre, a and b in mm.
    fx[i] = fx12[i] + fx34[i];
    fy[i] = fy14[i] + fy23[i];
    fz[i] = fz1[i] + fz2[i] + fz3[i] + fz4[i];
    mx[i] = h.bMm * (fz1[i] + fz2[i] - fz3[i] - fz4[i]);
    my[i] = h.aMm * (-fz1[i] + fz2[i] + fz3[i] - fz4[i]);
    mz[i] = h.bMm * (-fx12[i] + fx34[i]) + h.aMm * (fy14[i] - fy23[i]);
  }
  const warnings: string[] = [];
  // The working surface lies |az0| above the sensors; Z points down, so the surface is at z = −|az0| (BTK flips a
  // positive az0 the same way).
  const az0 = -Math.abs(h.az0Mm);
  if (h.az0Mm > 0) warnings.push(`${file.path}: az0 is stored as +${h.az0Mm} mm; taken as ${az0} mm (the surface is above the sensors)`);
  const extra = file.bytes.length - (h.dataStart + bytesNeeded);
  if (extra > 0) warnings.push(`${file.path}: ${extra} bytes after the first plate's data are in a layout this reader does not know and were not read`);
  const line: RowLine = () => 0;
  const device = 'FP1';
  const channels: ImportedChannel[] = DAT_LABELS.map((label, k) => float32Channel(file.path, line, { name: `${device}_${label}`, unit: UNIT.newton, rateHz: h.rateHz, device }, sensors[k]));
  const plate = plateChannels(file.path, line, {
    device, rateHz: h.rateHz, fx, fy, fz, moments: { mx, my, mz, unit: UNIT.newtonMillimetre }, surfaceFromOriginMm: [0, 0, az0],
  });
  channels.push(...plate.channels);
  const events: ImportedEvent[] = [];
  if (h.contactStart >= 0 && h.contactEnd >= h.contactStart && h.contactEnd < n) {
    for (const [label, sample] of [['Contact period start', h.contactStart], ['Contact period end', h.contactEnd]] as const) {
      events.push({ label, side: null, timeS: sample / h.rateHz, source: 'bioware:contact-period', params: { device, sample } });
    }
  }
  const stem = fileStem(file.name);
  const trial: ImportedTrial = {
    key: stem,
    label: stem,
    contentSha256: file.sha256,
    channels,
    attributes: {
      vendor: { value: 'Kistler' },
      software: { value: 'BioWare' },
      export_format: { value: 'BioWare measurement file (.dat), layout as BTK\'s KistlerDAT reader knows it' },
      bioware_setup: { value: h.setup },
      sample_rate: { value: h.rateHz, unit: UNIT.hertz },
      rate_source: { value: 'header' },
      adc_resolution: { value: h.resolution, unit: 'bit' },
      values_in_physical_units: { value: 'yes' },
      calibration_source: { value: 'BioWare (the file stores the 8 sensor forces in N)' },
      fp1_device: { value: h.device },
      fp1_type: { value: h.type },
      fp1_serial: { value: h.serial },
      fp1_size: { value: JSON.stringify([h.widthMm, h.lengthMm]), unit: UNIT.millimetre },
      fp1_sensor_offsets: { value: JSON.stringify({ a: h.aMm, b: h.bMm, az0: h.az0Mm }), unit: UNIT.millimetre },
      ...forcePlateConventions(true),
      ...plate.attributes,
    },
    sourceLocation: `bytes ${h.dataStart}–${h.dataStart + bytesNeeded - 1}`,
    events,
  };
  return forcePlateBatch('kistler-bioware-dat', file.path, stem, stem, trial, warnings);
}

export const kistlerBiowareDat: FormatModule = {
  id: 'kistler-bioware-dat',
  description: 'Kistler BioWare measurement file (.dat, binary): 8 sensor forces of one plate in N; FP1 forces, COP and Tz',
  order: 30,
  // One file is one trial of a lab's visit: the files of a folder are grouped into the visit.
  visits: 'folder',
  detect(name, head) {
    if (head.length < 4 || head.readInt32LE(0) !== 2) return 0;
    try {
      readDatHeader(new DatCursor(name, head));
    } catch {
      return 0;
    }
    return /\.dat$/i.test(name) ? 1 : 0.9;
  },
  read: readBiowareDat,
};
