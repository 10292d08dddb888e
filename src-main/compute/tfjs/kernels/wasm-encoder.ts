// Just enough of the WebAssembly binary format (core spec §5, SIMD proposal opcodes) to emit GaitLab's
// hand-written kernels at run time, without a compiler toolchain on the user's machine.

export const I32 = 0x7f;
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

function name(s: string): number[] {
  const bytes = [...Buffer.from(s, 'utf8')];
  return [...uleb(bytes.length), ...bytes];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

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
  f32Const0: () => [0x43, 0, 0, 0, 0],
  /** f32.load with a constant byte offset; alignment hint 4 bytes. */
  f32Load: (offset = 0) => [0x2a, 2, ...uleb(offset)],
  v128Load: (offset = 0) => [0xfd, ...uleb(0x00), 2, ...uleb(offset)],
  v128Store: (offset = 0) => [0xfd, ...uleb(0x0b), 2, ...uleb(offset)],
  f32x4Splat: () => [0xfd, ...uleb(0x13)],
  f32x4Add: () => [0xfd, ...uleb(0xe4)],
  f32x4Mul: () => [0xfd, ...uleb(0xe6)],
};

export interface FunctionSpec {
  exportName: string;
  params: number[];
  /** Extra locals, after the parameters, by type. */
  locals: number[];
  body: number[];
}

/** A module that imports its memory as env.memory (to work on another module's heap) and exports functions. */
export function encodeModule(functions: FunctionSpec[]): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...uleb(0)]);
  const imports = vec([[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(1)]]);
  const funcs = vec(functions.map((_, i) => uleb(i)));
  const exports = vec(functions.map((f, i) => [...name(f.exportName), 0x00, ...uleb(i)]));
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
    ...section(7, exports),
    ...section(10, codes),
  ]);
}
