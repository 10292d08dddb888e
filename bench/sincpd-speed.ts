// npm run bench:sincpd-speed — training throughput (samples/s) of the 100-filter SincPD binary model (F = 800,
// 1,173,505 parameters) at batch 32, one Adam step per batch (§3.4), on the tfjs tier GaitLab chooses for the
// CPU (wasm with GaitLab's kernels here), on real gaitpdb segments (L_s − R_s, standardised). Also the share of
// the sinc front end (filter banks built and applied, forward and backward). Prints figures; asserts nothing.
// The PyTorch reference (same architecture, 1 thread, in this same run) is added by the evaluation side.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../src-main/compute/tfjs/backend';
import { buildSincPdModel, defaultArchitecture, parameterCounts, sincLayers } from '../src-main/methods/sincpd/model';
import { sincConvolve } from '../src-main/methods/sincpd/sinc-layer';
import { trainingStep } from '../src-main/methods/sincpd/train';

const BATCH = 32;
const GAITPDB = resolve(__dirname, '../../shared/data/gaitpdb');

/** 10-s segments [n, 8, 1000] of a few walks, one scalar μ/σ (speed does not depend on the values, but use real ones). */
function segments(files: string[], count: number): { x: Float32Array; y: Float32Array } {
  const x = new Float32Array(count * 8000);
  const y = new Float32Array(count);
  let n = 0;
  for (const file of files) {
    const rows = gunzipSync(readFileSync(join(GAITPDB, file))).toString('utf8').trim().split(/\r?\n/).map((l) => l.trim().split(/\s+/).map(Number));
    for (let k = 0; (k + 1) * 1000 <= rows.length && n < count; k++, n++) {
      for (let s = 0; s < 8; s++) for (let t = 0; t < 1000; t++) x[n * 8000 + s * 1000 + t] = rows[k * 1000 + t][1 + s] - rows[k * 1000 + t][9 + s];
      y[n] = file.includes('Pt') ? 1 : 0;
    }
  }
  if (n < count) throw new Error(`only ${n} segments in ${files.join(', ')}`);
  const mean = x.reduce((a, v) => a + v, 0) / x.length;
  const sd = Math.sqrt(x.reduce((a, v) => a + (v - mean) ** 2, 0) / x.length);
  for (let i = 0; i < x.length; i++) x[i] = (x[i] - mean) / sd;
  return { x, y };
}

async function tfjsFigures(rounds: number, steps: number): Promise<void> {
  const choice = await initTfjsBackend();
  const arch = defaultArchitecture('pd', 'sincnet-gait', 100);
  const model = buildSincPdModel(arch, 1);
  console.log(`SincPD binary, 100 filters per sensor (${parameterCounts(model).total.toLocaleString('en')} parameters), batch ${BATCH}, tfjs ${choice.tier} (${choice.backend}), ${choice.tiers.find((t) => t.tier === choice.tier)?.detail}`);
  const data = segments(['GaCo01_01.txt.gz', 'GaPt03_01.txt.gz', 'GaCo02_01.txt.gz', 'GaPt04_01.txt.gz', 'GaCo03_01.txt.gz', 'GaPt05_01.txt.gz'], 2 * BATCH);
  const stepper = trainingStep(model, arch, 1e-3);
  const batch = (i: number) => ({ x: data.x.subarray((i % 2) * BATCH * 8000, ((i % 2) + 1) * BATCH * 8000), y: data.y.subarray((i % 2) * BATCH, ((i % 2) + 1) * BATCH) });
  for (let i = 0; i < 3; i++) { const b = batch(i); await stepper.step(b.x, b.y); }
  const figures: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) { const b = batch(i); await stepper.step(b.x, b.y); }
    const seconds = (performance.now() - t0) / 1000;
    figures.push((steps * BATCH) / seconds);
    console.log(`  round ${r + 1}: ${figures[r].toFixed(1)} samples/s (${((seconds / steps) * 1000).toFixed(0)} ms per step)`);
  }
  console.log(`  best ${Math.max(...figures).toFixed(1)} samples/s`);

  // The sinc front end alone: 8 filter banks built from their weights and applied as im2col products, with the
  // gradients of the 1,600 band parameters (through a sum of squares of the outputs).
  const layers = sincLayers(model);
  const vars = layers.flatMap((l) => l.trainableWeights.map((w) => w.read() as tf.Variable));
  const xt = tf.tensor3d(batch(0).x, [BATCH, 8, 1000]);
  const frontStep = () => tf.tidy(() => {
    const { grads, value } = tf.variableGrads(() => tf.addN(layers.map((l, s) => tf.sum(tf.square(sincConvolve(tf.reshape(tf.slice(xt, [0, s, 0], [BATCH, 1, 1000]), [BATCH, 1000]) as tf.Tensor2D, l.kernel(), 5))))) as tf.Scalar, vars);
    value.dataSync();
    tf.dispose(Object.values(grads));
  });
  frontStep();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) frontStep();
  const ms = (performance.now() - t0) / steps;
  console.log(`  sinc front end alone (8 × 100 filters, forward + band-parameter gradients): ${ms.toFixed(0)} ms per batch of ${BATCH}`);
  xt.dispose();
  stepper.dispose();
  model.dispose();
}

const rounds = Number(process.env.SINCPD_BENCH_ROUNDS ?? 3);
const steps = Number(process.env.SINCPD_BENCH_STEPS ?? 5);
tfjsFigures(rounds, steps).catch((e) => { console.error(e); process.exit(1); });
