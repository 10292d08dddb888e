// npm run bench:gp — the hierarchical GP's numerical core on this machine. Prints figures; asserts nothing.
// Part 1: a 100 × 100 Cholesky (the per-node factorisation at M = 100), blocked vs the textbook loop, in µs.
import { choleskyInPlace, choleskyUnblocked, matMulTransB } from '../src-shared/gp/linalg';
import { seededRandom } from '../src-shared/gp/random';

/** Microseconds per call: best of 5 rounds after a warm-up. */
function microseconds(step: () => void, rounds = 5, minMs = 200): number {
  for (let i = 0; i < 50; i++) step();
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    let calls = 0;
    const start = performance.now();
    let elapsed = 0;
    do { step(); calls++; elapsed = performance.now() - start; } while (elapsed < minMs);
    best = Math.min(best, (elapsed * 1000) / calls);
  }
  return best;
}

function choleskyFigures(n: number): void {
  const r = seededRandom(1);
  const g = Float64Array.from({ length: n * n }, () => r() - 0.5);
  const a = matMulTransB(g, g, n, n, n);
  for (let i = 0; i < n; i++) a[i * n + i] += n;
  const out = new Float64Array(n * n);
  const blocked = microseconds(() => choleskyInPlace(a, n, out));
  const plain = microseconds(() => choleskyUnblocked(a, n));
  console.log(`Cholesky ${n}×${n}: blocked ${blocked.toFixed(1)} µs, unblocked loop ${plain.toFixed(1)} µs`);
}

for (const n of [100, 200]) choleskyFigures(n);
