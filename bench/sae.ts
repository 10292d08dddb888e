// npm run bench:sae — training samples/s of the baseline SAE 675 → 100 at batch 32 (the full training loop of
// src-main/methods/sae/train.ts: gather, loss, gradients, Adam, per-batch loss check) on each tfjs tier GaitLab
// has here, against the same model in PyTorch CPU with one thread, in the same run; then akin-gait retrieval
// time per query over 100,000 and 1,000,000 subject codes (exact float32 cosine search). Prints figures only.
// On a shared machine the load changes from second to second, so PyTorch and GaitLab epochs alternate (PyTorch
// runs as one child process driven over stdin) and the ratio is the median of the per-round ratios
// (BENCH_SAE_ROUNDS rounds, default 5), printed with the load average.
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { initTfjsBackend, type TierName } from '../src-main/compute/tfjs/backend';
import { trainSae, DEFAULT_TRAIN_OPTIONS } from '../src-main/methods/sae/train';
import { seededNormal, seededRandom } from '../src-shared/random';
import { buildLatentIndex, nearestSubjects } from '../src-shared/sae/akin-retrieval';

const ROWS = Number(process.env.BENCH_SAE_ROWS ?? 3200);
const DIM = 675;
const K = 100;
const ROUNDS = Number(process.env.BENCH_SAE_ROUNDS ?? 5);

/** PyTorch as a child: `epoch()` runs one epoch there and resolves with its seconds. */
async function startTorch(): Promise<{ version: string; threads: number; epoch(): Promise<number>; stop(): void } | string> {
  const child = spawn('/usr/bin/python3', [path.join(__dirname, 'sae_torch.py'), String(ROWS), String(DIM), String(K)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const r = await lines.next();
    if (r.done) throw new Error(stderr.trim().split('\n').pop() || 'PyTorch exited');
    return JSON.parse(r.value);
  };
  try {
    const hello = await next();
    return {
      version: hello.torch, threads: hello.threads,
      async epoch() { child.stdin.write('epoch\n'); return (await next()).seconds; },
      stop() { child.stdin.end(); },
    };
  } catch (e) {
    child.kill();
    return (e as Error).message;
  }
}

async function gaitlabEpochSeconds(x: Float32Array, seed: number): Promise<number> {
  const all = Array.from({ length: ROWS }, (_, i) => i);
  const t0 = performance.now();
  await trainSae({ x, rows: ROWS, dim: DIM, train: all, validation: [] }, { ...DEFAULT_TRAIN_OPTIONS, kind: 'sae', maxEpochs: 1, earlyStopping: null, seed });
  return (performance.now() - t0) / 1000;
}

function retrievalMs(n: number): number {
  const random = seededRandom(5);
  // Sparse non-negative codes like a ReLU SAE's: ~10 % of features active.
  const codes = Float32Array.from({ length: n * K }, () => (random() < 0.1 ? random() * 3 : 0));
  const subjects = Array.from({ length: n }, (_, i) => `S${i}`);
  const index = buildLatentIndex({ subjects, codes, k: K });
  const queries = 20;
  const q = seededNormal(9);
  nearestSubjects(index, Float32Array.from({ length: K }, () => Math.abs(q())), 10, 'S0');
  const times: number[] = [];
  for (let i = 0; i < queries; i++) {
    const query = Float32Array.from({ length: K }, () => Math.abs(q()));
    const t0 = performance.now();
    nearestSubjects(index, query, 10, `S${i}`);
    times.push(performance.now() - t0);
  }
  return median(times);
}

const median = (v: number[]) => { const s = [...v].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const load = () => loadavg().map((v) => v.toFixed(2)).join(' ');

async function main(): Promise<void> {
  const normal = seededNormal(1);
  const x = Float32Array.from({ length: ROWS * DIM }, () => normal());
  console.log(`SAE ${DIM} → ${K}, batch 32, ${ROWS} samples per epoch; ${ROUNDS} rounds, each one PyTorch epoch then one GaitLab epoch; load average ${load()}`);
  const torch = await startTorch();
  if (typeof torch === 'string') console.log(`  PyTorch: not available (${torch})`);
  for (const tier of ['tfjs-node', 'wasm-blas', 'wasm', 'cpu'] as TierName[]) {
    const choice = await initTfjsBackend({ order: [tier] }).catch(() => null);
    if (!choice || choice.tier !== tier) { console.log(`  ${tier}: not available here`); continue; }
    // The pure-JS cpu tier is a fallback 50-100× slower: one round is enough to place it.
    const rounds = tier === 'cpu' ? 1 : ROUNDS;
    await gaitlabEpochSeconds(x, 0); // warm-up: kernels compiled, buffers allocated
    const ours: number[] = [], theirs: number[] = [], ratios: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const t = typeof torch === 'string' ? NaN : await torch.epoch();
      const g = await gaitlabEpochSeconds(x, r + 1);
      ours.push(ROWS / g); theirs.push(ROWS / t); ratios.push(t / g);
    }
    const detail = `${choice.tier} (${choice.tiers.at(-1)?.detail})`;
    console.log(`  ${detail}: median ${median(ours).toFixed(0)} samples/s (rounds ${ours.map((v) => v.toFixed(0)).join(', ')})`);
    if (typeof torch !== 'string') {
      console.log(`    PyTorch ${torch.version} CPU, ${torch.threads} thread, alternating: median ${median(theirs).toFixed(0)} samples/s (rounds ${theirs.map((v) => v.toFixed(0)).join(', ')})`);
      console.log(`    RATIO ${tier} ÷ PyTorch: median ${median(ratios).toFixed(2)}× (rounds ${ratios.map((v) => v.toFixed(2)).join(', ')}); load average ${load()}`);
    }
  }
  if (typeof torch !== 'string') torch.stop();
  for (const n of [100_000, 1_000_000]) console.log(`akin retrieval, exact cosine over ${n.toLocaleString('en')} float32 codes (k = ${K}): median ${retrievalMs(n).toFixed(1)} ms per query (top 10, 20 queries); load average ${load()}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
