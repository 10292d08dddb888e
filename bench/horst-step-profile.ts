// npm run bench:horst-step — where one SGD step of MLP(3, 1024) at batch 5 (C = 6, K = 194, the paper's rule)
// spends its time on GaitLab's CPU tier: the tfjs composition (sgdStepComposed: tfjs ops and autograd) and the fused
// dense step (sgdStep), rounds alternating. Per variant: wall ms per step (median of rounds), tfjs kernel dispatches
// per step, the kernels' times (tf.profile), bytes of tensors allocated per step, garbage collections; for the
// fused step its phases (onDenseStepPhase). Prints figures; asserts nothing.
import { loadavg } from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs';
import { initialWeights, modelPlan } from '../src-shared/methods/horst/architectures';
import { normalStream, uniformStream } from '../src-shared/methods/horst/random';
import { initTfjsBackend } from '../src-main/compute/tfjs/backend';
import { onDenseStepPhase } from '../src-main/compute/tfjs/kernels/dense-sgd-step';
import { createVariables } from '../src-main/methods/horst/network';
import { sgdStep, sgdStepComposed } from '../src-main/methods/horst/train-network';

const C = 6;
const K = 194;
const kind = 'mlp3-1024';
const plan = modelPlan(kind, C, K);
const load = () => loadavg().map((v) => v.toFixed(2)).join(' ');
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

type Step = typeof sgdStep;
const variants: Array<[string, Step]> = [['tfjs composition', sgdStepComposed], ['fused dense step', sgdStep]];

function setup() {
  const vars = createVariables(plan, initialWeights(plan, normalStream(1, 'init', kind)));
  const uniform = uniformStream(2, 'bench');
  const x = tf.tensor2d(Float32Array.from({ length: 5 * C * 101 }, () => 2 * uniform() - 1), [5, C * 101]);
  const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4], 'int32'), K).toFloat() as tf.Tensor2D;
  return { vars, x, y, dispose: () => tf.dispose([x, y, ...vars.flatMap((v) => [v.weight, v.bias])]) };
}

async function main(): Promise<void> {
  const choice = await initTfjsBackend();
  console.log(`one SGD step of ${kind} at batch 5 (C = ${C}, K = ${K}) on tfjs ${choice.tier}; load average ${load()}`);
  const { vars, x, y, dispose } = setup();
  for (const [, step] of variants) for (let i = 0; i < 20; i++) step(plan, vars, x, y, 5e-3);

  const walls: Record<string, number[]> = Object.fromEntries(variants.map(([name]) => [name, []]));
  for (let round = 0; round < 7; round++) {
    for (const [name, step] of variants) {
      const t0 = performance.now();
      for (let i = 0; i < 100; i++) step(plan, vars, x, y, 5e-3);
      vars[0].weight.dataSync();
      walls[name].push((performance.now() - t0) / 100);
    }
  }

  for (const [name, step] of variants) {
    const steps = 50;
    const profile = await tf.profile(() => { for (let i = 0; i < steps; i++) step(plan, vars, x, y, 5e-3); });
    const byKernel = new Map<string, { calls: number; ms: number }>();
    let allocated = 0;
    for (const k of profile.kernels) {
      const key = `${k.name} ${JSON.stringify(k.inputShapes)}`;
      const entry = byKernel.get(key) ?? { calls: 0, ms: 0 };
      entry.calls++;
      entry.ms += k.kernelTimeMs as number;
      byKernel.set(key, entry);
      // Identity and Reshape share their input's memory on wasm; every other output is a new allocation.
      if (k.name !== 'Identity' && k.name !== 'Reshape') for (const shape of k.outputShapes) allocated += 4 * shape.reduce((a, b) => a * b, 1);
    }
    let gcs = 0;
    let gcMs = 0;
    const observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) { gcs++; gcMs += e.duration; } });
    observer.observe({ entryTypes: ['gc'] });
    for (let i = 0; i < 300; i++) step(plan, vars, x, y, 5e-3);
    vars[0].weight.dataSync();
    await new Promise((resolve) => setImmediate(resolve));
    observer.disconnect();
    console.log(`\n${name}: ${median(walls[name]).toFixed(3)} ms per step (median of 7 rounds of 100, alternating; ${(5000 / median(walls[name])).toFixed(0)} samples/s), ` +
      `${profile.kernels.length / steps} tfjs kernel dispatches per step, ${(allocated / steps / 2 ** 20).toFixed(1)} MiB of tensors allocated per step, ` +
      `${gcs} garbage collections (${gcMs.toFixed(1)} ms) in 300 steps`);
    console.log('  kernels under tf.profile (its timing adds per-kernel overhead), ms per step:');
    for (const [key, e] of [...byKernel.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 14)) {
      console.log(`    ${(e.ms / steps).toFixed(3).padStart(7)}  ×${String(e.calls / steps).padEnd(2)} ${key}`);
    }
  }

  const phases = new Map<string, number>();
  let last = 0;
  onDenseStepPhase((phase) => { const now = performance.now(); phases.set(phase, (phases.get(phase) ?? 0) + now - last); last = now; });
  const steps = 300;
  for (let i = 0; i < steps; i++) { last = performance.now(); sgdStep(plan, vars, x, y, 5e-3); }
  onDenseStepPhase(null);
  console.log(`\nfused dense step by phase, ms per step over ${steps} steps (products: forward x·W per layer; sweeps: W′ and dA per layer):`);
  for (const [phase, ms] of phases) console.log(`    ${(ms / steps).toFixed(3).padStart(7)}  ${phase}`);
  console.log(`  [load ${load()}]`);
  dispose();
}

main().catch((e) => { console.error(e); process.exit(1); });
