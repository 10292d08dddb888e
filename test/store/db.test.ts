import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase, schemaVersion, StoreError } from '../../src-main/store/db';
import { LATEST_SCHEMA_VERSION } from '../../src-main/store/migrations';
import { appendAudit, verifyAudit } from '../../src-main/store/audit';
import { decodeSamples, encodeFloat32, encodeFloat64 } from '../../src-main/store/sample-codec';
import { tempDir, sha256File } from '../helpers';

test('a new database is in WAL mode with foreign keys on and the latest schema', () => {
  const path = join(tempDir(), 'new.db');
  const db = openDatabase(path);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  assert.equal(db.pragma('user_version', { simple: true }), LATEST_SCHEMA_VERSION);
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  for (const t of ['subjects', 'subject_identity', 'sessions', 'trials', 'signals', 'gait_events', 'cycles', 'models', 'jobs', 'reports', 'audit_log', 'method_runs']) assert.ok(tables.includes(t), t);
  assert.throws(() => db.prepare("INSERT INTO sessions (id, subject_id, key, label, created_at) VALUES ('x', 'no-such-subject', 'k', 'l', 'now')").run(), /FOREIGN KEY/);
  db.close();
});

test('opening twice applies no migration twice', () => {
  const path = join(tempDir(), 'twice.db');
  openDatabase(path).close();
  const before = sha256File(path);
  openDatabase(path).close();
  assert.equal(sha256File(path), before);
});

test('a database from a newer GaitLab is refused, not downgraded', () => {
  const path = join(tempDir(), 'future.db');
  const raw = new Database(path);
  raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
  raw.close();
  assert.throws(() => openDatabase(path), (e: unknown) => e instanceof StoreError && /newer than this GaitLab/.test((e as Error).message));
});

test('a read-only database file is refused before anything is written', () => {
  const path = join(tempDir(), 'ro.db');
  openDatabase(path).close();
  chmodSync(path, 0o444);
  const before = sha256File(path);
  assert.throws(() => openDatabase(path), /ro.db: database is read-only/);
  assert.equal(sha256File(path), before);
  // Reading it still works.
  const db = openDatabase(path, { readonly: true });
  assert.equal((db.prepare('SELECT COUNT(*) AS n FROM subjects').get() as { n: number }).n, 0);
  db.close();
});

test('a file that is not a database gives a clear error', () => {
  const path = join(tempDir(), 'notes.db');
  writeFileSync(path, 'these are my notes, not a database\n'.repeat(200));
  assert.throws(() => openDatabase(path), /notes.db: .*not a database/);
});

test('the audit log is a hash chain: intact, then broken by an edit, a removal or an insertion', () => {
  const path = join(tempDir(), 'audit.db');
  const db = openDatabase(path);
  for (let i = 0; i < 5; i++) appendAudit(db, { actor: 'tester', action: 'update', entity: 'subject', entityId: 'S-1', oldValue: { n: i }, newValue: { n: i + 1 } });
  assert.deepEqual(verifyAudit(db), { ok: true, rows: 5, firstBadSeq: null, reason: null });
  assert.throws(() => db.prepare("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2").run(), /append-only/);
  assert.throws(() => db.prepare('DELETE FROM audit_log WHERE seq = 2').run(), /append-only/);
  // Someone with the sqlite3 shell can drop the triggers: the chain still shows what they did.
  db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete');
  db.prepare("UPDATE audit_log SET new_value = '{\"n\":99}' WHERE seq = 3").run();
  assert.deepEqual(verifyAudit(db), { ok: false, rows: 3, firstBadSeq: 3, reason: 'row content does not match its hash' });
  db.close();

  const path2 = join(tempDir(), 'audit2.db');
  const db2 = openDatabase(path2);
  for (let i = 0; i < 4; i++) appendAudit(db2, { actor: 't', action: 'a', entity: 'e', newValue: i });
  db2.exec('DROP TRIGGER audit_log_no_delete');
  db2.prepare('DELETE FROM audit_log WHERE seq = 2').run();
  assert.equal(verifyAudit(db2).firstBadSeq, 3);
  assert.equal(verifyAudit(db2).reason, 'row 2 is missing');
  db2.close();
});

test('float32 samples and float64 clocks round-trip exactly through their encodings', () => {
  const samples = Float32Array.from({ length: 10_000 }, (_, i) => (i % 300 < 120 ? 0 : Math.fround(Math.sin(i / 17) * 800 + 3.25)));
  const clock = Float64Array.from({ length: 5000 }, (_, i) => Math.round(i * 100.0099) / 1e4);
  // 'small': the live recorder's chunks, deflated with a 4 KB window; decoded by the same inflate.
  for (const size of ['signal', 'small'] as const) {
    for (const enc of ['f32', 'f32-deflate'] as const) {
      const back = decodeSamples(encodeFloat32(samples, enc, size), enc, samples.length);
      assert.deepEqual(Array.from(back), Array.from(samples));
    }
    assert.deepEqual(Array.from(decodeSamples(encodeFloat64(clock, size), 'f64-shuffle-deflate', clock.length)), Array.from(clock));
  }
  assert.throws(() => decodeSamples(encodeFloat32(samples), 'f32-deflate', 9), /holds 10000 values, expected 9/);
});

test('reading never creates: a missing database is refused by read and existing access, its folder left uncreated', () => {
  const dir = tempDir();
  const path = join(dir, 'sub', 'lab.db');
  for (const access of ['read', 'existing'] as const) {
    assert.throws(() => openDatabase(path, { access }), (e: unknown) => e instanceof StoreError
      && e.message === `${path}: no such database (only commands that write create one; check the path)`);
  }
  assert.equal(existsSync(join(dir, 'sub')), false);
  openDatabase(path).close(); // create (the default) makes the folder and the database
  assert.equal(existsSync(path), true);
});

test('existing access opens a read-only file read-only instead of refusing it', () => {
  const path = join(tempDir(), 'ro.db');
  openDatabase(path).close();
  chmodSync(path, 0o444);
  const db = openDatabase(path, { access: 'existing' });
  assert.equal(db.readonly, true);
  assert.equal(schemaVersion(db), LATEST_SCHEMA_VERSION);
  db.close();
});

test('a folder that cannot be made is refused at once, naming it', () => {
  assert.throws(() => openDatabase('/proc/x/y.db'), (e: unknown) => e instanceof StoreError
    && e.message === '/proc/x/y.db: cannot create the folder /proc/x (ENOENT); nothing was created');
});
