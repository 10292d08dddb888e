// npm run bench:sae — training samples/s of the baseline SAE 675 → 100 at batch 32 (the full training loop of
// src-main/methods/sae/train.ts: gather, loss, gradients, Adam, per-batch loss check) on each tfjs tier GaitLab
// has here, against the same model in PyTorch CPU with one thread, in the same run; then akin-gait retrieval
// time per query over 100,000 and 1,000,000 subject codes (exact float32 cosine search). Prints figures only.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { initTfjsBackend, type TierName } from '../src-main/compute/tfjs/backend';
import { trainSae, DEFAULT_TRAIN_OPTIONS } from '../src-main/methods/sae/train';
import { seededNormal, seededRandom } from '../src-shared/random';
import { buildLatentIndex, nearestSubjects } from '../src-shared/sae/akin-retrieval';

const ROWS = Number(process.env.BENCH_SAE_ROWS ?? 3200);
const DIM = 675;
const K = 100;
const EPOCHS = Number(process.env.BENCH_SAE_EPOCHS ?? 3);

function torchFigures(): { torch: string; threads: number; samples_per_s: number } | string {
  const r = spawnSync('/usr/bin/python3', [path.join(__dirname, 'sae_torch.py'), String(ROWS), String(DIM), String(K), String(EPOCHS)], { encoding: 'utf8' });
  if (r.status !== 0) return (r.stderr || r.error?.message || 'failed').trim().split('\n').pop() ?? 'failed';
  return JSON.parse(r.stdout);
}

async function tierSamplesPerS(tier: TierName, x: Float32Array): Promise<{ tier: string; samplesPerS: number } | null> {
  const choice = await initTfjsBackend({ order: [tier] }).catch(() => null);
  if (!choice || choice.tier !== tier) return null;
  const all = Array.from({ length: ROWS }, (_, i) => i);
  let best = Infinity;
  // One epoch per timed fit (best of EPOCHS), after a one-epoch warm-up, as the PyTorch side does.
  await trainSae({ x, rows: ROWS, dim: DIM, train: all, validation: [] }, { ...DEFAULT_TRAIN_OPTIONS, kind: 'sae', maxEpochs: 1, earlyStopping: null });
  for (let e = 0; e < EPOCHS; e++) {
    const t0 = performance.now();
    await trainSae({ x, rows: ROWS, dim: DIM, train: all, validation: [] }, { ...DEFAULT_TRAIN_OPTIONS, kind: 'sae', maxEpochs: 1, earlyStopping: null, seed: e });
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return { tier: `${choice.tier} (${choice.tiers.at(-1)?.detail})`, samplesPerS: ROWS / best };
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
  const t0 = performance.now();
  for (let i = 0; i < queries; i++) nearestSubjects(index, Float32Array.from({ length: K }, () => Math.abs(q())), 10, `S${i}`);
  return (performance.now() - t0) / queries;
}

async function main(): Promise<void> {
  const normal = seededNormal(1);
  const x = Float32Array.from({ length: ROWS * DIM }, () => normal());
  console.log(`SAE ${DIM} → ${K}, batch 32, ${ROWS} samples, best of ${EPOCHS} epochs`);
  const torch = torchFigures();
  const torchRate = typeof torch === 'string' ? null : torch.samples_per_s;
  console.log(typeof torch === 'string' ? `  PyTorch: not available (${torch})` : `  PyTorch ${torch.torch} CPU, ${torch.threads} thread: ${torch.samples_per_s.toFixed(0)} samples/s`);
  for (const tier of ['tfjs-node', 'wasm-blas', 'wasm', 'cpu'] as TierName[]) {
    const r = await tierSamplesPerS(tier, x);
    if (!r) { console.log(`  ${tier}: not available here`); continue; }
    console.log(`  ${r.tier}: ${r.samplesPerS.toFixed(0)} samples/s${torchRate ? ` (${(r.samplesPerS / torchRate).toFixed(2)} × PyTorch)` : ''}`);
  }
  for (const n of [100_000, 1_000_000]) console.log(`akin retrieval, exact cosine over ${n.toLocaleString('en')} float32 codes (k = ${K}): ${retrievalMs(n).toFixed(1)} ms per query (top 10)`);
}

main().catch((e) => { console.error(e); process.exit(1); });
