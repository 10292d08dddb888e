// The audit log's content hashes and its anchor, in process on a real database with real gaitpdb walks:
// every table an entity is made of is covered, audited deletions verify clean, and the anchor writer never
// moves backwards over a log that was cut short.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { appendAudit, rowHash } from '../../src-main/store/audit';
import { anchorPath } from '../../src-main/store/audit-anchor';
import { verifyAuditLog } from '../../src-main/store/audit-verify';
import { openDatabase, type Db } from '../../src-main/store/db';
import { deleteSubject, deleteTrial } from '../../src-main/store/deletions';
import { closeServiceContext, openServiceContext, type ServiceContext } from '../../src-main/services/context';
import { importPaths } from '../../src-main/services/import-service';
import { replaceDetectedEvents } from '../../src-main/store/events';
import { sharedData, tempDir } from '../helpers';

const dir = tempDir('gaitlab-audit-store-');
const keyFile = join(dir, 'audit-anchor.key');
process.env.GAITLAB_AUDIT_KEY_FILE = keyFile;
const dbPath = join(dir, 'a.db');
let ctx: ServiceContext;
let db: Db;
let subjectId: string;
let trialId: string;

/** Lets the anchor, which follows a write once its transaction is over, be written. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Runs `edit` and verifies inside a transaction that is then rolled back: the database is left as it was. */
function verifyAfter(edit: (db: Db) => void) {
  let report: ReturnType<typeof verifyAuditLog> | undefined;
  try {
    db.transaction(() => {
      edit(db);
      report = verifyAuditLog(db);
      throw new Error('roll back');
    })();
  } catch (e) {
    if ((e as Error).message !== 'roll back') throw e;
  }
  return report!;
}

before(async () => {
  ctx = openServiceContext({ dbPath, mode: 'cli' });
  db = ctx.db;
  const s = await importPaths(ctx, [sharedData('gaitpdb', 'demographics.txt'), sharedData('gaitpdb', 'GaPt03_01.txt.gz'), sharedData('gaitpdb', 'GaCo02_02.txt.gz'), sharedData('gaitpdb', 'GaCo01_01.txt.gz')]);
  assert.deepEqual(s.errors, []);
  subjectId = (db.prepare("SELECT subject_id FROM subject_identity WHERE external_id = 'GaPt03'").get() as { subject_id: string }).subject_id;
  trialId = (db.prepare("SELECT id FROM trials WHERE key = 'GaPt03_01'").get() as { id: string }).id;
  const at = new Date().toISOString();
  replaceDetectedEvents(db, 'tester', { method: 'InsoleEvents', version: '1.0.0', role: 'gait-events', params: { onFraction: 0.1 }, seed: null, trialId,
    inputs: { trials: [{ trialId, contentSha256: null }] }, outputs: { events: 2 }, startedAt: at, finishedAt: at }, [
    { label: 'initial_contact', side: 'left', timeS: 1.0, source: 'InsoleEvents' },
    { label: 'final_contact', side: 'left', timeS: 1.7, source: 'InsoleEvents' },
  ]);
  await settle();
});

after(() => closeServiceContext(ctx));

test('every table an entity is made of is covered by its content hash', () => {
  assert.equal(verifyAuditLog(db).ok, true);
  const edits: [string, string, string, unknown[]][] = [
    ['subject identity', 'subject', "UPDATE subject_identity SET notes = 'x' WHERE subject_id = ?", [subjectId]],
    ['subject attribute', 'subject', "UPDATE subject_attributes SET value_num = value_num + 1 WHERE subject_id = ? AND key = 'age'", [subjectId]],
    ['subject attribute added', 'subject', "INSERT INTO subject_attributes (subject_id, key, value_text) VALUES (?, 'diagnosis', 'none')", [subjectId]],
    ['session', 'session', "UPDATE sessions SET date = '2020-01-01' WHERE id = (SELECT session_id FROM trials WHERE id = ?)", [trialId]],
    ['trial row', 'trial', 'UPDATE trials SET duration_s = duration_s + 1 WHERE id = ?', [trialId]],
    ['trial clock', 'trial', "UPDATE trial_clocks SET samples = samples - 1 WHERE trial_id = ?", [trialId]],
    ['signal unit', 'trial', "UPDATE signals SET unit = 'kgf' WHERE trial_id = ? AND position = 0", [trialId]],
    ['signal removed', 'trial', 'DELETE FROM signals WHERE trial_id = ? AND position = 3', [trialId]],
    ['event side', 'trial-events', "UPDATE gait_events SET side = 'right' WHERE trial_id = ? AND label = 'final_contact'", [trialId]],
    ['event inserted', 'trial-events', "INSERT INTO gait_events (trial_id, label, side, time_s, source, created_at) VALUES (?, 'initial_contact', 'left', 2.2, 'manual', 'now')", [trialId]],
    ['source file', 'source-file', "UPDATE source_files SET sha256 = '00' WHERE id = (SELECT source_file_id FROM trials WHERE id = ?)", [trialId]],
  ];
  for (const [what, entity, sql, args] of edits) {
    const r = verifyAfter((d) => assert.equal(d.prepare(sql).run(...args).changes, 1, what));
    assert.equal(r.ok, false, what);
    assert.deepEqual(r.findings.map((f) => [f.kind, f.entity]), [['changed', entity]], what);
  }
  // Cycles are derived from the events and dropped without an audit row: not part of any entity.
  const r = verifyAfter((d) => d.prepare("INSERT INTO cycles (trial_id, channel, kind, start_s, end_s, points, encoding, curve, unit, created_at) VALUES (?, 'x', 'stance', 0, 1, 0, 'f32', x'', 'N', 'now')").run(trialId));
  assert.equal(r.ok, true);
});

test('models and reports are audited entities: unaudited ones are named', () => {
  const r = verifyAfter((d) => {
    d.prepare("INSERT INTO models (id, method, name, params, created_at) VALUES ('M-1', 'horst', 'cnn', '{}', 'now')").run();
    appendAudit(d, { actor: 'tester', action: 'create', entity: 'model', entityId: 'M-1' });
    d.prepare("INSERT INTO reports (id, subject_id, model_id, kind, content, created_at) VALUES ('R-1', ?, 'M-1', 'summary', '{}', 'now')").run(subjectId);
    appendAudit(d, { actor: 'tester', action: 'create', entity: 'report', entityId: 'R-1' });
    d.prepare("INSERT INTO reports (id, subject_id, kind, content, created_at) VALUES ('R-2', ?, 'summary', '{}', 'now')").run(subjectId);
    d.prepare("UPDATE models SET metrics = '{\"auc\":0.99}' WHERE id = 'M-1'").run();
  });
  assert.deepEqual(r.findings.map((f) => f.message), ['model M-1 (cnn): content changed since audit row ' + r.findings[0].auditSeq, 'report R-2 (summary): not in the audit log']);
});

test('an audited deletion verifies clean; the row brought back behind GaitLab is named', async () => {
  const before = verifyAuditLog(db).entities.checked;
  const other = (db.prepare("SELECT id FROM trials WHERE key = 'GaCo02_02'").get() as { id: string }).id;
  const row = db.prepare('SELECT * FROM trials WHERE id = ?').get(other) as Record<string, unknown>;
  assert.equal(deleteTrial(db, 'tester', other), true);
  await settle();
  const r = verifyAuditLog(db);
  assert.deepEqual(r.findings, []);
  assert.equal(r.ok, true);
  assert.equal(r.entities.checked, before - 2);
  const last = db.prepare('SELECT action, entity, content FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { action: string; entity: string; content: string };
  assert.deepEqual(JSON.parse(last.content), [[`trial:${other}`, 'deleted', 'GaCo02_02'], [`trial-events:${other}`, 'deleted', 'GaCo02_02']]);
  const back = verifyAfter((d) => d.prepare(`INSERT INTO trials (${Object.keys(row).join(', ')}) VALUES (${Object.keys(row).map(() => '?').join(', ')})`).run(...Object.values(row)));
  assert.deepEqual(back.findings.map((f) => f.kind), ['resurrected']);
  assert.match(back.findings[0].message, new RegExp(`^trial ${other} \\(GaCo02_02\\): present, but audit row \\d+ records its deletion$`));
});

test('a subject deleted through GaitLab takes its sessions, trials and events with it, audited in one row', async () => {
  const co = (db.prepare("SELECT subject_id FROM subject_identity WHERE external_id = 'GaCo01'").get() as { subject_id: string }).subject_id;
  assert.equal(deleteSubject(db, 'tester', co), true);
  assert.equal(deleteSubject(db, 'tester', co), false);
  await settle();
  const r = verifyAuditLog(db);
  assert.deepEqual(r.findings, []);
  assert.equal(r.anchor.status, 'ok');
  const content = JSON.parse((db.prepare('SELECT content FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { content: string }).content) as [string, string, string][];
  assert.deepEqual(content.map(([k, h]) => [k.split(':')[0], h]), [['subject', 'deleted'], ['session', 'deleted'], ['trial', 'deleted'], ['trial-events', 'deleted']]);
});

test('the anchor writer keeps an anchor that disagrees with the log: a cut-short log stays caught after later writes', async () => {
  const path = join(dir, 'cut.db');
  const d = openDatabase(path);
  try {
    for (let i = 0; i < 6; i++) d.transaction(() => appendAudit(d, { actor: 't', action: 'note', entity: 'note', newValue: i }))();
    await settle();
    const anchored = JSON.parse(readFileSync(anchorPath(path), 'utf8')).seq;
    assert.equal(anchored, 6);
    d.exec('DROP TRIGGER audit_log_no_delete');
    d.prepare('DELETE FROM audit_log WHERE seq > 3').run();
    d.transaction(() => appendAudit(d, { actor: 't', action: 'note', entity: 'note', newValue: 'after the cut' }))();
    await settle();
    assert.equal(JSON.parse(readFileSync(anchorPath(path), 'utf8')).seq, 6, 'never moved back');
    assert.equal(verifyAuditLog(d).anchor.message, 'log ends at row 4 but the anchor says 6');
    for (let i = 0; i < 4; i++) d.transaction(() => appendAudit(d, { actor: 't', action: 'note', entity: 'note', newValue: i }))();
    await settle();
    const r = verifyAuditLog(d);
    assert.equal(r.ok, false);
    assert.equal(r.anchor.status, 'rewritten');
    assert.equal(r.anchor.message, 'row 6 is not the row the anchor recorded: the log was rewritten from there');
  } finally {
    d.close();
  }
});

test("an anchor made under another installation's key cannot be checked, and a write here adopts the database", async () => {
  const path = join(dir, 'moved.db');
  const d = openDatabase(path);
  try {
    d.transaction(() => appendAudit(d, { actor: 't', action: 'note', entity: 'note', newValue: 1 }))();
    await settle();
    const elsewhere = join(dir, 'other-installation.key');
    process.env.GAITLAB_AUDIT_KEY_FILE = elsewhere;
    const r = verifyAuditLog(d, elsewhere);
    assert.equal(r.anchor.status, 'no-key');
    assert.equal(r.ok, true);
    d.transaction(() => appendAudit(d, { actor: 't', action: 'note', entity: 'note', newValue: 2 }))();
    await settle();
    assert.equal(verifyAuditLog(d, keyFile).anchor.status, 'other-key');
    assert.match(verifyAuditLog(d, keyFile).anchor.message, /^anchor cannot be checked \(no key\)/);
    assert.equal(verifyAuditLog(d, elsewhere).anchor.status, 'ok');
  } finally {
    process.env.GAITLAB_AUDIT_KEY_FILE = keyFile;
    d.close();
  }
});

test('rows written before content hashes (schema 1) keep a valid chain; what they cover is counted as not checkable', () => {
  const path = join(dir, 'legacy.db');
  const d = openDatabase(path);
  try {
    // A subject and its audit row as GaitLab wrote them before schema 2: no content column value.
    d.prepare("INSERT INTO subjects (id, cohort, created_at) VALUES ('S-OLD', 'gaitpdb', 'then')").run();
    d.prepare("INSERT INTO subject_identity (subject_id, external_id) VALUES ('S-OLD', 'GaCo99')").run();
    const row = { actor: 'old', action: 'create', entity: 'subject', entityId: 'S-OLD', oldValue: null, newValue: '{}', content: null };
    const genesis = '0'.repeat(64);
    d.prepare('INSERT INTO audit_log (at, actor, action, entity, entity_id, old_value, new_value, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run('then', row.actor, row.action, row.entity, row.entityId, row.oldValue, row.newValue, genesis, rowHash(genesis, 'then', row));
    const r = verifyAuditLog(d);
    assert.equal(r.ok, true);
    assert.deepEqual(r.entities, { checked: 0, unverifiable: 1 });
    assert.equal(r.anchor.status, 'none');
    // The same row with a content value it was not hashed with breaks the chain.
    d.exec('DROP TRIGGER audit_log_no_update');
    d.prepare("UPDATE audit_log SET content = '[]' WHERE seq = 1").run();
    assert.equal(verifyAuditLog(d).reason, 'row content does not match its hash');
  } finally {
    d.close();
  }
});
