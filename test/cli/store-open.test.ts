// Issue 21, items 8 and 9 through the real command: a read-only database in a read-only folder can be
// read; only commands that write create a database; impossible paths fail at once; a damaged sample
// blob names its trial and channel; a killed import's run is closed as interrupted on the next start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { gaitlab, REPO, sharedData, tempDir } from '../helpers';

const WALK = sharedData('gaitpdb', 'GaCo01_01.txt.gz');

/** The command as an unprivileged user (when the tests run as root, as in CI containers), so that file modes bind. */
function asUser(args: string[]): { code: number; stdout: string; stderr: string } {
  const unprivileged = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const r = spawnSync(process.execPath, [join(REPO, 'bin', 'gaitlab.cjs'), ...args], { encoding: 'utf8', timeout: 60_000, ...unprivileged });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Whether the unprivileged user can run this checkout's command at all (a checkout under a private 0700 folder cannot). */
function unprivilegedCanRun(): boolean {
  if (process.getuid?.() !== 0) return true;
  const cli = join(REPO, 'bin', 'gaitlab.cjs');
  const r = spawnSync(process.execPath, ['-e', `require('node:fs').accessSync(${JSON.stringify(cli)}, require('node:fs').constants.R_OK)`], { uid: 65534, gid: 65534 });
  return r.status === 0;
}
const unreachable = unprivilegedCanRun() ? false : 'run as root in a checkout that an unprivileged user cannot reach (a private parent folder): file modes cannot be made to bind';

test('a read-only database in a folder nobody may write is read: subjects, trials, signals, audit verify, info', { skip: unreachable }, () => {
  const top = tempDir();
  chmodSync(top, 0o755);
  const dir = join(top, 'archive');
  mkdirSync(dir);
  const db = join(dir, 'lab.db');
  assert.equal(gaitlab(['import', WALK, '--db', db]).code, 0);
  assert.deepEqual(readdirSync(dir), ['lab.db', 'lab.db.audit-anchor']); // closed cleanly: no -wal or -shm left; the audit log's anchor beside it
  chmodSync(db, 0o444);
  chmodSync(dir, 0o555);
  try {
    const subjects = asUser(['subjects', '--db', db, '--json']);
    assert.equal(subjects.code, 0, subjects.stderr);
    assert.deepEqual(JSON.parse(subjects.stdout).subjects.map((s: { code: string }) => s.code), ['GaCo01']);
    const trials = asUser(['trials', '--db', db, '--json']);
    assert.equal(trials.code, 0, trials.stderr);
    const trialId = JSON.parse(trials.stdout).trials[0].id;
    const signals = asUser(['signals', trialId, '--db', db, '--json', '--max-points', '10']);
    assert.equal(signals.code, 0, signals.stderr);
    assert.equal(JSON.parse(signals.stdout).channels.length, 18);
    const audit = asUser(['audit', 'verify', '--db', db]);
    assert.equal(audit.code, 0, audit.stderr);
    // Another user cannot read this installation's key: the chain and contents are checked, the anchor is said unverifiable.
    assert.match(audit.stdout, /^audit log intact: \d+ rows, \d+ entities match their audited content\n(anchored at row \d+|anchor cannot be checked: .+)\n$/);
    const info = asUser(['info', '--db', db, '--json']);
    assert.equal(info.code, 0, info.stderr);
    assert.equal(JSON.parse(info.stdout).info.counts.trials, 1);
    // Writing is still refused, with the reason.
    const imp = asUser(['import', sharedData('gaitpdb', 'GaCo02_01.txt.gz'), '--db', db]);
    assert.equal(imp.code, 1);
    assert.equal(imp.stderr, `gaitlab: ${db}: database is read-only (no write permission); nothing was changed\n`);
    assert.deepEqual(readdirSync(dir), ['lab.db', 'lab.db.audit-anchor']);
    const other = join(dir, 'other.db');
    const create = asUser(['import', WALK, '--db', other]);
    assert.equal(create.code, 1);
    assert.equal(create.stderr, `gaitlab: ${other}: cannot create the database: no write permission in ${dir}\n`);
  } finally {
    chmodSync(dir, 0o755);
  }
});

test('info and other reading commands on a mistyped path create nothing; import creates the database and says so', () => {
  const dir = tempDir();
  const db = join(dir, 'no', 'such', 'lab.db');
  for (const args of [['info'], ['subjects'], ['trials'], ['audit', 'verify']]) {
    const r = gaitlab([...args, '--db', db]);
    assert.equal(r.code, 1, args.join(' '));
    assert.equal(r.stderr, `gaitlab: ${db}: no such database (only commands that write create one; check the path)\n`);
    assert.equal(existsSync(join(dir, 'no')), false, `${args.join(' ')} created a folder`);
  }
  const r = gaitlab(['import', WALK, '--db', db]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, `gaitlab: created a new database ${db}\n`);
  assert.equal(gaitlab(['import', WALK, '--db', db]).stderr, '');
});

test('a database path under /proc (or under a file) is refused at once with the folder named', () => {
  const started = performance.now();
  const r = spawnSync(process.execPath, [join(REPO, 'bin', 'gaitlab.cjs'), 'import', WALK, '--db', '/proc/x/y.db'], { encoding: 'utf8', timeout: 20_000 });
  console.log(`# --db /proc/x/y.db: exit ${r.status} after ${((performance.now() - started) / 1000).toFixed(2)} s`);
  assert.equal(r.signal, null, 'killed by the timeout: it hung');
  assert.equal(r.status, 1);
  assert.equal(r.stderr, 'gaitlab: /proc/x/y.db: cannot create the folder /proc/x (ENOENT); nothing was created\n');
  const under = gaitlab(['import', WALK, '--db', join(WALK, 'lab.db')]);
  assert.equal(under.code, 1);
  assert.equal(under.stderr, `gaitlab: ${join(WALK, 'lab.db')}: cannot create the database: ${WALK} is not a folder\n`);
});

test('a damaged sample blob is named by its trial and channel', () => {
  const db = join(tempDir(), 'lab.db');
  const imp = gaitlab(['import', WALK, '--db', db, '--json']);
  assert.equal(imp.code, 0, imp.stderr);
  const trialId = gaitlab(['trials', '--db', db, '--json']).json.trials[0].id;
  const raw = new Database(db);
  raw.prepare("UPDATE signals SET data = X'ffffffff0000' WHERE trial_id = ? AND channel = 'L3'").run(trialId);
  raw.close();
  const r = gaitlab(['signals', trialId, '--db', db, '--json']);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, `gaitlab: ${db}: trial ${trialId} channel L3: the stored samples are damaged (invalid block type)\n`);
});

test('an import killed while it writes leaves its run open; the next start closes it as interrupted', async () => {
  const db = join(tempDir(), 'lab.db');
  assert.equal(gaitlab(['import', WALK, '--db', db]).code, 0);
  const child = spawn(process.execPath, [join(REPO, 'bin', 'gaitlab.cjs'), 'import', sharedData('gaitpdb'), '--db', db], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const runs = () => {
    const raw = new Database(db, { readonly: true });
    try {
      return raw.prepare('SELECT id, finished_at, summary FROM imports ORDER BY id').all() as { id: number; finished_at: string | null; summary: string }[];
    } finally {
      raw.close();
    }
  };
  // Wait until the second run has written its first file, then kill it as a power cut would.
  for (let i = 0; i < 600 && runs().length < 2; i++) await new Promise((r) => setTimeout(r, 50));
  child.kill('SIGKILL');
  await exited;
  const killed = runs()[1];
  assert.ok(killed, 'the second import never started writing');
  assert.equal(killed.finished_at, null);
  assert.deepEqual(JSON.parse(killed.summary).running.pid, child.pid);
  // A run of a process still alive is not closed: it may be writing in another process right now.
  const live = new Database(db);
  live.prepare("INSERT INTO imports (started_at, actor, paths, summary) VALUES ('2026-12-06T00:00:00Z', 'tester', '[]', ?)")
    .run(JSON.stringify({ running: { pid: process.pid, host: (await import('node:os')).hostname() } }));
  live.close();
  const info = gaitlab(['info', '--db', db]);
  assert.equal(info.code, 0, info.stderr);
  const after = runs();
  assert.ok(after[1].finished_at, 'the killed run is closed');
  assert.equal(JSON.parse(after[1].summary).interrupted, true);
  assert.ok(after[0].finished_at);
  assert.equal(JSON.parse(after[0].summary).interrupted, undefined);
  assert.equal(after[2].finished_at, null);
});
