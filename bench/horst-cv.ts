// Measures Horst cross-validation on the clinical GRF set (6-channel merge) by hand: `npm run bench:horst-cv --
// <db> <kind> <task> [schedule] [runs]`. Prints accuracies with their protocol; never used by the tests.
import { basename } from 'node:path';
import { openDatabase } from '../src-main/store/db';
import { loadCurveDataset } from '../src-main/compute/curve-dataset';
import { initTfjsBackend } from '../src-main/compute/tfjs/backend';
import { crossValidate, type HorstTask } from '../src-main/methods/horst/cross-validate';
import { isHorstModelKind } from '../src-shared/methods/horst/architectures';
import { scheduleNamed } from '../src-shared/methods/horst/schedule';

async function main(): Promise<void> {
  const [dbPath, kind, task, scheduleName = 'smoke', runsText] = process.argv.slice(2);
  if (!dbPath || !kind || !isHorstModelKind(kind) || !['subject', 'class'].includes(task)) throw new Error('usage: horst-cv <db> <kind> <subject|class> [paper|smoke] [runs, e.g. 0,1]');
  const db = openDatabase(dbPath);
  const { data } = loadCurveDataset(db, { cohort: 'slijepcevic2021' }, basename(dbPath));
  db.close();
  const choice = await initTfjsBackend();
  const start = Date.now();
  const result = await crossValidate(
    { x: data.x, rows: data.rows, channels: data.channels, subjects: data.subjects, groups: data.labels },
    task as HorstTask, kind, scheduleNamed(scheduleName),
    { seed: 1234, runs: runsText ? runsText.split(',').map(Number) : undefined, svmFitSet: process.env.SVM_FIT_SET === 'training+validation' ? 'training+validation' : 'training' },
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
