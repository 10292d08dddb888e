// Motion Analysis analog files: `.anc` ("Analog R/C ASCII", generation 2) and the force-plate calibration `.cal`.
//
// ANC: a tab-separated header (File_Type/Generation#, Board_Type/Polarity, Trial_Name/Trial#/Duration(Sec.)/
// #Channels, BitDepth/PreciseRate), then the Name, Rate and Range (± mV) rows, then one row per sample: time in s
// and one signed A/D count per channel (trailing TAB, CRLF). Counts become volts from the file's own BitDepth and
// Range: V = count × 2 × Range_mV / 1000 / 2^BitDepth (BTK's ANxFileIOStoreHeader).
//
// CAL (`forcepla.cal`): per plate, its number; `s w l`; a 6×6 matrix; the true origin relative to the surface
// centre (cm); the plate centre in the lab (cm); the 3×3 rotation plate → lab. `w l` is the plate size in cm (BTK).
// `s` converts volts into the matrix's input unit: 25 in Forcepla.cal (µV/V per V for an amplifier gain of 4000 at
// 10 V excitation — the constant BTK hard-codes for ANC force channels, and what btk-Gait.c3d's SCALE −0.1221
// = −(20 V / 2^12) × 25 encodes), 1 in forcepla6.cal (matrix in N/V, as Res16bits.c3d's SCALE −2·10/2^16 V and its
// CAL_MATRIX show). So wrench = matrix × (s × volts of the plate's fx fy fz mx my mz), forces in N, moments N·m.
// The reading of `s` is inferred from those two files and their C3D twins; the format has no published spec.
//
// A calibration is used when it sits beside the .anc as a file the header names, `<stem>.cal`, or `forcepla.cal`
// (Motion Analysis's default name), matched without regard to case, and only when it describes exactly as many
// plates as the .anc has force channels for: a calibration of some other set of plates is never applied.
// A `.cal` on its own imports nothing: `motionAnalysisCal` recognises and validates it and returns an empty batch.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createHash } from 'node:crypto';
import type { Attributes, ImportBatch, ImportedChannel, ImportedTrial } from '../../src-shared/domain/import-batch';
import { InputError } from '../../src-shared/domain/errors';
import { UNIT } from '../../src-shared/units';
import {
  NEWTON_METRE, VOLT, checkRegularClock, fileStem, float32Channel, forcePlateBatch, forcePlateConventions, plateChannels,
  printedDecimals, trimmedEnd, withLineOffset, type RowLine,
} from './amti-asc';
import type { FormatModule, SourceFile } from './format';
import { parseNumericTable } from './numeric-table';
import { LineReader } from './line-reader';

// ---------------------------------------------------------------------------------------------------- CAL

export interface PlateCalibration {
  /** Plate number as written (1, 2, …). */
  plate: number;
  /** Line of the plate number, for messages. */
  line: number;
  /** Factor from volts to the matrix's input unit (first number of the size line). */
  inputScale: number;
  widthMm: number;
  lengthMm: number;
  /** Rows Fx Fy Fz (N) and Mx My Mz (N·m) per input unit; columns the plate's fx fy fz mx my mz channels. */
  matrix: number[][];
  /** C3D ORIGIN: from the transducer origin to the surface centre, plate axes, mm (−10 × the file's origin line). */
  surfaceFromOriginMm: [number, number, number];
  centreLabMm: [number, number, number];
  rotationPlateToLab: number[][];
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Reads every plate block of a `.cal`; `maxPlates` stops early (detection reads one). */
export function parseForcePlateCalibration(file: string, bytes: Uint8Array, maxPlates = Infinity): PlateCalibration[] {
  const lines = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1').split('\n');
  let next = 0;
  const take = (count: number, field: string, plate: number, after: string): { values: number[]; line: number } => {
    while (next < lines.length && lines[next].trim() === '') next++;
    if (next >= lines.length) throw new InputError(file, lines.length, field, `the file ends inside plate ${plate}${after ? ` (after its ${after})` : ''}`);
    const line = next + 1;
    const tokens = lines[next++].trim().split(/[\t ]+/);
    if (tokens.length !== count) throw new InputError(file, line, field, `expected ${count} value${count > 1 ? 's' : ''}, found ${tokens.length}`);
    const values = tokens.map((t) => {
      const v = NUMBER.test(t) ? Number(t) : NaN;
      if (!Number.isFinite(v)) throw new InputError(file, line, field, `not a finite number: "${t.slice(0, 40)}"`);
      return v;
    });
    return { values, line };
  };
  const plates: PlateCalibration[] = [];
  for (let k = 1; k <= maxPlates; k++) {
    while (next < lines.length && lines[next].trim() === '') next++;
    if (next >= lines.length) break;
    const index = take(1, `plate ${k} number`, k, '');
    if (index.values[0] !== k) throw new InputError(file, index.line, `plate ${k} number`, `expected plate number ${k}, found ${index.values[0]}`);
    const [inputScale, widthCm, lengthCm] = take(3, `plate ${k} scale and size`, k, 'number').values;
    if (!(inputScale > 0 && widthCm > 0 && lengthCm > 0)) throw new InputError(file, index.line + 1, `plate ${k} scale and size`, 'scale, width and length must be positive');
    const matrix = Array.from({ length: 6 }, (_, r) => take(6, `plate ${k} calibration matrix row ${r + 1}`, k, r ? `matrix row ${r}` : 'size line').values);
    const origin = take(3, `plate ${k} origin`, k, 'calibration matrix').values;
    const centre = take(3, `plate ${k} centre`, k, 'origin').values;
    const rotationStart = next + 1;
    const rotation = Array.from({ length: 3 }, (_, r) => take(3, `plate ${k} rotation row ${r + 1}`, k, r ? `rotation row ${r}` : 'centre').values);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
      const dot = rotation[i][0] * rotation[j][0] + rotation[i][1] * rotation[j][1] + rotation[i][2] * rotation[j][2];
      if (Math.abs(dot - (i === j ? 1 : 0)) > 1e-2) throw new InputError(file, rotationStart, `plate ${k} rotation`, 'the 3×3 rotation is not orthonormal');
    }
    plates.push({
      plate: k, line: index.line, inputScale, widthMm: widthCm * 10, lengthMm: lengthCm * 10, matrix,
      surfaceFromOriginMm: [-10 * origin[0], -10 * origin[1], -10 * origin[2]],
      centreLabMm: [10 * centre[0], 10 * centre[1], 10 * centre[2]],
      rotationPlateToLab: rotation,
    });
  }
  if (plates.length === 0) throw new InputError(file, null, null, 'the file is empty (no plate)');
  return plates;
}

export const motionAnalysisCal: FormatModule = {
  id: 'motion-analysis-cal',
  description: 'Motion Analysis force-plate calibration (.cal): recognised and checked, imports nothing by itself (the .anc beside it uses it)',
  order: 5,
  // A calibration imports no recording.
  visits: 'own',
  detect(name, head) {
    const byName = /\.cal$/i.test(name);
    if (head.length === 0) return byName ? 0.5 : 0;
    try {
      parseForcePlateCalibration(name, head, 1);
    } catch {
      return 0;
    }
    return byName ? 1 : 0.9;
  },
  read(file: SourceFile): ImportBatch {
    parseForcePlateCalibration(file.path, file.bytes);
    return { format: 'motion-analysis-cal', subjects: [], sessions: [], warnings: [] };
  },
};

// ---------------------------------------------------------------------------------------------------- ANC

const ANC_SIGNATURE = 'File_Type:\tAnalog R/C ASCII\t';
const MAX_HEADER_LINES = 40;

interface AncHeader {
  values: Map<string, { value: string; line: number }>;
  names: string[];
  rates: number[];
  rangesMv: number[];
  rowsLine: number;
  dataStart: number;
  dataFirstLine: number;
  /** `.cal` names mentioned anywhere in the key/value lines. */
  calibrationRefs: string[];
}

function readAncHeader(file: SourceFile): AncHeader {
  const lines = new LineReader(file.bytes);
  const values = new Map<string, { value: string; line: number }>();
  const calibrationRefs: string[] = [];
  for (;;) {
    const text = lines.next();
    if (text === null) throw new InputError(file.path, lines.lineNo + 1, 'Name', 'the file ends inside the header (no Name row)');
    if (lines.lineNo === 1 && !text.startsWith(ANC_SIGNATURE)) throw new InputError(file.path, 1, 'File_Type', 'not a Motion Analysis ANC file (line 1 should start "File_Type:<TAB>Analog R/C ASCII")');
    if (lines.lineNo > MAX_HEADER_LINES) throw new InputError(file.path, lines.lineNo, 'Name', `no Name row in the first ${MAX_HEADER_LINES} lines`);
    const fields = text.split('\t');
    if (fields[0] === 'Name') {
      const row = (key: string): string[] => {
        const t = lines.next();
        const f = t === null ? [] : t.split('\t');
        if (f[0] !== key) throw new InputError(file.path, lines.lineNo, key, `expected the ${key} row after the Name row`);
        return f.slice(1);
      };
      const names = fields.slice(1);
      const rateLine = lines.lineNo + 1;
      const rates = row('Rate').map((t, c) => headerNumber(file.path, rateLine, 'Rate', t, c));
      const rangeLine = lines.lineNo;
      const rangesMv = row('Range').map((t, c) => headerNumber(file.path, rangeLine + 1, 'Range', t, c));
      return { values, names, rates, rangesMv, rowsLine: rateLine - 1, dataStart: lines.pos, dataFirstLine: lines.lineNo + 1, calibrationRefs };
    }
    for (let k = 0; k + 1 < fields.length; k += 2) {
      const key = fields[k].trim().replace(/:$/, '');
      if (key) values.set(key, { value: fields[k + 1].trim(), line: lines.lineNo });
    }
    for (const f of fields) if (/\.cal$/i.test(f.trim())) calibrationRefs.push(basename(f.trim().replace(/\\/g, '/')));
  }
}

function headerNumber(file: string, line: number, field: string, token: string, column: number): number {
  const t = token.trim();
  if (t === '') return NaN; // the trailing TAB; checked against #Channels by the caller
  const v = NUMBER.test(t) ? Number(t) : NaN;
  if (!Number.isFinite(v)) throw new InputError(file, line, field, `column ${column + 2}: not a finite number: "${t.slice(0, 40)}"`);
  return v;
}

/** Drops the empty field the trailing TAB leaves, then insists on `count` fields. */
function perChannel<T>(file: string, line: number, field: string, list: T[], count: number, isEmpty: (v: T) => boolean): T[] {
  const trimmed = list.length === count + 1 && isEmpty(list[count]) ? list.slice(0, count) : list;
  if (trimmed.length !== count) throw new InputError(file, line, field, `lists ${trimmed.length} channels, the header's #Channels says ${count}`);
  return trimmed;
}

/** Force-plate channel labels as BTK knows them: F1X, FX1, FX, FP1FX, FP1_FX (any case). */
function plateComponent(label: string): { plate: number; component: number } | null {
  const m = /^(?:FP(\d+)[_ ]?)?([FM])(\d+)?([XYZ])(\d+)?$/i.exec(label.trim());
  if (!m) return null;
  const numbers = [m[1], m[3], m[5]].filter((x) => x !== undefined);
  if (numbers.length > 1) return null;
  const component = (m[2].toUpperCase() === 'F' ? 0 : 3) + 'XYZ'.indexOf(m[4].toUpperCase());
  return { plate: numbers.length ? Number(numbers[0]) : 1, component };
}

interface FoundCalibration { name: string; how: string; bytes: Buffer }

function findCalibration(file: SourceFile, refs: string[], warnings: string[]): FoundCalibration | null {
  let entries: string[];
  try {
    entries = readdirSync(dirname(file.path));
  } catch {
    return null; // not on disk (a file handed over in memory): no companion to look for
  }
  const stem = fileStem(file.name);
  const wanted: [string, string][] = [
    ...refs.map((r): [string, string] => [r, 'named in the header']),
    [`${stem}.cal`, 'same name as the .anc'],
    ['forcepla.cal', 'Motion Analysis\'s default name, beside the .anc'],
  ];
  for (const [name, how] of wanted) {
    const match = entries.find((e) => e === name) ?? entries.find((e) => e.toLowerCase() === name.toLowerCase());
    if (!match) {
      if (how === 'named in the header') warnings.push(`${file.path}: the header names ${name}, not found beside the file`);
      continue;
    }
    try {
      return { name: match, how, bytes: readFileSync(join(dirname(file.path), match)) };
    } catch (e) {
      warnings.push(`${file.path}: cannot read ${match} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }
  return null;
}

const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'number' ? Number(x.toPrecision(9)) : x));

/**
 * Reads an ANC file. `calibration` overrides the search beside the file: pass `null` for volts only, or a parsed
 * calibration with the name it should be reported under.
 */
export function readAnc(file: SourceFile, calibration?: { name: string; plates: PlateCalibration[]; sha256?: string } | null): ImportBatch {
  if (trimmedEnd(file.bytes) === 0) throw new InputError(file.path, null, null, 'the file is empty');
  const header = readAncHeader(file);
  const get = (key: string): { value: string; line: number } => {
    const v = header.values.get(key);
    if (!v) throw new InputError(file.path, null, key, `the header has no ${key}: field`);
    return v;
  };
  const num = (key: string): number => {
    const { value, line } = get(key);
    const v = NUMBER.test(value) ? Number(value) : NaN;
    if (!Number.isFinite(v)) throw new InputError(file.path, line, key, `not a finite number: "${value.slice(0, 40)}"`);
    return v;
  };
  const generation = num('Generation#');
  if (generation !== 2) throw new InputError(file.path, get('Generation#').line, 'Generation#', `generation ${generation} ANC files are not supported (only generation 2: A/D counts with ± ranges)`);
  const polarity = get('Polarity');
  if (polarity.value !== 'Bipolar') throw new InputError(file.path, polarity.line, 'Polarity', `polarity "${polarity.value}" is not supported (only Bipolar)`);
  const count = num('#Channels');
  const bits = num('BitDepth');
  const rateHz = num('PreciseRate');
  const durationS = num('Duration(Sec.)');
  if (!Number.isInteger(count) || count < 1 || count > 4096) throw new InputError(file.path, get('#Channels').line, '#Channels', `${count} channels`);
  if (!Number.isInteger(bits) || bits < 2 || bits > 24) throw new InputError(file.path, get('BitDepth').line, 'BitDepth', `${bits}-bit A/D conversion is not plausible`);
  if (!(rateHz > 0 && rateHz <= 1e6)) throw new InputError(file.path, get('PreciseRate').line, 'PreciseRate', `${rateHz} Hz`);
  if (!(durationS >= 0 && durationS * rateHz < 1e8)) throw new InputError(file.path, get('Duration(Sec.)').line, 'Duration(Sec.)', `${durationS} s`);
  const names = perChannel(file.path, header.rowsLine, 'Name', header.names, count, (n) => n.trim() === '').map((n, k) => n.trim() || `ch${k + 1}`);
  const rates = perChannel(file.path, header.rowsLine + 1, 'Rate', header.rates, count, Number.isNaN);
  const ranges = perChannel(file.path, header.rowsLine + 2, 'Range', header.rangesMv, count, Number.isNaN);
  rates.forEach((r, k) => {
    if (!(Math.abs(r - rateHz) <= 0.1)) throw new InputError(file.path, header.rowsLine + 1, 'Rate', `channel ${names[k]} is sampled at ${r} Hz, the file at ${rateHz} Hz: channels at other rates are not supported`);
  });
  ranges.forEach((r, k) => {
    if (!(r > 0)) throw new InputError(file.path, header.rowsLine + 2, 'Range', `channel ${names[k]}: range ${r} mV`);
  });
  const seen = new Map<string, number>();
  const labels = names.map((n) => {
    const k = (seen.get(n) ?? 0) + 1;
    seen.set(n, k);
    return k === 1 ? n : `${n}_${k}`;
  });

  const end = trimmedEnd(file.bytes, header.dataStart);
  const declaredRows = Math.floor(durationS * rateHz + 1e-6) + 1;
  if (end <= header.dataStart) throw new InputError(file.path, header.dataFirstLine, null, `no data rows (the header declares ${declaredRows} samples)`);
  const columnName = (c: number) => (c === 0 ? 'time' : labels[c - 1]);
  const table = withLineOffset(header.dataFirstLine - 1, () => parseNumericTable(file.bytes.subarray(header.dataStart, end), count + 1, file.path, columnName));
  const line: RowLine = (r) => header.dataFirstLine + r;
  const warnings: string[] = [];
  if (table.rows < declaredRows) {
    throw new InputError(file.path, line(table.rows), null, `the file ends after ${table.rows} of the ${declaredRows} samples its header declares (Duration(Sec.) × PreciseRate + 1): truncated`);
  }
  if (table.rows > declaredRows) warnings.push(`${file.path}: ${table.rows} samples, the header declares ${declaredRows}; all are imported`);
  const time = table.columns[0];
  const firstTime = file.bytes.toString('latin1', header.dataStart, Math.min(end, header.dataStart + 40)).split(/[\t\r\n ]/)[0];
  checkRegularClock(file.path, line, time, printedDecimals(firstTime), rateHz);

  const lowest = -(2 ** (bits - 1)), highest = 2 ** (bits - 1) - 1;
  const clipped: string[] = [];
  const volts: Float64Array[] = [];
  for (let k = 0; k < count; k++) {
    const counts = table.columns[k + 1];
    const voltsPerCount = (2 * ranges[k]) / 1000 / 2 ** bits;
    const v = new Float64Array(counts.length);
    let atLimit = 0;
    for (let r = 0; r < counts.length; r++) {
      const c = counts[r];
      if (!Number.isInteger(c) || c < lowest || c > highest) throw new InputError(file.path, line(r), labels[k], `${c} is not a ${bits}-bit A/D count (${lowest} … ${highest})`);
      if (c === lowest || c === highest) atLimit++;
      v[r] = c * voltsPerCount;
    }
    if (atLimit) clipped.push(`${labels[k]} (${atLimit})`);
    volts.push(v);
  }
  if (clipped.length) warnings.push(`${file.path}: samples at the A/D converter's limit (clipped?) in ${clipped.join(', ')}`);

  // Force-plate channels, grouped by the plate number in their label.
  const platesByNumber = new Map<number, (number | undefined)[]>();
  const ambiguous = new Set<number>();
  labels.forEach((_label, k) => {
    const pc = plateComponent(names[k]);
    if (!pc) return;
    const slots = platesByNumber.get(pc.plate) ?? new Array<number | undefined>(6);
    if (slots[pc.component] !== undefined) ambiguous.add(pc.plate);
    slots[pc.component] = k;
    platesByNumber.set(pc.plate, slots);
  });
  const shift = platesByNumber.has(0) ? 1 : 0;
  const plates = [...platesByNumber.entries()]
    .filter(([p, slots]) => !ambiguous.has(p) && slots.filter((s) => s !== undefined).length === 6)
    .map(([p, slots]) => ({ number: p + shift, channels: slots as number[] }))
    .sort((a, b) => a.number - b.number);
  const deviceOf = new Map<number, string>();
  for (const p of plates) for (const k of p.channels) deviceOf.set(k, `FP${p.number}`);
  for (const [p, slots] of platesByNumber) {
    if (ambiguous.has(p) || slots.filter((s) => s !== undefined).length !== 6) {
      warnings.push(`${file.path}: force-plate ${p + shift} channels are incomplete or repeated; kept as volts, no forces derived`);
    }
  }

  const channels: ImportedChannel[] = labels.map((name, k) => float32Channel(file.path, line, { name, unit: VOLT, rateHz, device: deviceOf.get(k) ?? null }, volts[k]));
  const stem = fileStem(file.name);
  const attributes: Attributes = {
    vendor: { value: 'Motion Analysis' },
    export_format: { value: `Analog R/C ASCII (.anc), generation ${generation}` },
    board: { value: get('Board_Type').value },
    polarity: { value: polarity.value },
    bit_depth: { value: bits, unit: 'bit' },
    sample_rate: { value: rateHz, unit: UNIT.hertz },
    rate_source: { value: 'header (PreciseRate)' },
    declared_duration: { value: durationS, unit: UNIT.second },
    analog_range: { value: json(ranges), unit: 'mV' },
    values_in_physical_units: { value: 'no: A/D counts, stored as V from BitDepth and Range' },
  };
  const trialName = header.values.get('Trial_Name')?.value;
  const trialNumber = header.values.get('Trial#')?.value;
  if (trialName) attributes.trial_name = { value: trialName };
  if (trialNumber) attributes.trial_number = { value: NUMBER.test(trialNumber) ? Number(trialNumber) : trialNumber };

  let cal = calibration === undefined ? null : calibration;
  if (calibration === undefined && plates.length) {
    const found = findCalibration(file, header.calibrationRefs, warnings);
    if (found) {
      try {
        cal = { name: `${found.name} (${found.how})`, plates: parseForcePlateCalibration(found.name, found.bytes), sha256: createHash('sha256').update(found.bytes).digest('hex') };
      } catch (e) {
        warnings.push(`${file.path}: calibration ${found.name} not used: ${(e as Error).message}`);
      }
    }
  }
  let calibrated = false;
  if (cal && plates.length) {
    const numbers = plates.map((p) => p.number).join(', ');
    if (cal.plates.length !== plates.length || plates.some((p) => p.number > cal!.plates.length)) {
      warnings.push(`${file.path}: calibration ${cal.name} describes ${cal.plates.length} plate${cal.plates.length > 1 ? 's' : ''}, the file has force channels of plate${plates.length > 1 ? 's' : ''} ${numbers}: not applied, forces not derived`);
    } else {
      for (const p of plates) {
        const c = cal.plates[p.number - 1];
        const inputs = p.channels.map((k) => volts[k]);
        const n = time.length;
        const w = Array.from({ length: 6 }, () => new Float64Array(n));
        for (let r = 0; r < 6; r++) {
          const row = c.matrix[r];
          const out = w[r];
          for (let j = 0; j < 6; j++) {
            const m = row[j] * c.inputScale;
            if (m === 0) continue;
            const x = inputs[j];
            for (let i = 0; i < n; i++) out[i] += m * x[i];
          }
        }
        const device = `FP${p.number}`;
        const derived = plateChannels(file.path, line, {
          device, rateHz, fx: w[0], fy: w[1], fz: w[2], moments: { mx: w[3], my: w[4], mz: w[5], unit: NEWTON_METRE },
          surfaceFromOriginMm: c.surfaceFromOriginMm,
        });
        channels.push(...derived.channels);
        Object.assign(attributes, derived.attributes);
        const key = device.toLowerCase();
        attributes[`${key}_channels`] = { value: json(p.channels.map((k) => labels[k])) };
        attributes[`${key}_calibration_matrix`] = { value: json(c.matrix) };
        attributes[`${key}_calibration_input_scale`] = { value: c.inputScale };
        attributes[`${key}_size`] = { value: json([c.widthMm, c.lengthMm]), unit: UNIT.millimetre };
        attributes[`${key}_centre_lab`] = { value: json(c.centreLabMm), unit: UNIT.millimetre };
        attributes[`${key}_rotation_plate_to_lab`] = { value: json(c.rotationPlateToLab) };
      }
      calibrated = true;
    }
  }
  attributes.calibration_source = { value: calibrated ? cal!.name : 'none: force channels kept as volts' };
  if (calibrated && cal!.sha256) attributes.calibration_sha256 = { value: cal!.sha256 };
  if (calibrated) Object.assign(attributes, forcePlateConventions(true));

  const label = trialName ? `${trialName}${trialNumber ? ` #${trialNumber}` : ''}` : stem;
  const trial: ImportedTrial = {
    key: stem,
    label,
    contentSha256: file.sha256,
    channels,
    deviceTimeS: Float64Array.from(time),
    attributes,
    sourceLocation: `lines ${header.dataFirstLine}–${header.dataFirstLine + table.rows - 1}`,
  };
  return forcePlateBatch('motion-analysis-anc', file.path, stem, stem, trial, warnings);
}

export const motionAnalysisAnc: FormatModule = {
  id: 'motion-analysis-anc',
  description: 'Motion Analysis analog ASCII (.anc, generation 2): channels in V; FPn forces, COP and Tz with a .cal beside it',
  order: 30,
  // One file is one trial of a lab's visit: the files of a folder are grouped into the visit.
  visits: 'folder',
  detect(name, head) {
    if (head.length === 0) return /\.anc$/i.test(name) ? 0.5 : 0;
    return head.toString('latin1', 0, ANC_SIGNATURE.length) === ANC_SIGNATURE ? 1 : 0;
  },
  read: (file: SourceFile) => readAnc(file),
};
