// LRP of a batch split over threads: the calling thread explains the first share of the samples while worker
// threads (lrp-worker.ts) explain the others, each with its own float64 GEMM heap. Samples are independent, so
// every sample gets exactly the numbers attributeBatch gives it in one thread (the tests check this). The
// workers keep each model's weights after the first call, so a model is copied to them once.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { attributeBatch, parseComposite, type BatchAttribution, type LrpModel } from '../../../src-shared/lrp';

export interface LrpWorkerRequest {
  id: number;
  modelId: number;
  /** Sent with the first request of a model to each worker; later requests name it by modelId. */
  model?: LrpModel;
  inputs: Float64Array;
  targets: Int32Array;
  composite: string;
}
export type LrpWorkerReply = { id: number; ok: true; result: BatchAttribution } | { id: number; ok: false; message: string };

function startWorker(): Worker {
  // Compiled: lrp-worker.js beside this file. From sources (tests, benchmarks under tsx): register tsx first.
  if (__filename.endsWith('.ts')) {
    const entry = JSON.stringify(join(__dirname, 'lrp-worker.ts'));
    return new Worker(`require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${entry});`, { eval: true });
  }
  return new Worker(join(__dirname, 'lrp-worker.js'));
}

/** Models a worker keeps (first in, first out, the same rule on both sides). */
export const KEPT_MODELS = 4;

interface PoolWorker { worker: Worker; models: number[]; busy: number }

export class LrpThreads {
  private readonly workers: PoolWorker[] = [];
  private readonly pending = new Map<number, { resolve: (r: BatchAttribution) => void; reject: (e: Error) => void }>();
  private readonly modelIds = new WeakMap<LrpModel, number>();
  private nextId = 1;
  private nextModel = 1;

  /** `threads` in all, this one included (default: the machine's cores, at most 8). */
  constructor(readonly threads = Math.max(1, Math.min(8, availableParallelism()))) {
    for (let i = 1; i < threads; i++) {
      const worker = startWorker();
      const pool: PoolWorker = { worker, models: [], busy: 0 };
      worker.on('message', (reply: LrpWorkerReply) => {
        // An idle pool keeps no process alive; a worker with work does.
        if (--pool.busy === 0) worker.unref();
        const job = this.pending.get(reply.id);
        this.pending.delete(reply.id);
        if (!job) return;
        if (reply.ok) job.resolve(reply.result);
        else job.reject(new Error(reply.message));
      });
      worker.on('error', (e) => { for (const job of this.pending.values()) job.reject(e); this.pending.clear(); });
      worker.unref();
      this.workers.push(pool);
    }
  }

  /** Resolves once every worker has loaded the LRP code (so a timing after it counts LRP alone). */
  async warm(): Promise<void> {
    const model: LrpModel = { inputSize: 1, layers: [] };
    await Promise.all(this.workers.map((w) => this.send(w, model, new Float64Array(1), Int32Array.of(0), 'epsilon(0)')));
  }

  /** attributeBatch over `threads` threads: inputs [B][inputSize], one target each; the same layout back. */
  async attributeBatch(model: LrpModel, inputs: Float64Array, targets: ArrayLike<number>, composite: string): Promise<BatchAttribution> {
    const batch = targets.length;
    const d = model.inputSize;
    if (inputs.length !== batch * d) throw new RangeError(`LRP: ${batch} inputs of ${d} values need ${batch * d} values, got ${inputs.length}`);
    const parsed = parseComposite(composite);
    const shares = Math.min(this.threads, Math.max(1, batch));
    const per = Math.ceil(batch / shares);
    const target = Int32Array.from(targets);
    const sent: Promise<BatchAttribution>[] = [];
    for (let s = 1; s < shares; s++) {
      const b0 = Math.min(batch, s * per);
      const b1 = Math.min(batch, b0 + per);
      if (b1 > b0) sent.push(this.send(this.workers[s - 1], model, inputs.slice(b0 * d, b1 * d), target.slice(b0, b1), composite));
    }
    // This thread's share runs while the workers run theirs.
    let own: BatchAttribution;
    try {
      own = attributeBatch(model, inputs.subarray(0, Math.min(batch, per) * d), target.subarray(0, Math.min(batch, per)), parsed);
    } catch (e) {
      for (const p of sent) p.catch(() => {}); // the first error is the one reported
      throw e;
    }
    const parts = [own, ...(await Promise.all(sent))];
    if (parts.length === 1) return own;
    const classes = own.logits.length / Math.max(1, own.targets.length);
    const join = (pick: (p: BatchAttribution) => Float64Array, width: number) => {
      const out = new Float64Array(batch * width);
      let at = 0;
      for (const p of parts) { out.set(pick(p), at); at += pick(p).length; }
      return out;
    };
    return {
      relevance: join((p) => p.relevance, d), logits: join((p) => p.logits, classes), targets: target,
      explainedLogit: join((p) => p.explainedLogit, 1), relevanceSum: join((p) => p.relevanceSum, 1), residual: join((p) => p.residual, 1),
      composite: own.composite,
    };
  }

  private send(w: PoolWorker, model: LrpModel, inputs: Float64Array, targets: Int32Array, composite: string): Promise<BatchAttribution> {
    let modelId = this.modelIds.get(model);
    if (modelId === undefined) this.modelIds.set(model, (modelId = this.nextModel++));
    const known = w.models.includes(modelId);
    const request: LrpWorkerRequest = { id: this.nextId++, modelId, inputs, targets, composite, ...(known ? {} : { model }) };
    if (!known) {
      w.models.push(modelId);
      if (w.models.length > KEPT_MODELS) w.models.shift();
    }
    return new Promise((resolve, reject) => {
      this.pending.set(request.id, { resolve, reject });
      if (w.busy++ === 0) w.worker.ref();
      w.worker.postMessage(request, [inputs.buffer as ArrayBuffer, targets.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}
