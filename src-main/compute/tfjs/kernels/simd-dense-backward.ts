// A dense layer's backward pass and its SGD update in one sweep over the weight, in WebAssembly SIMD emitted at
// run time (src-shared/wasm/encoder.ts) on the tfjs wasm heap. For W (M × N, row-major), the gradient dz (R × N)
// of the layer's pre-activations for R ≤ 5 batch rows and per-row coefficients u (M × R):
//   W'[i][n] = Wsrc[i][n] + Σ_r u[i][r] · dz[r][n]     the scaled SGD step, with u = −η·s·aᵀ (a: the layer's input)
//   dA[r][i] = Σ_n dz[r][n] · W[i][n]                   the input's gradient, from the weight before the step
//
// Why: at batch 5 a dense step is bound by passes over the weight, not by arithmetic. tfjs's composition makes
// five of them for a hidden layer (dy·Wᵀ reads W, xᵀ·dy writes G, G·ηs reads G and writes T, W − T reads two and
// writes one, besides the forward); here one read and one write. The gradient G is never materialised.
// Each row of W is read once; the R rows of dz (≤ 20 KB for N = 1024) stay in L1, interleaved by the caller's
// packing so that one pointer with constant offsets reaches all R of them.
import { encodeModule, I32, op, V128, type FunctionSpec } from '../../../../src-shared/wasm/encoder';
import type { WasmMemory } from './simd-gemm';

/** tfjs's float32 tensors are only 4-byte aligned on the wasm heap: the vector loads say so (log2 4 = 2). */
const F32_ALIGN = 2;

/** Batch rows per sweep: 5 accumulators + 5 splatted coefficients + 4 temporaries fit x64's 16 SIMD registers. */
export const MAX_SWEEP_ROWS = 5;

type Mode = 'update' | 'updateAndDx' | 'updateAndDxShared';

/**
 * sweep(w, wSrc, wDst, packed, u, dA, ldA, rows, blocks, ldw), pointers and strides in bytes; blocks of 4 columns.
 * `update`: no dA; `updateAndDx`: dA from w, update from wSrc; `updateAndDxShared`: wSrc is w, read once.
 */
function sweepRows(R: number, mode: Mode): FunctionSpec {
  const [W, WSRC, WDST, PACKED, U, DA, LDA, ROWS, BLOCKS, LDW] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [I, J, PW, PS, PD, PZ] = [10, 11, 12, 13, 14, 15];
  const firstV = 16;
  const ACC = (r: number) => firstV + r;
  const US = (r: number) => firstV + R + r;
  const WV = firstV + 2 * R;
  const WU = WV + 1;
  const D = WV + 2;
  const G = WV + 3;
  const dx = mode !== 'update';
  const body: number[] = [];
  const emit = (...parts: number[][]) => { for (const p of parts) body.push(...p); };
  emit(op.get(ROWS), op.set(I));
  emit(op.block(), op.loop());
  emit(op.get(I), op.i32Eqz(), op.brIf(1));
  for (let r = 0; r < R; r++) emit(op.get(U), op.f32Load(4 * r), op.f32x4Splat(), op.set(US(r)));
  if (dx) for (let r = 0; r < R; r++) emit(op.f32Const0(), op.f32x4Splat(), op.set(ACC(r)));
  emit(op.get(W), op.set(PW), op.get(WSRC), op.set(PS), op.get(WDST), op.set(PD), op.get(PACKED), op.set(PZ), op.get(BLOCKS), op.set(J));
  emit(op.block(), op.loop());
  emit(op.get(J), op.i32Eqz(), op.brIf(1));
  if (mode === 'updateAndDxShared') {
    emit(op.get(PW), op.v128Load(0, F32_ALIGN), op.set(WV), op.get(WV), op.set(WU));
  } else {
    if (dx) emit(op.get(PW), op.v128Load(0, F32_ALIGN), op.set(WV));
    emit(op.get(PS), op.v128Load(0, F32_ALIGN), op.set(WU));
  }
  // The step Σ_r u_r·dz_r is summed apart and added to the weight once: added row by row, each row's share
  // would be rounded to the weight's ulp (about 1e-4 of a step's size here), five roundings instead of one.
  for (let r = 0; r < R; r++) {
    emit(op.get(PZ), op.v128Load(16 * r, F32_ALIGN), op.set(D));
    if (dx) emit(op.get(ACC(r)), op.get(D), op.get(WV), op.f32x4Mul(), op.f32x4Add(), op.set(ACC(r)));
    if (r === 0) emit(op.get(US(r)), op.get(D), op.f32x4Mul(), op.set(G));
    else emit(op.get(G), op.get(US(r)), op.get(D), op.f32x4Mul(), op.f32x4Add(), op.set(G));
  }
  emit(op.get(PD), op.get(WU), op.get(G), op.f32x4Add(), op.v128Store(0, F32_ALIGN));
  if (dx) emit(op.get(PW), op.i32Const(16), op.i32Add(), op.set(PW));
  if (mode === 'updateAndDx' || mode === 'update') emit(op.get(PS), op.i32Const(16), op.i32Add(), op.set(PS));
  emit(op.get(PD), op.i32Const(16), op.i32Add(), op.set(PD));
  emit(op.get(PZ), op.i32Const(16 * R), op.i32Add(), op.set(PZ));
  emit(op.get(J), op.i32Const(1), op.i32Sub(), op.set(J));
  emit(op.br(0), op.end(), op.end());
  if (dx) {
    for (let r = 0; r < R; r++) {
      // dA + r·ldA ← the four lanes' sum
      emit(op.get(DA), op.get(LDA), op.i32Const(r), op.i32Mul(), op.i32Add());
      emit(op.get(ACC(r)), op.f32x4ExtractLane(0), op.get(ACC(r)), op.f32x4ExtractLane(1), op.f32Add());
      emit(op.get(ACC(r)), op.f32x4ExtractLane(2), op.get(ACC(r)), op.f32x4ExtractLane(3), op.f32Add(), op.f32Add());
      emit(op.f32Store(0));
    }
    emit(op.get(DA), op.i32Const(4), op.i32Add(), op.set(DA));
  }
  for (const p of [W, WSRC, WDST]) emit(op.get(p), op.get(LDW), op.i32Add(), op.set(p));
  emit(op.get(U), op.i32Const(4 * R), op.i32Add(), op.set(U));
  emit(op.get(I), op.i32Const(1), op.i32Sub(), op.set(I));
  emit(op.br(0), op.end(), op.end());
  return {
    exportName: `sweep${R}${mode}`,
    params: new Array<number>(10).fill(I32),
    locals: [...new Array<number>(6).fill(I32), ...new Array<number>(2 * R + 4).fill(V128)],
    body,
  };
}

type SweepFn = (w: number, wSrc: number, wDst: number, packed: number, u: number, dA: number, ldA: number, rows: number, blocks: number, ldw: number) => void;

/** Byte offsets on the kernel's memory; every array is float32, row-major and dense. */
export interface DenseSweep {
  /** W, M × N: the weight before the step (dA is computed from it). */
  w: number;
  /** Where the update starts from (W itself, or W' when an earlier sweep of the same step wrote it). */
  wSrc: number;
  /** W', M × N; may be wSrc (in place), must not overlap w unless it is w. */
  wDst: number;
  M: number;
  N: number;
  /** R × N. */
  dz: number;
  R: number;
  /** Scratch of R × 4·⌈N/4⌉ floats for dz interleaved by blocks of 4 columns. */
  packed: number;
  /** M × R. */
  u: number;
  /** R rows of dA, row stride ldA floats (≥ M), or null where the input's gradient is not needed. */
  dA: number | null;
  ldA: number;
}

export interface SimdDenseBackward {
  sweep(s: DenseSweep): void;
}

const built = new WeakMap<WasmMemory, SimdDenseBackward>();

/** The kernel instantiated on `memory` (once per memory). Throws where WebAssembly SIMD is missing. */
export function simdDenseBackwardOn(memory: WasmMemory): SimdDenseBackward {
  const cached = built.get(memory);
  if (cached) return cached;
  const modes: Mode[] = ['update', 'updateAndDx', 'updateAndDxShared'];
  const specs = modes.flatMap((mode) => Array.from({ length: MAX_SWEEP_ROWS }, (_, r) => sweepRows(r + 1, mode)));
  const WasmJs = (globalThis as unknown as { WebAssembly: { Module: new (b: Uint8Array<ArrayBuffer>) => object; Instance: new (m: object, i: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> } } }).WebAssembly;
  const instance = new WasmJs.Instance(new WasmJs.Module(encodeModule(specs)), { env: { memory } });
  const fn = (R: number, mode: Mode) => instance.exports[`sweep${R}${mode}`] as SweepFn;
  const kernel: SimdDenseBackward = {
    sweep(s) {
      const { M, N, R } = s;
      if (!(R >= 1 && R <= MAX_SWEEP_ROWS)) throw new RangeError(`dense sweep: ${R} batch rows, 1–${MAX_SWEEP_ROWS} per sweep`);
      const blocks = N >>> 2;
      const heap = new Float32Array(memory.buffer);
      const dz0 = s.dz >>> 2;
      const p0 = s.packed >>> 2;
      for (let j = 0; j < blocks; j++) {
        for (let r = 0; r < R; r++) {
          const from = dz0 + r * N + 4 * j;
          const to = p0 + (j * R + r) * 4;
          heap[to] = heap[from]; heap[to + 1] = heap[from + 1]; heap[to + 2] = heap[from + 2]; heap[to + 3] = heap[from + 3];
        }
      }
      const mode: Mode = s.dA === null ? 'update' : s.wSrc === s.w ? 'updateAndDxShared' : 'updateAndDx';
      if (blocks === 0 && s.dA !== null) for (let r = 0; r < R; r++) heap.fill(0, (s.dA >>> 2) + r * s.ldA, (s.dA >>> 2) + r * s.ldA + M);
      if (blocks > 0) fn(R, mode)(s.w, s.wSrc, s.wDst, s.packed, s.u, s.dA ?? 0, 4 * s.ldA, M, blocks, 4 * N);
      if (N === 4 * blocks) return;
      // Columns past the last block of 4, in JS, in the same order of operations.
      const w0 = s.w >>> 2;
      const src0 = s.wSrc >>> 2;
      const dst0 = s.wDst >>> 2;
      const u0 = s.u >>> 2;
      const a0 = s.dA === null ? -1 : s.dA >>> 2;
      for (let i = 0; i < M; i++) {
        for (let n = 4 * blocks; n < N; n++) {
          const w = heap[w0 + i * N + n];
          let step = 0;
          for (let r = 0; r < R; r++) {
            const d = heap[dz0 + r * N + n];
            if (a0 >= 0) heap[a0 + r * s.ldA + i] = Math.fround(heap[a0 + r * s.ldA + i] + Math.fround(d * w));
            step = Math.fround(step + Math.fround(heap[u0 + i * R + r] * d));
          }
          heap[dst0 + i * N + n] = heap[src0 + i * N + n] + step;
        }
      }
    },
  };
  built.set(memory, kernel);
  return kernel;
}
