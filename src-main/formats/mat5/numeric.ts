import { endianness } from 'node:os';
import type { MatBytes } from './bytes';
import type { DataElement } from './tags';
import { bytesPerValue, typeName } from './tags';
import { mi, mx, type MatNumericClass, type NumericData } from './types';

const HOST_LITTLE_ENDIAN = endianness() === 'LE';

type NumericCtor =
  | Float64ArrayConstructor | Float32ArrayConstructor | Int8ArrayConstructor | Uint8ArrayConstructor
  | Int16ArrayConstructor | Uint16ArrayConstructor | Int32ArrayConstructor | Uint32ArrayConstructor
  | BigInt64ArrayConstructor | BigUint64ArrayConstructor;

const STORED_CTOR: Record<number, NumericCtor> = {
  [mi.INT8]: Int8Array, [mi.UINT8]: Uint8Array, [mi.INT16]: Int16Array, [mi.UINT16]: Uint16Array,
  [mi.INT32]: Int32Array, [mi.UINT32]: Uint32Array, [mi.SINGLE]: Float32Array, [mi.DOUBLE]: Float64Array,
  [mi.INT64]: BigInt64Array, [mi.UINT64]: BigUint64Array,
};

export const NUMERIC_CLASSES: Record<number, { name: MatNumericClass; ctor: NumericCtor }> = {
  [mx.DOUBLE]: { name: 'double', ctor: Float64Array }, [mx.SINGLE]: { name: 'single', ctor: Float32Array },
  [mx.INT8]: { name: 'int8', ctor: Int8Array }, [mx.UINT8]: { name: 'uint8', ctor: Uint8Array },
  [mx.INT16]: { name: 'int16', ctor: Int16Array }, [mx.UINT16]: { name: 'uint16', ctor: Uint16Array },
  [mx.INT32]: { name: 'int32', ctor: Int32Array }, [mx.UINT32]: { name: 'uint32', ctor: Uint32Array },
  [mx.INT64]: { name: 'int64', ctor: BigInt64Array }, [mx.UINT64]: { name: 'uint64', ctor: BigUint64Array },
};

/** The numeric data types an element may be stored as. */
export const NUMERIC_STORED_TYPES: readonly number[] = Object.keys(STORED_CTOR).map(Number);

/**
 * The element's values as a typed array of its stored type. The bytes are copied into a fresh,
 * aligned buffer and byte-swapped when the file's byte order is not the host's.
 */
export function readStored(src: MatBytes, el: DataElement, field: string | null, what: string): NumericData {
  const ctor = STORED_CTOR[el.type];
  const width = bytesPerValue(el.type);
  if (!ctor || width === undefined) {
    src.fail(field, `${what} at ${src.where(el.tagOffset)} has data type ${typeName(el.type)}, which is not numeric`);
  }
  if (el.size % width !== 0) {
    src.fail(field, `${what} at ${src.where(el.tagOffset)}: ${el.size} bytes is not a whole number of ${typeName(el.type)} values`);
  }
  const buffer = new ArrayBuffer(el.size);
  const bytes = new Uint8Array(buffer);
  bytes.set(src.bytes.subarray(el.dataOffset, el.dataOffset + el.size));
  if (width > 1 && src.littleEndian !== HOST_LITTLE_ENDIAN) {
    const view = Buffer.from(buffer);
    if (width === 2) view.swap16(); else if (width === 4) view.swap32(); else view.swap64();
  }
  return new ctor(buffer, 0, el.size / width);
}

/**
 * Converts stored values to the array's class type (MATLAB writes e.g. a double array of small
 * integers as miUINT8 to save space; the class, not the storage, is the array's type).
 */
export function toClassType(stored: NumericData, ctor: NumericCtor, src: MatBytes, field: string | null): NumericData {
  if (stored.constructor === ctor) return stored;
  const n = stored.length;
  if (ctor === BigInt64Array || ctor === BigUint64Array) {
    const out = new (ctor as BigInt64ArrayConstructor)(n);
    if (stored instanceof BigInt64Array || stored instanceof BigUint64Array) {
      for (let i = 0; i < n; i++) out[i] = stored[i];
      return out;
    }
    for (let i = 0; i < n; i++) {
      const v = stored[i];
      if (!Number.isInteger(v)) src.fail(field, `value ${v} at element ${i} is not an integer but the array's class is 64-bit integer`);
      out[i] = BigInt(v);
    }
    return out;
  }
  const out = new (ctor as Float64ArrayConstructor)(n);
  if (stored instanceof BigInt64Array || stored instanceof BigUint64Array) {
    for (let i = 0; i < n; i++) out[i] = Number(stored[i]);
  } else {
    out.set(stored);
  }
  return out as NumericData;
}
