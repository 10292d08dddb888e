import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after } from 'node:test';
import { spawnSync, type ChildProcess } from 'node:child_process';
import assert from 'node:assert/strict';
import { InputError } from '../src-shared/domain/errors';

export const REPO = resolve(__dirname, '..');
/** ../shared/data beside the checkout: the real datasets, never copied into the project. */
export const SHARED_DATA = resolve(REPO, '../shared/data');
export const sharedData = (...parts: string[]) => join(SHARED_DATA, ...parts);
export const fixture = (...parts: string[]) => join(REPO, 'test', 'fixtures', ...parts);

/** A fresh folder removed when the test file ends. */
export function tempDir(prefix = 'gaitlab-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Ends a child with SIGTERM (SIGKILL after `graceMs` if it has not gone) and resolves once it has exited. */
export async function endChild(proc: ChildProcess, graceMs = 5000): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.kill('SIGTERM');
  const kill = setTimeout(() => proc.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(kill);
}

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Hash of a database and its WAL: "unchanged" means the main file and any WAL content are identical. */
export function dbFingerprint(path: string): string {
  const h = createHash('sha256').update(readFileSync(path));
  if (existsSync(path + '-wal')) h.update(readFileSync(path + '-wal'));
  return h.digest('hex');
}

export interface CliResult { code: number; stdout: string; stderr: string; json: any }

/** Runs the real gaitlab command (bin/gaitlab.cjs) in a child process. */
export function gaitlab(args: string[], env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, [join(REPO, 'bin', 'gaitlab.cjs'), ...args], { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 30 });
  let json: any = null;
  if (args.includes('--json') && r.stdout.trim()) {
    try { json = JSON.parse(r.stdout); } catch { json = null; }
  }
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, json };
}

export { seededRandom } from '../src-shared/random';

/** Asserts that `fn` throws an InputError (and nothing else) with a one-line message matching `pattern`. */
export function assertInputError(fn: () => unknown, pattern: RegExp, context = ''): InputError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof InputError, `${context}: expected InputError, got ${(e as Error)?.name}: ${(e as Error)?.message}`);
    assert.match(e.message, pattern, context);
    assert.ok(!e.message.includes('\n'), `${context}: one-line message`);
    return e;
  }
  assert.fail(`${context}: expected an InputError matching ${pattern}, nothing was thrown`);
}
