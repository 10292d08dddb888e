// Float64 matrix products for LRP (spec §5.1.6: float64, GaitLab's own): C = A·B with A packed in panels of
// ROWS rows (k-major inside a panel) and B in panels of COLS columns, both on one heap, so the inner kernel reads
// each operand contiguously. The kernel keeps a ROWS × COLS tile of C in registers while k runs, and is emitted
// at run time as WebAssembly SIMD (f64x2: two doubles per lane op), with a plain-JS kernel of exactly the same
// arithmetic where WebAssembly SIMD is missing. Every C element is 0 + a₀b₀ + a₁b₁ + … in ascending k, one
// rounded multiply and one rounded add per term in both kernels (no fused multiply-add), so a row's result does
// not depend on which other rows share its panel: a batch gives each sample the bits it gets alone. Beside the
// kernel, two WebAssembly loops copy a convolution's windows into A (im2col) and add C back over them (col2im).
import { f64x2, I32 as i32, op, encodeModule, V128 as v128 } from '../wasm/encoder';

/** Rows of A per panel (tile height). */
export const ROWS = 4;
/** Columns of B per panel (tile width: two f64x2 vectors). */
export const COLS = 4;
const VECS = COLS / 2;

type KernelFn = (a: number, b: number, c: number, k: number, rowPanels: number, colPanels: number, ldc: number) => void;

/**
 * gemm(a, b, c, K, rowPanels, colPanels, ldc), pointers and ldc in bytes: for each B panel, for each A panel,
 * C tile = Σ_k A[k][0..ROWS) ⊗ B[k][0..COLS). A panels follow each other (K·ROWS doubles each), so do B's.
 */
function kernelBody(): number[] {
  const [A, B, C, K, ROWP, COLP, LDC] = [0, 1, 2, 3, 4, 5, 6];
  const [CP, BP, CC, RP, PA, CROW, KK, PB] = [7, 8, 9, 10, 11, 12, 13, 14];
  const ACC = (r: number, j: number) => 15 + r * VECS + j;
  const BV = (j: number) => 15 + ROWS * VECS + j;
  const S = 15 + ROWS * VECS + VECS;
  const body: number[] = [];
  const emit = (...parts: number[][]) => { for (const p of parts) body.push(...p); };
  emit(op.get(B), op.set(BP), op.get(C), op.set(CC), op.get(COLP), op.set(CP));
  emit(op.block(), op.loop(), op.get(CP), op.i32Eqz(), op.brIf(1));
  emit(op.get(A), op.set(PA), op.get(CC), op.set(CROW), op.get(ROWP), op.set(RP));
  emit(op.block(), op.loop(), op.get(RP), op.i32Eqz(), op.brIf(1));
  for (let r = 0; r < ROWS; r++) for (let j = 0; j < VECS; j++) emit(op.v128Zero(), op.set(ACC(r, j)));
  emit(op.get(BP), op.set(PB), op.get(K), op.set(KK));
  emit(op.block(), op.loop(), op.get(KK), op.i32Eqz(), op.brIf(1));
  for (let j = 0; j < VECS; j++) emit(op.get(PB), op.v128Load(16 * j), op.set(BV(j)));
  for (let r = 0; r < ROWS; r++) {
    emit(op.get(PA), op.v128Load64Splat(8 * r), op.set(S));
    for (let j = 0; j < VECS; j++) emit(op.get(ACC(r, j)), op.get(S), op.get(BV(j)), f64x2.mul(), f64x2.add(), op.set(ACC(r, j)));
  }
  emit(op.get(PA), op.i32Const(8 * ROWS), op.i32Add(), op.set(PA));
  emit(op.get(PB), op.i32Const(8 * COLS), op.i32Add(), op.set(PB));
  emit(op.get(KK), op.i32Const(1), op.i32Sub(), op.set(KK), op.br(0), op.end(), op.end());
  for (let r = 0; r < ROWS; r++) {
    for (let j = 0; j < VECS; j++) emit(op.get(CROW), op.get(ACC(r, j)), op.v128Store(16 * j));
    emit(op.get(CROW), op.get(LDC), op.i32Add(), op.set(CROW));
  }
  emit(op.get(RP), op.i32Const(1), op.i32Sub(), op.set(RP), op.br(0), op.end(), op.end());
  emit(op.get(BP), op.get(K), op.i32Const(8 * COLS), op.i32Mul(), op.i32Add(), op.set(BP));
  emit(op.get(CC), op.i32Const(8 * COLS), op.i32Add(), op.set(CC));
  emit(op.get(CP), op.i32Const(1), op.i32Sub(), op.set(CP), op.br(0), op.end(), op.end());
  return body;
}

/**
 * Window copies around the product, so a convolution's im2col and col2im run as tight loops too:
 * gather(x, table, a, rows, kh, span, pitch, K) copies row m's window (kh runs of span doubles, pitch bytes apart,
 * from x + table[m]) into A's panel layout; scatter(c, ldc, table, g, rows, kh, span, pitch) adds row m of C
 * back over its window in g, rows in ascending order (the order the JS loops use, so the sums are the same).
 */
function windowBody(scatter: boolean): number[] {
  // gather(x, a, table, K, rows, kh, span, pitch); scatter(c, ldc, table, g, rows, kh, span, pitch).
  const [P0, P1, TABLE, P3, ROWS_, KH, SPAN, PITCH] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [M, SRC, DST, KY, KK, BASE] = [8, 9, 10, 11, 12, 13];
  const body: number[] = [];
  const emit = (...parts: number[][]) => { for (const p of parts) body.push(...p); };
  emit(op.i32Const(0), op.set(M));
  emit(op.block(), op.loop(), op.get(M), op.get(ROWS_), op.i32Sub(), op.i32Eqz(), op.brIf(1));
  // BASE = the window's first byte: table[m] past x (gather) or g (scatter).
  emit(op.get(TABLE), op.get(M), op.i32Const(4), op.i32Mul(), op.i32Add(), op.i32Load(0), op.get(scatter ? P3 : P0), op.i32Add(), op.set(BASE));
  if (scatter) emit(op.get(P0), op.get(M), op.get(P1), op.i32Mul(), op.i32Add(), op.set(SRC)); // c + m·ldc
  else {
    // a + (m / ROWS)·K·ROWS·8 + (m mod ROWS)·8 (ROWS = 4)
    emit(op.get(P1), op.get(M), op.i32Const(2), op.i32ShrU(), op.get(P3), op.i32Const(8 * ROWS), op.i32Mul(), op.i32Mul(), op.i32Add());
    emit(op.get(M), op.i32Const(ROWS - 1), op.i32And(), op.i32Const(8), op.i32Mul(), op.i32Add(), op.set(DST));
  }
  emit(op.i32Const(0), op.set(KY));
  emit(op.block(), op.loop(), op.get(KY), op.get(KH), op.i32Sub(), op.i32Eqz(), op.brIf(1));
  emit(op.get(BASE), op.get(KY), op.get(PITCH), op.i32Mul(), op.i32Add(), op.set(scatter ? DST : SRC));
  emit(op.get(SPAN), op.set(KK));
  emit(op.block(), op.loop(), op.get(KK), op.i32Eqz(), op.brIf(1));
  if (scatter) emit(op.get(DST), op.get(DST), op.f64Load(0), op.get(SRC), op.f64Load(0), op.f64Add(), op.f64Store(0));
  else emit(op.get(DST), op.get(SRC), op.f64Load(0), op.f64Store(0));
  emit(op.get(SRC), op.i32Const(8), op.i32Add(), op.set(SRC));
  emit(op.get(DST), op.i32Const(scatter ? 8 : 8 * ROWS), op.i32Add(), op.set(DST));
  emit(op.get(KK), op.i32Const(1), op.i32Sub(), op.set(KK), op.br(0), op.end(), op.end());
  emit(op.get(KY), op.i32Const(1), op.i32Add(), op.set(KY), op.br(0), op.end(), op.end());
  emit(op.get(M), op.i32Const(1), op.i32Add(), op.set(M), op.br(0), op.end(), op.end());
  return body;
}

type WindowFn = (p0: number, p1: number, table: number, p3: number, rows: number, kh: number, span: number, pitch: number) => void;

/** gather and scatter in JS, the same copies and the same additions in the same order. */
function jsWindows(heap: () => Float64Array, ints: () => Int32Array): { gather: WindowFn; scatter: WindowFn } {
  return {
    gather(x, a, table, K, rows, kh, span, pitch) {
      const h = heap();
      const t = ints();
      for (let m = 0; m < rows; m++) {
        const base = (x + t[table / 4 + m]) / 8;
        let dst = a / 8 + Math.floor(m / ROWS) * K * ROWS + (m % ROWS);
        for (let ky = 0; ky < kh; ky++) {
          const src = base + (ky * pitch) / 8;
          for (let k = 0; k < span; k++, dst += ROWS) h[dst] = h[src + k];
        }
      }
    },
    scatter(c, ldc, table, g, rows, kh, span, pitch) {
      const h = heap();
      const t = ints();
      for (let m = 0; m < rows; m++) {
        const base = (g + t[table / 4 + m]) / 8;
        let src = (c + m * ldc) / 8;
        for (let ky = 0; ky < kh; ky++) {
          const dst = base + (ky * pitch) / 8;
          for (let k = 0; k < span; k++, src++) h[dst + k] += h[src];
        }
      }
    },
  };
}

/** The same products in JS, term for term in the same order (the fallback, and the reference the tests use). */
function jsKernel(heap: () => Float64Array): KernelFn {
  return (a, b, c, K, rowPanels, colPanels, ldc) => {
    const h = heap();
    const ldcD = ldc / 8;
    const acc = new Float64Array(ROWS * COLS);
    for (let cp = 0; cp < colPanels; cp++) {
      const bp = b / 8 + cp * K * COLS;
      for (let rp = 0; rp < rowPanels; rp++) {
        const pa = a / 8 + rp * K * ROWS;
        acc.fill(0);
        for (let k = 0; k < K; k++) {
          for (let r = 0; r < ROWS; r++) {
            const s = h[pa + k * ROWS + r];
            for (let j = 0; j < COLS; j++) acc[r * COLS + j] += s * h[bp + k * COLS + j];
          }
        }
        const c0 = c / 8 + rp * ROWS * ldcD + cp * COLS;
        for (let r = 0; r < ROWS; r++) for (let j = 0; j < COLS; j++) h[c0 + r * ldcD + j] = acc[r * COLS + j];
      }
    }
  };
}

interface WasmMemoryLike { readonly buffer: ArrayBuffer; grow(pages: number): number }
interface WasmApi {
  Memory: new (descriptor: { initial: number }) => WasmMemoryLike;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
}
const PAGE = 65536;

/** Growable memory for the JS kernel: an ArrayBuffer copied into a bigger one. */
class PlainMemory implements WasmMemoryLike {
  buffer = new ArrayBuffer(PAGE);
  grow(pages: number): number {
    const old = this.buffer;
    this.buffer = new ArrayBuffer(old.byteLength + pages * PAGE);
    new Uint8Array(this.buffer).set(new Uint8Array(old));
    return old.byteLength / PAGE;
  }
}

export type KernelKind = 'wasm-simd' | 'js';

/** Which part of a product GemmHeap.multiplyDense may skip (see there). */
export type GemmShape = 'full' | 'lowerA' | 'upperA' | 'lowerC';

/**
 * One heap per kernel kind: packed weights stay resident between calls (keyed by the weight array and its
 * layout, like the other per-weight caches of lrp/), scratch sits above them and is dropped after each product.
 */
export class GemmHeap {
  private view: Float64Array;
  private top = 0;
  private weightsTop = 0;
  // Weak keys: a model that is dropped does not stay alive through its packed copy (its heap space comes back
  // at the next reset).
  private resident = new WeakMap<Float64Array, Map<string, number>>();

  private ints32: Int32Array;

  private constructor(private readonly memory: WasmMemoryLike, private readonly kernel: KernelFn, private readonly windows: { gather: WindowFn; scatter: WindowFn }, readonly kind: KernelKind) {
    this.ints32 = new Int32Array(memory.buffer);
    this.view = new Float64Array(memory.buffer);
  }

  static create(kind: KernelKind): GemmHeap {
    const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
    if (kind === 'wasm-simd') {
      if (!api) throw new Error('WebAssembly is not available');
      const memory = new api.Memory({ initial: 16 });
      const windowSpec = (exportName: string, scatter: boolean) => ({ exportName, params: new Array<number>(8).fill(i32), locals: new Array<number>(6).fill(i32), body: windowBody(scatter) });
      const module = new api.Module(encodeModule([
        { exportName: 'gemm', params: new Array<number>(7).fill(i32), locals: [...new Array<number>(8).fill(i32), ...new Array<number>(ROWS * VECS + VECS + 1).fill(v128)], body: kernelBody() },
        windowSpec('gather', false), windowSpec('scatter', true),
      ]));
      const instance = new api.Instance(module, { env: { memory } });
      const e = instance.exports;
      return new GemmHeap(memory, e.gemm as KernelFn, { gather: e.gather as WindowFn, scatter: e.scatter as WindowFn }, kind);
    }
    let heap: GemmHeap | null = null;
    const memory = new PlainMemory();
    heap = new GemmHeap(memory, jsKernel(() => heap!.f64()), jsWindows(() => heap!.f64(), () => heap!.i32()), kind);
    return heap;
  }

  /** The heap as doubles; a fresh view after any growth. */
  f64(): Float64Array {
    if (this.view.buffer !== this.memory.buffer) this.view = new Float64Array(this.memory.buffer);
    return this.view;
  }

  /** The heap as 32-bit integers (window tables); a fresh view after any growth. */
  i32(): Int32Array {
    if (this.ints32.buffer !== this.memory.buffer) this.ints32 = new Int32Array(this.memory.buffer);
    return this.ints32;
  }

  /** Byte offset of `doubles` new doubles (16-byte aligned), growing the memory where needed. */
  alloc(doubles: number): number {
    const at = (this.top + 15) & ~15;
    const end = at + doubles * 8;
    if (end > this.memory.buffer.byteLength) this.memory.grow(Math.ceil((end - this.memory.buffer.byteLength) / PAGE));
    this.top = end;
    return at;
  }

  /**
   * B (K × N, B[k][n] = at(k, n)) packed in COLS-column panels, kept on the heap for the weight array `key` and
   * layout `layout` until resident weights pass `maxResidentBytes` (then all are dropped and packed again).
   */
  residentB(key: Float64Array, layout: string, K: number, N: number, at: (k: number, n: number) => number): number {
    const known = this.resident.get(key)?.get(layout);
    if (known !== undefined) return known;
    const panels = Math.ceil(N / COLS);
    if (this.weightsTop + panels * K * COLS * 8 > MAX_RESIDENT_BYTES) {
      this.resident = new WeakMap();
      this.weightsTop = 0;
    }
    this.top = this.weightsTop;
    const offset = this.alloc(panels * K * COLS);
    this.weightsTop = this.top;
    const h = this.f64();
    const base = offset / 8;
    for (let p = 0; p < panels; p++) {
      for (let k = 0; k < K; k++) {
        const o = base + (p * K + k) * COLS;
        for (let j = 0; j < COLS; j++) {
          const n = p * COLS + j;
          h[o + j] = n < N ? at(k, n) : 0;
        }
      }
    }
    let byLayout = this.resident.get(key);
    if (!byLayout) this.resident.set(key, (byLayout = new Map()));
    byLayout.set(layout, offset);
    return offset;
  }

  /**
   * C = A·B for M rows: `fillRow(m, heap, index, stride)` writes row m of A (K values) at heap[index + k·stride];
   * `b` is a residentB offset for N columns. Returns C as a new row-major [M][N] array.
   */
  multiply(M: number, K: number, N: number, b: number, fillRow: RowFiller): Float64Array {
    const out = new Float64Array(M * N);
    if (M === 0 || N === 0 || K === 0) return out;
    const { view, offset, ldc } = this.multiplyOnHeap(M, K, N, b, fillRow);
    if (ldc === N) out.set(view.subarray(offset, offset + M * N));
    else for (let m = 0; m < M; m++) out.set(view.subarray(offset + m * ldc, offset + m * ldc + N), m * N);
    return out;
  }

  /**
   * The same product left on the heap: C[m][n] = view[offset + m·ldc + n] (for M, N, K ≥ 1), valid until the
   * heap's next use, for a caller that reads C once (a convolution's col2im) and needs no copy of it.
   */
  multiplyOnHeap(M: number, K: number, N: number, b: number, fillRow: RowFiller): { view: Float64Array; offset: number; ldc: number } {
    this.top = this.weightsTop;
    return this.product(M, K, N, b, (a) => {
      const h = this.f64();
      const a0 = a / 8;
      for (let m = 0; m < M; m++) fillRow(m, h, a0 + Math.floor(m / ROWS) * K * ROWS + (m % ROWS), ROWS);
    });
  }

  /**
   * C = A·B with B (K × N) packed as scratch for this one product (nothing kept resident): B[k][n] =
   * b[k·bRow + n·bCol], so B or a transposed Bᵀ is read in place. For the hierarchical GP's per-node products,
   * whose right operand changes every call. `shape` skips work known to be zero or unwanted, tile by tile:
   * 'lowerA' (A[i][k] = 0 for k > i) and 'upperA' (A[i][k] = 0 for k < i) shorten each row panel's k range to
   * where its rows can be non-zero (the skipped terms are exact zeros, so C has the bits of the full product);
   * 'lowerC' computes only the tiles that hold an entry on or below the diagonal (C[i][j], j ≤ i; the others
   * are left 0). Returns C as a new row-major [M][N] array.
   */
  multiplyDense(M: number, K: number, N: number, fillRow: RowFiller, b: Float64Array, bRow: number, bCol: number, shape: GemmShape = 'full'): Float64Array {
    const out = new Float64Array(M * N);
    if (M === 0 || N === 0 || K === 0) return out;
    this.top = this.weightsTop;
    const colPanels = Math.ceil(N / COLS);
    const bAt = this.alloc(colPanels * K * COLS);
    const h = this.f64();
    let o = bAt / 8;
    for (let p = 0; p < colPanels; p++) {
      const n0 = p * COLS;
      const full = n0 + COLS <= N;
      for (let k = 0; k < K; k++, o += COLS) {
        const base = k * bRow + n0 * bCol;
        if (full) for (let j = 0; j < COLS; j++) h[o + j] = b[base + j * bCol];
        else for (let j = 0; j < COLS; j++) h[o + j] = n0 + j < N ? b[base + j * bCol] : 0;
      }
    }
    const fillA = (a: number) => {
      const v = this.f64();
      const a0 = a / 8;
      for (let m = 0; m < M; m++) fillRow(m, v, a0 + Math.floor(m / ROWS) * K * ROWS + (m % ROWS), ROWS);
    };
    let view: Float64Array, c: number, ldc: number;
    if (shape === 'full') ({ view, offset: c, ldc } = this.product(M, K, N, bAt, fillA));
    else {
      const rowPanels = Math.ceil(M / ROWS);
      ldc = colPanels * COLS;
      const a = this.alloc(rowPanels * K * ROWS);
      const cAt = this.alloc(rowPanels * ROWS * ldc);
      fillA(a);
      view = this.f64();
      const a0 = a / 8;
      for (let m = M; m < rowPanels * ROWS; m++) {
        const base = a0 + Math.floor(m / ROWS) * K * ROWS + (m % ROWS);
        for (let k = 0; k < K; k++) view[base + k * ROWS] = 0;
      }
      c = cAt / 8;
      view.fill(0, c, c + rowPanels * ROWS * ldc);
      for (let r = 0; r < rowPanels; r++) {
        const k0 = shape === 'upperA' ? Math.min(K, r * ROWS) : 0;
        const k1 = shape === 'lowerA' ? Math.min(K, (r + 1) * ROWS) : K;
        const lastPanel = shape === 'lowerC' ? Math.min(colPanels - 1, Math.floor((r * ROWS + ROWS - 1) / COLS)) : colPanels - 1;
        if (k1 <= k0) continue;
        const aPanel = a + (r * K + k0) * ROWS * 8, cRow = cAt + r * ROWS * ldc * 8;
        // One call per tile: the kernel steps from one B panel to the next by its K, here shortened.
        for (let p = 0; p <= lastPanel; p++) this.kernel(aPanel, bAt + (p * K + k0) * COLS * 8, cRow + p * COLS * 8, k1 - k0, 1, 1, ldc * 8);
      }
      view = this.f64();
    }
    if (ldc === N) out.set(view.subarray(c, c + M * N));
    else for (let m = 0; m < M; m++) out.set(view.subarray(c + m * ldc, c + m * ldc + N), m * N);
    return out;
  }

  /**
   * A convolution's product without an im2col in JS: row m of A is the window of x made of `runs` runs of
   * `span` values, `pitch` values apart, from x[starts[m]]; returns C as a new [M][N] array.
   */
  multiplyWindows(x: Float64Array, starts: Int32Array, runs: number, span: number, pitch: number, K: number, N: number, b: number): Float64Array {
    const M = starts.length;
    const out = new Float64Array(M * N);
    if (M === 0 || N === 0 || K === 0) return out;
    const { view, offset, ldc } = this.windowsOnHeap(x, starts, runs, span, pitch, K, N, b);
    if (ldc === N) out.set(view.subarray(offset, offset + M * N));
    else for (let m = 0; m < M; m++) out.set(view.subarray(offset + m * ldc, offset + m * ldc + N), m * N);
    return out;
  }

  /** multiplyWindows with C left on the heap, as multiplyOnHeap leaves it (M, N, K ≥ 1). */
  windowsOnHeap(x: Float64Array, starts: Int32Array, runs: number, span: number, pitch: number, K: number, N: number, b: number): { view: Float64Array; offset: number; ldc: number } {
    const M = starts.length;
    this.top = this.weightsTop;
    const xAt = this.alloc(x.length);
    const table = this.alloc(Math.ceil(M / 2));
    this.f64().set(x, xAt / 8);
    const t = this.i32();
    for (let m = 0; m < M; m++) t[table / 4 + m] = starts[m] * 8;
    return this.product(M, K, N, b, (a) => this.windows.gather(xAt, a, table, K, M, runs, span, pitch * 8));
  }

  /**
   * col2im of a product left on the heap by multiplyOnHeap (C at `offset`, row pitch ldc doubles): g, of
   * `length` values, gets row m of C added over the window at starts[m] (runs × span, pitch apart), rows in order.
   */
  scatterWindows(offset: number, ldc: number, starts: Int32Array, runs: number, span: number, pitch: number, length: number): Float64Array {
    const M = starts.length;
    const g = this.alloc(length);
    const table = this.alloc(Math.ceil(M / 2));
    this.f64().fill(0, g / 8, g / 8 + length);
    const t = this.i32();
    for (let m = 0; m < M; m++) t[table / 4 + m] = starts[m] * 8;
    this.windows.scatter(offset * 8, ldc * 8, table, g, M, runs, span, pitch * 8);
    return this.f64().slice(g / 8, g / 8 + length);
  }

  /** Allocates A and C above what is allocated now, lets `fillA` write A's rows, zeroes its padding rows, runs the kernel. */
  private product(M: number, K: number, N: number, b: number, fillA: (a: number) => void): { view: Float64Array; offset: number; ldc: number } {
    const rowPanels = Math.ceil(M / ROWS);
    const colPanels = Math.ceil(N / COLS);
    const ldc = colPanels * COLS;
    const a = this.alloc(rowPanels * K * ROWS);
    const c = this.alloc(rowPanels * ROWS * ldc);
    fillA(a);
    const h = this.f64();
    const a0 = a / 8;
    for (let m = M; m < rowPanels * ROWS; m++) {
      const base = a0 + Math.floor(m / ROWS) * K * ROWS + (m % ROWS);
      for (let k = 0; k < K; k++) h[base + k * ROWS] = 0;
    }
    // Row blocks whose A panels fit in about 256 KB (the per-core L2 holds them while every B panel passes).
    const blockPanels = Math.max(1, Math.floor(BLOCK_BYTES / (K * ROWS * 8)));
    for (let p = 0; p < rowPanels; p += blockPanels) {
      const n = Math.min(blockPanels, rowPanels - p);
      this.kernel(a + p * K * ROWS * 8, b, c + p * ROWS * ldc * 8, K, n, colPanels, ldc * 8);
    }
    return { view: this.f64(), offset: c / 8, ldc };
  }
}

/** Writes row m of A (K values) at heap[index + k·stride]. */
export type RowFiller = (m: number, heap: Float64Array, index: number, stride: number) => void;

const MAX_RESIDENT_BYTES = 256 * 1024 * 1024;
const BLOCK_BYTES = 256 * 1024;

const heaps = new Map<KernelKind, GemmHeap>();
let preferred: KernelKind | null = null;
/** Why the WebAssembly SIMD kernel could not be made, where it could not (doctor reports it). */
let simdFailure: string | null = null;

/** The heap of the fastest kernel this engine runs (WebAssembly SIMD, else JS), or of the kind asked for. */
export function gemmHeap(kind?: KernelKind): GemmHeap {
  if (!kind) {
    if (!preferred) {
      try {
        heaps.set('wasm-simd', GemmHeap.create('wasm-simd'));
        preferred = 'wasm-simd';
      } catch (e) {
        preferred = 'js';
        simdFailure = (e as Error).message;
      }
    }
    kind = preferred;
  }
  let heap = heaps.get(kind);
  if (!heap) heaps.set(kind, (heap = GemmHeap.create(kind)));
  return heap;
}

/** Which kernel LRP's products use unless told otherwise (tests and benchmarks name it with the figures). */
let forced: KernelKind | undefined;
export function useKernel(kind: KernelKind | undefined): void { forced = kind; }
export function activeHeap(): GemmHeap { return gemmHeap(forced); }

/** The kernel LRP's products run on here, and why not WebAssembly SIMD where they fall back to JS. */
export function lrpKernelStatus(): { kernel: KernelKind; reason?: string } {
  const kind = gemmHeap().kind;
  return kind === 'wasm-simd' ? { kernel: kind } : { kernel: kind, reason: simdFailure ?? 'not chosen' };
}
