// Worker thread of the import pool: reads, decompresses, hashes, parses and compresses one file at a
// time, so the main thread only writes to SQLite. Format modules are pure, so they run here unchanged.
import { parentPort } from 'node:worker_threads';
import { type ImportBatch } from '../../src-shared/domain/import-batch';
import { InputError } from '../../src-shared/domain/errors';
import { formats } from '../formats/registry';
import { readSourceFile } from '../formats/source-file';
import { encodeFloat32, encodeFloat64 } from '../store/sample-codec';
import { CLOSE, type ParseRequest, type ParseResult } from './parse-pool';
import { escapeControl } from '../../src-shared/text/escape';

function blobsOf(batch: ImportBatch): { blobs: Buffer[]; clocks: Buffer[] } {
  const blobs: Buffer[] = [];
  const clocks: Buffer[] = [];
  for (const session of batch.sessions) {
    for (const trial of session.trials) {
      for (const c of trial.channels) blobs.push(encodeFloat32(c.samples));
      if (trial.deviceTimeS) clocks.push(encodeFloat64(trial.deviceTimeS));
    }
  }
  return { blobs, clocks };
}

function transferables(batch: ImportBatch, blobs: Buffer[], clocks: Buffer[]): ArrayBuffer[] {
  // Only buffers a view owns whole are moved: a view into Node's shared buffer pool is copied instead.
  const list = new Set<ArrayBuffer>();
  const add = (v: ArrayBufferView) => { if (v.byteOffset === 0 && v.byteLength === v.buffer.byteLength) list.add(v.buffer as ArrayBuffer); };
  for (const session of batch.sessions) for (const trial of session.trials) {
    for (const c of trial.channels) add(c.samples);
    if (trial.deviceTimeS) add(trial.deviceTimeS);
  }
  for (const b of [...blobs, ...clocks]) add(b);
  return [...list];
}

parentPort!.on('message', async (req: ParseRequest | typeof CLOSE) => {
  if (req === CLOSE) {
    // The thread then ends by itself when the file in hand (if any) is done: never stopped half-way (see ParsePool.close).
    parentPort!.close();
    return;
  }
  let reply: ParseResult;
  try {
    const file = await readSourceFile(req.path, req.limit);
    const format = formats.find((f) => f.id === req.formatId);
    if (!format) throw new Error(`unknown format ${req.formatId}`);
    const meta = { name: file.name, sha256: file.sha256, bytes: file.bytes.length };
    if (req.skipIfPresent?.some((k) => k.name === file.name && k.sha256 === file.sha256)) {
      reply = { id: req.id, ok: true, meta, batch: null, blobs: [], clocks: [] };
    } else {
      const batch = await format.read(file);
      const { blobs, clocks } = blobsOf(batch);
      reply = { id: req.id, ok: true, meta, batch, blobs, clocks };
      parentPort!.postMessage(reply, transferables(batch, blobs, clocks));
      return;
    }
  } catch (e) {
    // Reasons quote the file's content: its control bytes leave here escaped, never raw.
    const input = e instanceof InputError ? { file: e.file, line: e.line, field: e.field && escapeControl(e.field), reason: escapeControl(e.reason) } : null;
    reply = { id: req.id, ok: false, message: escapeControl((e as Error).message), input };
  }
  parentPort!.postMessage(reply);
});
