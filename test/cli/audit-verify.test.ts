// `gaitlab audit verify` against direct edits of a real database: each tampering is caught and named, and a
// normal life (import, re-import, detector re-runs, manual corrections) verifies clean.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src-main/store/db';
import { appendAudit } from '../../src-main/store/audit';
import { auditVerifyResult } from '../../src-shared/api/schema';
import { gaitlab, REPO, sharedData, tempDir } from '../helpers';

const dir = tempDir('gaitlab-audit-');
const keyFile = join(dir, 'key', 'audit-anchor.key');
const env = { GAITLAB_AUDIT_KEY_FILE: keyFile };
const base = join(dir, 'base.db');
const walks = ['GaPt03_01.txt.gz', 'GaCo01_01.txt.gz', 'JuCo01_01.txt.gz', 'SiPt02_01.txt.gz'];
let trials: { id: string; key: string }[];
let gaPt03: string;

const cli = (args: string[], extraEnv: Record<string, string> = {}) => gaitlab([...args, '--json'], { ...env, ...extraEnv });
const verify = (db: string, extraEnv: Record<string, string> = {}) => gaitlab(['audit', 'verify', '--db', db], { ...env, ...extraEnv });
const verifyJson = (db: string, extraEnv: Record<string, string> = {}) => cli(['audit', 'verify', '--db', db], extraEnv);

let copies = 0;
/** A copy of the base database with its anchor, as a backup of both would be. */
function copyOfBase(): string {
  const path = join(dir, `copy-${++copies}.db`);
  copyFileSync(base, path);
  if (existsSync(base + '.audit-anchor')) copyFileSync(base + '.audit-anchor', path + '.audit-anchor');
  return path;
}

/** Direct access with the sqlite3 shell's powers: the append-only triggers dropped where needed. */
function tamper(path: string, fn: (db: Db) => void): void {
  const db = openDatabase(path);
  try {
    db.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete');
    fn(db);
  } finally {
    db.close();
  }
}

const logEnd = (path: string) => {
  const db = openDatabase(path, { readonly: true });
  try {
    return (db.prepare('SELECT MAX(seq) AS n FROM audit_log').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

before(() => {
  const input = join(dir, 'in');
  mkdirSync(input);
  for (const w of walks) copyFileSync(sharedData('gaitpdb', w), join(input, w));
  copyFileSync(sharedData('gaitpdb', 'demographics.txt'), join(input, 'demographics.txt'));
  const imp = cli(['import', input, '--db', base]);
  assert.equal(imp.code, 0, imp.stderr);
  trials = cli(['trials', '--db', base]).json.trials.map((t: any) => ({ id: t.id, key: t.key }));
  assert.equal(trials.length, 4);
  // Events stored by the detector on every trial, so that event edits have something to change.
  for (const t of trials) assert.equal(cli(['events', t.id, '--db', base]).code, 0);
  gaPt03 = cli(['subjects', '--search', 'GaPt03', '--db', base]).json.subjects.find((s: any) => s.code === 'GaPt03').id;
});

test('a fresh import verifies clean, with an anchor beside the database and a 0600 key made on first use', () => {
  const r = verifyJson(base);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.json.audit.ok, true);
  auditVerifyResult.strict().parse(r.json.audit);
  assert.deepEqual(r.json.audit.findings, []);
  assert.equal(r.json.audit.anchor.status, 'ok');
  assert.equal(r.json.audit.anchor.anchoredSeq, logEnd(base));
  // 166 subjects, 4 sessions, 4 trials and their 4 event sets, 5 source files.
  assert.equal(r.json.audit.entities.checked, 166 + 4 + 4 + 4 + 5);
  assert.ok(existsSync(base + '.audit-anchor'));
  assert.equal(readFileSync(keyFile).length, 32);
  assert.equal(statMode(keyFile), 0o600);
});

const statMode = (path: string) => statSync(path).mode & 0o777;

test('a normal life verifies clean: re-import, detector re-runs, manual corrections, additions and deletions', () => {
  const db = copyOfBase();
  const input = join(dir, 'in');
  assert.equal(cli(['import', input, '--db', db]).json.import.trialsAdded, 0);
  const t = trials[0].id;
  assert.equal(cli(['events', t, '--detect', '--db', db]).code, 0);
  assert.equal(cli(['events', t, '--detect', '--param', 'onFraction=0.15', '--db', db]).code, 0);
  const ev = cli(['events', t, '--db', db]).json.events[2];
  assert.equal(cli(['event', 'correct', ev.id, '--time', String(ev.timeS + 0.01), '--db', db]).code, 0);
  const added = cli(['event', 'add', t, '--label', 'initial_contact', '--side', 'left', '--time', '2.5', '--db', db]);
  assert.equal(added.code, 0, added.stderr);
  assert.equal(cli(['event', 'delete', added.json.event.id, '--db', db]).code, 0);
  assert.equal(cli(['cycles', t, '--db', db]).code, 0);
  assert.equal(cli(['import', sharedData('gaitpdb', 'GaPt04_01.txt.gz'), '--db', db]).json.import.trialsAdded, 1);
  const r = verify(db);
  assert.equal(r.code, 0, r.stdout);
  assert.match(r.stdout, /^audit log intact: \d+ rows, 187 entities match their audited content\nanchored at row \d+\n$/);
});

test("a subject's group changed in the database is named with its audit row", () => {
  const db = copyOfBase();
  tamper(db, (d) => d.prepare("UPDATE subjects SET group_label = 'Control' WHERE id = ?").run(gaPt03));
  const r = verify(db);
  assert.equal(r.code, 1);
  const ro = openDatabase(db, { readonly: true });
  const auditSeq = (ro.prepare('SELECT MAX(seq) AS n FROM audit_log WHERE content LIKE ?').get(`%"subject:${gaPt03}"%`) as { n: number }).n;
  ro.close();
  assert.equal(r.stdout.split('\n')[0], `subject ${gaPt03} (GaPt03): content changed since audit row ${auditSeq}`);
  const j = verifyJson(db);
  assert.equal(j.code, 1);
  assert.deepEqual(j.json.audit.findings, [{ kind: 'changed', entity: 'subject', id: gaPt03, label: 'GaPt03', auditSeq, message: `subject ${gaPt03} (GaPt03): content changed since audit row ${auditSeq}` }]);
  assert.equal(j.json.audit.firstBadSeq, null);
  assert.equal(j.json.audit.anchor.status, 'ok');
});

test('one byte of a signal blob flipped names its trial', () => {
  const db = copyOfBase();
  const t = trials[1];
  tamper(db, (d) => {
    const s = d.prepare('SELECT id, data FROM signals WHERE trial_id = ? ORDER BY id LIMIT 1 OFFSET 5').get(t.id) as { id: number; data: Buffer };
    s.data[Math.floor(s.data.length / 2)] ^= 0x01;
    d.prepare('UPDATE signals SET data = ? WHERE id = ?').run(s.data, s.id);
  });
  const j = verifyJson(db);
  assert.equal(j.code, 1);
  assert.deepEqual(j.json.audit.findings.map((f: any) => [f.kind, f.entity, f.id, f.label]), [['changed', 'trial', t.id, t.key]]);
  assert.match(verify(db).stdout, new RegExp(`^trial ${t.id} \\(${t.key}\\): content changed since audit row \\d+$`, 'm'));
});

test('a trial deleted behind GaitLab is reported missing, once (its events and signals go with it)', () => {
  const db = copyOfBase();
  const t = trials[2];
  tamper(db, (d) => d.prepare('DELETE FROM trials WHERE id = ?').run(t.id));
  const j = verifyJson(db);
  assert.equal(j.code, 1);
  assert.deepEqual(j.json.audit.findings.map((f: any) => [f.kind, f.entity, f.id, f.label]), [['missing', 'trial', t.id, t.key]]);
  assert.match(j.json.audit.findings[0].message, new RegExp(`^trial ${t.id} \\(${t.key}\\): deleted without an audited deletion \\(last audited at row \\d+\\)$`));
});

test("an event's time changed is named as its trial's events", () => {
  const db = copyOfBase();
  const t = trials[3];
  tamper(db, (d) => d.prepare('UPDATE gait_events SET time_s = time_s + 0.01 WHERE id = (SELECT MIN(id) FROM gait_events WHERE trial_id = ?)').run(t.id));
  const j = verifyJson(db);
  assert.equal(j.code, 1);
  assert.deepEqual(j.json.audit.findings.map((f: any) => [f.kind, f.entity, f.id]), [['changed', 'trial-events', t.id]]);
  assert.match(j.json.audit.findings[0].message, new RegExp(`^events of trial ${t.id} \\(${t.key}\\): content changed since audit row \\d+$`));
});

test('a log cut short at its end is caught by the anchor', () => {
  const db = copyOfBase();
  const end = logEnd(db);
  tamper(db, (d) => d.prepare('DELETE FROM audit_log WHERE seq > ?').run(end - 5));
  const r = verify(db);
  assert.equal(r.code, 1);
  assert.equal(r.stdout.split('\n')[0], `audit log does not match its anchor: log ends at row ${end - 5} but the anchor says ${end}`);
  const j = verifyJson(db);
  assert.equal(j.json.audit.firstBadSeq, null, 'the chain itself is intact: only the anchor sees the cut');
  assert.equal(j.json.audit.anchor.status, 'truncated');
});

test('an emptied log is caught by the anchor, and by the data it no longer vouches for even without the anchor', () => {
  const db = copyOfBase();
  const end = logEnd(db);
  tamper(db, (d) => d.exec('DELETE FROM audit_log'));
  const j = verifyJson(db);
  assert.equal(j.code, 1);
  assert.equal(j.json.audit.rows, 0);
  assert.equal(j.json.audit.anchor.message, `the log is empty but the anchor says ${end}`);
  rmSync(db + '.audit-anchor');
  const r = verifyJson(db);
  assert.equal(r.code, 1);
  assert.equal(r.json.audit.anchor.status, 'none');
  // Every subject, session, trial and source file is stored with no audit row behind it.
  assert.equal(r.json.audit.findings.length, 166 + 4 + 4 + 5);
  assert.ok(r.json.audit.findings.every((f: any) => f.kind === 'unaudited'));
  assert.ok(r.json.audit.findings.some((f: any) => f.message === `subject ${gaPt03} (GaPt03): not in the audit log`));
});

test('a missing or edited anchor fails; a database copied without its key says the anchor cannot be checked', () => {
  const db = copyOfBase();
  const anchor = JSON.parse(readFileSync(db + '.audit-anchor', 'utf8'));
  writeFileSync(db + '.audit-anchor', JSON.stringify({ ...anchor, seq: anchor.seq - 3 }));
  const forged = verifyJson(db);
  assert.equal(forged.code, 1);
  assert.equal(forged.json.audit.anchor.status, 'forged');
  rmSync(db + '.audit-anchor');
  const missing = verifyJson(db);
  assert.equal(missing.code, 1);
  assert.equal(missing.json.audit.anchor.status, 'missing');

  const other = copyOfBase();
  const noKey = join(dir, 'elsewhere', 'audit-anchor.key');
  const r = verify(other, { GAITLAB_AUDIT_KEY_FILE: noKey });
  assert.equal(r.code, 0, r.stdout);
  assert.match(r.stdout, new RegExp(`^anchor cannot be checked \\(no key at ${noKey}\\)$`, 'm'));
  assert.equal(existsSync(noKey), false, 'verify reads only: it makes no key');
});

test('a crash between the commit and the anchor leaves the log ahead: fine, and the next write brings the anchor forward', () => {
  const db = copyOfBase();
  const end = logEnd(db);
  // The process dies right after its transaction: the database is closed before the anchor could follow.
  const d = openDatabase(db);
  d.transaction(() => appendAudit(d, { actor: 'tester', action: 'note', entity: 'note', newValue: 'before the crash' }))();
  d.close();
  const behind = verifyJson(db);
  assert.equal(behind.code, 0, behind.stdout);
  assert.equal(behind.json.audit.anchor.status, 'behind');
  assert.equal(behind.json.audit.anchor.anchoredSeq, end);
  assert.equal(cli(['event', 'add', trials[0].id, '--label', 'toe_off', '--side', 'right', '--time', '1.25', '--db', db]).code, 0);
  const after = verifyJson(db);
  assert.equal(after.json.audit.anchor.status, 'ok');
  assert.equal(after.json.audit.anchor.anchoredSeq, end + 2);
});

test('two processes importing into one database at once: the anchor ends at the head, never behind it', async () => {
  const db = join(dir, 'two.db');
  const run = (file: string) => new Promise<number>((resolve) => {
    const child = spawn(process.execPath, [join(REPO, 'bin', 'gaitlab.cjs'), 'import', sharedData('gaitpdb', file), '--db', db, '--json'], { env: { ...process.env, ...env }, stdio: 'ignore' });
    child.on('exit', (code) => resolve(code ?? -1));
  });
  // The first creates the database; then several at once append and anchor.
  assert.equal(await run('GaCo02_01.txt.gz'), 0);
  const codes = await Promise.all(['GaCo03_01.txt.gz', 'GaCo04_01.txt.gz', 'GaCo05_01.txt.gz', 'GaCo06_01.txt.gz'].map(run));
  assert.deepEqual(codes, [0, 0, 0, 0]);
  const j = verifyJson(db);
  assert.equal(j.code, 0, j.stdout);
  assert.equal(j.json.audit.anchor.status, 'ok');
  assert.equal(j.json.audit.anchor.anchoredSeq, logEnd(db));
});
