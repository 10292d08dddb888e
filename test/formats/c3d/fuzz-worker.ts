// Runs one fuzz case per message for fuzz.test.ts, in a worker thread so that the test can stop a case that
// hangs (synchronous code cannot be interrupted in its own thread).
import { createHash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { InputError } from '../../../src-shared/domain/errors';
import { c3dFormat } from '../../../src-main/formats/c3d-format';
import { corpusBytes, prng, readCorpus } from './helpers';

export interface FuzzCase {
  id: number;
  file: string;
  /** 'cut': keep the first `at` bytes. 'mutate': change `count` bytes chosen by `seed`. */
  kind: 'cut' | 'mutate';
  at?: number;
  seed?: number;
  count?: number;
}

export interface FuzzOutcome {
  id: number;
  outcome: 'valid' | 'input-error' | 'other-error';
  message: string;
  ms: number;
  /** For a valid outcome: a hash of every channel's name, unit, rate and samples, to compare two runs of a case. */
  digest: string;
  /** For a mutation: whether every changed byte lies in the data section (header and parameters intact). */
  dataOnly: boolean;
  /** Time to read the unchanged file in this worker, ms (the yardstick for a slow case). */
  baselineMs: number;
}

/**
 * Byte mutations weighted to where the structure is: 70 % in the header and parameter section (counts,
 * pointers, dimensions), 30 % anywhere. Values: random, 0x00, 0xFF or ±1 of the old byte.
 */
export function mutate(bytes: Uint8Array, seed: number, count: number): { bytes: Uint8Array; at: number[] } {
  const out = Uint8Array.from(bytes);
  const rnd = prng(seed);
  const structured = Math.min(out.length, 512 * 12);
  const positions: number[] = [];
  for (let k = 0; k < count; k++) {
    const at = Math.floor(rnd() * (rnd() < 0.7 ? structured : out.length));
    const how = rnd();
    out[at] = how < 0.5 ? Math.floor(rnd() * 256) : how < 0.65 ? 0 : how < 0.8 ? 0xff : (out[at] + (rnd() < 0.5 ? 1 : 255)) & 0xff;
    positions.push(at);
  }
  return { bytes: out, at: positions };
}

const cache = new Map<string, { bytes: Buffer; dataStart: number; baselineMs: number }>();

function original(file: string) {
  let o = cache.get(file);
  if (!o) {
    const bytes = corpusBytes(file);
    const times = [0, 1, 2].map(() => timed(bytes).ms).sort((a, b) => a - b);
    o = { bytes, dataStart: (readCorpus(file).header.dataStartBlock - 1) * 512, baselineMs: times[1] };
    cache.set(file, o);
  }
  return o;
}

function timed(bytes: Buffer): { outcome: FuzzOutcome['outcome']; message: string; digest: string; ms: number } {
  const t0 = performance.now();
  let outcome: FuzzOutcome['outcome'] = 'valid';
  let message = '';
  const hash = createHash('sha256');
  try {
    const batch = c3dFormat.read({ path: 'fuzz.c3d', name: 'fuzz.c3d', bytes, sha256: 'fuzz' });
    if (batch instanceof Promise) throw new Error('read returned a promise');
    const trial = batch.sessions[0].trials[0];
    for (const ch of trial.channels) {
      if (!(ch.samples instanceof Float32Array)) throw new Error(`channel ${ch.name} has no Float32Array`);
      hash.update(`${ch.name}|${ch.unit}|${ch.rateHz}|`).update(new Uint8Array(ch.samples.buffer, ch.samples.byteOffset, ch.samples.byteLength));
    }
  } catch (e) {
    outcome = e instanceof InputError ? 'input-error' : 'other-error';
    message = e instanceof Error ? `${e.name}: ${e.message}${e instanceof InputError ? '' : `\n${e.stack}`}` : String(e);
  }
  return { outcome, message, digest: outcome === 'valid' ? hash.digest('hex') : '', ms: performance.now() - t0 };
}

parentPort?.on('message', (c: FuzzCase) => {
  const o = original(c.file);
  const mutated = c.kind === 'mutate' ? mutate(o.bytes, c.seed!, c.count!) : null;
  const bytes = Buffer.from(mutated ? mutated.bytes : o.bytes.subarray(0, c.at));
  const r = timed(bytes);
  const dataOnly = !!mutated && mutated.at.every((at) => at >= o.dataStart);
  parentPort!.postMessage({ id: c.id, ...r, dataOnly, baselineMs: o.baselineMs } satisfies FuzzOutcome);
});
