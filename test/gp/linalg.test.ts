import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  choleskyAdjoint, choleskyInPlace, choleskyUnblocked, choleskyWithJitter, inverseFromCholesky, logDetFromCholesky,
  lowerTransposedTimes, matMul, matMulTransA, matMulTransB, solveLower, solveLowerTransposed, transpose,
} from '../../src-shared/gp/linalg';
import { matern32 } from '../../src-shared/gp/kernel';
import { seededRandom } from '../../src-shared/random';

/** A random symmetric positive-definite n × n matrix G Gᵀ + n I. */
function spd(n: number, seed: number): Float64Array {
  const r = seededRandom(seed);
  const g = Float64Array.from({ length: n * n }, () => r() - 0.5);
  const a = matMulTransB(g, g, n, n, n);
  for (let i = 0; i < n; i++) a[i * n + i] += n * 0.1;
  return a;
}
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => { let m = 0; for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i])); return m; };

test('blocked Cholesky reproduces A = L Lᵀ and equals the unblocked loop (n = 5, 33, 100: inside, at and across panels)', () => {
  for (const n of [5, 33, 100]) {
    const a = spd(n, n);
    const l = new Float64Array(n * n);
    assert.equal(choleskyInPlace(a, n, l), -1);
    const rebuilt = matMulTransB(l, l, n, n, n);
    assert.ok(maxAbsDiff(rebuilt, a) < 1e-12 * n, `n=${n}`);
    assert.ok(maxAbsDiff(l, choleskyUnblocked(a, n)!) < 1e-13);
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) assert.equal(l[i * n + j], 0);
  }
});

test('Cholesky reports the first non-positive pivot; a non-finite entry fails too', () => {
  const a = Float64Array.from([4, 2, 0, 2, 1, 0, 0, 0, 1]); // rank-deficient leading 2 × 2 block
  assert.equal(choleskyInPlace(Float64Array.from(a), 3), 1);
  assert.equal(choleskyInPlace(Float64Array.from([NaN, 0, 0, 1]), 2), 0);
});

test('HG-16 jitter escalates by tenfold steps from the start value (1e-10 after 0) and gives up past 1e-4', () => {
  // A Matérn-3/2 Gram matrix with two coincident inputs is singular: jitter 0 fails, 1e-10 succeeds.
  const z = [0, 0.1, 0.1, 0.5];
  const k = new Float64Array(16);
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) k[i * 4 + j] = matern32(Math.abs(z[i] - z[j]), 2, 0.3);
  const r0 = choleskyWithJitter(k, 4, 2, 0)!;
  assert.equal(r0.jitter, 1e-10);
  assert.equal(choleskyWithJitter(k, 4, 2, 1e-8)!.jitter, 1e-8);
  // Indefinite beyond repair: the smallest eigenvalue is −1, far below any jitter up to 1e-4.
  assert.equal(choleskyWithJitter(Float64Array.from([0, 1, 1, 0]), 2, 1, 1e-8), null);
});

test('triangular solves, products and log-determinant agree with direct computations', () => {
  const n = 40, k = 7;
  const a = spd(n, 3);
  const l = new Float64Array(n * n); choleskyInPlace(a, n, l);
  const r = seededRandom(9);
  const b = Float64Array.from({ length: n * k }, () => r() - 0.5);
  const x = solveLower(l, n, Float64Array.from(b), k);
  assert.ok(maxAbsDiff(matMul(l, x, n, n, k), b) < 1e-13);
  const y = solveLowerTransposed(l, n, Float64Array.from(b), k);
  assert.ok(maxAbsDiff(matMul(transpose(l, n, n), y, n, n, k), b) < 1e-13);
  assert.ok(maxAbsDiff(lowerTransposedTimes(l, n, b, k), matMul(transpose(l, n, n), b, n, n, k)) < 1e-14);
  assert.ok(maxAbsDiff(matMulTransA(b, b, n, k, k), matMul(transpose(b, n, k), b, k, n, k)) < 1e-14);
  const inv = inverseFromCholesky(l, n);
  const eye = matMul(a, inv, n, n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) assert.ok(Math.abs(eye[i * n + j] - (i === j ? 1 : 0)) < 1e-12);
  // log|A| by Gaussian elimination without pivoting (A is SPD, so the pivots are positive).
  const u = Float64Array.from(a);
  let logDet = 0;
  for (let p = 0; p < n; p++) {
    logDet += Math.log(u[p * n + p]);
    for (let i = p + 1; i < n; i++) { const f = u[i * n + p] / u[p * n + p]; for (let j = p; j < n; j++) u[i * n + j] -= f * u[p * n + j]; }
  }
  assert.ok(Math.abs(logDetFromCholesky(l, n) - logDet) < 1e-11);
});

test('the Cholesky adjoint (Murray 2016) matches central differences of Σ W ⊙ chol(A) for symmetric perturbations', () => {
  const n = 6;
  const a = spd(n, 5);
  const r = seededRandom(11);
  const w = Float64Array.from({ length: n * n }, (_, i) => (Math.floor(i / n) >= i % n ? r() - 0.5 : 0));
  const f = (m: Float64Array) => { const l = new Float64Array(n * n); choleskyInPlace(m, n, l); let s = 0; for (let i = 0; i < n * n; i++) s += w[i] * l[i]; return s; };
  const l = new Float64Array(n * n); choleskyInPlace(a, n, l);
  const aBar = choleskyAdjoint(l, w, n);
  const h = 1e-6;
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) {
    const plus = Float64Array.from(a), minus = Float64Array.from(a);
    plus[i * n + j] += h; minus[i * n + j] -= h;
    if (i !== j) { plus[j * n + i] += h; minus[j * n + i] -= h; }
    const fd = (f(plus) - f(minus)) / (2 * h);
    const analytic = i === j ? aBar[i * n + i] : aBar[i * n + j] + aBar[j * n + i];
    assert.ok(Math.abs(fd - analytic) <= 1e-6 * (Math.abs(fd) + 1e-3), `(${i},${j}) fd ${fd} vs ${analytic}`);
  }
});
