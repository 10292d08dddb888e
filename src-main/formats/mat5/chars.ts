import type { MatBytes } from './bytes';
import { readStored } from './numeric';
import type { DataElement } from './tags';
import { typeName } from './tags';
import { mi } from './types';

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Character data types MATLAB and other writers use for char arrays. */
export const CHAR_STORED_TYPES: readonly number[] = [mi.UTF8, mi.UINT8, mi.INT8, mi.UTF16, mi.UINT16, mi.INT16, mi.UTF32, mi.UINT32, mi.INT32];

/**
 * Decodes char-array data to UTF-16 code units (MATLAB's char type). miUINT16/miUTF16 hold code units,
 * miUTF8 is decoded as UTF-8, 8-bit types as Latin-1, 32-bit types as code points.
 */
export function decodeChars(src: MatBytes, el: DataElement, numel: number, field: string | null): Uint16Array {
  let text: string;
  switch (el.type) {
    case mi.UTF16: case mi.UINT16: case mi.INT16: {
      const units = readStored(src, { ...el, type: el.type === mi.INT16 ? mi.INT16 : mi.UINT16 }, field, 'char data');
      const out = new Uint16Array(units.length);
      out.set(units as Uint16Array);
      return checkCount(out, numel, src, el, field);
    }
    case mi.UTF8:
      try {
        text = UTF8.decode(src.bytes.subarray(el.dataOffset, el.dataOffset + el.size));
      } catch {
        src.fail(field, `char data at ${src.where(el.tagOffset)} is not valid UTF-8`);
      }
      break;
    case mi.UINT8: case mi.INT8:
      text = src.latin1(el.dataOffset, el.size);
      break;
    case mi.UTF32: case mi.UINT32: case mi.INT32: {
      const points = readStored(src, { ...el, type: el.type === mi.INT32 ? mi.INT32 : mi.UINT32 }, field, 'char data') as Uint32Array | Int32Array;
      text = '';
      for (const p of points) {
        if (p < 0 || p > 0x10ffff) src.fail(field, `char data at ${src.where(el.tagOffset)} holds invalid code point ${p}`);
        text += String.fromCodePoint(p);
      }
      break;
    }
    default:
      src.fail(field, `char data at ${src.where(el.tagOffset)} has data type ${typeName(el.type)}, which is not a character type`);
  }
  const out = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return checkCount(out, numel, src, el, field);
}

function checkCount(units: Uint16Array, numel: number, src: MatBytes, el: DataElement, field: string | null): Uint16Array {
  if (units.length !== numel) {
    src.fail(field, `char data at ${src.where(el.tagOffset)} holds ${units.length} characters but the dimensions need ${numel}`);
  }
  return units;
}

/** The rows of a char array: one string of length dims[1] per (i0, i2, …), i0 fastest (see MatChar). */
export function charRows(units: Uint16Array, dims: readonly number[]): string[] {
  const d0 = dims[0], d1 = dims[1];
  let rest = 1;
  for (let k = 2; k < dims.length; k++) rest *= dims[k];
  const rows: string[] = [];
  for (let r = 0; r < rest; r++) {
    for (let i0 = 0; i0 < d0; i0++) {
      let s = '';
      for (let j = 0; j < d1; j++) s += String.fromCharCode(units[i0 + d0 * (j + d1 * r)]);
      rows.push(s);
    }
  }
  return rows;
}
