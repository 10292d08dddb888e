// npm run bench:train — LogisticRegression on the clinical GRF set (970 trials × 606 features, 4 classes) as a
// job through the real `gaitlab train --json`: the whole command, the worker's fit alone, seconds per epoch,
// and the test accuracy, for a few epoch counts. Prints figures; asserts nothing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..');
const data = resolve(root, '../shared/data/slijepcevic2021-clinical-grf-mat');
const files = ['2021_acm_small_dataset_v3_aff-unaff-nonorm_1-2_.mat', '2021_acm_small_dataset_v3_aff-unaff-nonorm_2-3-4_.mat'].map((f) => join(data, f));

function gaitlab(args: string[]): { json: any; seconds: number } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(root, 'bin', 'gaitlab.cjs'), ...args, '--json'], { encoding: 'utf8', cwd: root, maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(r.stderr);
  return { json: JSON.parse(r.stdout), seconds: (performance.now() - t0) / 1000 };
}

const dir = mkdtempSync(join(tmpdir(), 'gaitlab-bench-'));
try {
  const db = join(dir, 'bench.db');
  const imported = gaitlab(['import', ...files, '--db', db]);
  console.log(`import: ${imported.json.import.trials} trials in ${imported.seconds.toFixed(2)} s`);
  console.log('epochs  command s  queued→started s  fit s  ms/epoch  backend  test accuracy  train accuracy  tensors before/after');
  for (const epochs of [1, 50, 100, 300]) {
    const t = gaitlab(['train', 'LogisticRegression', '--param', `epochs=${epochs}`, '--seed', '1', '--db', db]);
    const shown = gaitlab(['jobs', 'show', t.json.job.id, '--db', db]).json;
    const r = shown.result as { fitSeconds: number; backend: string; tensorsBefore: number; tensorsAfter: number; runtime: { tier: string; gaitlabKernels: string[] } };
    const m = t.json.model.metrics as { testAccuracy: number; trainAccuracy: number };
    const startS = (Date.parse(t.json.job.startedAt) - Date.parse(t.json.job.createdAt)) / 1000;
    console.log([String(epochs).padStart(6), t.seconds.toFixed(2).padStart(9), startS.toFixed(2).padStart(16), r.fitSeconds.toFixed(2).padStart(6),
      ((r.fitSeconds / epochs) * 1000).toFixed(1).padStart(9), r.backend.padStart(8), m.testAccuracy.toFixed(3).padStart(14), m.trainAccuracy.toFixed(3).padStart(15), `${r.tensorsBefore}/${r.tensorsAfter}`.padStart(21)].join(' '));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
