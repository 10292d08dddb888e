// Byte-level reading of unquoted comma-separated files, for the large GaitRec / Gutenberg curve files (several
// GB of CSV in the full releases): lines and fields are found as byte offsets and numbers are parsed from the
// bytes, so no string is made per field. The dialect is that of readCsvRecords in gaitrec-metadata.ts (which
// the smaller metadata files keep using): no quoting, LF or CRLF (mixed allowed), a UTF-8 BOM skipped, empty
// lines skipped but counted, so that line n is the file's line n.

const LF = 10, CR = 13, COMMA = 44, MINUS = 45, PLUS = 43, DOT = 46, ZERO = 48, NINE = 57;
const UPPER_N = 78, LOWER_A = 97;
const POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k);

/** Where a line's text starts and ends (line ending excluded) and its 1-based number. */
export interface LineSpan {
  start: number;
  end: number;
  line: number;
}

/**
 * Calls `visit` for every non-empty line of `bytes`, in order; the callback may stop the scan by returning
 * false. Returns the number of lines seen (empty ones included).
 */
export function forEachLine(bytes: Uint8Array, visit: (span: LineSpan) => boolean | void): number {
  const n = bytes.length;
  let pos = n >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let line = 0;
  const span: LineSpan = { start: 0, end: 0, line: 0 };
  while (pos < n) {
    let lf = bytes.indexOf(LF, pos);
    if (lf < 0) lf = n;
    const end = lf > pos && bytes[lf - 1] === CR ? lf - 1 : lf;
    line++;
    if (end > pos) {
      span.start = pos;
      span.end = end;
      span.line = line;
      if (visit(span) === false) return line;
    }
    pos = lf + 1;
  }
  return line;
}

/** The fields of one line: field k spans bytes bounds[2k] … bounds[2k + 1], and its fast value is values[k]. */
export class LineFields {
  count = 0;
  bounds = new Int32Array(2 * 128);
  values = new Float64Array(128);

  /** Field k's text (for keys and messages). */
  text(bytes: Buffer, k: number): string {
    return bytes.toString('utf8', this.bounds[2 * k], this.bounds[2 * k + 1]);
  }

  /**
   * Field k as a non-negative integer id in canonical form (`007` → `7`) when it is 1–15 plain digits; null
   * otherwise, for the caller's strict text rules to accept or refuse.
   */
  digitsId(bytes: Uint8Array, k: number): string | null {
    const start = this.bounds[2 * k], end = this.bounds[2 * k + 1];
    if (end - start < 1 || end - start > 15) return null;
    for (let i = start; i < end; i++) if (bytes[i] < ZERO || bytes[i] > NINE) return null;
    return String(this.values[k]);
  }

  private grow(): void {
    const bounds = new Int32Array(this.bounds.length * 2);
    bounds.set(this.bounds);
    const values = new Float64Array(this.values.length * 2);
    values.set(this.values);
    this.bounds = bounds;
    this.values = values;
  }

  /**
   * Splits bytes[start, end) at commas and reads each field in one pass: values[k] is the field's decimal when
   * it has the plain form `[+-]digits[.digits]` with 1–15 digits, else NaN, to be read the slow, strict way
   * (exponents, longer mantissas, missing values, garbage). The value is (all digits as an integer) / 10^k:
   * both are exact doubles below 2^53 and the division is correctly rounded, so it equals Number(text)
   * (Clinger 1990's fast path).
   */
  scan(bytes: Uint8Array, start: number, end: number): void {
    let count = 0;
    let i = start;
    for (;;) {
      if (count === this.values.length) this.grow();
      const fieldStart = i;
      let negative = false;
      let c = i < end ? bytes[i] : COMMA;
      if (c === MINUS || c === PLUS) { negative = c === MINUS; c = ++i < end ? bytes[i] : COMMA; }
      let mantissa = 0, digits = 0, fractionDigits = 0;
      while (c >= ZERO && c <= NINE) { mantissa = mantissa * 10 + (c - ZERO); digits++; c = ++i < end ? bytes[i] : COMMA; }
      if (c === DOT) {
        c = ++i < end ? bytes[i] : COMMA;
        while (c >= ZERO && c <= NINE) { mantissa = mantissa * 10 + (c - ZERO); fractionDigits++; c = ++i < end ? bytes[i] : COMMA; }
      }
      let value: number;
      if (c !== COMMA) {
        // Not the plain form: find the field's end, leave the value to the strict path.
        while (i < end && bytes[i] !== COMMA) i++;
        value = NaN;
      } else {
        const total = digits + fractionDigits;
        value = total === 0 || total > 15 ? NaN : fractionDigits ? mantissa / POW10[fractionDigits] : mantissa;
        if (negative) value = -value;
      }
      this.bounds[2 * count] = fieldStart;
      this.bounds[2 * count + 1] = i;
      this.values[count] = value;
      count++;
      if (i >= end) break;
      i++; // the comma
    }
    this.count = count;
  }
}

/** A missing value: an empty field or the literal `NaN` (as isMissing in gaitrec-metadata.ts). */
export function isMissingBytes(bytes: Uint8Array, start: number, end: number): boolean {
  return end === start || (end - start === 3 && bytes[start] === UPPER_N && bytes[start + 1] === LOWER_A && bytes[start + 2] === UPPER_N);
}
