// npm run bench:import — importing all of ../shared/data/gaitpdb, against pandas reading the same files.
// Prints figures; asserts nothing (timings belong in benchmarks, not tests).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..');
const gaitpdb = resolve(root, '../shared/data/gaitpdb');
const runs = Number(process.env.BENCH_RUNS ?? 3);

/** The real command a user runs (`gaitlab import --json`: the compiled build when it is fresh), timed from outside. */
function gaitlabImport(): { seconds: number; wallSeconds: number; textBytes: number; dbBytes: number; maxRssMB: number; trialsAdded: number; errors: number } {
  const dir = mkdtempSync(join(tmpdir(), 'gaitlab-bench-'));
  try {
    const db = join(dir, 'bench.db');
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['-r', join(root, 'bench', 'rss-report.cjs'), join(root, 'bin', 'gaitlab.cjs'), 'import', gaitpdb, '--db', db, '--json'], { encoding: 'utf8', cwd: root, maxBuffer: 1 << 28 });
    const wallSeconds = (performance.now() - t0) / 1000;
    if (r.status !== 0) throw new Error(r.stderr);
    const s = JSON.parse(r.stdout).import;
    const rss = Number(/bench-max-rss-kb (\d+)/.exec(r.stderr)![1]);
    return { seconds: s.seconds, wallSeconds, textBytes: s.bytes, dbBytes: statSync(db).size + (existsSync(db + '-wal') ? statSync(db + '-wal').size : 0), maxRssMB: rss / 1024, trialsAdded: s.trialsAdded, errors: s.errors.length };
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
console.log(`  time: best ${best.seconds.toFixed(2)} s of ${runs} (${ours.map((o) => o.seconds.toFixed(2)).join(', ')}) = ${(mb / best.seconds).toFixed(0)} MB/s; the whole command ${best.wallSeconds.toFixed(2)} s with start-up`);
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
