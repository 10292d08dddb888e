// C (+)= Aᵀ·B for a few columns of A against a large row-major B, in WebAssembly SIMD emitted at run time
// (src-shared/wasm/encoder.ts) and run on the tfjs wasm heap itself, so tensors are read and written in place.
//
// Why: XNNPACK, behind tfjs-backend-wasm, repacks B with a transpose whenever B is a tensor it has not seen
// (new weights every training step): about 1.3 ms for 606 × 1024 here, more than the product itself. This
// kernel reads B as it lies: for each block of 8 columns it keeps R × 8 sums in SIMD registers and streams B's
// rows once. A is read as Aᵀ (A stored K × M, any row stride), which serves three products at once:
//   - x·W with x (batch × K) first transposed into a small K × batch buffer (dense forward);
//   - xᵀ·dy straight from x (dense weight gradient);
//   - the patches of a conv1d, which are overlapping windows of the (padded) input with a row stride of
//     stride × channels, so the filter gradient needs no im2col matrix at all.
import { encodeModule, I32, op, V128, type FunctionSpec } from '../../../../src-shared/wasm/encoder';

/** tfjs's float32 tensors are only 4-byte aligned on the wasm heap: the vector loads say so (log2 4 = 2). */
const F32_ALIGN = 2;

/**
 * The few members of the WebAssembly JS API used here, typed locally: the main tsconfig has no DOM lib and Node's
 * types do not declare them.
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmApi {
  Module: new (bytes: Uint8Array<ArrayBuffer>) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
}
const WasmJs = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/**
 * Rows of C per kernel call; more rows are done in tiles of this many (B streamed once per tile). 4 rows keep
 * 8 accumulators + 2 B vectors + 1 splat in x64's 16 SIMD registers: at 8 rows (16 accumulators) V8 spilled, and
 * the filter gradient of SincPD's conv_1 (3 × 800 → 128 over 32 × 98 windows) took 77 ms instead of 48 ms here.
 */
export const MAX_TILE_ROWS = 4;

/** Row length of B (floats) from which K is taken in chunks of K_CHUNK rows (see runTN). */
const WIDE_B_FLOATS = 256;
const K_CHUNK = 64;

type GemmFn = (a: number, b: number, c: number, k: number, colBlocks: number, lda: number, ldb: number, ldc: number, accumulate: number) => void;

/**
 * gemmR(a, b, c, K, colBlocks, lda, ldb, ldc, accumulate), pointers and strides in bytes:
 * C[r][n] (+)= Σₖ A[k][r] · B[k][n] for r < R, n < 8·colBlocks.
 */
function gemmRows(R: number): FunctionSpec {
  const [A, B, C, K, BLOCKS, LDA, LDB, LDC, ACCUMULATE] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [N, KK, BP, CP, BK, CROW, AP] = [9, 10, 11, 12, 13, 14, 15];
  const firstV = 16;
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
  emit(op.get(A), op.set(AP), op.get(BP), op.set(BK), op.get(K), op.set(KK));
  emit(op.block(), op.loop());
  emit(op.get(KK), op.i32Eqz(), op.brIf(1));
  emit(op.get(BK), op.v128Load(0, F32_ALIGN), op.set(B0), op.get(BK), op.v128Load(16, F32_ALIGN), op.set(B1));
  for (let r = 0; r < R; r++) {
    emit(op.get(AP), op.f32Load(4 * r), op.f32x4Splat(), op.set(S));
    for (let j = 0; j < 2; j++) emit(op.get(ACC(r, j)), op.get(S), op.get(j === 0 ? B0 : B1), op.f32x4Mul(), op.f32x4Add(), op.set(ACC(r, j)));
  }
  emit(op.get(AP), op.get(LDA), op.i32Add(), op.set(AP));
  emit(op.get(BK), op.get(LDB), op.i32Add(), op.set(BK));
  emit(op.get(KK), op.i32Const(1), op.i32Sub(), op.set(KK));
  emit(op.br(0), op.end(), op.end());
  emit(op.get(CP), op.set(CROW));
  for (let r = 0; r < R; r++) {
    for (let j = 0; j < 2; j++) {
      emit(op.get(ACCUMULATE), op.if(), op.get(ACC(r, j)), op.get(CROW), op.v128Load(16 * j, F32_ALIGN), op.f32x4Add(), op.set(ACC(r, j)), op.end());
      emit(op.get(CROW), op.get(ACC(r, j)), op.v128Store(16 * j, F32_ALIGN));
    }
    emit(op.get(CROW), op.get(LDC), op.i32Add(), op.set(CROW));
  }
  emit(op.get(BP), op.i32Const(32), op.i32Add(), op.set(BP));
  emit(op.get(CP), op.i32Const(32), op.i32Add(), op.set(CP));
  emit(op.get(N), op.i32Const(1), op.i32Sub(), op.set(N));
  emit(op.br(0), op.end(), op.end());
  return {
    exportName: `gemm${R}`,
    params: new Array<number>(9).fill(I32),
    locals: [...new Array<number>(7).fill(I32), ...new Array<number>(2 * R + 3).fill(V128)],
    body,
  };
}

/** A row-major float32 matrix at a byte offset of the kernel's memory, with its row stride in elements. */
export interface HeapMatrix {
  offset: number;
  stride: number;
}

export interface SimdGemm {
  /**
   * C (M × N) (+)= Aᵀ·B where A is K × M and B is K × N. Strides may be smaller than the row length (overlapping
   * windows) as long as every element read lies in memory. Columns past the last multiple of 8 are done in JS.
   */
  runTN(a: HeapMatrix, b: HeapMatrix, c: HeapMatrix, M: number, K: number, N: number, accumulate: boolean): void;
}

const built = new WeakMap<WasmMemory, SimdGemm>();

/** The kernel instantiated on `memory` (once per memory). Throws where WebAssembly SIMD is missing. */
export function simdGemmOn(memory: WasmMemory): SimdGemm {
  const cached = built.get(memory);
  if (cached) return cached;
  // One tile more than MAX_TILE_ROWS, used only for a last tile of MAX_TILE_ROWS + 1 rows over a wide B (batch 5
  // against a 1024-wide weight: one tile of 5 instead of 4 + 1, which streamed B twice from L2, the second time
  // for one row: 0.49 vs 0.71 ms for 606 × 1024). Over a narrow B, where the product is compute-bound, 4 + 1 is
  // faster (5 × 3072 · 3072 × 194: 0.48 vs 0.64 ms; 13 live vectors leave V8 too few registers).
  const functions = Array.from({ length: MAX_TILE_ROWS + 1 }, (_, i) => gemmRows(i + 1));
  const instance = new WasmJs.Instance(new WasmJs.Module(encodeModule(functions)), { env: { memory } });
  const gemm = functions.map((f) => instance.exports[f.exportName] as GemmFn);
  const kernel: SimdGemm = {
    runTN(a, b, c, M, K, N, accumulate) {
      const blocks = N >>> 3;
      if (blocks > 0) {
        for (let r0 = 0; r0 < M;) {
          const wide = b.stride >= WIDE_B_FLOATS;
          const R = wide && M - r0 === MAX_TILE_ROWS + 1 ? MAX_TILE_ROWS + 1 : Math.min(MAX_TILE_ROWS, M - r0);
          // B is walked down its columns, 32 bytes a row: over a wide B (a 1024-wide weight: 4 KB rows) each row
          // is another page and the other half of its cache line is wanted by the next block only after K rows.
          // Chunks of K_CHUNK rows keep that half in L1 (64 × 64 B); C is re-read once per chunk.
          const chunk = wide ? K_CHUNK : K;
          for (let k0 = 0; k0 < K; k0 += chunk) {
            gemm[R - 1](a.offset + 4 * (r0 + k0 * a.stride), b.offset + 4 * k0 * b.stride, c.offset + 4 * r0 * c.stride, Math.min(chunk, K - k0), blocks, 4 * a.stride, 4 * b.stride, 4 * c.stride, accumulate || k0 > 0 ? 1 : 0);
          }
          r0 += R;
        }
      }
      if (N === 8 * blocks) return;
      // Views are made here, after any heap growth, and dropped at once.
      const heap = new Float32Array(memory.buffer);
      const a0 = a.offset >>> 2;
      const b0 = b.offset >>> 2;
      const c0 = c.offset >>> 2;
      for (let m = 0; m < M; m++) {
        for (let n = 8 * blocks; n < N; n++) {
          let s = 0;
          for (let k = 0; k < K; k++) s += heap[a0 + k * a.stride + m] * heap[b0 + k * b.stride + n];
          const at = c0 + m * c.stride + n;
          heap[at] = accumulate ? heap[at] + s : s;
        }
      }
    },
  };
  built.set(memory, kernel);
  return kernel;
}
