// A small C3D writer for tests: builds files in any processor format and storage, so tests can state
// exactly what a file holds and check that readC3d gives it back. Not a product writer (no validation).
import type { C3dProcessor } from '../../../src-main/formats/c3d';

export type ParamType = 'char' | 'int8' | 'int16' | 'float32';

export interface BuildParameter {
  group: string;
  name: string;
  type: ParamType;
  /** Defaults: [] for one number, [length] for one string, [length, n] for n strings. */
  dims?: number[];
  values?: number[];
  strings?: string[];
  locked?: boolean;
  description?: string;
  /** Write this group id instead of the named group's (to make a parameter of an undefined group). */
  groupId?: number;
}

export interface BuildGroup {
  name: string;
  id: number;
  description?: string;
  locked?: boolean;
}

const TYPE_CODE: Record<ParamType, number> = { char: -1, int8: 1, int16: 2, float32: 4 };
const PROCESSOR_BYTE: Record<C3dProcessor, number> = { intel: 84, dec: 85, mips: 86 };

export class Writer {
  bytes: Uint8Array;
  view: DataView;

  constructor(size: number, readonly processor: C3dProcessor) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }

  get le(): boolean {
    return this.processor !== 'mips';
  }

  i8(at: number, v: number): void {
    this.view.setInt8(at, v);
  }

  u8(at: number, v: number): void {
    this.view.setUint8(at, v);
  }

  i16(at: number, v: number): void {
    this.view.setInt16(at, v, this.le);
  }

  u16(at: number, v: number): void {
    this.view.setUint16(at, v, this.le);
  }

  f32(at: number, v: number): void {
    if (this.processor !== 'dec') {
      this.view.setFloat32(at, v, this.le);
      return;
    }
    // VAX F-float: the IEEE single of 4·v with its two 16-bit words swapped (exact for normal numbers).
    const scratch = new DataView(new ArrayBuffer(4));
    scratch.setFloat32(0, v * 4);
    const bits = scratch.getUint32(0);
    this.view.setUint16(at, v === 0 ? 0 : bits >>> 16, true);
    this.view.setUint16(at + 2, v === 0 ? 0 : bits & 0xffff, true);
  }

  text(at: number, s: string, length: number): void {
    for (let i = 0; i < length; i++) this.bytes[at + i] = i < s.length ? s.charCodeAt(i) : 0x20;
  }
}

function paramDims(p: BuildParameter): number[] {
  if (p.dims) return p.dims;
  if (p.type === 'char') {
    const s = p.strings ?? [];
    const len = Math.max(1, ...s.map((x) => x.length));
    return s.length === 1 ? [len] : [len, s.length];
  }
  return (p.values ?? []).length === 1 ? [] : [(p.values ?? []).length];
}

/** The records of a parameter section (without its 4-byte header), in the given order. */
export function encodeParameterRecords(processor: C3dProcessor, groups: BuildGroup[], params: BuildParameter[], order: 'groups-first' | 'params-first' = 'groups-first'): Uint8Array {
  const idOf = new Map(groups.map((g) => [g.name, g.id]));
  const records: Uint8Array[] = [];
  const record = (name: string, id: number, locked: boolean, body: Uint8Array) => {
    const w = new Writer(2 + name.length + 2 + body.length, processor);
    w.i8(0, locked ? -name.length : name.length);
    w.i8(1, id);
    w.text(2, name, name.length);
    w.i16(2 + name.length, 2 + body.length);
    w.bytes.set(body, 4 + name.length);
    return w.bytes;
  };
  const groupRecords = groups.map((g) => {
    const desc = g.description ?? '';
    const body = new Writer(1 + desc.length, processor);
    body.u8(0, desc.length);
    body.text(1, desc, desc.length);
    return record(g.name, -g.id, g.locked ?? false, body.bytes);
  });
  const paramRecords = params.map((p) => {
    const dims = paramDims(p);
    const count = dims.reduce((a, b) => a * b, 1);
    const size = Math.abs(TYPE_CODE[p.type]);
    const desc = p.description ?? '';
    const body = new Writer(2 + dims.length + count * size + 1 + desc.length, processor);
    body.i8(0, TYPE_CODE[p.type]);
    body.u8(1, dims.length);
    dims.forEach((d, k) => body.u8(2 + k, d));
    const data = 2 + dims.length;
    if (p.type === 'char') {
      const len = dims.length ? dims[0] : 1;
      (p.strings ?? []).forEach((s, k) => body.text(data + k * len, s, len));
    } else {
      (p.values ?? []).forEach((v, k) => {
        const at = data + k * size;
        if (p.type === 'int8') body.i8(at, v);
        else if (p.type === 'int16') body.i16(at, v);
        else body.f32(at, v);
      });
    }
    body.u8(data + count * size, desc.length);
    body.text(data + count * size + 1, desc, desc.length);
    const id = p.groupId ?? idOf.get(p.group);
    if (id === undefined) throw new Error(`no group ${p.group}`);
    return record(p.name, id, p.locked ?? false, body.bytes);
  });
  records.push(...(order === 'groups-first' ? [...groupRecords, ...paramRecords] : [...paramRecords, ...groupRecords]));
  const total = records.reduce((a, r) => a + r.length, 0);
  const out = new Uint8Array(total + 2); // a zero name length ends the chain
  let at = 0;
  for (const r of records) {
    out.set(r, at);
    at += r.length;
  }
  return out;
}

export interface BuildSpec {
  processor: C3dProcessor;
  storage: 'int16' | 'float32';
  /** |POINT:SCALE|; coordinates are written as round(v / scale) in int16 files. */
  scale: number;
  pointRateHz: number;
  firstFrame?: number;
  frames: number;
  labels: string[];
  /** coords[p][f] = [x, y, z]; residuals[p][f] < 0 marks the sample invalid. */
  coords: number[][][];
  residuals?: number[][];
  cameras?: number[][];
  analogLabels?: string[];
  samplesPerFrame?: number;
  /** raw[ch][sample] as stored (counts for int16 files). */
  analogRaw?: number[][];
  analogScale?: number[];
  analogOffset?: number[];
  genScale?: number;
  analogFormat?: 'SIGNED' | 'UNSIGNED';
  /** Further groups/parameters (group ids from 3 up are free). */
  groups?: BuildGroup[];
  params?: BuildParameter[];
  headerEvents?: { label: string; timeS: number }[];
  /** Parameters to leave out of the automatic POINT/ANALOG set (e.g. 'POINT:RATE'). */
  omit?: string[];
}

/** A whole C3D file: header (block 1), parameters (from block 2), data. */
export function buildC3d(spec: BuildSpec): Uint8Array {
  const nP = spec.labels.length;
  const nA = spec.analogLabels?.length ?? 0;
  const spf = nA > 0 ? spec.samplesPerFrame ?? 1 : 0;
  const first = spec.firstFrame ?? 1;
  const float = spec.storage === 'float32';
  const signedScale = float ? -spec.scale : spec.scale;
  const groups: BuildGroup[] = [{ name: 'POINT', id: 1, description: '3-D point parameters' }, { name: 'ANALOG', id: 2 }, ...(spec.groups ?? [])];
  const autoParams: BuildParameter[] = [
    { group: 'POINT', name: 'USED', type: 'int16', values: [nP] },
    { group: 'POINT', name: 'SCALE', type: 'float32', values: [signedScale] },
    { group: 'POINT', name: 'RATE', type: 'float32', values: [spec.pointRateHz] },
    { group: 'POINT', name: 'FRAMES', type: 'int16', values: [spec.frames] },
    { group: 'POINT', name: 'DATA_START', type: 'int16', values: [0] }, // patched below
    { group: 'POINT', name: 'UNITS', type: 'char', strings: ['mm'] },
    { group: 'POINT', name: 'LABELS', type: 'char', dims: [8, nP], strings: spec.labels },
    { group: 'ANALOG', name: 'USED', type: 'int16', values: [nA] },
    { group: 'ANALOG', name: 'RATE', type: 'float32', values: [spec.pointRateHz * spf] },
    { group: 'ANALOG', name: 'GEN_SCALE', type: 'float32', values: [spec.genScale ?? 1] },
    { group: 'ANALOG', name: 'LABELS', type: 'char', dims: [8, nA], strings: spec.analogLabels ?? [] },
    { group: 'ANALOG', name: 'SCALE', type: 'float32', dims: [nA], values: spec.analogScale ?? Array(nA).fill(1) },
    { group: 'ANALOG', name: 'OFFSET', type: 'int16', dims: [nA], values: spec.analogOffset ?? Array(nA).fill(0) },
    { group: 'ANALOG', name: 'UNITS', type: 'char', dims: [4, nA], strings: Array(nA).fill('V') },
    ...(spec.analogFormat ? [{ group: 'ANALOG', name: 'FORMAT', type: 'char' as const, strings: [spec.analogFormat] }] : []),
  ];
  const auto = autoParams.filter((p) => !(spec.omit ?? []).includes(`${p.group}:${p.name}`));
  const extra = spec.params ?? [];
  const params = [...auto.filter((a) => !extra.some((e) => e.group === a.group && e.name === a.name)), ...extra];
  let records = encodeParameterRecords(spec.processor, groups, params);
  const paramBlocks = Math.ceil((4 + records.length) / 512);
  const dataStart = 2 + paramBlocks;
  const ds = params.find((p) => p.group === 'POINT' && p.name === 'DATA_START');
  if (ds && !extra.includes(ds)) ds.values = [dataStart];
  records = encodeParameterRecords(spec.processor, groups, params);

  const word = float ? 4 : 2;
  const frameBytes = (nP * 4 + nA * spf) * word;
  const dataBytes = spec.frames * frameBytes;
  const total = (dataStart - 1) * 512 + Math.ceil(dataBytes / 512) * 512;
  const w = new Writer(total, spec.processor);
  // Header.
  w.u8(0, 2);
  w.u8(1, 0x50);
  w.u16(2, nP);
  w.u16(4, nA * spf);
  w.u16(6, first);
  w.u16(8, first + spec.frames - 1);
  w.u16(10, 10);
  w.f32(12, signedScale);
  w.u16(16, dataStart);
  w.u16(18, spf);
  w.f32(20, spec.pointRateHz);
  w.u16(298, 12345);
  const ev = spec.headerEvents ?? [];
  w.u16(300, ev.length);
  ev.forEach((e, i) => {
    w.f32(304 + 4 * i, e.timeS);
    w.u8(376 + i, 1);
    w.text(396 + 4 * i, e.label, 4);
  });
  // Parameter section.
  const ps = 512;
  w.u8(ps, 1);
  w.u8(ps + 1, 0x50);
  w.u8(ps + 2, paramBlocks);
  w.u8(ps + 3, PROCESSOR_BYTE[spec.processor]);
  w.bytes.set(records, ps + 4);
  // Data.
  let at = (dataStart - 1) * 512;
  for (let f = 0; f < spec.frames; f++) {
    for (let p = 0; p < nP; p++) {
      const [x, y, z] = spec.coords[p][f];
      const res = spec.residuals?.[p][f] ?? 0;
      const cam = spec.cameras?.[p][f] ?? 0;
      const wordValue = res < 0 ? -1 : (cam << 8) | Math.round(res / spec.scale);
      if (float) {
        w.f32(at, x); w.f32(at + 4, y); w.f32(at + 8, z); w.f32(at + 12, wordValue);
      } else {
        w.i16(at, Math.round(x / spec.scale)); w.i16(at + 2, Math.round(y / spec.scale)); w.i16(at + 4, Math.round(z / spec.scale)); w.i16(at + 6, wordValue);
      }
      at += 4 * word;
    }
    for (let s = 0; s < spf; s++) {
      for (let ch = 0; ch < nA; ch++) {
        const v = spec.analogRaw![ch][f * spf + s];
        if (float) w.f32(at, v);
        else if (spec.analogFormat === 'UNSIGNED') w.u16(at, v);
        else w.i16(at, v);
        at += word;
      }
    }
  }
  return w.bytes;
}
