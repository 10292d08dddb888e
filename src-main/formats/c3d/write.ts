// The C3D writer: a plain C3D model (points, analog channels, force-plate parameters, events) → the bytes of
// an Intel, float-storage C3D file (c3d.org User Guide: header block, parameter section, data section).
// Chosen for the widest reading: Intel floats are what Vicon Nexus, Visual3D, Mokka, ezc3d and BTK all
// write and read; float storage keeps every float32 sample exactly (no int16 scaling). ANALOG:SCALE is 1,
// OFFSET 0 and GEN_SCALE 1, so each stored float is the channel's value in its unit.
// Lists longer than 255 entries continue in LABELS2, LABELS3 … (a dimension is one byte), as Vicon does.
import { InputError } from '../../../src-shared/domain/errors';
import { BLOCK_BYTES, PROCESSOR_BYTE } from './binary';
import type { C3dPointKind } from './model';
import { C3D_KEY_BYTE } from './read';

export interface C3dWritePoint {
  label: string;
  description?: string;
  kind: C3dPointKind;
  /** Coordinates per frame; a frame where any is NaN is written as an invalid sample (residual −1). */
  x: Float32Array;
  y: Float32Array;
  z: Float32Array;
}

export interface C3dWriteAnalog {
  label: string;
  description?: string;
  /** Written as it is spelled here (C3D spellings: mm, N, Nmm, V, deg …). */
  unit: string;
  /** frameCount × analogSamplesPerFrame finite values. */
  samples: Float32Array;
}

export interface C3dWritePlate {
  type: 1 | 2 | 3 | 4;
  /** 0-based indices into `analogs`, in the order the plate type defines (6 channels; 8 for type 3). */
  channels: number[];
  /** Four working-surface corners in the lab, in `pointUnit` (corner k at [3k, 3k+1, 3k+2]). */
  corners: number[];
  /** FORCE_PLATFORM:ORIGIN in `pointUnit`. */
  origin: number[];
  /** Type 4: the 6×6 calibration matrix, first index fastest; null writes zeros (channels calibrated). */
  calMatrix?: number[] | null;
  /** Type 3: FORCE_PLATFORM:FPCOPPOLY's 12 coefficients (Kistler's COP correction), in `pointUnit`; null: none. */
  copPolynomial?: number[] | null;
}

export interface C3dWriteEvent {
  label: string;
  /** 'Left', 'Right' or 'General' in Vicon's and Mokka's convention. */
  context: string;
  /** Seconds from the start of capture (frame 1 at 0 s), as EVENT:TIMES holds them. */
  timeS: number;
  description?: string;
  subject?: string;
  iconId?: number;
  genericFlag?: number;
}

export interface C3dWriteModel {
  pointRateHz: number;
  /** Analog samples per point frame (1 when analog and point rates agree). */
  analogSamplesPerFrame: number;
  frameCount: number;
  /** 1-based number of the first frame (C3D counts frames from the start of capture). */
  firstFrame: number;
  /** POINT:UNITS: the length unit of marker coordinates and plate geometry. */
  pointUnit: string;
  /** Units of model outputs stored as points, written to POINT:ANGLE_UNITS … where such points exist. */
  modelOutputUnits?: Partial<Record<Exclude<C3dPointKind, 'marker'>, string>>;
  points: C3dWritePoint[];
  analogs: C3dWriteAnalog[];
  plates: C3dWritePlate[];
  /** FORCE_PLATFORM:ZERO: 1-based frame range whose mean the reader subtracts; [0, 0] for none. */
  plateZeroFrames?: [number, number];
  events: C3dWriteEvent[];
  subjects: string[];
  software: string;
  softwareVersion?: string;
}

// ---- The parameter section -----------------------------------------------------------------------------

type ParamValue =
  | { type: 'char'; strings: string[]; scalar?: boolean }
  | { type: 'int16' | 'float32'; dims: number[]; values: number[] };

interface Param { name: string; value: ParamValue; description?: string }
interface Group { name: string; description: string; params: Param[] }

const MAX_DIM = 255;

/** C3D text is 7-bit-clean ASCII in practice; anything else is written as '?'. */
function c3dText(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '?');
}

/** A list split into NAME, NAME2, NAME3 … of at most 255 entries each (an empty list is one empty NAME). */
function series(name: string, count: number, make: (from: number, to: number) => ParamValue): Param[] {
  const out: Param[] = [];
  for (let k = 0, from = 0; from < count || (k === 0 && count === 0); k++, from += MAX_DIM) {
    out.push({ name: k === 0 ? name : `${name}${k + 1}`, value: make(from, Math.min(count, from + MAX_DIM)) });
    if (count === 0) break;
  }
  return out;
}

function stringSeries(name: string, strings: string[]): Param[] {
  return series(name, strings.length, (a, b) => ({ type: 'char', strings: strings.slice(a, b) }));
}

function numberSeries(name: string, type: 'int16' | 'float32', values: number[], perItem = 1): Param[] {
  const items = values.length / perItem;
  return series(name, items, (a, b) => ({ type, dims: perItem === 1 ? [b - a] : [perItem, b - a], values: values.slice(a * perItem, b * perItem) }));
}

const scalarInt = (v: number): ParamValue => ({ type: 'int16', dims: [], values: [v] });
const scalarFloat = (v: number): ParamValue => ({ type: 'float32', dims: [], values: [v] });
const oneString = (s: string): ParamValue => ({ type: 'char', strings: [s], scalar: true });

/** Bytes of one parameter record after its name: the next-offset word, type, dims, data and description. */
function encodeParameter(p: Param, groupId: number, last: boolean): number[] {
  const out: number[] = [];
  const name = c3dText(p.name).toUpperCase();
  let dims: number[];
  let data: number[];
  let typeCode: number;
  if (p.value.type === 'char') {
    const strings = p.value.strings.map(c3dText);
    const length = Math.max(1, ...strings.map((s) => s.length));
    typeCode = -1;
    if (p.value.scalar) {
      dims = [strings[0].length];
      data = [...strings[0]].map((c) => c.charCodeAt(0));
    } else {
      dims = [length, strings.length];
      data = strings.flatMap((s) => [...s.padEnd(length, ' ')].map((c) => c.charCodeAt(0)));
    }
  } else {
    dims = p.value.dims;
    typeCode = p.value.type === 'int16' ? 2 : 4;
    const buf = new DataView(new ArrayBuffer(p.value.values.length * typeCode));
    p.value.values.forEach((v, i) => (typeCode === 2 ? buf.setInt16(i * 2, v, true) : buf.setFloat32(i * 4, v, true)));
    data = [...new Uint8Array(buf.buffer)];
  }
  if (dims.some((d) => d > MAX_DIM)) throw new Error(`C3D writer: ${name} has a dimension above ${MAX_DIM}`);
  const description = c3dText(p.description ?? '').slice(0, 255);
  const body = [typeCode & 0xff, dims.length, ...dims, ...data, description.length, ...[...description].map((c) => c.charCodeAt(0))];
  out.push(name.length, groupId, ...[...name].map((c) => c.charCodeAt(0)));
  const next = last ? 0 : 2 + body.length;
  out.push(next & 0xff, (next >> 8) & 0xff, ...body);
  return out;
}

function encodeGroup(g: Group, id: number): number[] {
  const name = c3dText(g.name).toUpperCase();
  const description = c3dText(g.description).slice(0, 255);
  const body = [description.length, ...[...description].map((c) => c.charCodeAt(0))];
  const next = 2 + body.length;
  return [name.length, (-id) & 0xff, ...[...name].map((c) => c.charCodeAt(0)), next & 0xff, (next >> 8) & 0xff, ...body];
}

function encodeParameterSection(groups: Group[]): number[] {
  const out: number[] = [];
  groups.forEach((g, k) => out.push(...encodeGroup(g, k + 1)));
  const all = groups.flatMap((g, k) => g.params.map((p) => ({ p, id: k + 1 })));
  all.forEach(({ p, id }, i) => out.push(...encodeParameter(p, id, i === all.length - 1)));
  return out;
}

// ---- The model's groups ----------------------------------------------------------------------------------

const MODEL_OUTPUT_LISTS: { kind: Exclude<C3dPointKind, 'marker'>; list: string; unitParameter: string }[] = [
  { kind: 'angle', list: 'ANGLES', unitParameter: 'ANGLE_UNITS' },
  { kind: 'force', list: 'FORCES', unitParameter: 'FORCE_UNITS' },
  { kind: 'moment', list: 'MOMENTS', unitParameter: 'MOMENT_UNITS' },
  { kind: 'power', list: 'POWERS', unitParameter: 'POWER_UNITS' },
];

/** POINT:FRAMES is an int16 word (read unsigned); longer trials need a float and TRIAL:ACTUAL_*_FIELD. */
function framesValue(n: number): ParamValue {
  return n <= 65535 ? scalarInt(n > 32767 ? n - 65536 : n) : scalarFloat(n);
}

/** A frame number as TRIAL:ACTUAL_START_FIELD stores it: two unsigned words, low then high. */
function twoWords(n: number): ParamValue {
  const low = n % 65536;
  const high = Math.floor(n / 65536);
  return { type: 'int16', dims: [2], values: [low > 32767 ? low - 65536 : low, high > 32767 ? high - 65536 : high] };
}

function groupsOf(m: C3dWriteModel, dataStartBlock: number): Group[] {
  const point: Param[] = [
    { name: 'USED', value: scalarInt(m.points.length) },
    { name: 'FRAMES', value: framesValue(m.frameCount) },
    { name: 'DATA_START', value: scalarInt(dataStartBlock) },
    { name: 'SCALE', value: scalarFloat(-1), description: 'negative: float storage' },
    { name: 'RATE', value: scalarFloat(m.pointRateHz) },
    { name: 'UNITS', value: oneString(m.pointUnit) },
    ...stringSeries('LABELS', m.points.map((p) => p.label)),
    ...stringSeries('DESCRIPTIONS', m.points.map((p) => p.description ?? '')),
  ];
  for (const o of MODEL_OUTPUT_LISTS) {
    const labels = m.points.filter((p) => p.kind === o.kind).map((p) => p.label);
    if (labels.length === 0) continue;
    point.push(...stringSeries(o.list, labels), { name: o.unitParameter, value: oneString(m.modelOutputUnits?.[o.kind] ?? '') });
  }
  const nA = m.analogs.length;
  const analog: Param[] = [
    { name: 'USED', value: scalarInt(nA) },
    ...stringSeries('LABELS', m.analogs.map((a) => a.label)),
    ...stringSeries('DESCRIPTIONS', m.analogs.map((a) => a.description ?? '')),
    ...stringSeries('UNITS', m.analogs.map((a) => a.unit)),
    ...numberSeries('SCALE', 'float32', m.analogs.map(() => 1)),
    ...numberSeries('OFFSET', 'int16', m.analogs.map(() => 0)),
    { name: 'GEN_SCALE', value: scalarFloat(1) },
    { name: 'RATE', value: scalarFloat(m.pointRateHz * m.analogSamplesPerFrame) },
    { name: 'FORMAT', value: oneString('SIGNED') },
    { name: 'BITS', value: scalarInt(16) },
  ];
  const nP = m.plates.length;
  const perPlate = m.plates.some((p) => p.type === 3) ? 8 : 6;
  const forcePlatform: Param[] = [
    { name: 'USED', value: scalarInt(nP) },
    { name: 'TYPE', value: { type: 'int16', dims: [nP], values: m.plates.map((p) => p.type) } },
    { name: 'ZERO', value: { type: 'int16', dims: [2], values: m.plateZeroFrames ?? [0, 0] } },
    { name: 'CORNERS', value: { type: 'float32', dims: [3, 4, nP], values: m.plates.flatMap((p) => p.corners) } },
    { name: 'ORIGIN', value: { type: 'float32', dims: [3, nP], values: m.plates.flatMap((p) => p.origin) } },
    { name: 'CHANNEL', value: { type: 'int16', dims: [perPlate, nP], values: m.plates.flatMap((p) => [...p.channels.map((c) => c + 1), ...new Array(perPlate - p.channels.length).fill(0)]) } },
  ];
  if (m.plates.some((p) => p.type === 4)) {
    forcePlatform.push({ name: 'CAL_MATRIX', value: { type: 'float32', dims: [6, 6, nP], values: m.plates.flatMap((p) => p.calMatrix ?? new Array(36).fill(0)) } });
  }
  if (m.plates.some((p) => p.copPolynomial)) {
    // All zeros for a plate without one: the reader ignores an all-zero polynomial.
    forcePlatform.push({ name: 'FPCOPPOLY', value: { type: 'float32', dims: [12, nP], values: m.plates.flatMap((p) => p.copPolynomial ?? new Array(12).fill(0)) } });
  }
  const nE = m.events.length;
  const event: Param[] = [
    { name: 'USED', value: scalarInt(nE) },
    ...stringSeries('CONTEXTS', m.events.map((e) => e.context)),
    ...stringSeries('LABELS', m.events.map((e) => e.label)),
    ...stringSeries('DESCRIPTIONS', m.events.map((e) => e.description ?? '')),
    ...stringSeries('SUBJECTS', m.events.map((e) => e.subject ?? '')),
    // [2, n]: minutes, then seconds. Minutes 0 keeps the float32 seconds as the reader's shortest decimal.
    ...numberSeries('TIMES', 'float32', m.events.flatMap((e) => [0, e.timeS]), 2),
    ...numberSeries('ICON_IDS', 'int16', m.events.map((e) => e.iconId ?? 0)),
    ...numberSeries('GENERIC_FLAGS', 'int16', m.events.map((e) => e.genericFlag ?? 0)),
  ];
  const lastFrame = m.firstFrame + m.frameCount - 1;
  return [
    { name: 'POINT', description: '3-D point parameters', params: point },
    { name: 'ANALOG', description: 'Analog data parameters', params: analog },
    { name: 'FORCE_PLATFORM', description: 'Force platform parameters', params: forcePlatform },
    { name: 'EVENT', description: 'Event parameters', params: event },
    { name: 'SUBJECTS', description: 'Subjects', params: [
      { name: 'USED', value: scalarInt(m.subjects.length) },
      ...stringSeries('NAMES', m.subjects),
    ] },
    { name: 'TRIAL', description: 'Trial', params: [
      { name: 'ACTUAL_START_FIELD', value: twoWords(m.firstFrame) },
      { name: 'ACTUAL_END_FIELD', value: twoWords(lastFrame) },
      { name: 'CAMERA_RATE', value: scalarFloat(m.pointRateHz) },
    ] },
    { name: 'MANUFACTURER', description: 'Manufacturer information', params: [
      { name: 'COMPANY', value: oneString(m.software) },
      { name: 'SOFTWARE', value: oneString(m.software) },
      ...(m.softwareVersion ? [{ name: 'VERSION_LABEL', value: oneString(m.softwareVersion) }] : []),
    ] },
  ];
}

// ---- The file --------------------------------------------------------------------------------------------

function check(m: C3dWriteModel, file: string): void {
  const frames = m.frameCount;
  const spf = m.analogSamplesPerFrame;
  if (!(Number.isFinite(m.pointRateHz) && m.pointRateHz > 0)) throw new InputError(file, null, 'point rate', `is ${m.pointRateHz} Hz; a C3D frame rate must be a positive number`);
  if (!(Number.isInteger(spf) && spf >= 1 && spf <= 65535)) throw new InputError(file, null, 'analog samples per frame', `is ${spf}; it must be a whole number from 1 to 65535`);
  if (!(Number.isInteger(m.firstFrame) && m.firstFrame >= 1)) throw new InputError(file, null, 'first frame', `is ${m.firstFrame}; frames count from 1`);
  for (const p of m.points) {
    if (p.x.length !== frames || p.y.length !== frames || p.z.length !== frames) throw new InputError(file, null, p.label, `has ${p.x.length} frames where the trial has ${frames}`);
  }
  for (const a of m.analogs) {
    if (a.samples.length !== frames * spf) throw new InputError(file, null, a.label, `has ${a.samples.length} samples where ${frames} frames × ${spf} need ${frames * spf}`);
    const bad = a.samples.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new InputError(file, null, a.label, `sample ${bad + 1} is ${a.samples[bad]}; C3D analog data has no missing value`);
  }
  m.plates.forEach((p, k) => {
    const need = p.type === 3 ? 8 : 6;
    if (p.channels.length !== need || p.channels.some((c) => !(c >= 0 && c < m.analogs.length))) throw new InputError(file, null, `FP${k + 1}`, `a type ${p.type} plate needs ${need} analog channels of the trial`);
    if (p.corners.length !== 12 || p.origin.length !== 3) throw new InputError(file, null, `FP${k + 1}`, 'needs 4 corners and an origin');
  });
  if (m.events.length > 0 && m.events.some((e) => !Number.isFinite(e.timeS))) throw new InputError(file, null, 'EVENT:TIMES', 'an event time is not a finite number');
}

/**
 * The bytes of a C3D file (Intel, float storage) holding `m`. `file` names the output in messages. Throws
 * InputError when the model cannot be written as C3D (channels of unequal length, non-finite analog data).
 */
export function writeC3d(m: C3dWriteModel, file: string): Uint8Array {
  check(m, file);
  const parameterBlock = 2;
  // The section's length does not depend on DATA_START's value (always an int16), so encode once to size it.
  let section = encodeParameterSection(groupsOf(m, 0));
  const parameterBlocks = Math.ceil((section.length + 4) / BLOCK_BYTES);
  if (parameterBlocks > 255) throw new InputError(file, null, 'parameter section', `needs ${parameterBlocks} blocks; C3D allows 255`);
  const dataStartBlock = parameterBlock + parameterBlocks;
  if (dataStartBlock > 65535) throw new InputError(file, null, 'POINT:DATA_START', 'lies beyond block 65535');
  section = encodeParameterSection(groupsOf(m, dataStartBlock));

  const nP = m.points.length;
  const nA = m.analogs.length;
  const spf = m.analogSamplesPerFrame;
  const frameWords = nP * 4 + nA * spf;
  const dataBytes = m.frameCount * frameWords * 4;
  const total = (dataStartBlock - 1) * BLOCK_BYTES + Math.ceil(dataBytes / BLOCK_BYTES) * BLOCK_BYTES;
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);

  // Header (word numbers are the manual's, 1-based).
  const lastFrame = m.firstFrame + m.frameCount - 1;
  bytes[0] = parameterBlock;
  bytes[1] = C3D_KEY_BYTE;
  view.setUint16(2, nP, true);
  view.setUint16(4, Math.min(65535, nA * spf), true);
  view.setUint16(6, Math.min(65535, m.firstFrame), true);
  view.setUint16(8, Math.min(65535, Math.max(0, lastFrame)), true);
  view.setUint16(10, 10, true); // maximum interpolation gap: the customary default
  view.setFloat32(12, -1, true);
  view.setUint16(16, dataStartBlock, true);
  view.setUint16(18, spf, true);
  view.setFloat32(20, m.pointRateHz, true);
  view.setUint16(298, 12345, true); // 4-character event labels supported; no header events (word 151 = 0)

  // Parameter section: two reserved bytes, the block count, the processor.
  const ps = (parameterBlock - 1) * BLOCK_BYTES;
  bytes[ps] = 1;
  bytes[ps + 1] = C3D_KEY_BYTE;
  bytes[ps + 2] = parameterBlocks;
  bytes[ps + 3] = PROCESSOR_BYTE.intel;
  bytes.set(section, ps + 4);

  // Data: per frame, points (x, y, z, residual word as a float) then analog samples, channel fastest.
  let o = (dataStartBlock - 1) * BLOCK_BYTES;
  for (let f = 0; f < m.frameCount; f++) {
    for (const p of m.points) {
      const x = p.x[f], y = p.y[f], z = p.z[f];
      const valid = Number.isFinite(x) && Number.isFinite(y) && Number.isFinite(z);
      view.setFloat32(o, valid ? x : 0, true);
      view.setFloat32(o + 4, valid ? y : 0, true);
      view.setFloat32(o + 8, valid ? z : 0, true);
      view.setFloat32(o + 12, valid ? 0 : -1, true);
      o += 16;
    }
    for (let s = 0; s < spf; s++) {
      const k = f * spf + s;
      for (let ch = 0; ch < nA; ch++) {
        view.setFloat32(o, m.analogs[ch].samples[k], true);
        o += 4;
      }
    }
  }
  return bytes;
}
