// C = A·B for a few rows of A (a batch of 5 samples) against a large row-major B that changes every training
// step (a dense layer's weights). XNNPACK, behind tfjs-backend-wasm, first repacks B with a transpose on every
// new B (about 1.3 ms for 606 × 1024 here), which dominates a training step at batch 5. This kernel reads B as it
// lies: for each block of 8 columns it keeps R × 8 sums in SIMD registers and streams B's rows once.
// It is WebAssembly SIMD emitted at run time (wasm-encoder.ts) and run on the tfjs wasm heap itself, so tensors
// are read and written in place with no copy.
import { encodeModule, I32, op, V128, type FunctionSpec } from './wasm-encoder';

/** Rows per call that the kernel has a variant for; more rows are done in slices of this many. */
export const MAX_TILE_ROWS = 8;

type GemmFn = (a: number, b: number, c: number, k: number, colBlocks: number, lda: number, ldb: number, ldc: number) => void;

/**
 * gemmR(a, b, c, K, colBlocks, lda, ldb, ldc), pointers and strides in bytes: C[0..R, 0..8·colBlocks] = A[0..R, 0..K] ·
 * B[0..K, 0..8·colBlocks].
 */
function gemmRows(R: number): FunctionSpec {
  // Parameters 0–7; then n, k, bp, cp, bk, crow and one A pointer per row (i32); then 2R sums, b0, b1, s (v128).
  const [A, B, C, K, BLOCKS, LDA, LDB, LDC] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [N, KK, BP, CP, BK, CROW] = [8, 9, 10, 11, 12, 13];
  const AP = (r: number) => 14 + r;
  const firstV = 14 + R;
  const ACC = (r: number, j: number) => firstV + 2 * r + j;
  const B0 = firstV + 2 * R;
  const B1 = B0 + 1;
  const S = B0 + 2;
  const body: number[] = [];
  const emit = (...parts: number[][]) => { for (const p of parts) body.push(...p); };
  emit(op.get(B), op.set(BP), op.get(C), op.set(CP), op.get(BLOCKS), op.set(N));
  emit(op.block(), op.loop());
  emit(op.get(N), op.i32Eqz(), op.brIf(1));
  for (let r = 0; r < R; r++) for (let j = 0; j < 2; j++) emit(op.f32Const0(), op.f32x4Splat(), op.set(ACC(r, j)));
  emit(op.get(A), op.set(AP(0)));
  for (let r = 1; r < R; r++) emit(op.get(AP(r - 1)), op.get(LDA), op.i32Add(), op.set(AP(r)));
  emit(op.get(BP), op.set(BK), op.get(K), op.set(KK));
  emit(op.block(), op.loop());
  emit(op.get(KK), op.i32Eqz(), op.brIf(1));
  emit(op.get(BK), op.v128Load(0), op.set(B0), op.get(BK), op.v128Load(16), op.set(B1));
  for (let r = 0; r < R; r++) {
    emit(op.get(AP(r)), op.f32Load(0), op.f32x4Splat(), op.set(S));
    for (let j = 0; j < 2; j++) emit(op.get(ACC(r, j)), op.get(S), op.get(j === 0 ? B0 : B1), op.f32x4Mul(), op.f32x4Add(), op.set(ACC(r, j)));
    emit(op.get(AP(r)), op.i32Const(4), op.i32Add(), op.set(AP(r)));
  }
  emit(op.get(BK), op.get(LDB), op.i32Add(), op.set(BK));
  emit(op.get(KK), op.i32Const(1), op.i32Sub(), op.set(KK));
  emit(op.br(0), op.end(), op.end());
  emit(op.get(CP), op.set(CROW));
  for (let r = 0; r < R; r++) {
    for (let j = 0; j < 2; j++) emit(op.get(CROW), op.get(ACC(r, j)), op.v128Store(16 * j));
    emit(op.get(CROW), op.get(LDC), op.i32Add(), op.set(CROW));
  }
  emit(op.get(BP), op.i32Const(32), op.i32Add(), op.set(BP));
  emit(op.get(CP), op.i32Const(32), op.i32Add(), op.set(CP));
  emit(op.get(N), op.i32Const(1), op.i32Sub(), op.set(N));
  emit(op.br(0), op.end(), op.end());
  return {
    exportName: `gemm${R}`,
    params: [I32, I32, I32, I32, I32, I32, I32, I32],
    locals: [...new Array<number>(6 + R).fill(I32), ...new Array<number>(2 * R + 3).fill(V128)],
    body,
  };
}

export interface SimdGemm {
  /**
   * C (M × N) = A (M × K) · B (K × N), all row-major float32 at byte offsets of the memory the kernel was built on.
   * Columns past the last multiple of 8 are done in JS (at most 7 of them).
   */
  run(aOffset: number, bOffset: number, cOffset: number, M: number, K: number, N: number): void;
}

const built = new WeakMap<WebAssembly.Memory, SimdGemm>();

/** The kernel instantiated on `memory` (once per memory). Throws where WebAssembly SIMD is missing. */
export function simdGemmOn(memory: WebAssembly.Memory): SimdGemm {
  const cached = built.get(memory);
  if (cached) return cached;
  const functions = Array.from({ length: MAX_TILE_ROWS }, (_, i) => gemmRows(i + 1));
  const instance = new WebAssembly.Instance(new WebAssembly.Module(encodeModule(functions)), { env: { memory } });
  const gemm = functions.map((f) => instance.exports[f.exportName] as GemmFn);
  const kernel: SimdGemm = {
    run(aOffset, bOffset, cOffset, M, K, N) {
      const blocks = N >>> 3;
      const lda = 4 * K;
      const ldb = 4 * N;
      for (let r0 = 0; r0 < M; r0 += MAX_TILE_ROWS) {
        const R = Math.min(MAX_TILE_ROWS, M - r0);
        if (blocks > 0) gemm[R - 1](aOffset + r0 * lda, bOffset, cOffset + r0 * ldb, K, blocks, lda, ldb, ldb);
      }
      const tail = N - 8 * blocks;
      if (tail === 0) return;
      // Views are made here, after any heap growth, and dropped at once.
      const heap = new Float32Array(memory.buffer);
      const a = aOffset >>> 2;
      const b = bOffset >>> 2;
      const c = cOffset >>> 2;
      for (let m = 0; m < M; m++) {
        for (let n = 8 * blocks; n < N; n++) {
          let s = 0;
          for (let k = 0; k < K; k++) s += heap[a + m * K + k] * heap[b + k * N + n];
          heap[c + m * N + n] = s;
        }
      }
    },
  };
  built.set(memory, kernel);
  return kernel;
}
