// Is a slow Horst network the training rule or a bug of ours? Trains one run of one model by the paper's rule
// twice in the same process tree: GaitLab's own path (crossValidate → trainNetwork, tfjs) and an independent
// PyTorch re-implementation of the rule from the spec (bench/horst_rule_torch.py, one thread), on the same fold,
// and prints their validation learning curves side by side. Never used by the tests.
//   npm run bench:horst-rule -- <db> [kind=cnn-a] [subject|class] [run=0] [paper|smoke] [modes=same,own]
// PyTorch modes: `same` starts from GaitLab's initial weights and draws GaitLab's batch sequence (so the curves
// share their start and data order; float32 rounding makes them drift apart slowly), `own` draws its own
// N(0, 1/fan-in) weights and batches from NumPy (seed 1234): the same rule, another random start.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../src-main/compute/tfjs/backend';
import { crossValidate, type HorstTask } from '../src-main/methods/horst/cross-validate';
import { createVariables, networkLogits } from '../src-main/methods/horst/network';
import { initialNetworkWeights, networkBatches, type Evaluation } from '../src-main/methods/horst/train-network';
import { isHorstModelKind, modelPlan, SAMPLES } from '../src-shared/methods/horst/architectures';
import { applyChannelScaling } from '../src-shared/methods/horst/scaling';
import { scheduleNamed } from '../src-shared/methods/horst/schedule';
import { clinicalFolds, writeRunFolds } from './horst-clinical-folds';

const SEED = 1234;

interface Curve { curve: Evaluation[]; testAccuracy: number; seconds: number; phases: unknown[] }

/** Validation accuracy at the given global iterations (phases laid end to end, as run), or the last one before. */
function at(curve: Evaluation[], phaseLengths: number[], iteration: number): string {
  let offset = 0;
  let value: Evaluation | undefined;
  for (const e of curve) {
    offset = phaseLengths.slice(0, e.phase).reduce((a, b) => a + b, 0);
    if (offset + e.iteration <= iteration) value = e;
  }
  return value ? `${value.accuracy.toFixed(3)} (L1 ${value.l1.toFixed(3)})` : '—';
}

async function main(): Promise<void> {
  const [dbPath, kind = 'cnn-a', task = 'subject', runText = '0', scheduleName = 'paper', modesText = 'same,own'] = process.argv.slice(2);
  if (!dbPath || !isHorstModelKind(kind) || kind === 'linear-svm' || !['subject', 'class'].includes(task)) {
    throw new Error('usage: horst-rule-curves <db> [network kind] [subject|class] [run] [paper|smoke] [same,own]');
  }
  const run = Number(runText);
  const schedule = scheduleNamed(scheduleName);
  // The data, fold and class indices exactly as crossValidate makes them.
  const folds = clinicalFolds(dbPath, task as HorstTask, SEED);
  const { data, classes, assignment } = folds;
  const C = folds.channels;
  const width = C * SAMPLES;
  const plan = modelPlan(kind, C, classes.length);

  const folder = mkdtempSync(join(tmpdir(), 'horst-rule-'));
  const split = writeRunFolds(folder, folds, run);
  const init = initialNetworkWeights(plan, { seed: SEED, run });
  writeFileSync(join(folder, 'init.f32'), Float32Array.from(init.flatMap((w) => [...w.weight, ...w.bias])));
  const draw = networkBatches(plan, split.train.length, schedule, { seed: SEED, run });
  const total = schedule.learningRates.length * schedule.maxIterationsPerPhase;
  const batches = new Int32Array(total * schedule.batchSize);
  for (let i = 0; i < total; i++) batches.set(draw(), i * schedule.batchSize);
  writeFileSync(join(folder, 'batches.i32'), batches);
  writeFileSync(join(folder, 'meta.json'), JSON.stringify({ kind, channels: C, classes: classes.length, input: plan.input, layers: plan.layers, schedule }));

  const load0 = loadavg()[0];
  const backend = await initTfjsBackend();
  const ours: Evaluation[] = [];
  const t0 = Date.now();
  const result = await crossValidate(data, task as HorstTask, kind, schedule, { seed: SEED, runs: [run], onEvaluate: (_, e) => ours.push(e) });
  const oursSeconds = (Date.now() - t0) / 1000;
  console.error(`GaitLab: ${ours.map((e) => `${e.phase}:${e.iteration} ${e.accuracy.toFixed(3)}`).join(', ')} (${oursSeconds.toFixed(0)} s)`);
  const r = result.runs[0];
  // The reported test accuracy comes from the float64 (LRP) network; the tfjs network of the same weights must agree.
  const xTest = applyChannelScaling(data.x, split.test, C, SAMPLES, r.scaling);
  const vars = createVariables(plan, r.weights);
  const tfjsPredicted = tf.tidy(() => networkLogits(plan, vars, tf.tensor2d(xTest, [split.test.length, width])).argMax(1).dataSync());
  const agree = r.predicted.filter((p, i) => p === tfjsPredicted[i]).length;

  const curves: Record<string, Curve> = { gaitlab: { curve: ours, testAccuracy: r.accuracy, seconds: oursSeconds, phases: r.phases ?? [] } };
  for (const mode of modesText.split(',').filter(Boolean)) {
    // stderr passes through: PyTorch's evaluations as they come (a long run under load shows where it is).
    const p = spawnSync('/usr/bin/python3', [join(__dirname, 'horst_rule_torch.py'), folder, mode], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' }, maxBuffer: 64 << 20 });
    if (p.status !== 0) { console.log(`PyTorch ${mode} failed (exit ${p.status}, its error above)`); continue; }
    curves[`torch-${mode}`] = JSON.parse(p.stdout) as Curve;
  }
  rmSync(folder, { recursive: true, force: true });
  const load1 = loadavg()[0];

  console.log(`Horst training rule: ${kind}, task ${task}, K = ${classes.length}, run ${run} of ${assignment.k} (folds ${assignment.algorithm}, seed ${SEED}): `
    + `${split.train.length}/${split.validation.length}/${split.test.length} trials, schedule ${schedule.name} (η ${schedule.learningRates.join(' → ')}, `
    + `≤ ${schedule.maxIterationsPerPhase} iterations per phase, validation every ${schedule.validateEvery}, patience ${schedule.patience}, batch ${schedule.batchSize})`);
  console.log(`GaitLab backend ${backend.tier}; load average ${load0.toFixed(2)} at the start, ${load1.toFixed(2)} at the end`);
  const names = Object.keys(curves);
  const lengths = (c: Curve) => (c.phases as { iterations: number }[]).map((p) => p.iterations);
  const marks = [250, 500, 1000, 2500, 5000, 10_000, 15_000, 20_000, 30_000].filter((m) => m <= total);
  console.log(['validation accuracy at iteration', ...names].join(' | '));
  for (const m of marks) console.log([String(m), ...names.map((n) => at(curves[n].curve, lengths(curves[n]), m))].join(' | '));
  for (const n of names) {
    const c = curves[n];
    const phases = (c.phases as { iterations: number; bestIteration: number; stoppedEarly: boolean }[]).map((p) => `${p.iterations}/${p.bestIteration}${p.stoppedEarly ? ' early' : ''}`);
    console.log(`${n}: test accuracy ${c.testAccuracy.toFixed(3)}, phases (iterations/best) ${phases.join(', ')}, ${c.seconds.toFixed(1)} s`);
  }
  console.log(`GaitLab test predictions: float64 (LRP) network and tfjs network agree on ${agree} of ${split.test.length}`);
  console.log(JSON.stringify({ kind, task, run, schedule: schedule.name, load: [load0, load1], curves }));
}

main().catch((e) => { console.error(`horst-rule-curves: ${(e as Error).message}`); process.exit(1); });
