// The run-time emitted WebAssembly SIMD kernel, on a memory of its own, against the product by its definition.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_TILE_ROWS, simdGemmOn } from '../../src-main/compute/tfjs/kernels/simd-gemm';
import { sleb, uleb } from '../../src-shared/wasm/encoder';
import { seededRandom } from '../helpers';

test('LEB128 encodings follow the WebAssembly spec examples', () => {
  assert.deepEqual(uleb(0), [0]);
  assert.deepEqual(uleb(624485), [0xe5, 0x8e, 0x26]);
  assert.deepEqual(sleb(-123456), [0xc0, 0xbb, 0x78]);
  assert.deepEqual(sleb(63), [0x3f]);
  assert.deepEqual(sleb(64), [0xc0, 0x00]);
  assert.deepEqual(sleb(-1), [0x7f]);
});

// Over B rows of ≥ 256 floats, 5 rows are one tile of MAX_TILE_ROWS + 1 and 9 rows 4 + 5, and K is taken in chunks
// (130 = 64 + 64 + 2); [5, 606, 1024] is the first layer of MLP(3, 1024) at batch 5.
for (const [M, K, N] of [[1, 1, 8], [5, 606, 1024], [MAX_TILE_ROWS + 3, 17, 29], [3, 4, 7], [16, 9, 16], [2 * MAX_TILE_ROWS + 1, 130, 300]]) {
  for (const accumulate of [false, true]) {
    test(`C ${accumulate ? '+=' : '='} Aᵀ·B for A ${K} × ${M}, B ${K} × ${N}, padded strides at unaligned offsets, equals the definition and writes nothing else`, () => {
      const [lda, ldb, ldc] = [M + 2, N + 1, N + 3];
      const memory = new WebAssembly.Memory({ initial: Math.ceil(((K * lda + K * ldb + M * ldc) * 4 + 4096) / 65536) });
      const heap = new Float32Array(memory.buffer);
      const rnd = seededRandom(M * 1000 + N + (accumulate ? 1 : 0));
      const a = 3;
      const b = a + K * lda + 1;
      const c = b + K * ldb + 5;
      for (let i = 0; i < K * lda; i++) heap[a + i] = rnd() * 2 - 1;
      for (let i = 0; i < K * ldb; i++) heap[b + i] = rnd() * 2 - 1;
      for (let i = 0; i < M * ldc; i++) heap[c + i] = accumulate ? rnd() : NaN;
      const before = heap.slice(c, c + M * ldc);
      heap[c - 1] = 123;
      heap[c + M * ldc] = 456;
      simdGemmOn(memory).runTN({ offset: a * 4, stride: lda }, { offset: b * 4, stride: ldb }, { offset: c * 4, stride: ldc }, M, K, N, accumulate);
      for (let m = 0; m < M; m++) {
        for (let n = 0; n < ldc; n++) {
          const at = c + m * ldc + n;
          if (n >= N) {
            assert.ok(Object.is(heap[at], before[m * ldc + n]), `padding C[${m}][${n}] was written`);
            continue;
          }
          let s = accumulate ? before[m * ldc + n] : 0;
          for (let k = 0; k < K; k++) s += heap[a + k * lda + m] * heap[b + k * ldb + n];
          assert.ok(Math.abs(s - heap[at]) < 1e-4 * Math.max(1, Math.abs(s)), `C[${m}][${n}] = ${heap[at]}, expected ${s}`);
        }
      }
      assert.equal(heap[c - 1], 123);
      assert.equal(heap[c + M * ldc], 456);
    });
  }
}

test('A may be overlapping windows (row stride smaller than its length), as conv1d patches are', () => {
  // Patches of width 3 over a 2-channel sequence of length 10: window t = x[t .. t + 3) × 2 channels = 6 values,
  // stride 2 values. Aᵀ·B then sums patch ⊗ dy over positions: a conv1d filter gradient.
  const memory = new WebAssembly.Memory({ initial: 1 });
  const heap = new Float32Array(memory.buffer);
  const rnd = seededRandom(5);
  const [T, C, W, O] = [10, 2, 3, 9];
  const positions = T - W + 1;
  for (let i = 0; i < T * C; i++) heap[i] = rnd();
  const dy = 64;
  for (let i = 0; i < positions * O; i++) heap[dy + i] = rnd();
  const out = 256;
  simdGemmOn(memory).runTN({ offset: 0, stride: C }, { offset: dy * 4, stride: O }, { offset: out * 4, stride: O }, W * C, positions, O, false);
  for (let j = 0; j < W * C; j++)
    for (let o = 0; o < O; o++) {
      let s = 0;
      for (let t = 0; t < positions; t++) s += heap[t * C + j] * heap[dy + t * O + o];
      assert.ok(Math.abs(s - heap[out + j * O + o]) < 1e-5, `dW[${j}][${o}]`);
    }
});

test('the kernel is built once per memory', () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  assert.equal(simdGemmOn(memory), simdGemmOn(memory));
});
