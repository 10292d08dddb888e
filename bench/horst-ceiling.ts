// What do training rules other than the paper's reach on the Horst folds? The accuracy goals (≥ 0.99 subject
// identification, ≥ 0.69 impairment) against what this data allows: GaitLab's own linear SVM and paper-rule networks
// are measured by bench:horst-cv; this script runs, on the very same folds (§5.1.3, seed 1234) and scaling (§5.1.2),
// GaitLab's linear SVM fitted on the training folds and on training + validation, then scikit-learn and PyTorch
// (bench/horst_ceiling.py: LinearSVC, logistic regression, AdamW-trained networks of the §1.3 shapes with early
// stopping on validation accuracy, with and without augmentation). Never used by the tests.
//   npm run bench:horst-ceiling -- <db with the clinical GRF set> [subject|class] [runs, e.g. 0,1] [python configs, separated by ";"]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { initTfjsBackend } from '../src-main/compute/tfjs/backend';
import { crossValidate, type HorstTask } from '../src-main/methods/horst/cross-validate';
import { runSplit } from '../src-shared/methods/horst/folds';
import { scheduleNamed } from '../src-shared/methods/horst/schedule';
import { clinicalFolds, writeRunFolds } from './horst-clinical-folds';

const SEED = 1234;

const meanSd = (v: number[]) => {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return `${m.toFixed(3)} ± ${Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length).toFixed(3)}`;
};

async function main(): Promise<void> {
  const [dbPath, task = 'subject', runsText, configs = ''] = process.argv.slice(2);
  if (!dbPath || !['subject', 'class'].includes(task)) throw new Error('usage: horst-ceiling <db> [subject|class] [runs] [python configs]');
  const folds = clinicalFolds(dbPath, task as HorstTask, SEED);
  const { data, assignment, classes } = folds;
  const C = folds.channels;
  const runs = runsText ? runsText.split(',').map(Number) : [...Array(assignment.k).keys()];
  const load0 = loadavg()[0];

  const results: Record<string, number[]> = {};
  const seconds: Record<string, number> = {};
  const tier = (await initTfjsBackend()).tier;
  for (const fitSet of ['training', 'training+validation'] as const) {
    const t0 = Date.now();
    const r = await crossValidate(data, task as HorstTask, 'linear-svm', scheduleNamed('paper'), { seed: SEED, runs, svmFitSet: fitSet });
    const name = `GaitLab linear-svm (C = 0.1), ${fitSet === 'training' ? 'training folds (the spec)' : 'training + validation'}`;
    results[name] = r.accuracies;
    seconds[name] = (Date.now() - t0) / 1000;
    console.error(`${name}: ${r.accuracies.map((a) => a.toFixed(3)).join(' ')}`);
  }

  const folder = mkdtempSync(join(tmpdir(), 'horst-ceiling-'));
  for (const run of runs) {
    const dir = join(folder, `run-${run}`);
    mkdirSync(dir);
    writeRunFolds(dir, folds, run);
  }
  writeFileSync(join(folder, 'meta.json'), JSON.stringify({ channels: C, classes: classes.length, runs }));
  const p = spawnSync('/usr/bin/python3', [join(__dirname, 'horst_ceiling.py'), folder, configs], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' }, maxBuffer: 64 << 20,
  });
  rmSync(folder, { recursive: true, force: true });
  if (p.status !== 0) throw new Error(`bench/horst_ceiling.py failed (exit ${p.status}, its error above)`);
  const py = JSON.parse(p.stdout) as { torch: string; results: Record<string, Record<string, number>>; seconds: Record<string, number> };
  for (const [name, byRun] of Object.entries(py.results)) {
    results[name] = runs.map((r) => byRun[String(r)]);
    seconds[name] = py.seconds[name];
  }

  const split0 = runSplit(assignment, runs[0]);
  console.log(`Horst ${task === 'subject' ? 'subject identification' : 'impairment class'} on the clinical GRF set (${C} channels), K = ${classes.length}; `
    + `folds ${assignment.algorithm}, k = ${assignment.k}, seed ${SEED}: ${split0.train.length}/${split0.validation.length}/${split0.test.length} trials `
    + `(training/validation/test), runs ${runs.join(', ')}; scaling fitted on the training folds; test accuracy per run, mean ± SD (ddof 0)`);
  console.log(`GaitLab backend ${tier}; PyTorch ${py.torch} 1 thread; load average ${load0.toFixed(2)} at the start, ${loadavg()[0].toFixed(2)} at the end`);
  const nameWidth = Math.max(...Object.keys(results).map((n) => n.length));
  for (const [name, acc] of Object.entries(results)) {
    console.log(`${name.padEnd(nameWidth)}  ${acc.map((a) => a.toFixed(3)).join(' ')}  ${meanSd(acc)}  (${seconds[name].toFixed(0)} s)`);
  }
  console.log(JSON.stringify({ task, classes: classes.length, runs, results, seconds }));
}

main().catch((e) => { console.error(`horst-ceiling: ${(e as Error).message}`); process.exit(1); });
