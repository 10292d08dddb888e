import { InputError } from '../../../src-shared/domain/errors';

/**
 * One byte range of a MAT-file (the file itself, or one decompressed miCOMPRESSED element) read in the
 * file's byte order. Every read is bounds-checked and every failure is an InputError, so no malformed
 * file can surface as a RangeError or read past its end.
 */
export class MatBytes {
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    readonly littleEndian: boolean,
    /** File name for messages. */
    readonly file: string,
    /** Where this range sits, for messages: '' for the file, or ' of the element decompressed from byte 128'. */
    private readonly origin: string = '',
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.length;
  }

  /** "byte 1234" or "byte 56 of the element decompressed from byte 128". */
  where(offset: number): string {
    return `byte ${offset}${this.origin}`;
  }

  fail(field: string | null, reason: string): never {
    throw new InputError(this.file, null, field, reason);
  }

  /** Asserts that `count` bytes from `offset` lie within `end` (default: the range's end). */
  need(offset: number, count: number, field: string | null, what: string, end = this.length): void {
    if (offset < 0 || count < 0 || offset + count > end) {
      const left = Math.max(0, end - offset);
      this.fail(field, `${what} at ${this.where(offset)} needs ${count} bytes but only ${left} remain (truncated or corrupt file)`);
    }
  }

  u16(offset: number): number {
    return this.view.getUint16(offset, this.littleEndian);
  }

  u32(offset: number): number {
    return this.view.getUint32(offset, this.littleEndian);
  }

  i32(offset: number): number {
    return this.view.getInt32(offset, this.littleEndian);
  }

  /** Bytes as Latin-1 text (array and field names are ASCII). */
  latin1(offset: number, count: number): string {
    let s = '';
    for (let i = 0; i < count; i++) s += String.fromCharCode(this.bytes[offset + i]);
    return s;
  }
}
