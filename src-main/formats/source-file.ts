import { createHash } from 'node:crypto';
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { constants, createGunzip, gunzipSync } from 'node:zlib';
import { InputError } from '../../src-shared/domain/errors';
import type { SourceFile } from './format';

export const HEAD_BYTES = 64 * 1024;
const MIB = 1024 * 1024;

/** The most a file may hold (decompressed) unless the user says otherwise: far above any real recording. */
export const DEFAULT_MAX_FILE_MB = 1024;
/**
 * Without an explicit limit, a `.gz` may also inflate to at most this many times its own size (or
 * 64 MiB, whichever is more): real text and binary data inflate 3–5× (the most in ../shared/data is 4×),
 * a decompression bomb ~1000×, so a bomb fails after a few hundred MiB instead of a GiB.
 */
export const MAX_GZIP_RATIO = 40;
const RATIO_FLOOR_BYTES = 64 * MIB;

export interface SizeLimit {
  /** Most bytes a file may hold once decompressed, in MiB. */
  maxFileMb: number;
  /** True when the user chose maxFileMb (--max-file-mb, GAITLAB_MAX_FILE_MB): then no ratio guard applies. */
  explicit: boolean;
}

/** The limit from `--max-file-mb` (when given), else `GAITLAB_MAX_FILE_MB`, else the default. */
export function sizeLimit(flagMb?: number, env: NodeJS.ProcessEnv = process.env): SizeLimit {
  if (flagMb !== undefined) return { maxFileMb: flagMb, explicit: true };
  const fromEnv = env.GAITLAB_MAX_FILE_MB;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!/^\d+$/.test(fromEnv) || Number(fromEnv) < 1) throw new Error(`GAITLAB_MAX_FILE_MB: expected a whole number of MiB, found "${fromEnv}"`);
    return { maxFileMb: Number(fromEnv), explicit: true };
  }
  return { maxFileMb: DEFAULT_MAX_FILE_MB, explicit: false };
}

function isGzip(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

function hasGzName(path: string): boolean {
  return /\.gz$/i.test(path);
}

/** The name a file is known by: `.gz` is transparent, so `GaCo01_01.txt.gz` is `GaCo01_01.txt`. */
export function logicalName(path: string): string {
  return basename(path).replace(/\.gz$/i, '');
}

function limitError(path: string, limitBytes: number): InputError {
  return new InputError(path, null, null, `inflates past the ${Math.floor(limitBytes / MIB)} MiB limit (set --max-file-mb to raise it)`);
}

/** How many decompressed bytes a file of `compressedBytes` may give under `limit`. */
export function inflatedLimitBytes(compressedBytes: number, limit: SizeLimit): number {
  const max = limit.maxFileMb * MIB;
  if (limit.explicit) return max;
  return Math.min(max, Math.max(RATIO_FLOOR_BYTES, compressedBytes * MAX_GZIP_RATIO));
}

/**
 * The first ≤ 64 KiB of a file's (decompressed) content, for format detection, without reading it all.
 * A `.gz` whose first kilobytes do not inflate is damaged: that is an InputError, never an unknown format.
 */
export function readHead(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const raw = Buffer.alloc(HEAD_BYTES);
    const n = readSync(fd, raw, 0, HEAD_BYTES, 0);
    const head = raw.subarray(0, n);
    if (!isGzip(head)) {
      if (hasGzName(path) && n > 0) throw new InputError(path, null, null, 'damaged gzip data (no gzip header)');
      return head;
    }
    try {
      // 8 KiB of gzip gives ~30 KiB of text: plenty to recognise a format, and cheap for 300 files.
      return gunzipSync(head.subarray(0, 8192), { finishFlush: constants.Z_SYNC_FLUSH }).subarray(0, HEAD_BYTES);
    } catch (e) {
      throw new InputError(path, null, null, `damaged gzip data (${(e as Error).message})`);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a whole file, decompressing `.gz` as a stream and hashing the content as it comes. The content
 * may not pass `limit` (checked on the file size, the gzip trailer's size and, as it inflates, every
 * chunk), so a decompression bomb fails fast with the file's name instead of exhausting memory.
 */
export async function readSourceFile(path: string, limit: SizeLimit = sizeLimit()): Promise<SourceFile> {
  const fd = openSync(path, 'r');
  let size: number;
  let magic: Buffer;
  let trailerSize = 0;
  try {
    size = fstatSync(fd).size;
    magic = Buffer.alloc(2);
    readSync(fd, magic, 0, 2, 0);
    if (isGzip(magic) && size >= 18) {
      // ISIZE, the last member's length mod 2^32: never more than the truth, so past the limit means past it.
      const t = Buffer.alloc(4);
      readSync(fd, t, 0, 4, size - 4);
      trailerSize = t.readUInt32LE(0);
    }
  } finally {
    closeSync(fd);
  }
  const hash = createHash('sha256');
  if (!isGzip(magic)) {
    if (hasGzName(path) && size > 0) throw new InputError(path, null, null, 'damaged gzip data (no gzip header)');
    const max = limit.maxFileMb * MIB;
    if (size > max) throw new InputError(path, null, null, `is ${Math.ceil(size / MIB)} MiB, past the ${limit.maxFileMb} MiB limit (set --max-file-mb to raise it)`);
    const chunks: Buffer[] = [];
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
      hash.update(chunk as Buffer);
      chunks.push(chunk as Buffer);
    }
    const bytes = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    return { path, name: logicalName(path), bytes, sha256: hash.digest('hex') };
  }

  const maxBytes = inflatedLimitBytes(size, limit);
  // ISIZE says "past the limit" for a bomb, but also for a truncated file (its last bytes are not a
  // trailer): then inflate without keeping anything, so only a stream that really passes is refused.
  if (trailerSize > maxBytes) await inflate(path, maxBytes, null);
  const chunks: Buffer[] = [];
  const total = await inflate(path, maxBytes, (chunk) => { hash.update(chunk); chunks.push(chunk); });
  const bytes = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
  return { path, name: logicalName(path), bytes, sha256: hash.digest('hex') };
}

/** Inflates a gzip file as a stream, handing each chunk on, and fails once more than maxBytes came out. */
async function inflate(path: string, maxBytes: number, onChunk: ((chunk: Buffer) => void) | null): Promise<number> {
  let total = 0;
  const source = createReadStream(path, { highWaterMark: 1 << 20 });
  const gunzip = createGunzip({ chunkSize: 1 << 20 });
  source.on('error', (e) => gunzip.destroy(e));
  source.pipe(gunzip);
  try {
    for await (const chunk of gunzip) {
      total += (chunk as Buffer).length;
      if (total > maxBytes) throw limitError(path, maxBytes);
      onChunk?.(chunk as Buffer);
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(path, null, null, `damaged gzip data (${(e as Error).message})`);
  } finally {
    source.destroy();
    gunzip.destroy();
  }
  return total;
}
