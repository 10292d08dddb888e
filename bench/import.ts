// npm run bench:import — importing all of ../shared/data/gaitpdb, against pandas reading the same files.
// Prints figures; asserts nothing (timings belong in benchmarks, not tests).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..');
const gaitpdb = resolve(root, '../shared/data/gaitpdb');
const runs = Number(process.env.BENCH_RUNS ?? 3);

function gaitlabImport(): { seconds: number; textBytes: number; dbBytes: number; maxRssMB: number; trialsAdded: number; errors: number } {
  const dir = mkdtempSync(join(tmpdir(), 'gaitlab-bench-'));
  try {
    const args = [join(root, 'bench', 'import-child.ts'), join(dir, 'bench.db'), gaitpdb];
    const r = spawnSync(process.execPath, ['--import', 'tsx', ...args], { encoding: 'utf8', cwd: root });
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout.trim().split('\n').pop()!);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const PANDAS = `
import glob, sys, time
import pandas as pd
files = sorted(glob.glob(sys.argv[1] + '/*.txt.gz'))
t = time.perf_counter()
rows = 0
for f in files:
    rows += len(pd.read_csv(f, sep='\\t', header=None))
print(time.perf_counter() - t, rows, len(files))
`;

function pandasRead(): { seconds: number; rows: number; files: number } | null {
  const r = spawnSync('/usr/bin/python3', ['-c', PANDAS, gaitpdb], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  const [s, rows, files] = r.stdout.trim().split(' ').map(Number);
  return { seconds: s, rows, files };
}

const ours = Array.from({ length: runs }, gaitlabImport);
const best = ours.reduce((a, b) => (a.seconds < b.seconds ? a : b));
const mb = best.textBytes / 1e6;
console.log(`gaitlab import of ${gaitpdb}`);
console.log(`  text: ${mb.toFixed(1)} MB in 306 walks (+ demographics), ${best.trialsAdded} trials, ${best.errors} errors`);
console.log(`  time: best ${best.seconds.toFixed(2)} s of ${runs} (${ours.map((o) => o.seconds.toFixed(2)).join(', ')}) = ${(mb / best.seconds).toFixed(0)} MB/s`);
console.log(`  database: ${(best.dbBytes / 1e6).toFixed(1)} MB = ${(best.dbBytes / best.textBytes).toFixed(3)} × the text (float32 samples, deflated)`);
console.log(`  peak RSS: ${Math.max(...ours.map((o) => o.maxRssMB)).toFixed(0)} MB`);
const pd = pandasRead();
if (pd) {
  const pdRuns = [pd, pandasRead()!, pandasRead()!].filter(Boolean);
  const pdBest = Math.min(...pdRuns.map((p) => p.seconds));
  console.log(`pandas read_csv(sep='\\t', header=None) of the same ${pd.files} .txt.gz files (read only, no storing)`);
  console.log(`  time: best ${pdBest.toFixed(2)} s of ${pdRuns.length} = ${(mb / pdBest).toFixed(0)} MB/s, ${pd.rows} rows`);
  console.log(`ratio: gaitlab import is ${(pdBest / best.seconds).toFixed(2)}× the speed of pandas reading`);
} else {
  console.log('pandas: not installed here (apt-get install python3-pandas to compare)');
}
