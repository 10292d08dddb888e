// npm run bench:report: how long a patient report takes to issue (assemble and store), to open (read an issued
// one back) and to write as HTML and as PDF (headless Chromium), on the database `gaitlab demo --out` builds (the
// demo cohort, its cycles and the quick GP, SAE and Horst runs). Goals (issue 19): open < 1 s, PDF < 3 s.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { withApi } from '../src-main/cli/run-context';

const RUNS = Number(process.env.REPORT_BENCH_RUNS ?? 5);
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gaitlab-bench-report-'));
  try {
    const demo = spawnSync(process.execPath, [path.join(__dirname, '..', 'bin', 'gaitlab.cjs'), 'demo', '--out', path.join(dir, 'demo'), '--json'], { encoding: 'utf8' });
    if (demo.status !== 0) throw new Error(`gaitlab demo failed: ${demo.stderr}`);
    const db = path.join(dir, 'demo', 'gaitlab.db');
    const times = { issue: [] as number[], open: [] as number[], html: [] as number[], pdf: [] as number[] };
    await withApi({ db }, async (call) => {
      const subject = (await call('listSubjects', { limit: 100 })).subjects.find((s) => s.group === 'PD')!;
      for (let i = 0; i < RUNS; i++) {
        let t = performance.now();
        const { id } = await call('issueReport', { subjectId: subject.id });
        times.issue.push(performance.now() - t);
        t = performance.now();
        await call('getReport', { id });
        times.open.push(performance.now() - t);
        t = performance.now();
        await call('writeReport', { id, out: path.join(dir, `r${i}.html`) });
        times.html.push(performance.now() - t);
        t = performance.now();
        await call('writeReport', { id, out: path.join(dir, `r${i}.pdf`) });
        times.pdf.push(performance.now() - t);
      }
    }, 'existing');
    console.log(`report on the demo cohort (6 walks and the demo's quick method runs), median of ${RUNS} runs:`);
    console.log(`  issue (assemble + store):   ${median(times.issue).toFixed(0)} ms`);
    console.log(`  open an issued report:      ${median(times.open).toFixed(1)} ms   (goal < 1000 ms)`);
    console.log(`  write self-contained HTML:  ${median(times.html).toFixed(0)} ms`);
    console.log(`  write PDF, first (Chromium launch and plotly parse included, as one \`gaitlab report\` pays): ${times.pdf[0].toFixed(0)} ms   (goal < 3000 ms)`);
    console.log(`  write PDF, next ones (Chromium and its plotly page kept, as the app and browser mode do): ${median(times.pdf.slice(1)).toFixed(0)} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
