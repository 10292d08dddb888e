// AMTI ASCII force export (`.asc`, e.g. BTKData's Trial1-FxFyFzMxMyMz.asc): no header, one line per sample,
// 7 comma-separated numbers `time_s, Fx, Fy, Fz, Mx, My, Mz`, CRLF or LF. The file states no units, rate or plate:
// AMTI's export (and BTK's reader) use N and N·m in the plate's own axes, values being the force the subject
// exerts on the plate (Fz > 0 under load); the rate comes from the time stamps. See
// ../shared/data/forceplate-file-formats/README.md §1.
//
// This file also holds what the vendor force exports (amti-asc, kistler-bioware, motion-analysis-anc) share: the
// FPn_* channel set and its centre-of-pressure derivation, the float32 range check and the clock check. A module of
// their own beside c3d/forceplates.ts would suit them better once the two sets of FPn_* conventions are one.
import type { Attributes, ImportBatch, ImportedChannel, ImportedTrial } from '../../src-shared/domain/import-batch';
import { InputError } from '../../src-shared/domain/errors';
import { UNIT } from '../../src-shared/units';
import { centreOfPressure, PLATE_CONTACT_THRESHOLD_N, type PlateWrench } from '../../src-shared/signal/centre-of-pressure';
import type { FormatModule, SourceFile } from './format';

/** Cohort of every subject made by the vendor force exports. */
export const FORCEPLATE_COHORT = 'forceplate';
/** Below this vertical force the centre of pressure is undefined (noise over a near-zero Fz). */
export const COP_CONTACT_THRESHOLD_N = PLATE_CONTACT_THRESHOLD_N;
export { centreOfPressure, type PlateWrench };
// Units the vendor files use that src-shared/units.ts does not list yet (QUANTITY_BY_UNIT knows both).
export const NEWTON_METRE = 'N·m';
export const VOLT = 'V';

const FLOAT32_MAX = 3.4028234663852886e38;

/** Where sample `row` of a table came from, for error messages. */
export type RowLine = (row: number) => number;

/** File name without its last extension: the session key and, without a subject field, the subject key. */
export function fileStem(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

/** A channel of float32 samples; refuses values a float32 cannot hold, naming the line they came from. */
export function float32Channel(
  file: string,
  line: RowLine,
  channel: Omit<ImportedChannel, 'samples' | 'domain'>,
  values: ArrayLike<number>,
): ImportedChannel {
  const samples = new Float32Array(values.length);
  for (let r = 0; r < values.length; r++) {
    const v = values[r];
    // NaN marks an undefined sample (COP outside contact); infinities and overflow are errors.
    if (!Number.isNaN(v) && !(Math.abs(v) <= FLOAT32_MAX)) {
      throw new InputError(file, line(r), channel.name, `value ${v} ${channel.unit} does not fit a 32-bit float channel`);
    }
    samples[r] = v;
  }
  return { ...channel, domain: 'time', samples };
}

/** Number of digits after the decimal point of a printed number (`0.005` → 3). */
export function printedDecimals(token: string): number {
  const m = /\.(\d*)/.exec(token);
  return m ? m[1].length : 0;
}

/**
 * Checks that time stamps sit on a regular grid and returns its rate. The rate is the declared one when the file
 * states it, else (n − 1) / span, snapped to a whole number of Hz when within 1 ppm of one. A stamp may be off
 * the grid by half a unit of its printed last digit (rounding), not more: a dropped or repeated sample is an error.
 */
export function checkRegularClock(file: string, line: RowLine, time: Float64Array, decimals: number, declaredRateHz?: number): number {
  const n = time.length;
  if (n < 2) throw new InputError(file, line(Math.max(0, n - 1)), 'time', `need at least 2 samples to know the sample rate, found ${n}`);
  for (let r = 1; r < n; r++) {
    if (!(time[r] > time[r - 1])) throw new InputError(file, line(r), 'time', `time ${time[r]} s does not increase (previous ${time[r - 1]} s)`);
  }
  let rateHz = declaredRateHz ?? (n - 1) / (time[n - 1] - time[0]);
  if (declaredRateHz === undefined && Math.abs(rateHz - Math.round(rateHz)) < 1e-6 * rateHz) rateHz = Math.round(rateHz);
  if (!(rateHz > 0) || !Number.isFinite(rateHz)) throw new InputError(file, line(0), 'time', `cannot derive a sample rate from the time stamps (${rateHz} Hz)`);
  const tolerance = 0.5 * 10 ** -decimals + 1e-9 * Math.max(1, Math.abs(time[n - 1]));
  for (let r = 0; r < n; r++) {
    const expected = time[0] + r / rateHz;
    if (Math.abs(time[r] - expected) > tolerance) {
      throw new InputError(file, line(r), 'time', `time ${time[r]} s is off the ${rateHz} Hz grid (expected ${expected.toFixed(decimals)} s): a dropped or repeated sample?`);
    }
  }
  return rateHz;
}

export interface PlateChannelsInput {
  /** 'FP1', 'FP2', … */
  device: string;
  rateHz: number;
  fx: Float64Array; fy: Float64Array; fz: Float64Array;
  /** Moments about the transducer origin, as the source gives them (`unit` N·m or N·mm); null when not exported. */
  moments: { mx: Float64Array; my: Float64Array; mz: Float64Array; unit: typeof NEWTON_METRE | typeof UNIT.newtonMillimetre } | null;
  /** Vector from the transducer origin to the surface centre (mm), or null when the source does not give it. */
  surfaceFromOriginMm: readonly [number, number, number] | null;
}

/**
 * The FPn_* channels of one plate: Fx Fy Fz (N), Mx My Mz (as given), COPx COPy (mm) and Tz (N·mm) when moments
 * are given, plus the attributes that say how the COP was made.
 */
export function plateChannels(file: string, line: RowLine, p: PlateChannelsInput): { channels: ImportedChannel[]; attributes: Attributes } {
  const { device, rateHz } = p;
  const ch = (suffix: string, unit: string, values: ArrayLike<number>) => float32Channel(file, line, { name: `${device}_${suffix}`, unit, rateHz, device }, values);
  const channels = [ch('Fx', UNIT.newton, p.fx), ch('Fy', UNIT.newton, p.fy), ch('Fz', UNIT.newton, p.fz)];
  const key = device.toLowerCase();
  const attributes: Attributes = {};
  if (p.moments) {
    const m = p.moments;
    channels.push(ch('Mx', m.unit, m.mx), ch('My', m.unit, m.my), ch('Mz', m.unit, m.mz));
    const toNmm = m.unit === NEWTON_METRE ? 1000 : 1;
    const scaled = (a: Float64Array) => (toNmm === 1 ? a : a.map((v) => v * toNmm));
    const cop = centreOfPressure({ fx: p.fx, fy: p.fy, fz: p.fz, mx: scaled(m.mx), my: scaled(m.my), mz: scaled(m.mz) }, p.surfaceFromOriginMm ?? [0, 0, 0]);
    channels.push(ch('COPx', UNIT.millimetre, cop.copX), ch('COPy', UNIT.millimetre, cop.copY), ch('Tz', UNIT.newtonMillimetre, cop.tz));
    attributes[`${key}_cop_origin_offset`] = p.surfaceFromOriginMm
      ? { value: JSON.stringify(p.surfaceFromOriginMm.map((v) => Number(v.toFixed(6)))), unit: UNIT.millimetre }
      : { value: 'not given: COP = (−My/Fz, Mx/Fz) about the point the moments are taken about' };
    attributes[`${key}_contact_samples`] = { value: cop.contactSamples };
  }
  return { channels, attributes };
}

/** Attributes every vendor force export states about its FPn_* channels. */
export function forcePlateConventions(withCop: boolean): Attributes {
  const a: Attributes = {
    fp_axes: { value: 'plate (the vendor\'s own axes; no lab transform applied)' },
    fp_force_sense: { value: 'force exerted on the plate, as the vendor\'s signals give it (Fz > 0 under load)' },
  };
  if (withCop) {
    a.cop_threshold = { value: COP_CONTACT_THRESHOLD_N, unit: UNIT.newton };
    a.cop_outside_contact = { value: `FPn_COPx, FPn_COPy and FPn_Tz are NaN (undefined) where |FPn_Fz| < ${COP_CONTACT_THRESHOLD_N} N` };
    a.cop_reference = { value: 'working-surface centre, plate axes' };
  }
  return a;
}

/**
 * The batch of a one-trial force file: subject (cohort forceplate), session = file stem, one trial, and the date where
 * the file states one. The import files it into its folder's visit (services/visit-grouping.ts).
 */
export function forcePlateBatch(format: string, file: string, subjectKey: string, sessionKey: string, trial: ImportedTrial, warnings: string[], date: string | null = null): ImportBatch {
  const names = new Set<string>();
  for (const c of trial.channels) {
    if (names.has(c.name)) throw new InputError(file, null, c.name, `two channels would be named ${c.name}; rename one column in the source`);
    names.add(c.name);
  }
  return {
    format,
    subjects: [{ key: subjectKey, cohort: FORCEPLATE_COHORT, group: null }],
    sessions: [{ subjectKey, key: sessionKey, label: sessionKey, date, trials: [trial] }],
    warnings,
  };
}

/** Re-raises an InputError from a parser that counted lines from `firstLine` = 1 with the file's own numbers. */
export function withLineOffset<T>(offset: number, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof InputError && e.line != null) throw new InputError(e.file, e.line + offset, e.field, e.reason);
    throw e;
  }
}

/** Byte length of `bytes` without trailing line ends and blanks (so a final empty line is not a data row). */
export function trimmedEnd(bytes: Uint8Array, start = 0): number {
  let end = bytes.length;
  while (end > start && (bytes[end - 1] === 10 || bytes[end - 1] === 13 || bytes[end - 1] === 32 || bytes[end - 1] === 9)) end--;
  return end;
}

// ---------------------------------------------------------------------------------------------------------------

const AMTI_COLUMNS = ['time', 'Fx', 'Fy', 'Fz', 'Mx', 'My', 'Mz'] as const;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function firstLines(head: Buffer, count: number): string[] {
  const text = head.toString('latin1');
  const lines = text.split('\n').slice(0, count + 1);
  // The last piece may be cut by the 64 KiB head: only keep it when the head holds the whole file.
  if (lines.length > count) lines.length = count;
  return lines.map((l) => l.replace(/\r$/, ''));
}

function isAmtiLine(line: string): boolean {
  const fields = line.split(',');
  return fields.length === AMTI_COLUMNS.length && fields.every((f) => DECIMAL.test(f.trim()));
}

/** Parses the 7 comma-separated columns; every field must be a finite decimal. */
function parseAmtiTable(file: SourceFile): Float64Array[] {
  // Line by line from the bytes: one string of a whole export (and an array of all its lines) would
  // take ten times the file's size.
  const { bytes } = file;
  const end = trimmedEnd(bytes);
  let count = 1;
  for (let i = bytes.indexOf(10); i >= 0 && i < end; i = bytes.indexOf(10, i + 1)) count++;
  const columns = AMTI_COLUMNS.map(() => new Float64Array(count));
  for (let r = 0, start = 0; r < count; r++) {
    let stop = bytes.indexOf(10, start);
    if (stop < 0 || stop > end) stop = end;
    const raw = bytes.toString('latin1', start, stop);
    start = stop + 1;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const fields = line.split(',');
    if (fields.length !== AMTI_COLUMNS.length) {
      throw new InputError(file.path, r + 1, null, `expected ${AMTI_COLUMNS.length} comma-separated columns (${AMTI_COLUMNS.join(', ')}), found ${line.trim() === '' ? 0 : fields.length}`);
    }
    for (let c = 0; c < fields.length; c++) {
      const token = fields[c].trim();
      const value = DECIMAL.test(token) ? Number(token) : NaN;
      if (!Number.isFinite(value)) {
        throw new InputError(file.path, r + 1, AMTI_COLUMNS[c], Number.isNaN(value) ? `not a finite number: "${token.slice(0, 40)}"` : `infinite value "${token.slice(0, 40)}"`);
      }
      columns[c][r] = value;
    }
  }
  return columns;
}

export const amtiAsc: FormatModule = {
  id: 'amti-asc',
  description: 'AMTI ASCII force export (.asc: time, Fx Fy Fz in N, Mx My Mz in N·m, comma-separated, no header)',
  order: 30,
  // One file is one trial of a lab's visit: the files of a folder are grouped into the visit.
  visits: 'folder',
  detect(name, head) {
    const byName = /\.asc$/i.test(name);
    if (head.length === 0) return byName ? 0.5 : 0; // claimed, so read() can say the file is empty
    const lines = firstLines(head, 2).filter((l) => l.trim() !== '');
    if (lines.length === 0 || !lines.every(isAmtiLine)) return 0;
    if (Number(lines[0].split(',')[0]) < 0) return 0;
    return byName ? 1 : 0.8;
  },
  read(file: SourceFile): ImportBatch {
    if (trimmedEnd(file.bytes) === 0) throw new InputError(file.path, null, null, 'the file is empty (an AMTI export has one line per sample)');
    const [time, fx, fy, fz, mx, my, mz] = parseAmtiTable(file);
    const line: RowLine = (r) => r + 1;
    const firstTime = file.bytes.toString('latin1', 0, Math.min(file.bytes.length, 64)).split(',')[0].trim();
    const rateHz = checkRegularClock(file.path, line, time, printedDecimals(firstTime));
    const plate = plateChannels(file.path, line, {
      device: 'FP1', rateHz, fx, fy, fz,
      moments: { mx, my, mz, unit: NEWTON_METRE },
      // The export does not say how far below the surface the plate's origin lies (BTK assumes half an OR6-7's
      // 82.6 mm height); without it the COP is the one about the moments' own reference point.
      surfaceFromOriginMm: null,
    });
    const stem = fileStem(file.name);
    const trial: ImportedTrial = {
      key: stem,
      label: stem,
      contentSha256: file.sha256,
      channels: plate.channels,
      deviceTimeS: Float64Array.from(time),
      attributes: {
        vendor: { value: 'AMTI' },
        export_format: { value: 'AMTI ASCII (.asc): time, Fx, Fy, Fz, Mx, My, Mz' },
        sample_rate: { value: rateHz, unit: UNIT.hertz },
        rate_source: { value: 'time stamps' },
        values_in_physical_units: { value: 'yes' },
        units_source: { value: 'not stated in the file: N and N·m, AMTI\'s export convention' },
        calibration_source: { value: 'AMTI acquisition software (the export is already in N and N·m)' },
        ...forcePlateConventions(true),
        ...plate.attributes,
      },
      sourceLocation: `lines 1–${time.length}`,
    };
    return forcePlateBatch('amti-asc', file.path, stem, stem, trial, []);
  },
};
