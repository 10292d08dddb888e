// npm run bench:kernels — GaitLab's CPU tiers (portable wasm; wasm + native OpenBLAS where `npm run build:blas`
// built it) against PyTorch CPU (1 thread) in the same run:
// matMul 512 × 512, a conv1d layer [5, 101, 6] → 32 × 7 and a dense net 606 → 1024 → 194 at batch 5, each a
// training step (forward, loss, gradients of every weight). Prints figures; asserts nothing about speed.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend, type TierName } from '../src-main/compute/tfjs/backend';
import { loadNativeBlas } from '../src-main/compute/tfjs/native-blas';
import { kernelFigures } from './kernels-micro';
import { conv1dFusedStep, conv1dStep, denseStep, makeConvProblem, makeDenseProblem } from './kernels-workloads';

const seconds = Number(process.env.BENCH_SECONDS ?? 1);

/** Seconds per call: best of 5 rounds after a warm-up (as bench/kernels_torch.py measures). */
function timed(step: () => void, minSeconds: number, rounds = 5): number {
  for (let i = 0; i < 20; i++) step();
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    let calls = 0;
    const start = performance.now();
    let elapsed = 0;
    do {
      step();
      calls++;
      elapsed = (performance.now() - start) / 1000;
    } while (elapsed < minSeconds / rounds);
    best = Math.min(best, elapsed / calls);
  }
  return best;
}

interface TorchFigures {
  torch: string;
  threads: number;
  matmul512_s: number;
  conv_step_s: number;
  dense_step_s: number;
}

function runTorch(): TorchFigures | string {
  const script = path.join(__dirname, 'kernels_torch.py');
  const r = spawnSync('/usr/bin/python3', [script, String(seconds)], { encoding: 'utf8' });
  if (r.status !== 0) return (r.stderr || r.error?.message || 'failed').trim().split('\n').pop() ?? 'failed';
  return JSON.parse(r.stdout) as TorchFigures;
}

interface TierFigures {
  tier: string;
  matmul: number;
  conv: number;
  convFused: number;
  dense: number;
}

async function measureTier(order: TierName[], minSeconds: number): Promise<TierFigures> {
  const choice = await initTfjsBackend({ order });
  const a = tf.randomNormal([512, 512]);
  const b = tf.randomNormal([512, 512]);
  const matmul = timed(() => tf.tidy(() => { tf.matMul(a, b).dataSync(); }), minSeconds);
  tf.dispose([a, b]);
  const conv = makeConvProblem();
  const convS = timed(() => conv1dStep(conv), minSeconds);
  const convFusedS = timed(() => conv1dFusedStep(conv), minSeconds);
  tf.dispose(Object.values(conv));
  const dense = makeDenseProblem();
  const denseS = timed(() => denseStep(dense), minSeconds);
  tf.dispose(Object.values(dense));
  return { tier: `${choice.tier} (${choice.tiers.at(-1)?.detail})`, matmul, conv: convS, convFused: convFusedS, dense: denseS };
}

function best<T extends object>(runs: T[], keys: (keyof T)[]): T {
  const out = { ...runs[0] };
  for (const k of keys) (out[k] as number) = Math.min(...runs.map((r) => r[k] as number));
  return out;
}

async function main(): Promise<void> {
  const batch = 5;
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const blas = loadNativeBlas();
  // GaitLab's tiers and PyTorch alternate, round after round, and each keeps its best: on a shared machine whose
  // load changes by the second, that is what compares them under the same conditions.
  const wasmRuns: TierFigures[] = [];
  const blasRuns: TierFigures[] = [];
  const torchRuns: TorchFigures[] = [];
  let torchError = '';
  for (let r = 0; r < rounds; r++) {
    wasmRuns.push(await measureTier(['wasm'], seconds));
    if (blas.loaded) blasRuns.push(await measureTier(['wasm-blas'], seconds));
    const t = runTorch();
    if (typeof t === 'string') torchError = t;
    else torchRuns.push(t);
  }
  const keys: (keyof TierFigures)[] = ['matmul', 'conv', 'convFused', 'dense'];
  const wasm = best(wasmRuns, keys);
  const native = blasRuns.length ? best(blasRuns, keys) : null;
  const torch = torchRuns.length ? best(torchRuns, ['matmul512_s', 'conv_step_s', 'dense_step_s']) : null;
  // The plain tfjs cpu backend, once and briefly, to show where GaitLab's tiers start from.
  const cpu = process.env.BENCH_CPU === '0' ? null : await measureTier(['cpu'], Math.min(seconds, 1));
  console.log(`portable tier: ${wasm.tier}`);
  console.log(`native tier: ${native ? native.tier : `not measured (native BLAS add-on ${blas.loaded ? '' : blas.reason})`}`);
  console.log(torch ? `PyTorch ${torch.torch}, ${torch.threads} thread` : `PyTorch: not measured (${torchError || 'failed'})`);
  console.log(`best of ${rounds} alternating rounds; training steps at batch ${batch} in samples/s, matMul in GFLOP/s`);
  const gflops = (s: number) => (2 * 512 ** 3) / s / 1e9;
  const perSample = (s: number) => batch / s;
  const rows: [string, (f: TierFigures) => number, number | undefined][] = [
    ['matMul 512×512', (f) => gflops(f.matmul), torch ? gflops(torch.matmul512_s) : undefined],
    ['conv1d step, tfjs ops', (f) => perSample(f.conv), torch ? perSample(torch.conv_step_s) : undefined],
    ['conv1d step, GaitLab op', (f) => perSample(f.convFused), torch ? perSample(torch.conv_step_s) : undefined],
    ['dense step', (f) => perSample(f.dense), torch ? perSample(torch.dense_step_s) : undefined],
  ];
  const fmt = (v: number | undefined) => (v === undefined ? '—' : v >= 100 ? v.toFixed(0) : v.toFixed(1));
  const ratio = (g: number | undefined, t: number | undefined) => (g === undefined || t === undefined ? '—' : `${(g / t).toFixed(2)}×`);
  const header = ['workload'.padEnd(24), 'wasm'.padStart(8), 'wasm+BLAS'.padStart(10), 'tfjs-cpu'.padStart(9), 'PyTorch'.padStart(8), 'wasm/PT'.padStart(8), 'BLAS/PT'.padStart(8)];
  console.log(header.join(' '));
  for (const [name, value, t] of rows) {
    const w = value(wasm);
    const n = native ? value(native) : undefined;
    const c = cpu ? value(cpu) : undefined;
    console.log([name.padEnd(24), fmt(w).padStart(8), fmt(n).padStart(10), fmt(c).padStart(9), fmt(t).padStart(8), ratio(w, t).padStart(8), ratio(n, t).padStart(8)].join(' '));
  }
  console.log('');
  for (const line of await kernelFigures()) console.log(line);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
