import { deflateRawSync, inflateRawSync, type ZlibOptions } from 'node:zlib';

/**
 * How sample blobs are stored. Signals are float32, little-endian, deflated (level 1): insole forces
 * are long runs of zeros and repeated values, so raw float32 would be ~0.8× the size of the text it
 * came from and deflated float32 is ~0.16× (measured on gaitpdb; a byte shuffle first compressed
 * worse, 0.25×, and was slower). Device clocks are float64, byte-shuffled then deflated (regular steps
 * make the high byte planes constant). Decoding gives back the exact values.
 */
export type SampleEncoding = 'f32' | 'f32-deflate' | 'f64-shuffle-deflate';

export const DEFAULT_SIGNAL_ENCODING: SampleEncoding = 'f32-deflate';
export const CLOCK_ENCODING: SampleEncoding = 'f64-shuffle-deflate';

function shuffle(bytes: Uint8Array, width: number): Uint8Array {
  const n = bytes.length / width;
  const out = new Uint8Array(bytes.length);
  for (let b = 0; b < width; b++) {
    const base = b * n;
    for (let i = 0, j = b; i < n; i++, j += width) out[base + i] = bytes[j];
  }
  return out;
}

function unshuffle(bytes: Uint8Array, width: number): Uint8Array {
  const n = bytes.length / width;
  const out = new Uint8Array(bytes.length);
  for (let b = 0; b < width; b++) {
    const base = b * n;
    for (let i = 0, j = b; i < n; i++, j += width) out[j] = bytes[base + i];
  }
  return out;
}

function asBytes(a: Float32Array | Float64Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** How a blob is deflated: the whole-signal default, or SMALL_BLOB_DEFLATE for blobs of a few KB. */
export type DeflateSize = 'signal' | 'small';

/**
 * Deflate for the live recorder's chunks (a tenth of a second of one device, a few hundred bytes to tens of KB,
 * deflated ten times a second per column): zlib's defaults (32 KB window, memLevel 8) take ~256 KB of native state
 * per call and a 16 KB output buffer, which over an hour of recording fragmented the acquisition process's malloc
 * heap. A 4 KB window and memLevel 5 need ~32 KB; inflateRaw reads either stream, so decoding is unchanged.
 */
const SMALL_BLOB_DEFLATE: ZlibOptions = { level: 1, windowBits: 12, memLevel: 5, chunkSize: 4096 };
const deflateOptions = (size: DeflateSize): ZlibOptions => (size === 'small' ? SMALL_BLOB_DEFLATE : { level: 1 });

export function encodeFloat32(samples: Float32Array, encoding: SampleEncoding = DEFAULT_SIGNAL_ENCODING, size: DeflateSize = 'signal'): Buffer {
  if (encoding === 'f32') return Buffer.from(asBytes(samples));
  if (encoding !== 'f32-deflate') throw new Error(`cannot encode float32 samples as ${encoding}`);
  return deflateRawSync(asBytes(samples), deflateOptions(size));
}

/** Encodes a clock with CLOCK_ENCODING. */
export function encodeFloat64(samples: Float64Array, size: DeflateSize = 'signal'): Buffer {
  return deflateRawSync(shuffle(asBytes(samples), 8), deflateOptions(size));
}

/** A stored blob that does not decode: damaged behind GaitLab's back (the message names what it held). */
export class DamagedBlobError extends Error {
  constructor(what: string, cause: Error) {
    super(`${what}: the stored samples are damaged (${cause.message})`);
    this.name = 'DamagedBlobError';
  }
}

/**
 * Decodes a stored blob. `what` names it (`trial T-… channel L1`): a blob damaged behind GaitLab's back is then
 * reported by what it holds, not by zlib's words alone.
 */
export function decodeSamples(blob: Uint8Array, encoding: string, count: number, what?: string): Float32Array | Float64Array {
  if (what === undefined) return decodeBlob(blob, encoding, count);
  try {
    return decodeBlob(blob, encoding, count);
  } catch (e) {
    throw new DamagedBlobError(what, e as Error);
  }
}

function decodeBlob(blob: Uint8Array, encoding: string, count: number): Float32Array | Float64Array {
  switch (encoding) {
    case 'f32': {
      const copy = new Uint8Array(blob); // a copy, so the Float32Array is aligned
      return new Float32Array(copy.buffer, 0, count);
    }
    case 'f32-deflate': {
      const bytes = new Uint8Array(inflateRawSync(blob));
      if (bytes.length !== count * 4) throw new Error(`sample blob holds ${bytes.length / 4} values, expected ${count}`);
      return new Float32Array(bytes.buffer, 0, count);
    }
    case 'f64-shuffle-deflate': {
      const bytes = unshuffle(inflateRawSync(blob), 8);
      if (bytes.length !== count * 8) throw new Error(`clock blob holds ${bytes.length / 8} values, expected ${count}`);
      return new Float64Array(bytes.buffer, 0, count);
    }
    default:
      throw new Error(`unknown sample encoding ${encoding}`);
  }
}
