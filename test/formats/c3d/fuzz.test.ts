// Truncated and byte-mutated corpus files: every case ends in a valid result or an InputError, never another
// error and never a hang. Cases run in a worker so a case that exceeds its time limit can be stopped and named.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FuzzCase, FuzzOutcome } from './fuzz-worker';
import { corpusBytes, prng } from './helpers';

/** A case that takes longer than this is a hang (a normal case takes a few ms). */
const CASE_LIMIT_MS = 5000;

/** Files covering every encoding, both storages, events, all plate types with data, a gzip and a header-only file. */
const FILES = [
  'sample01/Eb015pi.c3d', 'sample01/Eb015vr.c3d', 'sample01/Eb015sr.c3d', 'sample02/sgi_int.c3d',
  'sample10/TYPE-3.c3d', 'sample10/TYPE-4.C3D', 'sample20/phasespace_sample.c3d', 'sample28/type1.C3D',
  'horst:gait-pig.c3d', 'horst:Walking_Hybrid_1_1.c3d', 'horst:btk-Gait.c3d',
];
const CUTS_PER_FILE = 40;
const MUTATIONS_PER_FILE = 150;

class FuzzRunner {
  private worker: Worker | null = null;
  private pending: { resolve: (o: FuzzOutcome) => void; reject: (e: Error) => void } | null = null;

  private start(): Worker {
    const file = path.join(__dirname, 'fuzz-worker.ts');
    const w = new Worker("require('tsx/cjs/api').register(); require(require('node:worker_threads').workerData.file);", { eval: true, workerData: { file } });
    w.on('message', (o: FuzzOutcome) => { const p = this.pending; this.pending = null; p?.resolve(o); });
    w.on('error', (e) => { const p = this.pending; this.pending = null; p?.reject(e); });
    return w;
  }

  run(c: FuzzCase): Promise<FuzzOutcome> {
    this.worker ??= this.start();
    const worker = this.worker;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending = null;
        this.worker = null;
        void worker.terminate();
        reject(new Error(`case ${JSON.stringify(c)} ran longer than ${CASE_LIMIT_MS} ms (hang)`));
      }, CASE_LIMIT_MS);
      this.pending = {
        resolve: (o) => { clearTimeout(timer); resolve(o); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      };
      worker.postMessage(c);
    });
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
  }
}

const runner = new FuzzRunner();
after(() => runner.close());

function cutPoints(length: number, seed: number): number[] {
  const rnd = prng(seed);
  const points = new Set<number>([0, 1, 2, 4, 511, 512, 513, 516, 520, 1024, 1536, length - 1, length - 512]);
  for (let k = 0; points.size < CUTS_PER_FILE && k < 10 * CUTS_PER_FILE; k++) {
    points.add(k % 2 ? Math.floor(rnd() * Math.min(length, 512 * 12)) : Math.floor(rnd() * length));
  }
  return [...points].filter((p) => p >= 0 && p < length).sort((a, b) => a - b);
}

/** A case slower than this many times the unchanged file's read (and than SLOW_FLOOR_MS) is a blow-up, not noise. */
const SLOW_FACTOR = 20;
const SLOW_FLOOR_MS = 250;

interface Run { outcomes: FuzzOutcome[]; valid: number; inputErrors: number; slowestMs: number; baselineMs: number }

async function runCases(cases: FuzzCase[]): Promise<Run> {
  const outcomes: FuzzOutcome[] = [];
  for (const c of cases) {
    const o = await runner.run(c);
    assert.notEqual(o.outcome, 'other-error', `case ${JSON.stringify(c)}: ${o.message}`);
    if (o.outcome === 'input-error') assert.ok(!o.message.includes('\n'), `case ${JSON.stringify(c)}: one-line message`);
    outcomes.push(o);
  }
  return {
    outcomes,
    valid: outcomes.filter((o) => o.outcome === 'valid').length,
    inputErrors: outcomes.filter((o) => o.outcome === 'input-error').length,
    slowestMs: Math.max(...outcomes.map((o) => o.ms)),
    baselineMs: outcomes[0].baselineMs,
  };
}

/** The slowest case against the unchanged file's read in the same worker: a blow-up (quadratic loop, huge allocation) shows here long before the hang limit. */
function checkSlowest(r: Run, cases: FuzzCase[], diagnostic: (m: string) => void): void {
  const limit = Math.max(SLOW_FACTOR * r.baselineMs, SLOW_FLOOR_MS);
  diagnostic(`${r.valid} valid, ${r.inputErrors} refused; slowest case ${r.slowestMs.toFixed(1)} ms, unchanged file ${r.baselineMs.toFixed(1)} ms`);
  const slowest = r.outcomes.reduce((a, b) => (b.ms > a.ms ? b : a));
  assert.ok(r.slowestMs <= limit, `case ${JSON.stringify(cases[slowest.id])} took ${r.slowestMs.toFixed(0)} ms, over ${limit.toFixed(0)} ms`);
}

/** Every tenth case again: the same outcome, message and (for valid ones) the same channels. */
async function checkRepeatable(r: Run, cases: FuzzCase[]): Promise<void> {
  for (let i = 0; i < cases.length; i += 10) {
    const again = await runner.run(cases[i]);
    assert.deepEqual([again.outcome, again.message, again.digest], [r.outcomes[i].outcome, r.outcomes[i].message, r.outcomes[i].digest], `case ${JSON.stringify(cases[i])} is not repeatable`);
  }
}

describe('fuzz: truncated files', () => {
  for (const [k, file] of FILES.entries()) {
    test(`${file}: ${CUTS_PER_FILE} cut points (header, parameters, data)`, async (t) => {
      const length = corpusBytes(file).length;
      const cases = cutPoints(length, 1000 + k).map((at, i) => ({ id: i, file, kind: 'cut' as const, at }));
      const r = await runCases(cases);
      // Cutting a file short of its declared frames is always detected.
      assert.ok(r.inputErrors >= cases.length - 2, `${r.inputErrors} of ${cases.length} refused`);
      checkSlowest(r, cases, (m) => t.diagnostic(m));
      await checkRepeatable(r, cases);
    });
  }
});

describe('fuzz: byte-mutated files (seeded)', () => {
  let valid = 0, refused = 0;
  for (const [k, file] of FILES.entries()) {
    test(`${file}: ${MUTATIONS_PER_FILE} mutations of 1–8 bytes`, async (t) => {
      const cases = Array.from({ length: MUTATIONS_PER_FILE }, (_, i) => ({ id: i, file, kind: 'mutate' as const, seed: 7919 * (k + 1) + i, count: 1 + (i % 8) }));
      const r = await runCases(cases);
      valid += r.valid;
      refused += r.inputErrors;
      // Header and parameters intact, only samples changed: the file stays readable (a changed sample is data, not damage).
      const dataOnly = r.outcomes.filter((o) => o.dataOnly);
      for (const o of dataOnly) assert.equal(o.outcome, 'valid', `case ${JSON.stringify(cases[o.id])} changed only samples but was refused: ${o.message}`);
      t.diagnostic(`${dataOnly.length} mutations confined to the data section`);
      checkSlowest(r, cases, (m) => t.diagnostic(m));
      await checkRepeatable(r, cases);
    });
  }
  // Most 1–8 byte changes leave a readable file (text, scales, samples); a few break a count or a pointer. Both
  // paths must be reached, or the cases test one of them only (a fuzzer that always breaks the magic tests little).
  test('the mutations reach both outcomes: readable files and refused ones', (t) => {
    t.diagnostic(`${valid} valid, ${refused} refused of ${valid + refused}`);
    assert.ok(valid >= 10 && refused >= 10, `${valid} valid, ${refused} refused`);
  });
});
