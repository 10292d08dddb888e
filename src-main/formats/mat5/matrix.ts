import type { MatBytes } from './bytes';
import { charRows, CHAR_STORED_TYPES, decodeChars } from './chars';
import { NUMERIC_CLASSES, NUMERIC_STORED_TYPES, readStored, toClassType } from './numeric';
import { expectElement, type DataElement } from './tags';
import { mi, mx, type MatArray, type MatCell, type MatStruct, type NumericData } from './types';

/** Cells and structs nest; deeper than this is taken as a corrupt (or hostile) file, not a real one. */
export const MAX_NESTING = 100;
/** Element count allowed for arrays whose elements take no bytes (empty char rows, field-less structs). */
const MAX_EMPTY_ELEMENTS = 1 << 20;

const FLAG_COMPLEX = 0x0800, FLAG_GLOBAL = 0x0400, FLAG_LOGICAL = 0x0200;

/** The fixed start of every miMATRIX: array flags, dimensions and name. */
export interface MatrixHeader {
  classCode: number;
  complex: boolean;
  global: boolean;
  logical: boolean;
  dims: number[];
  numel: number;
  name: string;
  /** Offset of the first subelement after the name. */
  next: number;
  end: number;
}

export function readMatrixHeader(src: MatBytes, el: DataElement, field: string | null): MatrixHeader {
  const end = el.dataOffset + el.size;
  const flagsEl = expectElement(src, el.dataOffset, end, field, 'array flags', [mi.UINT32]);
  if (flagsEl.size !== 8) src.fail(field, `array flags at ${src.where(flagsEl.tagOffset)} are ${flagsEl.size} bytes, expected 8`);
  const flags = src.u32(flagsEl.dataOffset);
  const dimsEl = expectElement(src, flagsEl.next, end, field, 'dimensions', [mi.INT32]);
  if (dimsEl.size % 4 !== 0 || dimsEl.size < 8) {
    src.fail(field, `dimensions at ${src.where(dimsEl.tagOffset)} are ${dimsEl.size} bytes, expected at least two int32 values`);
  }
  const dims: number[] = [];
  let numel = 1;
  for (let k = 0; k < dimsEl.size / 4; k++) {
    const d = src.i32(dimsEl.dataOffset + 4 * k);
    if (d < 0) src.fail(field, `dimension ${k + 1} at ${src.where(dimsEl.tagOffset)} is negative (${d})`);
    dims.push(d);
    numel *= d;
  }
  const nameEl = expectElement(src, dimsEl.next, end, field, 'array name', [mi.INT8, mi.UINT8]);
  const name = src.latin1(nameEl.dataOffset, nameEl.size).replace(/\0+$/, '');
  return {
    classCode: flags & 0xff,
    complex: (flags & FLAG_COMPLEX) !== 0,
    global: (flags & FLAG_GLOBAL) !== 0,
    logical: (flags & FLAG_LOGICAL) !== 0,
    dims, numel, name, next: nameEl.next, end,
  };
}

/**
 * Reads one miMATRIX element. `path` names the array in messages: the variable name, then `[k]` for
 * the k-th (0-based, column-major) element of a cell or struct array and `.field` for struct fields.
 */
export function readMatrix(src: MatBytes, el: DataElement, path: string | null, depth = 0): MatArray {
  if (depth > MAX_NESTING) src.fail(path, `cells and structs nested deeper than ${MAX_NESTING} levels (corrupt file?)`);
  // An empty miMATRIX element stands for an empty double array (MATLAB writes these inside cells).
  if (el.size === 0) return { name: '', class: 'double', dims: [0, 0], global: false, complex: false, data: new Float64Array(0) };
  const h = readMatrixHeader(src, el, path);
  const field = path ?? (h.name || null);
  const base = { name: h.name, dims: h.dims, global: h.global };
  const numeric = NUMERIC_CLASSES[h.classCode];
  if (numeric) {
    const real = readNumericPart(src, h, h.next, field, 'real part');
    const data = toClassType(real.values, numeric.ctor, src, field);
    if (h.logical) {
      const bits = new Uint8Array(data.length);
      for (let i = 0; i < data.length; i++) bits[i] = data[i] ? 1 : 0;
      return { ...base, class: 'logical', data: bits };
    }
    if (!h.complex) return { ...base, class: numeric.name, complex: false, data };
    const imag = readNumericPart(src, h, real.next, field, 'imaginary part');
    return { ...base, class: numeric.name, complex: true, data, imag: toClassType(imag.values, numeric.ctor, src, field) };
  }
  switch (h.classCode) {
    case mx.CHAR: {
      const charsEl = expectElement(src, h.next, h.end, field, 'char data', CHAR_STORED_TYPES);
      const data = decodeChars(src, charsEl, h.numel, field);
      const rows = h.dims.reduce((a, b, k) => (k === 1 ? a : a * b), 1);
      if (h.numel === 0 && rows > MAX_EMPTY_ELEMENTS) src.fail(field, `empty char array ${h.dims.join('×')} claims ${rows} rows (corrupt file?)`);
      return { ...base, class: 'char', data, strings: charRows(data, h.dims) };
    }
    case mx.CELL:
      return readCell(src, h, field ?? '', depth);
    case mx.STRUCT:
      return readStruct(src, h, field ?? '', depth);
    case mx.SPARSE:
      return src.fail(field, 'sparse arrays are not supported; convert them with full() before saving');
    case mx.OBJECT:
      return src.fail(field, 'MATLAB objects (mxOBJECT_CLASS) are not supported');
    case mx.FUNCTION: case mx.OPAQUE:
      return src.fail(field, 'function handles and opaque classes (string, table, datetime) are not supported');
    default:
      return src.fail(field, `unknown array class ${h.classCode} in the array flags (corrupt file?)`);
  }
}

function readNumericPart(
  src: MatBytes, h: MatrixHeader, offset: number, field: string | null, what: string,
): { values: NumericData; next: number } {
  const el = expectElement(src, offset, h.end, field, what, NUMERIC_STORED_TYPES);
  const values = readStored(src, el, field, what);
  if (values.length !== h.numel) {
    src.fail(field, `${what} at ${src.where(el.tagOffset)} holds ${values.length} values but the dimensions ${h.dims.join('×')} need ${h.numel}`);
  }
  return { values, next: el.next };
}

function readCell(src: MatBytes, h: MatrixHeader, field: string, depth: number): MatCell {
  // Each element is at least an 8-byte tag: refuse counts the data cannot hold before looping.
  if (h.numel * 8 > h.end - h.next) {
    src.fail(field, `cell array ${h.dims.join('×')} needs ${h.numel} elements but its data element holds only ${h.end - h.next} bytes`);
  }
  const data: MatArray[] = [];
  let offset = h.next;
  for (let k = 0; k < h.numel; k++) {
    const at = `${field}[${k}]`;
    const el = expectElement(src, offset, h.end, at, 'cell element', [mi.MATRIX]);
    data.push(readMatrix(src, el, at, depth + 1));
    offset = el.next;
  }
  return { name: h.name, dims: h.dims, global: h.global, class: 'cell', data };
}

function readStruct(src: MatBytes, h: MatrixHeader, field: string, depth: number): MatStruct {
  const lenEl = expectElement(src, h.next, h.end, field, 'field name length', [mi.INT32]);
  if (lenEl.size !== 4) src.fail(field, `field name length at ${src.where(lenEl.tagOffset)} is ${lenEl.size} bytes, expected 4`);
  const nameLength = src.i32(lenEl.dataOffset);
  const namesEl = expectElement(src, lenEl.next, h.end, field, 'field names', [mi.INT8, mi.UINT8]);
  if (nameLength <= 0 ? namesEl.size !== 0 : namesEl.size % nameLength !== 0) {
    src.fail(field, `field names at ${src.where(namesEl.tagOffset)}: ${namesEl.size} bytes is not a multiple of the field name length ${nameLength}`);
  }
  const fieldNames: string[] = [];
  for (let f = 0; nameLength > 0 && f < namesEl.size / nameLength; f++) {
    fieldNames.push(src.latin1(namesEl.dataOffset + f * nameLength, nameLength).replace(/\0.*$/s, ''));
  }
  const count = h.numel * fieldNames.length;
  if (count * 8 > h.end - namesEl.next || (fieldNames.length === 0 && h.numel > MAX_EMPTY_ELEMENTS)) {
    src.fail(field, `struct array ${h.dims.join('×')} with ${fieldNames.length} fields needs ${count} values but its data element holds only ${h.end - namesEl.next} bytes`);
  }
  const data: Array<Record<string, MatArray>> = [];
  let offset = namesEl.next;
  for (let k = 0; k < h.numel; k++) {
    const record: Record<string, MatArray> = Object.create(null);
    for (const name of fieldNames) {
      const at = `${field}${h.numel === 1 ? '' : `[${k}]`}.${name}`;
      const el = expectElement(src, offset, h.end, at, 'struct field', [mi.MATRIX]);
      record[name] = readMatrix(src, el, at, depth + 1);
      offset = el.next;
    }
    data.push(record);
  }
  return { name: h.name, dims: h.dims, global: h.global, class: 'struct', fieldNames, data };
}
