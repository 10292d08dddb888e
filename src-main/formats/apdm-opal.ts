// APDM Opal recordings, HDF5 (.h5) in APDM's documented layout, file format version 5 (Mobility Lab / Motion Studio):
//   /Sensors/<id>/Accelerometer, Gyroscope, Magnetometer   N×3, m/s², rad/s, µT
//   /Sensors/<id>/Temperature                              N, °C
//   /Sensors/<id>/Time                                     N uint64, µs since 1970-01-01 UTC
//   /Sensors/<id>/Configuration                            attributes: 'Label 0' (placement), 'Sample Rate', …
//   /Processed/<id>/Orientation                            N×4 quaternion, scalar first
//   /Annotations                                           compound: Time (µs), Sensor ID, Annotation (text)
// Read with h5wasm (the HDF5 C library compiled to WebAssembly).
//
// Gyroscopes are stored in deg/s (× 180/π) like every gyroscope in GaitLab. The device clock is kept relative to the
// first sample (s), with the absolute start as an attribute: epoch seconds would not keep µs in a double-based
// axis. Annotations become events at the same relative times. All sensors of a synchronised recording share one
// Time vector; when they do not, no shared clock is stored and a warning says so.
//
// Keys: the files identify no subject. Recording start (from Time) gives the session (`2024-03-05`), the file stem
// the trial and, until someone reassigns it, the subject; Mobility Lab's `YYYYMMDD-HHMMSS_<label>.h5` names give the
// trial label. The import files it into its folder's visit (services/visit-grouping.ts), dated by this start.
import fs, { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Attributes, ImportBatch, ImportedChannel, ImportedEvent, Side } from '../../src-shared/domain/import-batch';
import { InputError } from '../../src-shared/domain/errors';
import { UNIT } from '../../src-shared/units';
import type { FormatModule, SourceFile } from './format';
import { importEsm } from '../esm-import';

type H5 = typeof import('h5wasm').default;
type H5File = InstanceType<H5['File']>;
type H5Group = InstanceType<H5['Group']>;
type H5Dataset = InstanceType<H5['Dataset']>;

export const APDM_COHORT = 'apdm';
const HDF5_SIGNATURE = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
const MOBILITY_LAB_NAME = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})_(.+)\.h5$/i;
const RAD_TO_DEG = 180 / Math.PI;
const MICROTESLA = 'µT';
const DEGREE_CELSIUS = '°C';
const NO_UNIT = '';
/** Bounds for what a dataset may claim to hold (deflate rarely passes 1000:1 on sensor data). */
const MAX_COMPRESSION = 1024;
const MAX_DATASET_BYTES = 2 ** 31;

// h5wasm is published as an ES module only: loaded once per process.
let h5wasmReady: Promise<H5> | null = null;

/** The h5wasm module, initialised. */
export function loadH5wasm(): Promise<H5> {
  // Not h5wasm's activate_throwing_error_handler(): an exception thrown through the C library leaves its state
  // inconsistent, and after a few thousand damaged files the module aborted for good (seen in fuzzing).
  h5wasmReady ??= importEsm<{ default: H5 }>('h5wasm/node').then(async (m) => {
    await m.default.ready;
    return m.default;
  });
  return h5wasmReady;
}

/** HDF5 files start with the signature at byte 0, or after a user block of 512 × 2^k bytes. */
function hdf5SignatureAt(head: Buffer): number {
  for (let at = 0; at + 8 <= head.length; at = at === 0 ? 512 : at * 2) {
    if (head.subarray(at, at + 8).equals(HDF5_SIGNATURE)) return at;
  }
  return -1;
}

const snake = (s: string) => s.trim().replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');

/** A scalar attribute or string as an attribute value; null when it is not one. */
function scalarOf(v: unknown): number | string | null {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string') return v.replace(/[\0\s]+$/, '');
  if (ArrayBuffer.isView(v) && (v as unknown as ArrayLike<unknown>).length === 1) return scalarOf((v as unknown as ArrayLike<unknown>)[0]);
  if (Array.isArray(v) && v.length === 1) return scalarOf(v[0]);
  return null;
}

function attributesOf(node: H5Group | H5File): Map<string, number | string> {
  const out = new Map<string, number | string>();
  for (const [name, attr] of Object.entries(node.attrs)) {
    // Only scalars and short strings are settings; anything claiming more is skipped before it is read.
    const count = (attr.shape ?? []).reduce((a, b) => a * b, 1);
    if (count !== 1 || !(attr.metadata.size <= 4096)) continue;
    const v = scalarOf(attr.value);
    if (v !== null) out.set(name, v);
  }
  return out;
}

class Reader {
  constructor(readonly file: SourceFile, readonly h5: H5, readonly root: H5File) {}

  fail(field: string | null, reason: string): never {
    throw new InputError(this.file.path, null, field, reason);
  }

  group(path: string, required: true): H5Group;
  group(path: string, required: false): H5Group | null;
  group(path: string, required: boolean): H5Group | null {
    const g = this.root.get(path);
    if (g instanceof this.h5.Group) return g;
    if (required) this.fail(path, g ? 'expected a group' : 'missing (APDM file format 5 keeps each sensor under /Sensors/<id>)');
    return null;
  }

  dataset(path: string): H5Dataset | null {
    const d = this.root.get(path);
    if (d === null) return null;
    if (!(d instanceof this.h5.Dataset)) this.fail(path, 'expected a dataset');
    return d;
  }

  /** A damaged header can claim terabytes: refuse sizes no file of this size can hold, even compressed. */
  checkSize(path: string, d: H5Dataset): void {
    const count = (d.shape ?? []).reduce((a, b) => a * b, 1);
    const bytes = count * (d.metadata.size ?? 1);
    if (!(bytes <= Math.min(MAX_DATASET_BYTES, Math.max(this.file.bytes.length, 65536) * MAX_COMPRESSION))) {
      this.fail(path, `claims ${count} values (${bytes} bytes), more than a ${this.file.bytes.length}-byte file can hold`);
    }
  }

  /** A numeric dataset of shape [rows] or [rows, columns], row-major, as float64. */
  numbers(path: string, columns: number | null, rows: number | null): Float64Array {
    const d = this.dataset(path);
    if (!d) this.fail(path, 'missing');
    const shape = d.shape ?? [];
    const expected = columns === null ? 1 : 2;
    if (shape.length !== expected || (columns !== null && shape[1] !== columns)) {
      this.fail(path, `shape [${shape.join(', ')}], expected [N${columns === null ? '' : `, ${columns}`}]`);
    }
    if (rows !== null && shape[0] !== rows) this.fail(path, `${shape[0]} samples, Time has ${rows}`);
    this.checkSize(path, d);
    const v = d.value;
    if (!ArrayBuffer.isView(v)) this.fail(path, `expected numbers, found ${d.dtype}`);
    const values = v as unknown as ArrayLike<number | bigint>;
    const out = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const x = Number(values[i]);
      if (!Number.isFinite(x)) this.fail(path, `sample ${Math.floor(i / (columns ?? 1))}: not a finite number (${x})`);
      out[i] = x;
    }
    return out;
  }
}

interface SensorData {
  id: string;
  label: string;
  prefix: string;
  side: Side | null;
  timeUs: Float64Array;
  configuration: Map<string, number | string>;
  rateHz: number;
}

function sideOf(label: string): Side | null {
  if (/\bleft\b/i.test(label)) return 'left';
  if (/\bright\b/i.test(label)) return 'right';
  return null;
}

/** Later Mobility Lab files keep the placement in a 'Config Strings' table: the last text field of its first row. */
function configStringsLabel(r: Reader, path: string): string {
  const d = r.dataset(path);
  if (!d || !d.metadata.compound_type) return '';
  r.checkSize(path, d);
  const rows = d.value;
  const first = Array.isArray(rows) && Array.isArray(rows[0]) ? (rows[0] as unknown[]) : [];
  const texts = first.map(scalarOf).filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  return texts.length ? texts[texts.length - 1].trim() : '';
}

function readSensor(r: Reader, id: string, warnings: string[]): { sensor: SensorData; channels: ImportedChannel[] } {
  const base = `/Sensors/${id}`;
  const config = r.group(`${base}/Configuration`, false);
  const configuration = config ? attributesOf(config) : new Map<string, number | string>();
  const label = String(configuration.get('Label 0') ?? '').trim() || configStringsLabel(r, `${base}/Configuration/Config Strings`) || `sensor ${id}`;
  const time = r.numbers(`${base}/Time`, null, null);
  const n = time.length;
  if (n < 2) r.fail(`${base}/Time`, `a recording needs at least 2 samples, found ${n}`);
  for (let k = 1; k < n; k++) {
    if (!(time[k] > time[k - 1])) r.fail(`${base}/Time`, `sample ${k}: time ${time[k]} µs is not after ${time[k - 1]} µs`);
  }
  const fromStamps = (n - 1) / ((time[n - 1] - time[0]) / 1e6);
  const stated = configuration.get('Sample Rate');
  let rateHz = fromStamps;
  if (stated !== undefined) {
    if (typeof stated !== 'number' || !(stated > 0)) r.fail(`${base}/Configuration Sample Rate`, `expected a rate in Hz, found "${stated}"`);
    rateHz = stated;
    if (Math.abs(fromStamps - stated) > 0.01 * stated) warnings.push(`${r.file.path}: ${base}: Sample Rate says ${stated} Hz, the time stamps give ${fromStamps.toFixed(3)} samples/s`);
  }
  const sensor: SensorData = { id, label, prefix: snake(label), side: sideOf(label), timeUs: time, configuration, rateHz };
  const device = `APDM Opal ${id} (${label})`;
  const channels: ImportedChannel[] = [];
  const triaxial = [
    { dataset: 'Accelerometer', kind: 'acc', unit: UNIT.metrePerSecondSquared, scale: 1 },
    { dataset: 'Gyroscope', kind: 'gyro', unit: UNIT.degreePerSecond, scale: RAD_TO_DEG },
    { dataset: 'Magnetometer', kind: 'mag', unit: MICROTESLA, scale: 1 },
  ] as const;
  for (const t of triaxial) {
    if (!r.dataset(`${base}/${t.dataset}`)) continue;
    const v = r.numbers(`${base}/${t.dataset}`, 3, n);
    ['x', 'y', 'z'].forEach((axis, c) => {
      const samples = new Float32Array(n);
      for (let k = 0; k < n; k++) samples[k] = v[3 * k + c] * t.scale;
      channels.push({ name: `${sensor.prefix}_${t.kind}_${axis}`, unit: t.unit, rateHz, domain: 'time', side: sensor.side, device, samples });
    });
  }
  if (channels.length === 0) r.fail(base, 'no Accelerometer, Gyroscope or Magnetometer dataset');
  if (r.dataset(`${base}/Temperature`)) {
    channels.push({ name: `${sensor.prefix}_temperature`, unit: DEGREE_CELSIUS, rateHz, domain: 'time', side: sensor.side, device, samples: Float32Array.from(r.numbers(`${base}/Temperature`, null, n)) });
  }
  if (r.dataset(`/Processed/${id}/Orientation`)) {
    const q = r.numbers(`/Processed/${id}/Orientation`, 4, n);
    for (let c = 0; c < 4; c++) {
      const samples = new Float32Array(n);
      for (let k = 0; k < n; k++) samples[k] = q[4 * k + c];
      channels.push({ name: `${sensor.prefix}_orientation_q${c}`, unit: NO_UNIT, rateHz, domain: 'time', side: sensor.side, device, samples });
    }
  }
  return { sensor, channels };
}

function readAnnotations(r: Reader, originUs: number, sensors: Map<string, SensorData>): ImportedEvent[] {
  const d = r.dataset('/Annotations');
  if (!d) return [];
  const members = d.metadata.compound_type?.members.map((m) => m.name) ?? [];
  const col = (name: string) => members.indexOf(name);
  if (col('Time') < 0 || col('Annotation') < 0) r.fail('/Annotations', `expected a table with Time and Annotation fields, found ${members.length ? members.join(', ') : String(d.dtype)}`);
  r.checkSize('/Annotations', d);
  const rows = d.value;
  if (!Array.isArray(rows)) r.fail('/Annotations', 'unreadable table');
  return rows.map((row, k) => {
    const cells = row as unknown[];
    const t = Number(cells[col('Time')]);
    if (!Number.isFinite(t)) r.fail(`/Annotations row ${k} Time`, `not a time stamp (${String(cells[col('Time')])})`);
    const text = String(scalarOf(cells[col('Annotation')]) ?? '').trim();
    const sensorId = col('Sensor ID') >= 0 ? String(scalarOf(cells[col('Sensor ID')]) ?? '') : '';
    const sensor = sensors.get(sensorId);
    return {
      label: text || 'annotation', side: null, timeS: (t - originUs) / 1e6, source: 'annotation',
      params: { text, timeUs: t, ...(sensorId ? { sensorId } : {}), ...(sensor ? { sensor: sensor.label } : {}) },
    };
  });
}

/** The innermost reason of the first HDF5 error stack ("bad object header version number"), else h5wasm's message. */
function hdf5Reason(e: unknown, stderr: string): string {
  const first = stderr.split('HDF5-DIAG:').find((block) => /#\d+: /.test(block)) ?? '';
  const frames = [...first.matchAll(/#\d+: .*? in [\w.]+\(\): (.+)$/gm)];
  const text = frames.length ? frames[frames.length - 1][1] : String((e as Error)?.message ?? e).split('\n')[0];
  return text.trim().slice(0, 160);
}

/**
 * Runs synchronous h5wasm work with what the library prints on stderr (HDF5's error stacks, emscripten's
 * allocation warnings) captured instead of shown: the reason goes into the InputError. Nothing else runs meanwhile.
 */
function capturingHdf5Output<T>(fn: (output: () => string) => T): T {
  let captured = '';
  const keep = (chunk: string | ArrayBufferView) => {
    if (captured.length < 65536) captured += typeof chunk === 'string' ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8');
  };
  // The C library writes fd 2 through fs.writeSync (emscripten's NODERAWFS); emscripten itself uses console.error.
  const writeSync = fs.writeSync;
  const stderrWrite = process.stderr.write;
  fs.writeSync = ((fd: number, data: string | ArrayBufferView, ...rest: unknown[]) => {
    if (fd !== 2) return (writeSync as (...a: unknown[]) => number)(fd, data, ...rest);
    keep(typeof data === 'string' || rest.length < 2 ? data : new Uint8Array(data.buffer, data.byteOffset + Number(rest[0] ?? 0), Number(rest[1])));
    return typeof data === 'string' ? Buffer.byteLength(data) : rest.length >= 2 ? Number(rest[1]) : data.byteLength;
  }) as typeof fs.writeSync;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    keep(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    return fn(() => captured);
  } finally {
    fs.writeSync = writeSync;
    process.stderr.write = stderrWrite;
  }
}

function sameClock(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

function buildBatch(r: Reader): ImportBatch {
  const warnings: string[] = [];
  const rootAttributes = attributesOf(r.root);
  const version = rootAttributes.get('FileFormatVersion');
  if (version !== undefined && version !== 5) warnings.push(`${r.file.path}: FileFormatVersion ${version}; this reader follows APDM's version 5 layout`);
  const sensorsGroup = r.group('/Sensors', true);
  const ids = sensorsGroup.keys().sort();
  if (ids.length === 0) r.fail('/Sensors', 'no sensors');
  const sensors = new Map<string, SensorData>();
  const channels: ImportedChannel[] = [];
  const prefixes = new Set<string>();
  for (const id of ids) {
    const { sensor, channels: own } = readSensor(r, id, warnings);
    if (prefixes.has(sensor.prefix)) {
      // Two sensors with one placement label: keep both, told apart by id.
      const unique = `${sensor.prefix}_${snake(id)}`;
      for (const c of own) c.name = unique + c.name.slice(sensor.prefix.length);
      sensor.prefix = unique;
    }
    prefixes.add(sensor.prefix);
    sensors.set(id, sensor);
    channels.push(...own);
  }
  const all = [...sensors.values()];
  const first = all[0];
  const shared = all.every((s) => sameClock(s.timeUs, first.timeUs));
  const originUs = Math.min(...all.map((s) => s.timeUs[0]));
  let deviceTimeS: Float64Array | undefined;
  if (shared) {
    deviceTimeS = new Float64Array(first.timeUs.length);
    for (let k = 0; k < deviceTimeS.length; k++) deviceTimeS[k] = (first.timeUs[k] - originUs) / 1e6;
  } else {
    warnings.push(`${r.file.path}: the sensors' Time vectors differ (${all.map((s) => `${s.label}: ${s.timeUs.length} samples from +${((s.timeUs[0] - originUs) / 1e6).toFixed(6)} s`).join('; ')}); no shared device clock is stored, each channel is timed from its own first sample`);
  }
  const events = readAnnotations(r, originUs, sensors).sort((a, b) => a.timeS - b.timeS);

  const start = new Date(originUs / 1000);
  if (Number.isNaN(start.getTime())) r.fail(`/Sensors/${first.id}/Time`, `time stamp ${originUs} µs is not a date`);
  const attributes: Attributes = {
    device: { value: `APDM Opal × ${all.length} (${all.map((s) => `${s.id}: ${s.label}`).join(', ')})` },
    recording_start_utc: { value: start.toISOString() },
    time_origin: { value: originUs, unit: 'µs since 1970-01-01 UTC' },
    gyroscope_conversion: { value: RAD_TO_DEG, unit: 'deg/s per rad/s' },
    clock: { value: shared ? 'shared /Sensors/<id>/Time, relative to the first sample' : 'sensors not synchronised: no shared clock' },
  };
  for (const [name, v] of rootAttributes) attributes[`apdm_${snake(name)}`] = { value: v };
  for (const s of all) {
    attributes[`${s.prefix}_sensor_id`] = { value: s.id };
    attributes[`${s.prefix}_placement`] = { value: s.label };
    attributes[`${s.prefix}_sample_rate`] = { value: s.rateHz, unit: UNIT.hertz };
    for (const [name, v] of s.configuration) {
      if (name === 'Label 0' || name === 'Sample Rate' || v === '') continue;
      attributes[`${s.prefix}_${snake(name)}`] = { value: v };
    }
    if (!shared) attributes[`${s.prefix}_start_offset`] = { value: (s.timeUs[0] - originUs) / 1e6, unit: UNIT.second };
  }

  const stem = r.file.name.replace(/\.h5$/i, '');
  const named = MOBILITY_LAB_NAME.exec(r.file.name);
  const date = start.toISOString().slice(0, 10);
  warnings.push(`${r.file.path}: APDM files do not identify the subject; the recording is filed under subject "${stem}" (reassign it to a known subject if it belongs to one)`);
  return {
    format: 'apdm-opal',
    subjects: [{ key: stem, cohort: APDM_COHORT }],
    sessions: [{
      subjectKey: stem,
      key: date,
      label: `APDM recording ${date}`,
      date,
      trials: [{
        key: stem,
        label: named ? named[7].replace(/_/g, ' ') : stem,
        contentSha256: r.file.sha256,
        channels,
        ...(deviceTimeS ? { deviceTimeS } : {}),
        attributes,
        sourceLocation: `/Sensors (${ids.join(', ')})`,
        events,
      }],
    }],
    warnings,
  };
}

export async function readApdmOpal(file: SourceFile): Promise<ImportBatch> {
  if (hdf5SignatureAt(file.bytes.subarray(0, 65536)) < 0) throw new InputError(file.path, null, null, 'not an HDF5 file (no HDF5 signature)');
  const h5 = await loadH5wasm();
  // h5wasm's Node build reads real files only: the (possibly decompressed) bytes go to a private temporary copy.
  const dir = mkdtempSync(join(tmpdir(), 'gaitlab-h5-'));
  try {
    const path = join(dir, 'recording.h5');
    writeFileSync(path, file.bytes);
    return capturingHdf5Output((output) => {
      let root: H5File;
      try {
        root = new h5.File(path, 'r');
      } catch (e) {
        throw new InputError(file.path, null, null, `not a readable HDF5 file (${hdf5Reason(e, output())})`);
      }
      // h5wasm hands back a negative id, not an exception, when H5Fopen fails.
      if (root.file_id < 0n) throw new InputError(file.path, null, null, `not a readable HDF5 file (${hdf5Reason('H5Fopen failed', output())})`);
      try {
        return buildBatch(new Reader(file, h5, root));
      } catch (e) {
        if (e instanceof InputError) throw e;
        throw new InputError(file.path, null, null, `damaged HDF5 content (${hdf5Reason(e, output())})`);
      } finally {
        try {
          root.close();
        } catch {
          // A file the library could not read may not close cleanly; the copy is removed below either way.
        }
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const apdmOpal: FormatModule = {
  id: 'apdm-opal',
  description: 'APDM Opal recording, HDF5 file format 5 (/Sensors/<id>: accelerometer m/s², gyroscope deg/s, magnetometer µT; annotations)',
  order: 30,
  // One file is one recording of a lab's visit: grouped by folder (the session is no longer the recording day).
  visits: 'folder',
  detect(name, head) {
    const at = hdf5SignatureAt(head);
    if (at < 0) return 0;
    // Group names sit in the first heap blocks of small files; "Sensors" beside "Accelerometer" is APDM's layout.
    const sensors = head.includes('Sensors', at, 'latin1');
    if (!sensors) return 0.2;
    const typical = head.includes('Accelerometer', at, 'latin1') || head.includes('Configuration', at, 'latin1');
    return (typical ? 0.9 : 0.7) + (/\.h5$/i.test(name) ? 0.1 : 0);
  },
  read: readApdmOpal,
};
