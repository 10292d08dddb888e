// Chooses and initialises the tfjs backend for GaitLab's models, and says what it chose and why.
// Order: tfjs-node-gpu (CUDA 11.2 / cuDNN 8.1) → tfjs-node (libtensorflow) → wasm with GaitLab's kernels over
// GaitLab's native OpenBLAS add-on (where `npm run build:blas` built it) → wasm with GaitLab's kernels → cpu.
// One model code runs on each of them: models use standard tfjs ops, and GaitLab's kernels only make some of
// those ops faster (or possible at all: wasm 4.22 has no Conv2DBackpropFilter) on wasm.
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerGaitlabKernels } from './kernels/register';
import { activeNativeBlas, useNativeBlas } from './kernels/wasm-kernel-api';
import { loadNativeBlas } from './native-blas';
import { loadOptional, oneLine } from './optional-module';

export type TierName = 'tfjs-node-gpu' | 'tfjs-node' | 'webgpu' | 'wasm-blas' | 'wasm' | 'cpu';

/** The order tried when nothing is asked for. WebGPU is tried only on request (see probeWebGpu). */
export const DEFAULT_TIER_ORDER: readonly TierName[] = ['tfjs-node-gpu', 'tfjs-node', 'wasm-blas', 'wasm', 'cpu'];

export interface TierStatus {
  tier: TierName;
  available: boolean;
  /** One line: "not installed (optional)", "no GPU adapter", "SIMD, 1 thread, GaitLab kernels: …". */
  detail: string;
}

export interface BackendChoice {
  tier: TierName;
  /** tf.getBackend() after the choice: 'tensorflow', 'webgpu', 'wasm' (also for wasm-blas) or 'cpu'. */
  backend: string;
  tfjsVersion: string;
  /** Kernels GaitLab registered on this backend (wasm only). */
  gaitlabKernels: string[];
  /** Every tier tried, in order, with why it was or was not taken. */
  tiers: TierStatus[];
}

/** The record a model stores with its results: which backend trained or ran it. */
export interface BackendRecord {
  tier: TierName;
  backend: string;
  tfjsVersion: string;
  gaitlabKernels: string[];
}

let current: BackendChoice | null = null;

/** The folder of the wasm binaries inside node_modules, so nothing is fetched over the network. */
export function wasmBinaryFolder(): string {
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + path.sep;
}

let wasmPathsSet = false;

async function tryWasm(tier: 'wasm' | 'wasm-blas' = 'wasm'): Promise<TierStatus & { kernels: string[] }> {
  // Only the wasm-blas tier routes products to the add-on; choosing plain wasm turns it off again.
  useNativeBlas(null);
  let blasDetail = '';
  if (tier === 'wasm-blas') {
    const load = loadNativeBlas();
    if (!load.loaded) return { tier, available: false, detail: `native BLAS add-on ${load.reason}`, kernels: [] };
    blasDetail = `, products on ${load.blas.describe().split(' ').slice(0, 2).join(' ')} (${load.blas.threads()} thread)`;
  }
  try {
    if (!wasmPathsSet) {
      setWasmPaths(wasmBinaryFolder());
      wasmPathsSet = true;
    }
    if (!(await tf.setBackend('wasm'))) return { tier, available: false, detail: 'failed to initialise', kernels: [] };
    const kernels = registerGaitlabKernels();
    if (tier === 'wasm-blas') {
      const load = loadNativeBlas();
      if (load.loaded) useNativeBlas(load.blas);
    }
    const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
    const threads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT');
    return {
      tier,
      available: true,
      detail: `${simd ? 'SIMD' : 'no SIMD'}, ${threads ? 'threads' : '1 thread'}, GaitLab kernels: ${kernels.join(', ')}${blasDetail}`,
      kernels,
    };
  } catch (e) {
    return { tier, available: false, detail: `failed to initialise: ${oneLine(e)}`, kernels: [] };
  }
}

/** tfjs-node and tfjs-node-gpu both register the backend 'tensorflow' when required. */
async function tryTensorflow(tier: 'tfjs-node-gpu' | 'tfjs-node', requireFn?: (id: string) => unknown): Promise<TierStatus> {
  const name = `@tensorflow/${tier}`;
  const load = loadOptional(name, requireFn);
  if (!load.loaded) return { tier, available: false, detail: load.reason };
  try {
    if (!(await tf.setBackend('tensorflow'))) return { tier, available: false, detail: 'installed, but its backend did not initialise' };
    return { tier, available: true, detail: `libtensorflow via ${name}` };
  } catch (e) {
    return { tier, available: false, detail: `installed, but failed to initialise: ${oneLine(e)}` };
  }
}

interface GpuLike {
  requestAdapter(): Promise<unknown>;
}

/**
 * WebGPU over the `webgpu` package (Dawn) for any vendor's GPU without CUDA. Both packages are optional; where
 * they are installed but no adapter exists (a server, a VM) it says "no GPU adapter" and steps aside.
 */
export async function probeWebGpu(requireFn?: (id: string) => unknown, select = false): Promise<TierStatus> {
  const dawn = loadOptional<{ create(flags: string[]): GpuLike; globals?: Record<string, unknown> }>('webgpu', requireFn);
  if (!dawn.loaded) return { tier: 'webgpu', available: false, detail: `webgpu (Dawn) ${dawn.reason}` };
  const backend = loadOptional('@tensorflow/tfjs-backend-webgpu', requireFn);
  if (!backend.loaded) return { tier: 'webgpu', available: false, detail: `@tensorflow/tfjs-backend-webgpu ${backend.reason}` };
  try {
    const gpu = dawn.module.create([]);
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { tier: 'webgpu', available: false, detail: 'no GPU adapter' };
    if (!select) return { tier: 'webgpu', available: true, detail: 'GPU adapter found (used only when asked for: GAITLAB_TFJS_BACKEND=webgpu)' };
    Object.assign(globalThis, dawn.module.globals ?? {});
    // tfjs-backend-webgpu looks for navigator.gpu, which Node (20) does not have.
    const g = globalThis as { navigator?: object };
    g.navigator ??= {};
    Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
    if (!(await tf.setBackend('webgpu'))) return { tier: 'webgpu', available: false, detail: 'adapter found, but the backend did not initialise' };
    return { tier: 'webgpu', available: true, detail: 'Dawn GPU adapter' };
  } catch (e) {
    return { tier: 'webgpu', available: false, detail: `failed: ${oneLine(e)}` };
  }
}

export interface InitOptions {
  /** Tiers to try, in order (default: $GAITLAB_TFJS_BACKEND, else DEFAULT_TIER_ORDER). */
  order?: readonly TierName[];
  /** Stands in for require when loading the optional packages (tests). */
  requireFn?: (id: string) => unknown;
}

function orderFromEnv(): readonly TierName[] | undefined {
  const wanted = process.env.GAITLAB_TFJS_BACKEND?.trim();
  if (!wanted) return undefined;
  const known: TierName[] = ['tfjs-node-gpu', 'tfjs-node', 'webgpu', 'wasm-blas', 'wasm', 'cpu'];
  if (!known.includes(wanted as TierName)) {
    throw new Error(`GAITLAB_TFJS_BACKEND: unknown backend "${wanted}" (expected one of ${known.join(', ')})`);
  }
  // The asked-for tier first; where it is missing, the portable wasm tier, then cpu, so a job still runs.
  if (wanted === 'cpu') return ['cpu'];
  if (wanted === 'wasm') return ['wasm', 'cpu'];
  return [wanted as TierName, 'wasm', 'cpu'];
}

/** Tries each tier in order and keeps the first that initialises; cpu always does. */
export async function initTfjsBackend(options: InitOptions = {}): Promise<BackendChoice> {
  const order = options.order ?? orderFromEnv() ?? DEFAULT_TIER_ORDER;
  const tiers: TierStatus[] = [];
  for (const tier of order) {
    let status: TierStatus;
    let kernels: string[] = [];
    if (tier === 'wasm' || tier === 'wasm-blas') {
      const wasm = await tryWasm(tier);
      kernels = wasm.kernels;
      status = { tier, available: wasm.available, detail: wasm.detail };
    } else if (tier === 'cpu') {
      useNativeBlas(null);
      status = (await tf.setBackend('cpu'))
        ? { tier, available: true, detail: 'pure JavaScript (slowest; always present)' }
        : { tier, available: false, detail: 'failed to initialise' };
    } else if (tier === 'webgpu') {
      status = await probeWebGpu(options.requireFn, true);
    } else {
      status = await tryTensorflow(tier, options.requireFn);
    }
    tiers.push(status);
    if (status.available) {
      await tf.ready();
      current = { tier, backend: tf.getBackend(), tfjsVersion: tf.version.tfjs, gaitlabKernels: kernels, tiers };
      return current;
    }
  }
  throw new Error(`no tfjs backend could be initialised: ${tiers.map((t) => `${t.tier}: ${t.detail}`).join('; ')}`);
}

/** What a model stores with its results. Throws when no backend was chosen yet (a programming error). */
export function backendRecord(): BackendRecord {
  if (!current || current.backend !== tf.getBackend()) {
    throw new Error('the tfjs backend was not chosen with initTfjsBackend (or was changed since)');
  }
  return { tier: current.tier, backend: current.backend, tfjsVersion: current.tfjsVersion, gaitlabKernels: [...current.gaitlabKernels] };
}

/**
 * The status of every tier without keeping any (for `gaitlab doctor`): optional packages are looked for, wasm is
 * initialised, and the backend in use before the call is restored.
 */
export async function probeTiers(requireFn?: (id: string) => unknown): Promise<TierStatus[]> {
  const before = tf.getBackend();
  const blasBefore = activeNativeBlas();
  const out: TierStatus[] = [];
  for (const tier of ['tfjs-node-gpu', 'tfjs-node'] as const) {
    const load = loadOptional(`@tensorflow/${tier}`, requireFn);
    out.push(load.loaded ? await tryTensorflow(tier, requireFn) : { tier, available: false, detail: load.reason });
  }
  out.push(await probeWebGpu(requireFn, false));
  const blas = loadNativeBlas();
  out.push(blas.loaded
    ? { tier: 'wasm-blas', available: true, detail: `native BLAS add-on ${blas.file}: ${blas.blas.describe()}` }
    : { tier: 'wasm-blas', available: false, detail: `native BLAS add-on ${blas.reason}` });
  const wasm = await tryWasm();
  out.push({ tier: 'wasm', available: wasm.available, detail: wasm.detail });
  out.push({ tier: 'cpu', available: true, detail: 'pure JavaScript (slowest; always present)' });
  if (before && before !== tf.getBackend()) await tf.setBackend(before);
  useNativeBlas(blasBefore);
  return out;
}
