// npm run bench:sincpd — training samples/s of the 100-filter binary SincPD network (methods-spec §3.3.4) at batch 32:
// the PyTorch CPU reference (bench/sincpd_torch.py, one thread) on the same real gaitpdb segments GaitLab builds
// (100 Hz grid, L − R differences, 10 s windows, training scaling), and GaitLab's own training of the same network
// on the tfjs tier it chooses for the CPU, in this same run, with the ratio; then one training step profiled layer by
// layer, forward and backward (bench/sincpd-profile.ts), and the sinc front end's share. Prints figures only.
// BENCH_SINCPD_WALKS (default 8 walks ≈ 96 segments), BENCH_SINCPD_EPOCHS (timed epochs, best of; default 2),
// BENCH_SINCPD_ROUNDS (default 1: rounds of PyTorch then GaitLab, medians reported; use 3+ on a shared machine).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../src-main/compute/tfjs/backend';
import { buildSincPdModel, defaultArchitecture, parameterCounts, sincLayers } from '../src-main/methods/sincpd/model';
import { trainingStep } from '../src-main/methods/sincpd/train';
import { formatStepProfile, profileTrainingStep } from './sincpd-profile';
import { interleavedSegments } from './sincpd-walks';

const WALKS = Number(process.env.BENCH_SINCPD_WALKS ?? 8);
const EPOCHS = Number(process.env.BENCH_SINCPD_EPOCHS ?? 2);
const ROUNDS = Number(process.env.BENCH_SINCPD_ROUNDS ?? 1);

const median = (v: number[]) => { const s = [...v].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

async function main(): Promise<void> {
  // First walks of controls and patients alternating, so both classes are in the batch.
  const { files: chosen, n, x, y } = await interleavedSegments(/_01\.txt\.gz$/, WALKS);
  console.log(`data: ${n} segments (8 × 1000) from ${chosen.length} gaitpdb walks; batch 32; best of ${EPOCHS} timed epoch(s) a round; load average at the start: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  const dir = mkdtempSync(join(tmpdir(), 'bench-sincpd-'));
  writeFileSync(join(dir, 'x.f32'), Buffer.from(x.buffer, x.byteOffset, x.byteLength));
  writeFileSync(join(dir, 'y.i32'), Buffer.from(y.buffer, y.byteOffset, y.byteLength));
  let torchLabel = '';
  const torchRound = (): { wall: number; cpu: number } | null => {
    const r = spawnSync('/usr/bin/python3', [join(__dirname, 'sincpd_torch.py'), join(dir, 'x.f32'), join(dir, 'y.i32'), String(n), String(EPOCHS)], { encoding: 'utf8' });
    if (r.status !== 0) {
      console.log(`PyTorch reference: failed (${(r.stderr || r.error?.message || '').trim().split('\n').pop()})`);
      return null;
    }
    const t = JSON.parse(r.stdout) as { torch: string; threads: number; parameters: number; samples_per_s: number; samples_per_cpu_s: number };
    torchLabel = `PyTorch ${t.torch} CPU, ${t.threads} thread (${t.parameters.toLocaleString('en')} parameters, spec §3.3.4: 1,173,505)`;
    return { wall: t.samples_per_s, cpu: t.samples_per_cpu_s };
  };

  // GaitLab's side on the same segments: the same network, one Adam step per batch of 32 (§3.4), timed epochs
  // over all segments after a warm-up epoch, as the reference times them.
  const choice = await initTfjsBackend();
  const arch = defaultArchitecture('pd', 'sincnet-gait', 100);
  const model = buildSincPdModel(arch, 1);
  const stepper = trainingStep(model, arch, 1e-3);
  const yf = Float32Array.from(y);
  const epoch = async () => {
    for (let start = 0; start < n; start += 32) {
      const b = Math.min(32, n - start);
      await stepper.step(x.subarray(start * 8000, (start + b) * 8000), yf.subarray(start, start + b));
    }
  };
  const cpuSeconds = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
  const gaitlabRound = async (): Promise<{ wall: number; cpu: number }> => {
    let best = Infinity, bestCpu = Infinity;
    for (let e = 0; e < EPOCHS; e++) {
      const t0 = performance.now(), c0 = cpuSeconds();
      await epoch();
      best = Math.min(best, (performance.now() - t0) / 1000);
      bestCpu = Math.min(bestCpu, cpuSeconds() - c0);
    }
    return { wall: n / best, cpu: n / bestCpu };
  };
  await epoch(); // warm-up
  const torchRates: { wall: number; cpu: number }[] = [], gaitlabRates: { wall: number; cpu: number }[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const t = torchRound();
      if (t != null) torchRates.push(t);
      gaitlabRates.push(await gaitlabRound());
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const tier = `tfjs ${choice.tier} (${choice.tiers.find((t) => t.tier === choice.tier)?.detail})`;
  const of = (v: number[]) => (v.length > 1 ? ` (median of ${v.length} rounds: ${v.map((r) => r.toFixed(1)).join(', ')})` : '');
  const wall = (v: { wall: number }[]) => v.map((r) => r.wall), cpu = (v: { cpu: number }[]) => v.map((r) => r.cpu);
  if (torchRates.length) console.log(`${torchLabel}: ${median(wall(torchRates)).toFixed(1)} training samples/s${of(wall(torchRates))}; per CPU-second ${median(cpu(torchRates)).toFixed(1)}`);
  console.log(`GaitLab ${tier}: ${median(wall(gaitlabRates)).toFixed(1)} training samples/s${of(wall(gaitlabRates))}; per CPU-second ${median(cpu(gaitlabRates)).toFixed(1)} (${parameterCounts(model).total.toLocaleString('en')} parameters)`);
  if (torchRates.length === gaitlabRates.length && torchRates.length > 0) {
    // The ratio of each round (PyTorch and GaitLab run back to back), then the median: a load that drifts between
    // rounds moves both sides of a round alike.
    const ratios = (pick: (r: { wall: number; cpu: number }) => number) => median(gaitlabRates.map((g, i) => pick(g) / pick(torchRates[i])));
    console.log(`GaitLab / PyTorch (1 thread): ${ratios((r) => r.wall).toFixed(2)}× in wall time, ${ratios((r) => r.cpu).toFixed(2)}× per CPU-second (median of the rounds' ratios; goal ≥ 0.5×; on a loaded machine both move, on a quiet one read the wall figure)`);
  }
  console.log(`load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} CPUs`);

  // One step, layer by layer (forward: the layer's call; backward: the gradients of the tape nodes it recorded).
  console.log('one training step at batch 32, by layer (the 8 sensor branches of a kind summed as _s*):');
  for (const line of formatStepProfile(profileTrainingStep(model, arch, x.subarray(0, 32 * 8000), yf.subarray(0, 32), 3))) console.log(line);

  // The sinc front end's share: the 8 sinc layers (filter banks built from their weights, windows, products) with
  // the gradients of their 1,600 band parameters (through a sum of squares of the outputs), on one batch.
  const layers = sincLayers(model);
  const vars = layers.flatMap((l) => l.trainableWeights.map((w) => w.read() as tf.Variable));
  const xt = tf.tensor3d(x.subarray(0, 32 * 8000), [32, 8, 1000]);
  const frontStep = () => tf.tidy(() => {
    const { grads, value } = tf.variableGrads(() => tf.addN(layers.map((l) => tf.sum(tf.square(l.apply(xt) as tf.Tensor)))) as tf.Scalar, vars);
    value.dataSync();
    tf.dispose(Object.values(grads));
  });
  frontStep();
  const t0 = performance.now();
  for (let i = 0; i < 3; i++) frontStep();
  console.log(`  of which the sinc front end (8 × 100 filters, forward + band-parameter gradients): ${((performance.now() - t0) / 3).toFixed(0)} ms per batch of 32`);
  xt.dispose();
  stepper.dispose();
  model.dispose();
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
