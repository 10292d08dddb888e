import { InputError } from '../../src-shared/domain/errors';

/** A parsed numeric table, column-major: columns[c][r]. */
export interface NumericTable {
  rows: number;
  columns: Float64Array[];
}

const TAB = 9, LF = 10, CR = 13, SPACE = 32, MINUS = 45, PLUS = 43, DOT = 46, ZERO = 48, NINE = 57;
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * Parses a headerless table of decimal numbers separated by tabs (or spaces), LF or CRLF line ends,
 * with exactly `expectedColumns` fields per line. Hand-written because it is the import hot path
 * (≈ 300 MB of gaitpdb text must parse faster than pandas reads it): one pass over the bytes, no strings.
 * Decimal values are rebuilt as integer / 10^k, which is correctly rounded for up to 15 significant digits.
 */
export function parseNumericTable(bytes: Uint8Array, expectedColumns: number, file: string, fieldName: (col: number) => string): NumericTable {
  const n = bytes.length;
  // Count lines first so columns are allocated once.
  let lines = 0;
  for (let i = 0; i < n; i++) if (bytes[i] === LF) lines++;
  if (n > 0 && bytes[n - 1] !== LF) lines++;
  const columns = Array.from({ length: expectedColumns }, () => new Float64Array(lines));

  let row = 0;
  let i = 0;
  while (i < n) {
    const lineNo = row + 1;
    let col = 0;
    // Parse one line.
    for (;;) {
      // skip separators
      while (i < n && (bytes[i] === TAB || bytes[i] === SPACE)) i++;
      if (i >= n || bytes[i] === LF || bytes[i] === CR) break;
      if (col >= expectedColumns) {
        let extra = col;
        while (i < n && bytes[i] !== LF) {
          if (bytes[i] === TAB || bytes[i] === SPACE) { while (i < n && (bytes[i] === TAB || bytes[i] === SPACE)) i++; continue; }
          if (bytes[i] === CR) { i++; continue; }
          extra++;
          while (i < n && bytes[i] !== TAB && bytes[i] !== SPACE && bytes[i] !== LF && bytes[i] !== CR) i++;
        }
        throw new InputError(file, lineNo, null, `expected ${expectedColumns} columns, found ${extra}`);
      }
      const start = i;
      let sign = 1;
      if (bytes[i] === MINUS) { sign = -1; i++; } else if (bytes[i] === PLUS) i++;
      let intPart = 0, digits = 0, frac = 0, fracDigits = 0;
      let c = bytes[i];
      while (c >= ZERO && c <= NINE) { intPart = intPart * 10 + (c - ZERO); digits++; c = bytes[++i]; }
      if (c === DOT) {
        c = bytes[++i];
        while (c >= ZERO && c <= NINE) { frac = frac * 10 + (c - ZERO); fracDigits++; c = bytes[++i]; }
      }
      let value: number;
      const end = i < n ? bytes[i] : LF;
      if ((digits + fracDigits === 0) || digits + fracDigits > 15 || fracDigits > 22 ||
          !(end === TAB || end === SPACE || end === LF || end === CR)) {
        // Rare forms (exponents, NaN, Inf, long mantissas, garbage): take the slow, strict path.
        while (i < n && bytes[i] !== TAB && bytes[i] !== SPACE && bytes[i] !== LF && bytes[i] !== CR) i++;
        const text = Buffer.from(bytes.buffer, bytes.byteOffset + start, i - start).toString('latin1');
        value = strictNumber(text);
        if (!Number.isFinite(value)) {
          throw new InputError(file, lineNo, fieldName(col), Number.isNaN(value) ? `not a finite number: "${text.slice(0, 40)}"` : `infinite value "${text}"`);
        }
      } else {
        value = sign * (fracDigits ? (intPart * POW10[fracDigits] + frac) / POW10[fracDigits] : intPart);
      }
      columns[col][row] = value;
      col++;
    }
    // end of line
    if (i < n && bytes[i] === CR) {
      i++;
      if (i < n && bytes[i] !== LF) throw new InputError(file, lineNo, null, 'bare CR inside a line');
    }
    if (col === 0) {
      throw new InputError(file, lineNo, null, 'empty line (no values)');
    }
    if (col !== expectedColumns) {
      throw new InputError(file, lineNo, null, `expected ${expectedColumns} columns, found ${col}`);
    }
    row++;
    if (i < n && bytes[i] === LF) i++;
  }
  if (row !== lines) {
    for (let c = 0; c < expectedColumns; c++) columns[c] = columns[c].subarray(0, row);
  }
  return { rows: row, columns };
}

function strictNumber(text: string): number {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return NaN;
  return Number(text);
}
