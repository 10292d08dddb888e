// Measures Horst cross-validation by hand; never used by the tests. Prints accuracies with their protocol.
//   npm run bench:horst-cv -- <db> <kind> <subject|class> [paper|smoke] [runs, e.g. 0,1]
//     the clinical GRF set (6-channel merge) in <db>
//   npm run bench:horst-cv -- gaitpdb <db> <kind> <subject|pd> [paper|smoke] [runs] [--max-cycles N]
//     gaitpdb insole gait cycles (18 channels, §5.1.3 b): <db> is created from ../shared/data/gaitpdb when missing,
//     cycles are extracted where missing (timed), then one row per clean left gait cycle; --max-cycles keeps the
//     first N clean cycles of each walk (a subsample, printed with the figures).
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { openDatabase } from '../src-main/store/db';
import { loadCurveDataset } from '../src-main/compute/curve-dataset';
import { loadInsoleCycleDataset } from '../src-main/compute/insole-cycle-dataset';
import { initTfjsBackend } from '../src-main/compute/tfjs/backend';
import { crossValidate, type HorstTask } from '../src-main/methods/horst/cross-validate';
import { isHorstModelKind } from '../src-shared/methods/horst/architectures';
import { scheduleNamed } from '../src-shared/methods/horst/schedule';
import { closeServiceContext, openServiceContext } from '../src-main/services/context';
import { importPaths } from '../src-main/services/import-service';
import { prepareHorstData } from '../src-main/services/horst-data';
import type { CurveDataset } from '../src-main/methods/logreg/state';

/** Keeps the first `max` rows of each trial (rows are in recording order per trial). */
function firstCyclesPerWalk(data: CurveDataset, rowTrials: string[], max: number): CurveDataset {
  const seen = new Map<string, number>();
  const keep: number[] = [];
  rowTrials.forEach((t, r) => {
    const n = seen.get(t) ?? 0;
    if (n < max) keep.push(r);
    seen.set(t, n + 1);
  });
  const w = data.features;
  const x = new Float32Array(keep.length * w);
  keep.forEach((r, i) => x.set(data.x.subarray(r * w, (r + 1) * w), i * w));
  return { ...data, x, rows: keep.length, labels: keep.map((r) => data.labels[r]), subjects: keep.map((r) => data.subjects[r]) };
}

async function gaitpdb(args: string[]): Promise<void> {
  const maxAt = args.indexOf('--max-cycles');
  const maxCycles = maxAt >= 0 ? Number(args.splice(maxAt, 2)[1]) : Infinity;
  const [dbPath, kind, task, scheduleName = 'smoke', runsText] = args;
  if (!dbPath || !kind || !isHorstModelKind(kind) || !['subject', 'pd'].includes(task)) throw new Error('usage: horst-cv gaitpdb <db> <kind> <subject|pd> [paper|smoke] [runs] [--max-cycles N]');
  const fresh = !existsSync(dbPath);
  const ctx = openServiceContext({ dbPath, mode: 'cli' });
  let t0 = Date.now();
  if (fresh) {
    const r = await importPaths(ctx, [resolve('../shared/data/gaitpdb')]);
    console.error(`imported ${r.trialsAdded} walks in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  t0 = Date.now();
  const extracted = prepareHorstData(ctx, { cohort: 'gaitpdb', session: null }, task);
  const extractS = (Date.now() - t0) / 1000;
  closeServiceContext(ctx);
  const db = openDatabase(dbPath);
  t0 = Date.now();
  const loaded = loadInsoleCycleDataset(db, { cohort: 'gaitpdb' }, basename(dbPath));
  const loadS = (Date.now() - t0) / 1000;
  db.close();
  const rowTrials = loaded.rowIds.map((id) => id.slice(0, id.lastIndexOf('@')));
  const data = Number.isFinite(maxCycles) ? firstCyclesPerWalk(loaded.data, rowTrials, maxCycles) : loaded.data;
  const choice = await initTfjsBackend();
  const start = Date.now();
  const result = await crossValidate(
    { x: data.x, rows: data.rows, channels: data.channels, subjects: data.subjects, groups: data.labels, continuousWalks: true },
    task as HorstTask, kind, scheduleNamed(scheduleName),
    { seed: 1234, runs: runsText ? runsText.split(',').map(Number) : undefined, onProgress: (p) => process.stderr.write(`\r${p.stage} ${(p.fraction * 100).toFixed(0)} %   `) },
  );
  const seconds = (Date.now() - start) / 1000;
  process.stderr.write('\n');
  const sl = result.subjectLevel;
  console.log(JSON.stringify({
    data: 'gaitpdb insole gait cycles (18 channels × 101, clean left cycles)', walks: loaded.selection.trials.length, cycles: data.rows,
    cyclesPerWalk: Number.isFinite(maxCycles) ? `first ${maxCycles}` : 'all', subjects: new Set(data.subjects).size,
    kind, task, backend: choice.tier, extractedNow: extracted, extractSeconds: extractS, loadSeconds: loadS, seconds, protocol: result.protocol,
    classes: result.classes.length, excludedSubjects: result.assignment.excludedSubjects.length,
    accuracies: result.accuracies, mean: result.mean, sd: result.sd, balancedAccuracy: result.balancedAccuracy,
    subjectLevel: sl && { subjects: sl.subjects, counts: sl.counts, accuracy: sl.accuracy, balancedAccuracy: sl.balancedAccuracy, auc: sl.auc },
    phases: result.runs.map((r) => r.phases?.map((p) => `${p.iterations}/${p.bestIteration}${p.stoppedEarly ? ' early' : ''}`)),
  }));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === 'gaitpdb') return gaitpdb(args.slice(1));
  const [dbPath, kind, task, scheduleName = 'smoke', runsText] = args;
  if (!dbPath || !kind || !isHorstModelKind(kind) || !['subject', 'class'].includes(task)) throw new Error('usage: horst-cv <db> <kind> <subject|class> [paper|smoke] [runs, e.g. 0,1] | horst-cv gaitpdb <db> <kind> <subject|pd> …');
  const db = openDatabase(dbPath);
  const { data } = loadCurveDataset(db, { cohort: 'slijepcevic2021' }, basename(dbPath));
  db.close();
  const choice = await initTfjsBackend();
  const start = Date.now();
  const result = await crossValidate(
    { x: data.x, rows: data.rows, channels: data.channels, subjects: data.subjects, groups: data.labels },
    task as HorstTask, kind, scheduleNamed(scheduleName),
    {
      seed: 1234, runs: runsText ? runsText.split(',').map(Number) : undefined, svmFitSet: process.env.SVM_FIT_SET === 'training+validation' ? 'training+validation' : 'training',
      // Each validation on stderr: a run of a large network takes tens of minutes under load.
      onEvaluate: (run, e) => process.stderr.write(`run ${run} phase ${e.phase} iteration ${e.iteration}: validation accuracy ${e.accuracy.toFixed(3)}, L1 ${e.l1.toFixed(3)}\n`),
    },
  );
  const seconds = (Date.now() - start) / 1000;
  console.log(JSON.stringify({
    kind, task, backend: choice.tier, seconds, protocol: result.protocol, classes: result.classes.length,
    accuracies: result.accuracies, mean: result.mean, sd: result.sd,
    phases: result.runs.map((r) => r.phases?.map((p) => `${p.iterations}/${p.bestIteration}${p.stoppedEarly ? ' early' : ''}`)),
    svm: result.runs.map((r) => r.svm && { maxPasses: Math.max(...r.svm.passes), allConverged: r.svm.converged.every(Boolean) }),
  }));
}

main().catch((e) => { console.error(`horst-cv: ${(e as Error).message}`); process.exit(1); });
