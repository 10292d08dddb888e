// Byte-level access to a C3D file in its processor's number format. C3D files come in three encodings,
// named by the processor that wrote them (parameter section byte 4): Intel (84, little-endian IEEE),
// DEC (85, little-endian integers and VAX F-floating reals) and MIPS/SGI (86, big-endian IEEE).
import { InputError } from '../../../src-shared/domain/errors';

export type C3dProcessor = 'intel' | 'dec' | 'mips';

export const PROCESSOR_BYTE: Record<C3dProcessor, number> = { intel: 84, dec: 85, mips: 86 };

export const BLOCK_BYTES = 512;

export function processorFromByte(b: number): C3dProcessor | null {
  return b === 84 ? 'intel' : b === 85 ? 'dec' : b === 86 ? 'mips' : null;
}

/**
 * 2^(e − 152) for every 8-bit exponent e: a VAX F-float with exponent e and 24-bit significand s (hidden bit
 * included) has the value s · 2^(e − 128 − 24). Exponent 0 is zero (or, with the sign set, a reserved
 * operand that no C3D writer produces; read as zero too).
 */
const VAX_POW = Float64Array.from({ length: 256 }, (_, e) => (e === 0 ? 0 : Math.pow(2, e - 152)));

/**
 * A VAX F-floating number from its two little-endian 16-bit words as stored: the first word holds sign,
 * exponent and the high 7 significand bits, the second the low 16. Equivalent to "swap the words, read as
 * IEEE single, divide by 4", but exact for every exponent (IEEE's 255 is Inf/NaN, VAX's is a number).
 */
export function vaxFloat(firstWord: number, secondWord: number): number {
  const exponent = (firstWord >>> 7) & 0xff;
  if (exponent === 0) return 0;
  const significand = 0x800000 | ((firstWord & 0x7f) << 16) | secondWord;
  const magnitude = significand * VAX_POW[exponent];
  return firstWord & 0x8000 ? -magnitude : magnitude;
}

/**
 * The whole file viewed in its processor's format. Reads are not bounds-checked here (the hot loops over
 * the data section check once per section); callers check with `need` wherever an offset comes from the
 * file itself.
 */
export class C3dBytes {
  readonly view: DataView;
  readonly length: number;
  readonly littleEndian: boolean;

  constructor(
    readonly bytes: Uint8Array,
    readonly processor: C3dProcessor,
    /** File name for messages. */
    readonly file: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.length = bytes.byteLength;
    this.littleEndian = processor !== 'mips';
  }

  fail(field: string | null, reason: string): never {
    throw new InputError(this.file, null, field, reason);
  }

  /** Asserts that `count` bytes from `offset` lie within `end` (default: the end of the file). */
  need(offset: number, count: number, field: string | null, what: string, end = this.length): void {
    if (!(offset >= 0 && count >= 0 && offset + count <= end)) {
      this.fail(field, `${what} at byte ${offset} needs ${count} bytes but only ${Math.max(0, end - offset)} remain (truncated or corrupt file)`);
    }
  }

  u8(offset: number): number {
    return this.bytes[offset];
  }

  i8(offset: number): number {
    return (this.bytes[offset] << 24) >> 24;
  }

  i16(offset: number): number {
    return this.view.getInt16(offset, this.littleEndian);
  }

  u16(offset: number): number {
    return this.view.getUint16(offset, this.littleEndian);
  }

  f32(offset: number): number {
    if (this.processor === 'dec') return vaxFloat(this.view.getUint16(offset, true), this.view.getUint16(offset + 2, true));
    return this.view.getFloat32(offset, this.littleEndian);
  }

  /** Bytes as Latin-1 text. */
  latin1(offset: number, count: number): string {
    let s = '';
    const end = Math.min(this.length, offset + count);
    for (let i = offset; i < end; i++) s += String.fromCharCode(this.bytes[i]);
    return s;
  }
}

/** A 16-bit count stored as a signed word (C3D writes many counts as int16 that exceed 32767). */
export function unsigned16(value: number): number {
  return value < 0 ? value + 65536 : value;
}

/** Text of a C3D char field: trailing/leading blanks and NULs removed. */
export function trimC3dText(s: string): string {
  return s.replace(/^[\s\0]+|[\s\0]+$/g, '');
}

/**
 * The shortest decimal that reads back as the same float32: EVENT:TIMES 0.57 is stored as the float32
 * 0.569999992847…, and is returned as 0.57. The float32 value is unchanged; only its double reading is.
 */
export function float32Decimal(v: number): number {
  if (!Number.isFinite(v)) return v;
  const f = Math.fround(v);
  for (let digits = 1; digits <= 9; digits++) {
    const d = Number(f.toPrecision(digits));
    if (Math.fround(d) === f) return d;
  }
  return f;
}

/** Text from a file made safe for a one-line message: control and non-ASCII bytes become '?'. */
export function printable(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '?');
}
