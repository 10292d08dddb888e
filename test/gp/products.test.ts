// The GP's per-node products through lrp/gemm.ts (WebAssembly SIMD and its JS twin) against linalg.ts's loops,
// the path before them: each product, then the bound, its gradient and a CAVI sweep of a whole model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateBound } from '../../src-shared/gp/bound';
import { caviState, caviSweep } from '../../src-shared/gp/cavi';
import { choleskyAdjoint, choleskyInPlace, lowerInverse, lowerTransposedTimes, matMul, matMulTransB, solveLower } from '../../src-shared/gp/linalg';
import { choleskyAdjointByInverse, productAB, productABt, productABtLower, productLB, productLtB, useGpKernel, type GpKernelKind } from '../../src-shared/gp/products';
import { seededRandom } from '../../src-shared/random';
import { smallSet } from './small-set';

const kinds: GpKernelKind[] = ['wasm-simd', 'js'];

/** Largest |a − b| relative to the largest |b| (the products' rounding differs only in summation order). */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let diff = 0, scale = 0;
  for (let i = 0; i < a.length; i++) { diff = Math.max(diff, Math.abs(a[i] - b[i])); scale = Math.max(scale, Math.abs(b[i])); }
  return diff / scale;
}

function randomMatrix(rows: number, cols: number, seed: number, lower = false): Float64Array {
  const r = seededRandom(seed);
  return Float64Array.from({ length: rows * cols }, (_, i) => (lower && i % cols > Math.floor(i / cols) ? 0 : r() - 0.5));
}

test('A·B, A·Bᵀ, Lᵀ·B and L·B by the SIMD product and its JS twin equal linalg.ts\'s loops to 1e-12 (shapes across panel edges)', () => {
  try {
    for (const kind of kinds) {
      useGpKernel(kind);
      for (const [m, q, n] of [[100, 101, 100], [7, 5, 3], [1, 1, 1], [13, 21, 10]]) {
        const a = randomMatrix(m, q, 1), b = randomMatrix(q, n, 2), bt = randomMatrix(n, q, 3);
        assert.ok(relativeError(productAB(a, b, m, q, n), matMul(a, b, m, q, n)) < 1e-12, `${kind} AB ${m}×${q}×${n}`);
        assert.ok(relativeError(productABt(a, bt, m, q, n), matMulTransB(a, bt, m, q, n)) < 1e-12, `${kind} ABt ${m}×${q}×${n}`);
        const l = randomMatrix(m, m, 4, true), c = randomMatrix(m, n, 5);
        // The strict upper triangle holds garbage: neither product may read it.
        const dirty = Float64Array.from(l, (x, i) => (i % m > Math.floor(i / m) ? 1e3 : x));
        assert.ok(relativeError(productLtB(dirty, c, m, n), lowerTransposedTimes(l, m, c, n)) < 1e-12, `${kind} LtB ${m}×${n}`);
        assert.ok(relativeError(productLB(dirty, c, m, n), matMul(l, c, m, m, n)) < 1e-12, `${kind} LB ${m}×${n}`);
      }
    }
    // The JS twin sums in the SIMD kernel's order: the same bits.
    const a = randomMatrix(100, 101, 6), b = randomMatrix(101, 100, 7);
    useGpKernel('wasm-simd');
    const simd = productAB(a, b, 100, 101, 100);
    useGpKernel('js');
    assert.deepEqual(productAB(a, b, 100, 101, 100), simd);
  } finally {
    useGpKernel(undefined);
  }
});

test('the triangular inverse equals solveLower on the identity to 1e-12 and leaves the upper triangle 0', () => {
  const n = 37;
  const l = randomMatrix(n, n, 8, true);
  for (let i = 0; i < n; i++) l[i * n + i] = 1 + Math.abs(l[i * n + i]);
  const eye = new Float64Array(n * n);
  for (let i = 0; i < n; i++) eye[i * n + i] = 1;
  const dirty = Float64Array.from(l, (x, i) => (i % n > Math.floor(i / n) ? 1e3 : x));
  const inverse = lowerInverse(dirty, n);
  assert.ok(relativeError(inverse, solveLower(l, n, eye.slice(), n)) < 1e-12);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) assert.equal(inverse[i * n + j], 0);
  // L L⁻¹ = I.
  assert.ok(relativeError(matMul(l, inverse, n, n, n), eye) < 1e-12);
});

test('the lower triangle of A·Bᵀ (tiles above the diagonal skipped) and the Cholesky adjoint through L⁻¹ equal the loops to 1e-12', () => {
  try {
    for (const kind of kinds) {
      useGpKernel(kind);
      for (const [m, q] of [[100, 101], [10, 21], [7, 3]]) {
        const a = randomMatrix(m, q, 9), b = randomMatrix(m, q, 10);
        const fast = productABtLower(a, b, m, q, m), full = matMulTransB(a, b, m, q, m);
        const lower = (x: Float64Array) => x.filter((_, i) => i % m <= Math.floor(i / m));
        assert.ok(relativeError(lower(fast), lower(full)) < 1e-12, `${kind} lower ABt ${m}×${q}`);
        // A Matérn-like SPD matrix (the kernels' K) and a random adjoint of its factor.
        const k = new Float64Array(m * m);
        for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) { const r = Math.abs(i - j) / m; k[i * m + j] = (1 + 10 * r) * Math.exp(-10 * r) + (i === j ? 1e-6 : 0); }
        assert.equal(choleskyInPlace(k, m), -1);
        const lBar = randomMatrix(m, m, 11);
        assert.ok(relativeError(choleskyAdjointByInverse(k, lowerInverse(k, m), lBar, m), choleskyAdjoint(k, lBar, m)) < 1e-12, `${kind} Cholesky adjoint ${m}`);
      }
    }
  } finally {
    useGpKernel(undefined);
  }
});

for (const tieLevels of [true, false]) test(`bound, every gradient component and a CAVI sweep through the new products equal the loops' path to 1e-12 (hetero${tieLevels ? ', tieLevels' : ''}, M = 10)`, () => {
  const set = smallSet('hetero', 'wide', tieLevels);
  const run = (kind: GpKernelKind) => {
    useGpKernel(kind);
    const theta = Float64Array.from(set.theta);
    const before = evaluateBound(set.model, theta, set.statsData, Float64Array.from(set.jitter), true);
    const state = caviState(set.model, theta, Float64Array.from(set.jitter));
    caviSweep(set.model, theta, set.stats, state);
    const after = evaluateBound(set.model, theta, set.statsData, Float64Array.from(set.jitter), true, undefined, state.h, false);
    return { before, after, theta };
  };
  try {
    const loops = run('loops');
    for (const kind of kinds) {
      const fast = run(kind);
      assert.ok(Math.abs(fast.before.bound - loops.before.bound) <= 1e-12 * Math.abs(loops.before.bound), `${kind} bound`);
      assert.ok(relativeError(fast.before.gradient!, loops.before.gradient!) < 1e-12, `${kind} gradient`);
      assert.ok(relativeError(fast.theta, loops.theta) < 1e-12, `${kind} θ after the CAVI sweep`);
      assert.ok(Math.abs(fast.after.bound - loops.after.bound) <= 1e-12 * Math.abs(loops.after.bound), `${kind} bound after the sweep`);
      assert.ok(relativeError(fast.after.gradient!, loops.after.gradient!) < 1e-12, `${kind} gradient after the sweep`);
    }
  } finally {
    useGpKernel(undefined);
  }
});
