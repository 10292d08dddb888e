// fused-adam.ts's loop in WebAssembly SIMD (four float32 lanes), emitted at run time on the tfjs heap like
// simd-gemm.ts. In JS every step of the formula is a float64 operation rounded to float32, three divisions and a
// square root among them: about 7 ms a step over SincPD's 1.17 M parameters. f32x4 division and square root are
// IEEE float32 operations, correctly rounded like tfjs's own kernels, so the weights stay bit for bit tf.train.adam's.
import { encodeModule, F32, I32, op, V128, type FunctionSpec } from '../../../../src-shared/wasm/encoder';
import type { WasmMemory } from './simd-gemm';

/** tfjs's float32 tensors are only 4-byte aligned on the wasm heap: the vector loads say so (log2 4 = 2). */
const F32_ALIGN = 2;

interface WasmApi {
  Module: new (bytes: Uint8Array<ArrayBuffer>) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
}
const WasmJs = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/**
 * adam(w, wOut, m, v, g, groups, β1, β2, 1 − β1, 1 − β2, 1 − β1^t, 1 − β2^t, −lr, ε), pointers in bytes, over
 * groups × 4 values: m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g·g; wOut ← (m/c1)/(√(v/c2) + ε)·(−lr) + w.
 */
function adamFunction(): FunctionSpec {
  const [W, WOUT, M, V, G, GROUPS] = [0, 1, 2, 3, 4, 5];
  const firstScalar = 6; // β1, β2, 1 − β1, 1 − β2, c1, c2, −lr, ε
  const splat = (k: number) => 14 + k; // their f32x4 splats
  const [GI, MI, VI] = [22, 23, 24];
  const [B1, B2, OMB1, OMB2, C1, C2, NLR, EPS] = [0, 1, 2, 3, 4, 5, 6, 7].map(splat);
  const body: number[] = [];
  const emit = (...parts: number[][]) => { for (const p of parts) body.push(...p); };
  for (let k = 0; k < 8; k++) emit(op.get(firstScalar + k), op.f32x4Splat(), op.set(splat(k)));
  emit(op.block(), op.loop());
  emit(op.get(GROUPS), op.i32Eqz(), op.brIf(1));
  emit(op.get(G), op.v128Load(0, F32_ALIGN), op.set(GI));
  // m and v, each product and sum rounded to float32 as tf.train.adam's mul and add kernels round them.
  emit(op.get(M), op.v128Load(0, F32_ALIGN), op.get(B1), op.f32x4Mul(), op.get(GI), op.get(OMB1), op.f32x4Mul(), op.f32x4Add(), op.set(MI));
  emit(op.get(V), op.v128Load(0, F32_ALIGN), op.get(B2), op.f32x4Mul(), op.get(GI), op.get(GI), op.f32x4Mul(), op.get(OMB2), op.f32x4Mul(), op.f32x4Add(), op.set(VI));
  emit(op.get(M), op.get(MI), op.v128Store(0, F32_ALIGN), op.get(V), op.get(VI), op.v128Store(0, F32_ALIGN));
  emit(op.get(WOUT));
  emit(op.get(MI), op.get(C1), op.f32x4Div());
  emit(op.get(VI), op.get(C2), op.f32x4Div(), op.f32x4Sqrt(), op.get(EPS), op.f32x4Add());
  emit(op.f32x4Div(), op.get(NLR), op.f32x4Mul(), op.get(W), op.v128Load(0, F32_ALIGN), op.f32x4Add(), op.v128Store(0, F32_ALIGN));
  for (const p of [W, WOUT, M, V, G]) emit(op.get(p), op.i32Const(16), op.i32Add(), op.set(p));
  emit(op.get(GROUPS), op.i32Const(1), op.i32Sub(), op.set(GROUPS));
  emit(op.br(0), op.end(), op.end());
  return { exportName: 'adam', params: [...new Array<number>(6).fill(I32), ...new Array<number>(8).fill(F32)], locals: new Array<number>(11).fill(V128), body };
}

export type SimdAdamFn = (w: number, wOut: number, m: number, v: number, g: number, groups: number,
  beta1: number, beta2: number, oneMinusBeta1: number, oneMinusBeta2: number, correction1: number, correction2: number, negativeLearningRate: number, epsilon: number) => void;

const built = new WeakMap<WasmMemory, SimdAdamFn>();

/** The kernel instantiated on `memory` (once per memory). Throws where WebAssembly SIMD is missing. */
export function simdAdamOn(memory: WasmMemory): SimdAdamFn {
  const cached = built.get(memory);
  if (cached) return cached;
  const instance = new WasmJs.Instance(new WasmJs.Module(encodeModule([adamFunction()])), { env: { memory } });
  const fn = instance.exports.adam as SimdAdamFn;
  built.set(memory, fn);
  return fn;
}

/** The kernel on a wasm backend's own heap, or null where the heap or WebAssembly SIMD is not reachable (JS loop then). */
export function simdAdamFor(backend: { wasm: { HEAPF32: Float32Array } }): SimdAdamFn | null {
  const memory = (backend.wasm as unknown as { asm?: { memory?: WasmMemory } }).asm?.memory;
  if (!memory || memory.buffer !== backend.wasm.HEAPF32.buffer) return null;
  try {
    return simdAdamOn(memory);
  } catch {
    return null;
  }
}
