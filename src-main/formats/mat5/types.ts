// The values a MAT-file Level 5 reader returns, and the type and class codes of the format.
// Reference: MathWorks, "MAT-File Format" (matfile_format.pdf, Level 5 sections), tables 1-2 and 1-3.
//
// Every array keeps MATLAB's COLUMN-MAJOR element order: for dims [d0, d1, d2, …] the element at
// zero-based index (i0, i1, i2, …) is data[i0 + d0 * (i1 + d1 * (i2 + …))]. Nothing is transposed;
// use `at` / `linearIndex` (index.ts) instead of computing offsets by hand.

/** Data types of data elements (the `miXXX` codes). */
export const mi = {
  INT8: 1, UINT8: 2, INT16: 3, UINT16: 4, INT32: 5, UINT32: 6, SINGLE: 7, DOUBLE: 9,
  INT64: 12, UINT64: 13, MATRIX: 14, COMPRESSED: 15, UTF8: 16, UTF16: 17, UTF32: 18,
} as const;

/** Array classes (the `mxXXX_CLASS` codes) in the array-flags subelement. */
export const mx = {
  CELL: 1, STRUCT: 2, OBJECT: 3, CHAR: 4, SPARSE: 5, DOUBLE: 6, SINGLE: 7, INT8: 8, UINT8: 9,
  INT16: 10, UINT16: 11, INT32: 12, UINT32: 13, INT64: 14, UINT64: 15, FUNCTION: 16, OPAQUE: 17,
} as const;

export type MatNumericClass =
  | 'double' | 'single' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64';

export type NumericData =
  | Float64Array | Float32Array | Int8Array | Uint8Array | Int16Array | Uint16Array
  | Int32Array | Uint32Array | BigInt64Array | BigUint64Array;

interface MatArrayBase {
  /** Variable name; '' for the elements of cells and structs. */
  name: string;
  /** MATLAB dimensions, at least two (a scalar is [1, 1]). */
  dims: number[];
  /** The array was saved with the `global` attribute. */
  global: boolean;
}

/**
 * A numeric array. `data` has the type of the array's class, whatever type the file stored it in
 * (MATLAB stores a double array of small integers as uint8; it comes back as a Float64Array).
 * int64/uint64 come back as BigInt64Array/BigUint64Array so no value is rounded.
 */
export interface MatNumeric extends MatArrayBase {
  class: MatNumericClass;
  complex: boolean;
  /** Real part, column-major. */
  data: NumericData;
  /** Imaginary part, column-major, when `complex`. */
  imag?: NumericData;
}

export interface MatLogical extends MatArrayBase {
  class: 'logical';
  /** 0 or 1 per element, column-major (a stored non-zero byte reads as 1). */
  data: Uint8Array;
}

export interface MatChar extends MatArrayBase {
  class: 'char';
  /** UTF-16 code units (MATLAB's char), column-major. */
  data: Uint16Array;
  /**
   * The rows as strings: for dims [d0, d1, d2, …] one string of length d1 per (i0, i2, …), in
   * column-major order of those indices (i0 fastest). A 1×n char is `[text]`; a 0×0 char is `[]`.
   * MATLAB pads char-matrix rows with spaces; the padding is kept.
   */
  strings: string[];
}

export interface MatCell extends MatArrayBase {
  class: 'cell';
  /** The cell's contents, column-major. */
  data: MatArray[];
}

export interface MatStruct extends MatArrayBase {
  class: 'struct';
  fieldNames: string[];
  /** One record per struct element, column-major; the records have no prototype. */
  data: Array<Record<string, MatArray>>;
}

export type MatArray = MatNumeric | MatLogical | MatChar | MatCell | MatStruct;

export interface Mat5Header {
  /** The descriptive text (first 116 bytes), trailing spaces and NULs removed. */
  text: string;
  /** Byte offset of subsystem data, or null when the file has none. */
  subsysOffset: number | null;
  /** Always 0x0100 for Level 5. */
  version: number;
  /** True for 'IM' files (written little-endian), false for 'MI' (big-endian). */
  littleEndian: boolean;
}

export interface Mat5File {
  header: Mat5Header;
  /** Variables in file order, by name. */
  variables: Map<string, MatArray>;
}
