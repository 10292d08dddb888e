// Runs one fuzz case per message for fuzz.test.ts, in a worker thread so that the test can stop a case that
// hangs (synchronous code cannot be interrupted in its own thread).
import { parentPort } from 'node:worker_threads';
import { InputError } from '../../../src-shared/domain/import-batch';
import { c3dFormat } from '../../../src-main/formats/c3d-format';
import { corpusBytes, prng } from './helpers';

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
}

/**
 * Byte mutations weighted to where the structure is: 70 % in the header and parameter section (counts,
 * pointers, dimensions), 30 % anywhere. Values: random, 0x00, 0xFF or ±1 of the old byte.
 */
export function mutate(bytes: Uint8Array, seed: number, count: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  const rnd = prng(seed);
  const structured = Math.min(out.length, 512 * 12);
  for (let k = 0; k < count; k++) {
    const at = Math.floor(rnd() * (rnd() < 0.7 ? structured : out.length));
    const how = rnd();
    out[at] = how < 0.5 ? Math.floor(rnd() * 256) : how < 0.65 ? 0 : how < 0.8 ? 0xff : (out[at] + (rnd() < 0.5 ? 1 : 255)) & 0xff;
  }
  return out;
}

const cache = new Map<string, Buffer>();

function caseBytes(c: FuzzCase): Uint8Array {
  let bytes = cache.get(c.file);
  if (!bytes) cache.set(c.file, (bytes = corpusBytes(c.file)));
  return c.kind === 'cut' ? bytes.subarray(0, c.at) : mutate(bytes, c.seed!, c.count!);
}

parentPort?.on('message', (c: FuzzCase) => {
  const bytes = Buffer.from(caseBytes(c));
  const t0 = performance.now();
  let outcome: FuzzOutcome['outcome'] = 'valid';
  let message = '';
  try {
    const batch = c3dFormat.read({ path: c.file, name: 'fuzz.c3d', bytes, sha256: 'fuzz' });
    if (batch instanceof Promise) throw new Error('read returned a promise');
    const trial = batch.sessions[0].trials[0];
    for (const ch of trial.channels) if (!(ch.samples instanceof Float32Array)) throw new Error(`channel ${ch.name} has no Float32Array`);
  } catch (e) {
    outcome = e instanceof InputError ? 'input-error' : 'other-error';
    message = e instanceof Error ? `${e.name}: ${e.message}${e instanceof InputError ? '' : `\n${e.stack}`}` : String(e);
  }
  parentPort!.postMessage({ id: c.id, outcome, message, ms: performance.now() - t0 } satisfies FuzzOutcome);
});
