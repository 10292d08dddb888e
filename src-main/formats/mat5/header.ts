import { InputError } from '../../../src-shared/domain/errors';
import { MatBytes } from './bytes';
import type { Mat5Header } from './types';

export const HEADER_BYTES = 128;
const TEXT_BYTES = 116;

/**
 * Reads the 128-byte Level 5 header: 116 bytes of text, 8 bytes of subsystem-data offset, a 2-byte
 * version (0x0100) and the endian indicator 'IM' (written little-endian) or 'MI' (big-endian). The
 * indicator decides the byte order of everything after it, including the version.
 */
export function readHeader(bytes: Uint8Array, file: string): Mat5Header {
  if (bytes.length < HEADER_BYTES) {
    throw new InputError(file, null, 'header', `not a MAT-file: ${bytes.length} bytes, shorter than the 128-byte MAT-file header`);
  }
  const i0 = bytes[126], i1 = bytes[127];
  const littleEndian = i0 === 0x49 && i1 === 0x4d; // 'I','M'
  const bigEndian = i0 === 0x4d && i1 === 0x49; // 'M','I'
  const src = new MatBytes(bytes, littleEndian, file);
  if (!littleEndian && !bigEndian) {
    if (bytes[0] === 0x89 && bytes[1] === 0x48 && bytes[2] === 0x44 && bytes[3] === 0x46) {
      src.fail('header', 'this is an HDF5 file; MATLAB 7.3 MAT-files are HDF5 and are not supported (save with -v7)');
    }
    if (bytes[0] === 0 || bytes[1] === 0 || bytes[2] === 0 || bytes[3] === 0) {
      src.fail('header', 'no MAT-file Level 5 endian indicator at byte 126 (a Level 4 MAT-file or not a MAT-file)');
    }
    src.fail('header', 'not a MAT-file: no endian indicator \'IM\' or \'MI\' at byte 126');
  }
  const version = src.u16(124);
  if (version === 0x0200) {
    src.fail('header', 'MATLAB 7.3 MAT-files (HDF5) are not supported; save with -v7');
  }
  if (version !== 0x0100) {
    src.fail('header', `unsupported MAT-file version 0x${version.toString(16).padStart(4, '0')} at byte 124 (expected 0x0100)`);
  }
  const text = src.latin1(0, TEXT_BYTES).replace(/[\0 ]+$/, '');
  return { text, subsysOffset: readSubsysOffset(src), version, littleEndian };
}

/** All zeros or all spaces mean "no subsystem data". */
function readSubsysOffset(src: MatBytes): number | null {
  const b = src.bytes.subarray(TEXT_BYTES, TEXT_BYTES + 8);
  if (b.every((x) => x === 0) || b.every((x) => x === 0x20)) return null;
  const lo = src.u32(TEXT_BYTES), hi = src.u32(TEXT_BYTES + 4);
  return src.littleEndian ? hi * 2 ** 32 + lo : lo * 2 ** 32 + hi;
}
