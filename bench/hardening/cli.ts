// The pieces every part of the hardening battery shares: the real `gaitlab` command in child processes
// (bin/gaitlab.cjs, compiled when the build is fresh), a look into the SQLite file from outside, and the
// rows of the table the battery prints.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';

export const ROOT = resolve(__dirname, '..', '..');
export const DATA = resolve(ROOT, '..', 'shared', 'data');
export const BIN = join(ROOT, 'bin', 'gaitlab.cjs');

/** One line of the printed table; `ok` false marks a line that shows a defect. */
export interface Row { section: string; what: string; count: string; outcome: string; ok: boolean }

export interface Battery {
  /** The environment of every child: the audit key lives in the temp folder, never in the user's data folder. */
  env: NodeJS.ProcessEnv;
  work: string;
  random: () => number;
  /** Children still running, killed when the battery ends however it ends. */
  children: Set<ChildProcess>;
}

/** What `gaitlab import --json` reports, as far as the battery reads it. */
export interface ImportJson { import: { trials: number; trialsAdded: number; subjectsAdded: number; errors: { message: string }[]; skipped: { file: string; reason: string }[] } }

export interface Ran { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; json: unknown; timedOut: boolean }

/** Spawns `gaitlab args…` and collects its output; a run past `timeoutMs` is killed (bounded, whatever happens). */
export function gaitlab(b: Battery, args: string[], timeoutMs = 180_000): Promise<Ran> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: b.env, stdio: ['ignore', 'pipe', 'pipe'] });
    b.children.add(child);
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutMs);
    child.stdout!.setEncoding('utf8').on('data', (s: string) => { stdout += s; });
    child.stderr!.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    child.on('error', fail);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      b.children.delete(child);
      let json: unknown = null;
      if (args.includes('--json') && stdout.trim()) {
        try { json = JSON.parse(stdout); } catch { json = null; }
      }
      done({ code, signal, stdout, stderr, json, timedOut });
    });
  });
}

/** The database's bytes and its WAL's: what "nothing stored changed" means, whatever SQLite caches. */
export function dbFingerprint(path: string): string {
  const h = createHash('sha256');
  if (existsSync(path)) h.update(readFileSync(path));
  if (existsSync(path + '-wal')) h.update(readFileSync(path + '-wal'));
  return h.digest('hex');
}

export interface DbState {
  integrityOk: boolean;
  foreignKeysOk: boolean;
  subjects: number;
  trials: number;
  files: number;
  signals: number;
  /** Trials without exactly `signalsPerTrial` signals or without a clock: a half-written trial. */
  incompleteTrials: number;
  /** `imports` rows with no end time, and the ids of those closed as interrupted. */
  openRuns: number[];
  interruptedRuns: number[];
}

/** Reads the file as a second program would, read-only (a WAL left by a killed writer is read as SQLite recovers it). */
export function inspectDb(path: string, signalsPerTrial = 18): DbState {
  // A process killed before it made the file left nothing to check.
  if (!existsSync(path)) return { integrityOk: true, foreignKeysOk: true, subjects: 0, trials: 0, files: 0, signals: 0, incompleteTrials: 0, openRuns: [], interruptedRuns: [] };
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    const integrity = db.pragma('integrity_check') as { integrity_check: string }[];
    const runs = db.prepare('SELECT id, finished_at, summary FROM imports').all() as { id: number; finished_at: string | null; summary: string | null }[];
    const interrupted = (s: string | null) => { try { return JSON.parse(s ?? '{}').interrupted === true; } catch { return false; } };
    return {
      integrityOk: integrity.length === 1 && integrity[0].integrity_check === 'ok',
      foreignKeysOk: (db.pragma('foreign_key_check') as unknown[]).length === 0,
      subjects: n('SELECT COUNT(*) AS n FROM subjects'),
      trials: n('SELECT COUNT(*) AS n FROM trials'),
      files: n('SELECT COUNT(*) AS n FROM source_files'),
      signals: n('SELECT COUNT(*) AS n FROM signals'),
      incompleteTrials: n(`SELECT COUNT(*) AS n FROM trials t WHERE (SELECT COUNT(*) FROM signals s WHERE s.trial_id = t.id) <> ${signalsPerTrial}
        OR NOT EXISTS (SELECT 1 FROM trial_clocks c WHERE c.trial_id = t.id)`),
      openRuns: runs.filter((r) => r.finished_at === null).map((r) => r.id),
      interruptedRuns: runs.filter((r) => r.finished_at !== null && interrupted(r.summary)).map((r) => r.id),
    };
  } finally {
    db.close();
  }
}

/** A wait that never keeps the battery alive by itself: each one races a child or a socket that does. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/** "a×3, b×1" for a tally, most frequent first. */
export function tally(counts: Map<string, number>): string {
  return [...counts].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0])).map(([k, v]) => `${k}×${v}`).join(', ') || '-';
}

export function bump(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}
