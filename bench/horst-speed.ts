// npm run bench:horst — LRP of 1,000 trials per Horst model kind (C = 6, K = 194, default composite and all-ε),
// as one batch in one thread (attributeBatch) and split over 2 threads (LrpThreads), wall time as the median of
// several runs with the load average beside it, and one trial at a time;
// and training throughput of the paper's rule at batch 5 (samples/s) for CNN-A and MLP(3, 1024) on the tfjs
// backend GaitLab chooses, against the same networks in PyTorch (bench/horst_torch.py, 1 thread) in alternating
// rounds of the same run (MLP also as the tfjs composition the fused dense step replaced). `--train-only` skips LRP.
// Prints figures; asserts nothing.
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { attribute, attributeBatch, DEFAULT_COMPOSITE, PAPER_FIGURES_COMPOSITE, parseComposite } from '../src-shared/lrp';
import { activeHeap } from '../src-shared/lrp/gemm';
import { LrpThreads } from '../src-main/methods/horst/lrp-threads';
import { HORST_MODEL_KINDS, initialWeights, lrpModel, modelPlan, type HorstModelKind } from '../src-shared/methods/horst/architectures';
import { normalStream, uniformStream } from '../src-shared/methods/horst/random';
import { initTfjsBackend } from '../src-main/compute/tfjs/backend';
import { createVariables } from '../src-main/methods/horst/network';
import { sgdStep, sgdStepComposed } from '../src-main/methods/horst/train-network';

const C = 6;
const K = 194;
const TRIALS = 1000;

const REPEATS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const load = () => loadavg().map((v) => v.toFixed(2)).join(' ');

async function lrpFigures(): Promise<void> {
  const uniform = uniformStream(1, 'bench');
  const inputs = Array.from({ length: TRIALS }, () => Float64Array.from({ length: C * 101 }, () => 2 * uniform() - 1));
  const block = new Float64Array(TRIALS * C * 101);
  inputs.forEach((x, i) => block.set(x, i * C * 101));
  const targets = Int32Array.from({ length: TRIALS }, (_, i) => i % K);
  const threads = new LrpThreads(2);
  await threads.warm();
  console.log(`LRP of ${TRIALS} trials (C = ${C}, K = ${K}), float64, kernel ${activeHeap().kind}, ${cpus().length} cores, load average ${load()}`);
  console.log(`  wall seconds, median of ${REPEATS}: 1 thread (attributeBatch) and 2 threads (LrpThreads: this thread + 1 worker); CPU s of the 1-thread run; one by one once`);
  for (const kind of HORST_MODEL_KINDS) {
    const plan = modelPlan(kind, C, K);
    const model = lrpModel(plan, initialWeights(plan, normalStream(1, 'bench', kind)));
    for (const text of [DEFAULT_COMPOSITE, PAPER_FIGURES_COMPOSITE]) {
      if (!kind.startsWith('cnn') && text === PAPER_FIGURES_COMPOSITE) continue; // same rules as the default
      const composite = parseComposite(text);
      const t0 = performance.now();
      for (let i = 0; i < TRIALS; i++) attribute(model, inputs[i], i % K, composite);
      const oneByOne = (performance.now() - t0) / 1000;
      // The way GaitLab explains a cohort (gaitlab explain --all): the trials of a run as one [B, …] block.
      const walls: number[] = [];
      const cpuTimes: number[] = [];
      for (let r = 0; r < REPEATS; r++) {
        const cpu1 = process.cpuUsage();
        const t1 = performance.now();
        attributeBatch(model, block, targets, composite);
        walls.push((performance.now() - t1) / 1000);
        // CPU time beside wall time: on a shared machine the wall clock also counts other processes' turns.
        cpuTimes.push(process.cpuUsage(cpu1).user / 1e6);
      }
      const threaded: number[] = [];
      for (let r = 0; r < REPEATS; r++) {
        const t2 = performance.now();
        await threads.attributeBatch(model, block, targets, composite.name);
        threaded.push((performance.now() - t2) / 1000);
      }
      const one = median(walls);
      const two = median(threaded);
      console.log(`  ${kind.padEnd(10)} ${composite.name.padEnd(44)} 1 thread ${one.toFixed(3)} s (${median(cpuTimes).toFixed(3)} s CPU), 2 threads ${two.toFixed(3)} s${Math.min(one, two) < 1 ? '' : ' (over 1 s)'}; one by one ${oneByOne.toFixed(2)} s  [load ${load()}]`);
    }
  }
  await threads.close();
}

/**
 * GaitLab's samples/s at batch 5 for one kind: 300 SGD steps of the paper's rule after 20 warm-up steps; `step` is
 * GaitLab's (the fused dense step where it applies) or the tfjs composition it replaced, for before/after figures.
 */
function gaitlabSamplesPerSecond(kind: HorstModelKind, step = sgdStep): number {
  const plan = modelPlan(kind, C, K);
  const vars = createVariables(plan, initialWeights(plan, normalStream(1, 'init', kind)));
  const uniform = uniformStream(2, 'bench');
  const x = tf.tensor2d(Float32Array.from({ length: 5 * C * 101 }, () => 2 * uniform() - 1), [5, C * 101]);
  const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4], 'int32'), K).toFloat() as tf.Tensor2D;
  for (let i = 0; i < 20; i++) step(plan, vars, x, y, 5e-3);
  const steps = 300;
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) step(plan, vars, x, y, 5e-3);
  vars[0].weight.dataSync();
  const seconds = (performance.now() - t0) / 1000;
  tf.dispose([x, y]);
  for (const v of vars) { v.weight.dispose(); v.bias.dispose(); }
  return (steps * 5) / seconds;
}

/** The same two networks in PyTorch, one thread (bench/horst_torch.py), or why not. */
function torchSamplesPerSecond(): Record<'cnn-a' | 'mlp3-1024', number> | string {
  const r = spawnSync('/usr/bin/python3', [join(__dirname, 'horst_torch.py')], { encoding: 'utf8' });
  if (r.status !== 0) return (r.stderr || r.error?.message || 'failed').trim().split('\n').pop() ?? 'failed';
  return JSON.parse(r.stdout) as Record<'cnn-a' | 'mlp3-1024', number>;
}

const ROUNDS = 3;

async function trainFigures(): Promise<void> {
  const choice = await initTfjsBackend();
  console.log(`training throughput at batch 5 (paper rule, one SGD step per batch), tfjs ${choice.tier} against PyTorch CPU 1 thread, ${ROUNDS} alternating rounds:`);
  // 'mlp3-1024 tfjs ops': the same step as a composition of tfjs ops (sgdStepComposed), as before the fused kernel.
  const rows = ['cnn-a', 'mlp3-1024', 'mlp3-1024 tfjs ops'] as const;
  const torchOf = (row: (typeof rows)[number]) => (row === 'cnn-a' ? 'cnn-a' : 'mlp3-1024');
  const ours: Record<string, number[]> = Object.fromEntries(rows.map((r) => [r, []]));
  const theirs: Record<string, number[]> = Object.fromEntries(rows.map((r) => [r, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const row of rows) ours[row].push(row === 'mlp3-1024 tfjs ops' ? gaitlabSamplesPerSecond('mlp3-1024', sgdStepComposed) : gaitlabSamplesPerSecond(row));
    const torch = torchSamplesPerSecond();
    if (typeof torch === 'string') { console.log(`  PyTorch not measured: ${torch}`); break; }
    for (const row of rows) theirs[row].push(torch[torchOf(row)]);
  }
  for (const row of rows) {
    const ratios = theirs[row].map((t, i) => ours[row][i] / t);
    const vsTorch = ratios.length ? `, PyTorch ${median(theirs[row]).toFixed(0)} samples/s, ratio ${median(ratios).toFixed(2)}× (median of the rounds' ratios)` : '';
    console.log(`  ${row.padEnd(18)} GaitLab ${median(ours[row]).toFixed(0)} samples/s${vsTorch}  [load ${load()}]`);
  }
}

(process.argv.includes('--train-only') ? trainFigures() : process.argv.includes('--lrp-only') ? lrpFigures() : lrpFigures().then(trainFigures)).catch((e) => { console.error(e); process.exit(1); });
