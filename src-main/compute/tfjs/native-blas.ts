// The optional native tier: OpenBLAS through GaitLab's own N-API add-on (native/gaitlab-blas.c, built by
// `npm run build:blas` where a C compiler, OpenBLAS and Node's headers exist). It computes GaitLab's wasm kernels'
// matrix products in place on the wasm heap; everything else stays on the portable wasm tier.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { oneLine } from './optional-module';

export interface NativeBlas {
  sgemm(memory: ArrayBuffer, transA: boolean, transB: boolean, M: number, N: number, K: number, aOffset: number, lda: number, bOffset: number, ldb: number, cOffset: number, ldc: number, beta: number): void;
  setThreads(n: number): void;
  threads(): number;
  describe(): string;
}

export type NativeBlasLoad = { loaded: true; blas: NativeBlas; file: string } | { loaded: false; reason: string };

/** The project root (the folder whose package.json is GaitLab's), from the sources or from dist/. */
function projectRoot(): string | null {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'gaitlab') return dir;
      } catch {
        // not ours; keep looking upwards
      }
    }
    if (path.dirname(dir) === dir) return null;
  }
}

/** The add-on's file: $GAITLAB_NATIVE_BLAS, else .native/gaitlab-blas.node in the project. */
export function nativeBlasFile(): string | null {
  if (process.env.GAITLAB_NATIVE_BLAS) return path.resolve(process.env.GAITLAB_NATIVE_BLAS);
  const root = projectRoot();
  return root ? path.join(root, '.native', 'gaitlab-blas.node') : null;
}

const loads = new Map<string, NativeBlasLoad>();

/** Loads the add-on once per file; a missing one is "not built (optional)", never an error. One thread, as PyTorch is compared with. */
export function loadNativeBlas(file = nativeBlasFile()): NativeBlasLoad {
  if (!file || !existsSync(file)) return { loaded: false, reason: 'not built (optional: npm run build:blas)' };
  const known = loads.get(file);
  if (known) return known;
  let load: NativeBlasLoad;
  try {
    const blas = require(file) as NativeBlas;
    blas.setThreads(1);
    load = { loaded: true, blas, file };
  } catch (e) {
    load = { loaded: false, reason: `failed to load ${file}: ${oneLine(e)}` };
  }
  loads.set(file, load);
  return load;
}
