import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { constants, gunzip, gunzipSync } from 'node:zlib';
import { promisify } from 'node:util';
import { InputError } from '../../src-shared/domain/errors';
import type { SourceFile } from './format';

const gunzipAsync = promisify(gunzip);
export const HEAD_BYTES = 64 * 1024;

function isGzip(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

/** The name a file is known by: `.gz` is transparent, so `GaCo01_01.txt.gz` is `GaCo01_01.txt`. */
export function logicalName(path: string): string {
  return basename(path).replace(/\.gz$/i, '');
}

/** The first ≤ 64 KiB of a file's (decompressed) content, for format detection, without reading it all. */
export function readHead(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const raw = Buffer.alloc(HEAD_BYTES);
    const n = readSync(fd, raw, 0, HEAD_BYTES, 0);
    const head = raw.subarray(0, n);
    if (!isGzip(head)) return head;
    try {
      // 8 KiB of gzip gives ~30 KiB of text: plenty to recognise a format, and cheap for 300 files.
      return gunzipSync(head.subarray(0, 8192), { finishFlush: constants.Z_SYNC_FLUSH }).subarray(0, HEAD_BYTES);
    } catch {
      return Buffer.alloc(0); // a damaged gzip stream: read() reports it with the file name
    }
  } finally {
    closeSync(fd);
  }
}

/** Reads a whole file, decompressing `.gz` (off the main thread) and hashing the content. */
export async function readSourceFile(path: string): Promise<SourceFile> {
  const raw = readFileSync(path);
  let bytes: Buffer = raw;
  if (isGzip(raw)) {
    try {
      bytes = await gunzipAsync(raw, { chunkSize: 1 << 20 });
    } catch (e) {
      throw new InputError(path, null, null, `damaged gzip data (${(e as Error).message})`);
    }
  }
  return { path, name: logicalName(path), bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}
