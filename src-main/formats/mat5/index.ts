// MATLAB Level 5 MAT-file reader: readMat5 for whole files, peekVariableNames for detection, and
// column-major indexing helpers. Layout of the modules: header.ts (128-byte header), tags.ts (data
// element tags, small-element format), numeric.ts / chars.ts (element data), matrix.ts (miMATRIX:
// numeric, logical, char, cell, struct), file.ts (top level, miCOMPRESSED).
import type { MatArray } from './types';

export { readMat5, peekVariableNames, MAX_INFLATED_BYTES } from './file';
export { MAX_NESTING } from './matrix';
export * from './types';

/**
 * The column-major linear index of zero-based `idx` in an array of `dims`:
 * idx[0] + dims[0] * (idx[1] + dims[1] * (idx[2] + …)). One index is taken as a linear index already;
 * otherwise give one index per dimension (indices past the last dimension must be 0, as for MATLAB's
 * trailing singletons). Throws RangeError for an index out of range or too few indices.
 */
export function linearIndex(dims: readonly number[], idx: readonly number[]): number {
  if (idx.length === 1) {
    const n = numel(dims);
    const i = idx[0];
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new RangeError(`linear index ${i} out of range for ${n} elements (dims ${dims.join('×')})`);
    return i;
  }
  if (idx.length < dims.length) throw new RangeError(`${idx.length} indices for an array of ${dims.length} dimensions (${dims.join('×')})`);
  let linear = 0;
  let stride = 1;
  for (let k = 0; k < idx.length; k++) {
    const d = k < dims.length ? dims[k] : 1;
    const i = idx[k];
    if (!Number.isInteger(i) || i < 0 || i >= d) {
      throw new RangeError(`index ${i} out of range for dimension ${k + 1} of size ${d} (dims ${dims.join('×')})`);
    }
    linear += i * stride;
    stride *= d;
  }
  return linear;
}

/** The element of `arr` at zero-based N-d index `idx` (MATLAB's arr(idx+1) with column-major storage). */
export function at<A extends MatArray>(arr: A, ...idx: number[]): A['data'][number] {
  return arr.data[linearIndex(arr.dims, idx)] as A['data'][number];
}

/** Number of elements of an array of `dims`. */
export function numel(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}
