// Just enough of the WebAssembly binary format (core spec §5, fixed-width SIMD opcodes) to emit GaitLab's
// hand-written kernels at run time, with no toolchain on the user's machine: the tfjs float32 kernels
// (src-main/compute/tfjs/kernels) and LRP's float64 product (src-shared/lrp/gemm.ts). Pure, no Node APIs, so the
// same module runs in main, workers and the renderer.

export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

/** ASCII names only (export and import names here are ours). */
function name(s: string): number[] {
  return [...uleb(s.length), ...Array.from(s, (ch) => ch.charCodeAt(0))];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

const simd = (code: number, ...rest: number[]) => [0xfd, ...uleb(code), ...rest];

/** Instructions, by the names of the text format. */
export const op = {
  block: () => [0x02, 0x40],
  if: () => [0x04, 0x40],
  loop: () => [0x03, 0x40],
  end: () => [0x0b],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  i32Const: (v: number) => [0x41, ...sleb(v)],
  i32Eqz: () => [0x45],
  i32Add: () => [0x6a],
  i32Sub: () => [0x6b],
  i32Mul: () => [0x6c],
  i32And: () => [0x71],
  i32ShrU: () => [0x76],
  /** i32.load / f64.load / f64.store with a constant byte offset (natural alignment hints). */
  i32Load: (offset = 0) => [0x28, 2, ...uleb(offset)],
  f64Load: (offset = 0) => [0x2b, 3, ...uleb(offset)],
  f64Store: (offset = 0) => [0x39, 3, ...uleb(offset)],
  f64Add: () => [0xa0],
  f32Const0: () => [0x43, 0, 0, 0, 0],
  /** f32.load with a constant byte offset; alignment hint 4 bytes. */
  f32Load: (offset = 0) => [0x2a, 2, ...uleb(offset)],
  /** f32.store with a constant byte offset; alignment hint 4 bytes. */
  f32Store: (offset = 0) => [0x38, 2, ...uleb(offset)],
  f32Add: () => [0x92],
  /** v128.load / store with a constant byte offset; the alignment hint is log2 bytes (a hint only: 16 by default). */
  v128Load: (offset = 0, alignLog2 = 4) => simd(0x00, alignLog2, ...uleb(offset)),
  v128Store: (offset = 0, alignLog2 = 4) => simd(0x0b, alignLog2, ...uleb(offset)),
  /** One double loaded into both lanes; alignment hint 8 bytes. */
  v128Load64Splat: (offset = 0) => simd(0x0a, 3, ...uleb(offset)),
  v128Zero: () => simd(0x0c, ...new Array<number>(16).fill(0)),
  f32x4Splat: () => simd(0x13),
  f32x4ExtractLane: (lane: number) => simd(0x1f, lane),
  f32x4Add: () => simd(0xe4),
  f32x4Mul: () => simd(0xe6),
  f32x4Div: () => simd(0xe7),
  f32x4Sqrt: () => simd(0xe3),
};

export const f64x2 = {
  add: () => simd(0xf0),
  mul: () => simd(0xf2),
};

export interface FunctionSpec {
  exportName: string;
  params: number[];
  /** Extra locals, after the parameters, by type. */
  locals: number[];
  body: number[];
}

/** A module that imports its memory as env.memory and exports the given functions (no results). */
export function encodeModule(functions: FunctionSpec[]): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...uleb(0)]);
  const imports = vec([[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(1)]]);
  const funcs = vec(functions.map((_, i) => uleb(i)));
  const exportSection = vec(functions.map((f, i) => [...name(f.exportName), 0x00, ...uleb(i)]));
  const codes = vec(
    functions.map((f) => {
      const locals = vec(f.locals.map((t) => [...uleb(1), t]));
      const body = [...locals, ...f.body, ...op.end()];
      return [...uleb(body.length), ...body];
    }),
  );
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, imports),
    ...section(3, funcs),
    ...section(7, exportSection),
    ...section(10, codes),
  ]);
}
