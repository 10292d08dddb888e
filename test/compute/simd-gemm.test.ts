// The run-time emitted WebAssembly SIMD kernel, on a memory of its own, against the product by its definition.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_TILE_ROWS, simdGemmOn } from '../../src-main/compute/tfjs/kernels/simd-gemm';
import { sleb, uleb } from '../../src-main/compute/tfjs/kernels/wasm-encoder';
import { seededRandom } from '../helpers';

test('LEB128 encodings follow the WebAssembly spec examples', () => {
  assert.deepEqual(uleb(0), [0]);
  assert.deepEqual(uleb(624485), [0xe5, 0x8e, 0x26]);
  assert.deepEqual(sleb(-123456), [0xc0, 0xbb, 0x78]);
  assert.deepEqual(sleb(63), [0x3f]);
  assert.deepEqual(sleb(64), [0xc0, 0x00]);
  assert.deepEqual(sleb(-1), [0x7f]);
});

for (const [M, K, N] of [[1, 1, 8], [5, 606, 1024], [MAX_TILE_ROWS + 3, 17, 29], [3, 4, 7], [16, 9, 16]]) {
  test(`C = A·B for ${M} × ${K} · ${K} × ${N} at unaligned offsets equals the definition, and leaves the rest of memory alone`, () => {
    const memory = new WebAssembly.Memory({ initial: Math.ceil(((M * K + K * N + M * N) * 4 + 4096) / 65536) });
    const heap = new Float32Array(memory.buffer);
    const rnd = seededRandom(M * 1000 + N);
    const a = 3;
    const b = a + M * K + 1;
    const c = b + K * N + 5;
    for (let i = 0; i < M * K; i++) heap[a + i] = rnd() * 2 - 1;
    for (let i = 0; i < K * N; i++) heap[b + i] = rnd() * 2 - 1;
    heap.fill(NaN, c, c + M * N);
    heap[c - 1] = 123;
    heap[c + M * N] = 456;
    simdGemmOn(memory).run(a * 4, b * 4, c * 4, M, K, N);
    for (let m = 0; m < M; m++)
      for (let n = 0; n < N; n++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += heap[a + m * K + k] * heap[b + k * N + n];
        assert.ok(Math.abs(s - heap[c + m * N + n]) < 1e-4 * Math.max(1, Math.abs(s)), `C[${m}][${n}] = ${heap[c + m * N + n]}, expected ${s}`);
      }
    assert.equal(heap[c - 1], 123);
    assert.equal(heap[c + M * N], 456);
  });
}

test('the kernel is built once per memory', () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  assert.equal(simdGemmOn(memory), simdGemmOn(memory));
});
