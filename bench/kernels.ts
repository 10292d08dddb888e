// npm run bench:kernels — GaitLab's best CPU tier against PyTorch CPU (1 thread) in the same run:
// matMul 512 × 512, a conv1d layer [5, 101, 6] → 32 × 7 and a dense net 606 → 1024 → 194 at batch 5, each a
// training step (forward, loss, gradients of every weight). Prints figures; asserts nothing about speed.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend, type TierName } from '../src-main/compute/tfjs/backend';
import { conv1dStep, denseStep, makeConvProblem, makeDenseProblem } from './kernels-workloads';

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

function measureTier(order: TierName[]): Promise<{ tier: string; matmul: number; conv: number; dense: number }> {
  return initTfjsBackend({ order }).then((choice) => {
    const a = tf.randomNormal([512, 512]);
    const b = tf.randomNormal([512, 512]);
    const matmul = timed(() => tf.tidy(() => { tf.matMul(a, b).dataSync(); }), seconds);
    tf.dispose([a, b]);
    const conv = makeConvProblem();
    const convS = timed(() => conv1dStep(conv), seconds);
    tf.dispose(Object.values(conv));
    const dense = makeDenseProblem();
    const denseS = timed(() => denseStep(dense), seconds);
    tf.dispose(Object.values(dense));
    return { tier: `${choice.tier} (${choice.tiers.at(-1)?.detail})`, matmul, conv: convS, dense: denseS };
  });
}

async function main(): Promise<void> {
  const batch = 5;
  // Both sides in the same run, PyTorch between two GaitLab measurements so drift in machine load shows.
  const gaitlab = await measureTier(['tfjs-node', 'wasm']);
  const torch = runTorch();
  const cpu = process.env.BENCH_CPU === '0' ? null : await measureTier(['cpu']);
  console.log(`GaitLab best CPU tier: ${gaitlab.tier}`);
  if (typeof torch === 'string') console.log(`PyTorch: not measured (${torch})`);
  else console.log(`PyTorch ${torch.torch}, ${torch.threads} thread`);
  const rows: [string, number, number | undefined, number | undefined, string][] = [
    ['matMul 512×512 (GFLOP/s)', (2 * 512 ** 3) / gaitlab.matmul / 1e9, cpu ? (2 * 512 ** 3) / cpu.matmul / 1e9 : undefined, typeof torch === 'string' ? undefined : (2 * 512 ** 3) / torch.matmul512_s / 1e9, ''],
    ['conv1d step (samples/s)', batch / gaitlab.conv, cpu ? batch / cpu.conv : undefined, typeof torch === 'string' ? undefined : batch / torch.conv_step_s, ''],
    ['dense step (samples/s)', batch / gaitlab.dense, cpu ? batch / cpu.dense : undefined, typeof torch === 'string' ? undefined : batch / torch.dense_step_s, ''],
  ];
  const fmt = (v: number | undefined) => (v === undefined ? '—' : v >= 100 ? v.toFixed(0) : v.toFixed(1));
  console.log(['workload'.padEnd(26), 'GaitLab'.padStart(9), 'tfjs-cpu'.padStart(9), 'PyTorch'.padStart(9), 'GaitLab/PyTorch'.padStart(16)].join(' '));
  for (const [name, g, c, t] of rows) {
    console.log([name.padEnd(26), fmt(g).padStart(9), fmt(c).padStart(9), fmt(t).padStart(9), (t ? `${(g / t).toFixed(2)}×` : '—').padStart(16)].join(' '));
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
