import { constants as zlibConstants, inflateSync } from 'node:zlib';
import { MatBytes } from './bytes';
import { HEADER_BYTES, readHeader } from './header';
import { readMatrix, readMatrixHeader } from './matrix';
import { readElement, typeName, type DataElement } from './tags';
import { mi, type Mat5File, type MatArray } from './types';

/** Largest decompressed variable accepted: bigger is taken as a zip bomb, not gait data. */
export const MAX_INFLATED_BYTES = 1 << 30;

/**
 * Reads a MATLAB Level 5 MAT-file (v5, v6 and v7: uncompressed or miCOMPRESSED variables, either byte
 * order). Arrays keep MATLAB's column-major order (see types.ts). Throws an InputError naming the file,
 * the variable and the byte offset for anything malformed, unsupported or truncated.
 */
export function readMat5(bytes: Uint8Array, file: string): Mat5File {
  const header = readHeader(bytes, file);
  const src = new MatBytes(bytes, header.littleEndian, file);
  const variables = new Map<string, MatArray>();
  let offset = HEADER_BYTES;
  while (offset < src.length) {
    const el = readElement(src, offset, src.length, null);
    // The subsystem data (class definitions for MATLAB objects) is an unnamed uint8 array; it is not a variable.
    if (offset !== header.subsysOffset) {
      const array = readTopLevel(src, el);
      variables.set(array.name, array);
    }
    offset = el.next;
  }
  return { header, variables };
}

function readTopLevel(src: MatBytes, el: DataElement): MatArray {
  if (el.type === mi.MATRIX) return readMatrix(src, el, null);
  if (el.type !== mi.COMPRESSED) {
    src.fail(null, `data element at ${src.where(el.tagOffset)} has data type ${typeName(el.type)}; a variable must be miMATRIX or miCOMPRESSED`);
  }
  const inner = inflateElement(src, el);
  const innerEl = readElement(inner, 0, inner.length, null);
  if (innerEl.type !== mi.MATRIX) {
    inner.fail(null, `decompressed data element at ${inner.where(0)} has data type ${typeName(innerEl.type)}, expected miMATRIX`);
  }
  return readMatrix(inner, innerEl, null);
}

/** The decompressed content of an miCOMPRESSED element, as a byte range of its own. */
export function inflateElement(src: MatBytes, el: DataElement): MatBytes {
  let inflated: Buffer;
  try {
    inflated = inflateSync(src.bytes.subarray(el.dataOffset, el.dataOffset + el.size), { maxOutputLength: MAX_INFLATED_BYTES });
  } catch (e) {
    const reason = e instanceof RangeError ? `decompresses to more than ${MAX_INFLATED_BYTES} bytes` : `bad zlib stream (${(e as Error).message})`;
    src.fail(null, `compressed variable at ${src.where(el.tagOffset)}: ${reason}`);
  }
  return new MatBytes(inflated, src.littleEndian, src.file, ` of the variable decompressed from byte ${el.tagOffset}`);
}

/**
 * Names of the variables whose start lies in `head` (the first bytes of a file, e.g. 64 KiB), for
 * format detection. Never throws: stops at the first element it cannot read. A compressed variable is
 * only partly inflated, enough to reach its name.
 */
export function peekVariableNames(head: Uint8Array): string[] {
  const names: string[] = [];
  try {
    const header = readHeader(head, '');
    const src = new MatBytes(head, header.littleEndian, '');
    let offset = HEADER_BYTES;
    while (offset + 8 <= src.length) {
      const type = src.u32(offset), size = src.u32(offset + 4);
      const available = Math.min(size, src.length - offset - 8);
      const el: DataElement = { type, tagOffset: offset, dataOffset: offset + 8, size: available, next: offset + 8 + available };
      if (type === mi.MATRIX) {
        names.push(readMatrixHeader(src, el, null).name);
      } else if (type === mi.COMPRESSED) {
        const start = inflateSync(head.subarray(el.dataOffset, el.dataOffset + Math.min(available, 4096)), {
          finishFlush: zlibConstants.Z_SYNC_FLUSH,
        });
        const inner = new MatBytes(start, header.littleEndian, '');
        const innerType = inner.u32(0);
        if (innerType !== mi.MATRIX) break;
        const innerEl: DataElement = { type: innerType, tagOffset: 0, dataOffset: 8, size: Math.min(inner.u32(4), start.length - 8), next: start.length };
        names.push(readMatrixHeader(inner, innerEl, null).name);
      } else {
        break;
      }
      if (size > src.length - offset - 8) break;
      offset += 8 + (type === mi.COMPRESSED ? size : Math.ceil(size / 8) * 8);
    }
  } catch {
    // Detection is best effort: whatever was read so far is the answer.
  }
  return names;
}
