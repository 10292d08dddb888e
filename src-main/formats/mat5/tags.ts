import type { MatBytes } from './bytes';
import { mi } from './types';

/** One data element: its type, where its data lies, and where the next element starts. */
export interface DataElement {
  type: number;
  tagOffset: number;
  dataOffset: number;
  /** Data bytes, without padding. */
  size: number;
  /** Offset of the next element (data padded to 8 bytes; compressed data is not padded). */
  next: number;
}

const KNOWN_TYPES = new Set<number>(Object.values(mi));

const TYPE_NAMES: Record<number, string> = Object.fromEntries(Object.entries(mi).map(([k, v]) => [v, `mi${k}`]));

export function typeName(type: number): string {
  return TYPE_NAMES[type] ?? `type ${type}`;
}

/** Bytes per value of the numeric and character data types; undefined for others. */
export function bytesPerValue(type: number): number | undefined {
  switch (type) {
    case mi.INT8: case mi.UINT8: case mi.UTF8: return 1;
    case mi.INT16: case mi.UINT16: case mi.UTF16: return 2;
    case mi.INT32: case mi.UINT32: case mi.SINGLE: case mi.UTF32: return 4;
    case mi.DOUBLE: case mi.INT64: case mi.UINT64: return 8;
    default: return undefined;
  }
}

/**
 * Reads the data element tag at `offset`, which must lie with its data inside [offset, end).
 * Small data element format: when the upper 16 bits of the first 32-bit word are non-zero, they hold
 * the byte count (≤ 4), the lower 16 bits the type, and the data sits in the tag's second word.
 */
export function readElement(src: MatBytes, offset: number, end: number, field: string | null): DataElement {
  src.need(offset, 8, field, 'data element tag', end);
  const first = src.u32(offset);
  const small = first >>> 16;
  if (small !== 0) {
    const type = first & 0xffff;
    checkType(src, type, offset, field);
    if (small > 4) {
      src.fail(field, `bad data element tag at ${src.where(offset)}: small element claims ${small} bytes (at most 4)`);
    }
    return { type, tagOffset: offset, dataOffset: offset + 4, size: small, next: offset + 8 };
  }
  const type = first;
  checkType(src, type, offset, field);
  const size = src.u32(offset + 4);
  const dataOffset = offset + 8;
  if (size > end - dataOffset) {
    src.fail(field, `data element at ${src.where(offset)} (${typeName(type)}) claims ${size} bytes but only ${end - dataOffset} remain (truncated or corrupt file)`);
  }
  const padded = type === mi.COMPRESSED ? size : Math.ceil(size / 8) * 8;
  // Some writers omit the padding of the last element; never step past the end.
  return { type, tagOffset: offset, dataOffset, size, next: Math.min(dataOffset + padded, end) };
}

function checkType(src: MatBytes, type: number, offset: number, field: string | null): void {
  if (!KNOWN_TYPES.has(type)) {
    src.fail(field, `bad data element tag at ${src.where(offset)}: unknown data type ${type} (corrupt file, or not a MAT-file)`);
  }
}

/** Reads an element that must be of one of `types`; `what` names it in messages ("dimensions"). */
export function expectElement(
  src: MatBytes, offset: number, end: number, field: string | null, what: string, types: readonly number[],
): DataElement {
  const el = readElement(src, offset, end, field);
  if (!types.includes(el.type)) {
    src.fail(field, `${what} at ${src.where(offset)} has data type ${typeName(el.type)}, expected ${types.map(typeName).join(' or ')}`);
  }
  return el;
}
