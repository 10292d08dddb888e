// Issue 21, item 4: several gaitlab processes on one database at the same time (real processes, spawned
// together). Migrations run once under a write lock; the "already present" check and the insert are one
// transaction, so two imports of one folder store every file once and report no false errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { LATEST_SCHEMA_VERSION } from '../../src-main/store/migrations';
import { sharedData, tempDir } from '../helpers';
import { gaitlabAsync } from './spawn';

// Enough walks that the run behind (which skips what is stored) catches up and both write the same file.
const WALKS = readdirSync(sharedData('gaitpdb')).filter((f) => /^(Ga|Ju)(Co|Pt)\d\d_0[12]\.txt\.gz$/.test(f)).slice(0, 40).map((f) => f.replace('.txt.gz', ''));
const SUBJECTS = new Set(WALKS.map((w) => w.split('_')[0])).size;

function counts(path: string): { files: number; trials: number; subjects: number; signals: number; openRuns: number } {
  const db = new Database(path, { readonly: true });
  const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  const r = {
    files: n('SELECT COUNT(*) AS n FROM source_files'),
    trials: n('SELECT COUNT(*) AS n FROM trials'),
    subjects: n('SELECT COUNT(*) AS n FROM subjects'),
    signals: n('SELECT COUNT(*) AS n FROM signals'),
    openRuns: n('SELECT COUNT(*) AS n FROM imports WHERE finished_at IS NULL'),
  };
  db.close();
  return r;
}

test('four gaitlab info at once on a database not yet migrated: all succeed, the schema is made once', async () => {
  const dir = tempDir();
  const db = join(dir, 'lab.db');
  writeFileSync(db, ''); // an empty file is an empty SQLite database at schema version 0
  const runs = await Promise.all([0, 1, 2, 3].map(() => gaitlabAsync(['info', '--db', db, '--json'])));
  for (const r of runs) {
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.equal(r.json.info.schemaVersion, LATEST_SCHEMA_VERSION);
  }
});

test('four imports at once into a database that does not exist yet: one creates it, all succeed, the walk is stored once', async () => {
  const dir = tempDir();
  const db = join(dir, 'new', 'lab.db');
  const walk = sharedData('gaitpdb', 'GaCo01_01.txt.gz');
  const runs = await Promise.all([0, 1, 2, 3].map(() => gaitlabAsync(['import', walk, '--db', db, '--json'])));
  for (const r of runs) assert.equal(r.code, 0, r.stderr);
  assert.equal(runs.reduce((s, r) => s + r.json.import.trialsAdded, 0), 1);
  assert.equal(runs.filter((r) => /^already present/.test(r.json.import.skipped[0]?.reason ?? '')).length, 3);
  assert.deepEqual(counts(db), { files: 1, trials: 1, subjects: 1, signals: 18, openRuns: 0 });
});

test('two imports of the same folder at once: no errors, each file stored once, the other run finds it present', async () => {
  const dir = tempDir();
  const folder = join(dir, 'walks');
  mkdirSync(folder);
  for (const w of WALKS) copyFileSync(sharedData('gaitpdb', `${w}.txt.gz`), join(folder, `${w}.txt.gz`));
  const db = join(dir, 'lab.db');
  // The database exists (as after a first start), so both runs race on the files, not on the schema.
  const empty = join(dir, 'empty');
  mkdirSync(empty);
  const init = await gaitlabAsync(['import', empty, '--db', db]);
  assert.equal(init.code, 0, init.stderr);
  const [a, b] = await Promise.all([gaitlabAsync(['import', folder, '--db', db, '--json']), gaitlabAsync(['import', folder, '--db', db, '--json'])]);
  for (const r of [a, b]) {
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.json.import.errors, []);
    assert.equal(r.json.import.trials, WALKS.length); // each run reports every trial, added or present
  }
  assert.equal(a.json.import.trialsAdded + b.json.import.trialsAdded, WALKS.length);
  const present = (r: typeof a) => r.json.import.skipped.filter((s: { reason: string }) => /^already present/.test(s.reason)).length;
  assert.equal(present(a) + present(b), WALKS.length);
  assert.deepEqual(counts(db), { files: WALKS.length, trials: WALKS.length, subjects: SUBJECTS, signals: 18 * WALKS.length, openRuns: 0 });
  console.log(`# two runs: ${a.json.import.trialsAdded} + ${b.json.import.trialsAdded} added, ${present(a)} + ${present(b)} already present`);
});
