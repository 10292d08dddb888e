// The float64 GEMM under LRP: the WebAssembly SIMD kernel and its JS twin give the same bits, and both give
// the plain ascending-k sum of products exactly, for ragged sizes (rows and columns that fill no whole panel,
// K = 1, one row), with weights kept on the heap across calls and re-packed after another weight.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attributeBatch, DEFAULT_COMPOSITE, parseComposite } from '../../src-shared/lrp';
import { COLS, gemmHeap, ROWS, useKernel } from '../../src-shared/lrp/gemm';
import { randomArray, randomHorstModel, randomInput } from './random-models';

function naive(a: Float64Array, b: Float64Array, M: number, K: number, N: number): Float64Array {
  const c = new Float64Array(M * N);
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += a[m * K + k] * b[k * N + n];
      c[m * N + n] = s;
    }
  }
  return c;
}

test('GEMM: wasm-simd and js kernels equal the ascending-k sum bit for bit (ragged M, N; K = 1; one row)', () => {
  const wasm = gemmHeap('wasm-simd');
  const js = gemmHeap('js');
  assert.equal(wasm.kind, 'wasm-simd');
  const shapes: [number, number, number][] = [[1, 1, 1], [1, 7, 3], [ROWS + 1, 5, COLS + 1], [13, 300, 37], [9, 1, 194], [70, 64, 64]];
  shapes.forEach(([M, K, N], i) => {
    const a = randomArray(M * K, 10 + i);
    const b = randomArray(K * N, 20 + i);
    // Exact zeros and negative zeros in A, as dead ReLUs and empty sides give.
    for (let j = 0; j < a.length; j += 3) a[j] = j % 2 ? 0 : -0;
    const expected = naive(a, b, M, K, N);
    for (const heap of [wasm, js]) {
      const packed = heap.residentB(b, 'test', K, N, (k, n) => b[k * N + n]);
      const fill = (m: number, h: Float64Array, index: number, stride: number) => { for (let k = 0; k < K; k++) h[index + k * stride] = a[m * K + k]; };
      const c = heap.multiply(M, K, N, packed, fill);
      assert.deepEqual(c, expected, `${heap.kind} ${M}×${K}×${N}`);
      // Again: the packed weight is found on the heap, and other rows give the same bits for row 0.
      assert.deepEqual(heap.multiply(1, K, N, heap.residentB(b, 'test', K, N, () => NaN), fill), expected.subarray(0, N));
    }
  });
});

test('GEMM: a batch of rows gives each row what it gets alone (no dependence on the panel it shares)', () => {
  const heap = gemmHeap();
  const K = 288, N = 64, M = 11;
  const a = randomArray(M * K, 1);
  const b = randomArray(K * N, 2);
  const packed = heap.residentB(b, 'w', K, N, (k, n) => b[k * N + n]);
  const all = heap.multiply(M, K, N, packed, (m, h, index, stride) => { for (let k = 0; k < K; k++) h[index + k * stride] = a[m * K + k]; });
  for (let m = 0; m < M; m++) {
    const one = heap.multiply(1, K, N, packed, (_, h, index, stride) => { for (let k = 0; k < K; k++) h[index + k * stride] = a[m * K + k]; });
    assert.deepEqual(all.subarray(m * N, (m + 1) * N), one, `row ${m}`);
  }
});

test('LRP gives the same bits on the JS kernel as on WebAssembly SIMD (cnn-c3 and mlp3-64, default composite)', () => {
  for (const kind of ['cnn-c3', 'mlp3-64'] as const) {
    const model = randomHorstModel(kind, 6, 5, 9);
    const inputs = randomInput(3 * model.inputSize, 8);
    const composite = parseComposite(DEFAULT_COMPOSITE);
    const simd = attributeBatch(model, inputs, [0, 4, 2], composite);
    useKernel('js');
    try {
      const plain = attributeBatch(model, inputs, [0, 4, 2], composite);
      assert.deepEqual(plain.relevance, simd.relevance, kind);
      assert.deepEqual(plain.logits, simd.logits, kind);
    } finally {
      useKernel(undefined);
    }
  }
});
