// A small pool of worker threads that turn files into encoded ImportBatches (see parse-worker.ts).
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ImportBatch } from '../../src-shared/domain/import-batch';
import { InputError } from '../../src-shared/domain/errors';
import type { SizeLimit } from '../formats/source-file';

export interface ParseRequest { id: number; path: string; formatId: string; limit: SizeLimit; skipIfPresent?: { name: string; sha256: string }[] }
export type ParseResult =
  | { id: number; ok: true; meta: { name: string; sha256: string; bytes: number }; batch: ImportBatch | null; blobs: Buffer[]; clocks: Buffer[] }
  | { id: number; ok: false; message: string; input: { file: string; line: number | null; field: string | null; reason: string } | null };

export type ParsedFile = Extract<ParseResult, { ok: true }>;

/** The message that tells a worker to stop listening and end once its current file is done. */
export const CLOSE = 'close';
const CLOSE_GRACE_MS = 10_000;

function startWorker(): Worker {
  // Compiled: parse-worker.js beside this file. From sources (tests, tsx): register tsx, then load the .ts.
  if (__filename.endsWith('.ts')) {
    // tsx resolved here, not from the working folder the eval'd worker would search from (`gaitlab` run elsewhere).
    const entry = JSON.stringify(join(__dirname, 'parse-worker.ts'));
    return new Worker(`require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${entry});`, { eval: true });
  }
  return new Worker(join(__dirname, 'parse-worker.js'));
}

export class ParsePool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly waiting: { req: ParseRequest; resolve: (r: ParsedFile) => void; reject: (e: Error) => void }[] = [];
  private readonly pending = new Map<number, { resolve: (r: ParsedFile) => void; reject: (e: Error) => void }>();
  private nextId = 1;

  constructor(size = Math.max(1, Math.min(4, availableParallelism()))) {
    for (let i = 0; i < size; i++) this.spawn();
  }

  private spawn(): void {
    const w = startWorker();
    w.on('message', (r: ParseResult) => this.settle(w, r));
    // A worker that dies (out of memory on a huge file, say) fails its job only; a fresh one replaces it.
    w.on('error', (e) => this.fail(w, e));
    this.workers.push(w);
    this.idle.push(w);
    this.pump();
  }

  /** Parses one file in a worker; rejects with an InputError for bad input. */
  parse(path: string, formatId: string, limit: SizeLimit, skipIfPresent?: ParseRequest['skipIfPresent']): Promise<ParsedFile> {
    return new Promise((resolve, reject) => {
      const req = { id: this.nextId++, path, formatId, limit, skipIfPresent };
      this.waiting.push({ req, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.idle.length && this.waiting.length) {
      const w = this.idle.pop()!;
      const job = this.waiting.shift()!;
      this.pending.set(job.req.id, job);
      (w as Worker & { jobId?: number }).jobId = job.req.id;
      w.postMessage(job.req);
    }
  }

  private settle(w: Worker, r: ParseResult): void {
    const job = this.pending.get(r.id);
    this.pending.delete(r.id);
    this.idle.push(w);
    this.pump();
    if (!job) return;
    if (r.ok) {
      // Blobs arrive as Uint8Arrays after the transfer: make them Buffers again for SQLite.
      r.blobs = r.blobs.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength));
      r.clocks = r.clocks.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength));
      job.resolve(r);
    } else if (r.input) job.reject(new InputError(r.input.file, r.input.line, r.input.field, r.input.reason));
    else job.reject(new Error(r.message));
  }

  private fail(w: Worker, e: Error): void {
    const id = (w as Worker & { jobId?: number }).jobId;
    const job = id === undefined ? undefined : this.pending.get(id);
    if (id !== undefined) this.pending.delete(id);
    this.workers.splice(this.workers.indexOf(w), 1);
    const k = this.idle.indexOf(w);
    if (k >= 0) this.idle.splice(k, 1);
    job?.reject(new Error(`the parser stopped: ${e.message}`));
    if (!this.closed) this.spawn();
  }

  private closed = false;

  /**
   * Asks every worker to stop and waits for it to end by itself; `terminate()` only for one still busy after
   * CLOSE_GRACE_MS. Terminating a worker at an arbitrary point can catch it between creating a zlib handle and
   * initialising it, and Node 20 then aborts the whole process while tearing the worker down ("close before init";
   * seen in CI on Ctrl+C during an import). Resolves to the workers' exit codes (1 for a terminated one).
   */
  async close(): Promise<number[]> {
    this.closed = true;
    return Promise.all(this.workers.map((w) => new Promise<number>((resolve) => {
      const timer = setTimeout(() => void w.terminate(), CLOSE_GRACE_MS);
      w.once('exit', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
      w.postMessage(CLOSE);
    })));
  }
}
