// GaitLab's seeded streams for the Horst method (spec §5.1.4): one integer run seed; every stream (folds, init
// per model and run, batches per model and run, perturbation per model, run, repetition and noise) is derived by
// hashing the seed with its keys. Generator xoshiro128** (Blackman & Vigna 2018), seeded through splitmix32;
// normals by Box–Muller. These names are stored in the run record.
import { normalsFrom } from '../../random';

export const PRNG_NAME = 'xoshiro128** (splitmix32-seeded), Box–Muller normals, FNV-1a key hashing';

/** FNV-1a over the seed and the keys' text, so a stream is fixed by (seed, keys) alone. */
export function streamSeed(seed: number, ...keys: (string | number)[]): number {
  let h = 0x811c9dc5;
  const text = `${seed}|${keys.join('|')}`;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Uniform in [0, 1) from xoshiro128**. */
export function uniformStream(seed: number, ...keys: (string | number)[]): () => number {
  const init = splitmix32(streamSeed(seed, ...keys));
  let a = init(), b = init(), c = init(), d = init();
  if ((a | b | c | d) === 0) a = 1;
  return () => {
    const result = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c ^= a; d ^= b; b ^= c; a ^= d;
    c ^= t;
    d = rotl(d, 11);
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    return result / 4294967296;
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** Standard normals by Box–Muller from a uniform stream. */
export function normalStream(seed: number, ...keys: (string | number)[]): () => number {
  return normalsFrom(uniformStream(seed, ...keys));
}

/** Fisher–Yates, in place, from the last element down. */
export function shuffle<T>(items: T[], uniform: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(uniform() * (i + 1));
    const t = items[i]; items[i] = items[j]; items[j] = t;
  }
  return items;
}
