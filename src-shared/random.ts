// Seeded random numbers: one stream per seed, so that every split, synthetic cohort and sample a test or a
// report quotes can be drawn again.

/** mulberry32 (Tommy Ettinger, public domain): uniform in [0, 1) with a 2^32 period. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws by the Box–Muller transform (one pair per two uniforms, the second kept for the next call). */
export function seededNormal(seed: number): () => number {
  return normalsFrom(seededRandom(seed));
}

/** Box–Muller over any uniform stream in [0, 1): the Horst streams (xoshiro128**, §5.1.4) use it too. */
export function normalsFrom(uniform: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) { const s = spare; spare = null; return s; }
    let u = uniform();
    while (u <= 0) u = uniform();
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}
