// The C3D parameter section: a 4-byte section header (byte 3 = number of blocks, byte 4 = processor type)
// followed by a chain of group and parameter records, each pointing to the next. The chain is followed only
// while it stays inside the parameter area and every record is well formed; where it breaks (a next-offset
// written in the wrong byte order, an "empty" record of garbage, values that overlap the next record) the
// reader stops or skips with a warning, keeps what it has read, and never loops: every step moves forward.
import { BLOCK_BYTES, C3dBytes, trimC3dText, unsigned16 } from './binary';

export type C3dParameterType = 'char' | 'int8' | 'int16' | 'float32';

export interface C3dParameter {
  group: string;
  name: string;
  type: C3dParameterType;
  /** As stored; [] for a scalar. For char parameters dimensions[0] is the string length. */
  dimensions: number[];
  /** Numeric values in storage order (first index fastest); empty for char parameters. */
  values: number[];
  /** Char parameters: one string per element of dimensions[1…] (trimmed); a 0/1-d char parameter is one string. */
  strings: string[];
  locked: boolean;
  description: string;
}

export interface C3dGroup {
  name: string;
  id: number;
  description: string;
  locked: boolean;
}

export interface C3dParameterSection {
  /** Byte 3 of the section: the number of 512-byte blocks it declares. */
  declaredBlocks: number;
  groups: Map<string, C3dGroup>;
  /** Keyed 'GROUP:NAME' (upper case). */
  parameters: Map<string, C3dParameter>;
}

const TYPE_BY_CODE: Record<number, C3dParameterType> = { [-1]: 'char', 1: 'int8', 2: 'int16', 4: 'float32' };
const NAME_CHARS = /^[\x21-\x7e][\x20-\x7e]*$/;

interface PendingParameter {
  groupId: number;
  param: Omit<C3dParameter, 'group'>;
}

/**
 * Reads the parameter records between `start` (the section's first byte) and `areaEnd` (the first byte
 * that cannot belong to the section: the data start, or the file end). `declaredEnd` is where the section
 * says it ends; records past it are still read (BTK's parameterOverflow.c3d stores values there).
 */
export function readParameterSection(b: C3dBytes, start: number, areaEnd: number, warnings: string[]): C3dParameterSection {
  const declaredBlocks = b.u8(start + 2);
  const groupsById = new Map<number, C3dGroup>();
  const pending: PendingParameter[] = [];
  let pos = start + 4;
  const warn = (what: string) => warnings.push(`parameter section: ${what}`);

  while (pos + 4 <= areaEnd) {
    const nameLenRaw = b.i8(pos);
    const id = b.i8(pos + 1);
    if (nameLenRaw === 0 || id === 0) break; // end of the chain
    const nameLen = Math.abs(nameLenRaw);
    const locked = nameLenRaw < 0;
    if (pos + 2 + nameLen + 2 > areaEnd) {
      warn(`record at byte ${pos} runs past the parameter area; stopped there`);
      break;
    }
    const rawName = b.latin1(pos + 2, nameLen);
    if (!NAME_CHARS.test(rawName)) {
      warn(`record at byte ${pos} has no valid name; stopped there (${pendingCount(groupsById, pending)} read)`);
      break;
    }
    const name = rawName.trim().toUpperCase();
    const offsetPos = pos + 2 + nameLen;
    const nextOffset = b.i16(offsetPos);
    const last = nextOffset === 0;
    const recordEnd = last ? areaEnd : offsetPos + nextOffset;
    const nextOk = last || (nextOffset > 0 && recordEnd <= areaEnd);
    const bodyEnd = nextOk ? recordEnd : areaEnd;
    const body = offsetPos + 2;

    if (id < 0) {
      if (body + 1 > bodyEnd) {
        warn(`group ${name} is cut short; stopped there`);
        break;
      }
      const descLen = b.u8(body);
      const description = body + 1 + descLen <= bodyEnd ? trimC3dText(b.latin1(body + 1, descLen)) : '';
      if (groupsById.has(-id)) warn(`group id ${-id} defined twice (${groupsById.get(-id)!.name}, ${name}); the first is kept`);
      else groupsById.set(-id, { name, id: -id, description, locked });
    } else {
      const param = readParameterBody(b, name, locked, body, bodyEnd);
      if (typeof param === 'string') warn(param);
      else pending.push({ groupId: id, param });
    }

    if (last) break;
    if (!nextOk) {
      warn(`record ${name} at byte ${pos} points to byte ${offsetPos + nextOffset}, outside the parameter area; stopped there`);
      break;
    }
    pos = recordEnd;
  }

  const groups = new Map<string, C3dGroup>();
  for (const g of groupsById.values()) if (!groups.has(g.name)) groups.set(g.name, g);
  const parameters = new Map<string, C3dParameter>();
  const orphans = new Map<number, string[]>();
  const duplicates: string[] = [];
  for (const { groupId, param } of pending) {
    const group = groupsById.get(groupId);
    if (!group) {
      orphans.set(groupId, [...(orphans.get(groupId) ?? []), param.name]);
      continue;
    }
    const key = `${group.name}:${param.name}`;
    if (parameters.has(key)) duplicates.push(key);
    else parameters.set(key, { group: group.name, ...param });
  }
  for (const [id, names] of orphans) warn(`${names.length} parameters (${listSome(names)}) belong to group id ${id}, which is not defined; ignored`);
  if (duplicates.length) warn(`${duplicates.length} parameters are defined more than once (${listSome(duplicates)}); the first definition of each is kept`);
  return { declaredBlocks, groups, parameters };
}

function listSome(names: string[]): string {
  const unique = [...new Set(names)];
  return unique.length <= 3 ? unique.join(', ') : `${unique.slice(0, 3).join(', ')}, …`;
}

function pendingCount(groups: Map<number, C3dGroup>, pending: PendingParameter[]): string {
  return `${groups.size} groups, ${pending.length} parameters`;
}

/** A parameter's type, dimensions, values and description, or a warning when they do not fit its record. */
function readParameterBody(b: C3dBytes, name: string, locked: boolean, body: number, end: number): Omit<C3dParameter, 'group'> | string {
  if (body + 2 > end) return `parameter ${name} is cut short; ignored`;
  const typeCode = b.i8(body);
  const type = TYPE_BY_CODE[typeCode];
  if (!type) return `parameter ${name} has element size ${typeCode} (expected −1, 1, 2 or 4); ignored`;
  const nDims = b.u8(body + 1);
  if (body + 2 + nDims > end) return `parameter ${name} is cut short; ignored`;
  const dimensions: number[] = [];
  let count = 1;
  for (let k = 0; k < nDims; k++) {
    const d = b.u8(body + 2 + k);
    dimensions.push(d);
    count *= d;
  }
  const elementBytes = Math.abs(typeCode);
  const dataStart = body + 2 + nDims;
  const dataEnd = dataStart + count * elementBytes;
  if (dataEnd > end) return `parameter ${name}: its ${count} values run past its record; ignored`;
  const values: number[] = [];
  const strings: string[] = [];
  if (type === 'char') {
    const length = nDims === 0 ? 1 : dimensions[0];
    const n = length === 0 ? 0 : count / length;
    for (let k = 0; k < n; k++) strings.push(trimC3dText(b.latin1(dataStart + k * length, length)));
  } else {
    for (let k = 0; k < count; k++) {
      const at = dataStart + k * elementBytes;
      values.push(type === 'int8' ? b.i8(at) : type === 'int16' ? b.i16(at) : b.f32(at));
    }
  }
  let description = '';
  if (dataEnd + 1 <= end) {
    const descLen = b.u8(dataEnd);
    if (dataEnd + 1 + descLen <= end) description = trimC3dText(b.latin1(dataEnd + 1, descLen));
  }
  return { name, type, dimensions, values, strings, locked, description };
}

/** Where the parameter section may extend to: the data section's start when it lies beyond, else the declared blocks. */
export function parameterAreaEnd(start: number, declaredBlocks: number, dataStartBlock: number, fileLength: number): number {
  const declaredEnd = start + declaredBlocks * BLOCK_BYTES;
  const dataStart = (dataStartBlock - 1) * BLOCK_BYTES;
  const end = dataStart > start ? Math.max(declaredEnd, dataStart) : declaredEnd;
  return Math.min(end, fileLength);
}

// ---- Typed access ------------------------------------------------------------------------------------

export type ParameterMap = ReadonlyMap<string, C3dParameter>;

export function numbersOf(params: ParameterMap, key: string): number[] | null {
  const p = params.get(key);
  return p && p.type !== 'char' ? p.values : null;
}

export function numberOf(params: ParameterMap, key: string): number | null {
  const v = numbersOf(params, key);
  return v && v.length > 0 ? v[0] : null;
}

/** A count stored as an int16 word (read unsigned: ANALOG:USED, POINT:FRAMES … exceed 32767). */
export function countOf(params: ParameterMap, key: string): number | null {
  const p = params.get(key);
  if (!p || p.type === 'char' || p.values.length === 0) return null;
  const v = p.values[0];
  return p.type === 'int16' ? unsigned16(v) : p.type === 'int8' ? (v < 0 ? v + 256 : v) : v;
}

export function stringsOf(params: ParameterMap, key: string): string[] | null {
  const p = params.get(key);
  return p && p.type === 'char' ? p.strings : null;
}

export function stringOf(params: ParameterMap, key: string): string | null {
  const s = stringsOf(params, key);
  return s && s.length > 0 ? s[0] : null;
}

/**
 * A per-channel list spread over NAME, NAME2, NAME3 … (dimensions are bytes, so lists of more than 255
 * entries continue in numbered parameters: ANALOG:LABELS2, POINT:LABELS2 …).
 */
export function seriesStrings(params: ParameterMap, group: string, name: string): string[] {
  const out: string[] = [];
  for (let k = 1; k < 1000; k++) {
    const s = stringsOf(params, `${group}:${name}${k === 1 ? '' : k}`);
    if (!s) break;
    out.push(...s);
  }
  return out;
}

export function seriesNumbers(params: ParameterMap, group: string, name: string): number[] {
  const out: number[] = [];
  for (let k = 1; k < 1000; k++) {
    const v = numbersOf(params, `${group}:${name}${k === 1 ? '' : k}`);
    if (!v) break;
    out.push(...v);
  }
  return out;
}
