// Ctrl+C on a real `gaitlab import` child process: exit 130, one line on stderr, a sound database in which
// every stored trial is whole; running the same import again completes it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { checkResponse } from '../api-contract';
import { gaitlab, REPO, sharedData, tempDir } from '../helpers';
import { assertWholeTrials } from '../import-consistency';

const dir = tempDir();

/** Trials stored so far, read by a second connection while the import writes (WAL lets it). */
function storedTrials(db: string): number {
  if (!existsSync(db)) return 0;
  try {
    const conn = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return (conn.prepare('SELECT COUNT(*) AS n FROM trials').get() as { n: number }).n;
    } finally {
      conn.close();
    }
  } catch {
    return 0; // the schema is still being created
  }
}

test('Ctrl+C during gaitlab import exits 130 and leaves only whole trials; importing again completes the set', async () => {
  const db = join(dir, 'lab.db');
  const child = spawn(process.execPath, [join(REPO, 'bin', 'gaitlab.cjs'), 'import', sharedData('gaitpdb'), '--db', db, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c) => (stdout += c));
  child.stderr!.on('data', (c) => (stderr += c));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  while (storedTrials(db) < 3) {
    assert.equal(child.exitCode, null, `the import ended before it could be interrupted: ${stderr}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill('SIGINT');
  assert.equal(await exit, 130, stderr);
  assert.equal(stdout, '', 'no JSON document for a cancelled import');
  assert.match(stderr, /Ctrl\+C: cancelling/);
  assert.match(stderr, /^gaitlab: import was cancelled$/m);
  const stored = assertWholeTrials(db);
  assert.ok(stored.trials >= 3 && stored.trials < 306, `interrupted part-way: ${stored.trials} trials`);

  const again = gaitlab(['import', sharedData('gaitpdb'), '--db', db, '--json']);
  assert.equal(again.code, 0, again.stderr);
  const summary = checkResponse('importPaths', again.json.import);
  assert.equal(summary.trials, 306);
  assert.equal(summary.trialsAdded, 306 - stored.trials, 'the trials stored before Ctrl+C are recognised, not added twice');
  assert.equal(assertWholeTrials(db).trials, 306);
});
