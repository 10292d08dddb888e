// npm run bench:hardening — issue 21's closing battery, run again whenever it is wanted: kill -9 during
// imports, seeded bad inputs, concurrent processes on one database, and hostile requests to browser mode.
// Real child processes of bin/gaitlab.cjs (the compiled build: it is built first when stale) on real SQLite
// files in a temp folder, loopback traffic only, bounded counts. Prints a table of counts and outcomes;
// asserts nothing and times nothing (the exit code is 1 when a line shows a defect, so CI can run it).
//
//   npm run bench:hardening -- [--kills N] [--bad N] [--rounds N] [--requests N] [--seed N] [--only PART] [--keep]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '../src-shared/random';
import { badInputBattery } from './hardening/bad-inputs';
import { ROOT, type Battery, type Row } from './hardening/cli';
import { concurrencyBattery } from './hardening/concurrency';
import { killBattery } from './hardening/kills';
import { requestBattery } from './hardening/requests';

const PARTS = ['kills', 'bad', 'concurrent', 'requests'] as const;
const USAGE = `usage: npm run bench:hardening -- [--kills N] [--bad N] [--rounds N] [--requests N] [--seed N] [--only ${PARTS.join('|')}] [--keep]`;

function options(argv: string[]): { kills: number; bad: number; rounds: number; requests: number; seed: number; keep: boolean; only: string | null } {
  const o = { kills: 20, bad: 40, rounds: 2, requests: 1000, seed: 21, keep: false, only: null as string | null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--keep') { o.keep = true; continue; }
    if (a === '--only' && (PARTS as readonly string[]).includes(argv[i + 1])) { o.only = argv[++i]; continue; }
    const key = a.replace(/^--/, '') as keyof typeof o;
    const value = Number(argv[i + 1]);
    if (!a.startsWith('--') || !(key in o) || key === 'keep' || key === 'only' || !Number.isInteger(value) || value < 0 || value > 10_000) {
      console.error(`bench:hardening: ${a} ${argv[i + 1] ?? ''}: ${USAGE}`);
      process.exit(2);
    }
    o[key] = value as never;
    i++;
  }
  return o;
}

function newestTs(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestTs(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** bin/gaitlab.cjs runs the sources through tsx when dist is stale: build first, so the battery runs what ships. */
function ensureBuild(): string {
  const cli = join(ROOT, 'dist', 'src-main', 'cli', 'main.js');
  const page = join(ROOT, 'dist', 'renderer', 'index.html');
  const fresh = existsSync(cli) && existsSync(page)
    && Math.max(newestTs(join(ROOT, 'src-main')), newestTs(join(ROOT, 'src-shared'))) <= statSync(cli).mtimeMs;
  if (fresh) return 'compiled build is fresh';
  const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error('npm run build failed');
  return 'built with npm run build';
}

function printTable(rows: Row[]): void {
  const head: Row = { section: 'part', what: 'what', count: 'count', outcome: 'outcome', ok: true };
  const w = (k: 'section' | 'what' | 'count') => Math.max(...[head, ...rows].map((r) => r[k].length));
  const line = (r: Row, mark: string) => `${mark} ${r.section.padEnd(w('section'))}  ${r.what.padEnd(w('what'))}  ${r.count.padStart(w('count'))}  ${r.outcome}`;
  console.log(line(head, ' '));
  for (const r of rows) console.log(line(r, r.ok ? ' ' : '!'));
}

async function main(): Promise<number> {
  const o = options(process.argv.slice(2));
  const build = ensureBuild();
  const work = mkdtempSync(join(tmpdir(), 'gaitlab-hardening-'));
  const b: Battery = {
    work,
    random: seededRandom(o.seed),
    children: new Set(),
    env: { ...process.env, GAITLAB_AUDIT_KEY_FILE: join(work, 'audit-anchor.key'), GAITLAB_DB: join(work, 'unused.db'), NO_COLOR: '1' },
  };
  const stopChildren = () => { for (const c of b.children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL'); };
  process.on('exit', stopChildren);
  for (const s of ['SIGINT', 'SIGTERM'] as const) process.on(s, () => { stopChildren(); process.exit(130); });

  console.log(`bench:hardening: seed ${o.seed}, ${build}, node ${process.version}, temp folder ${work}`);
  const rows: Row[] = [];
  const started = performance.now();
  const part = async (name: string, key: (typeof PARTS)[number], run: () => Promise<Row[]>) => {
    if (o.only && o.only !== key) return;
    const t0 = performance.now();
    console.error(`- ${name}…`);
    try {
      rows.push(...await run());
    } catch (e) {
      rows.push({ section: name, what: 'the part could not run', count: '-', outcome: (e as Error).message.split('\n')[0], ok: false });
    }
    console.error(`  ${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  };
  await part('kill -9', 'kills', () => killBattery(b, o.kills));
  await part('bad input', 'bad', () => badInputBattery(b, o.bad));
  await part('concurrent', 'concurrent', () => concurrencyBattery(b, o.rounds));
  await part('requests', 'requests', () => requestBattery(b, o.requests));
  stopChildren();
  console.log('');
  printTable(rows);
  const bad = rows.filter((r) => !r.ok).length;
  console.log(`\n${bad === 0 ? 'every line held' : `${bad} lines show a defect (marked !)`}; wall time ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (o.keep) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
  return bad === 0 ? 0 : 1;
}

main().then((code) => { process.exitCode = code; }, (e) => { console.error(`bench:hardening: ${(e as Error).message}`); process.exitCode = 1; });
