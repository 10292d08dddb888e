// Schema version 3 on a database made by version 1: detections recorded only in the audit log become run rows
// that their events point at, so an upgraded lab database reads its detectors from runs and detects nothing again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { rowHash, verifyAudit } from '../../src-main/store/audit';
import { openDatabase } from '../../src-main/store/db';
import { LATEST_SCHEMA_VERSION, migrations } from '../../src-main/store/migrations';
import { readEvents } from '../../src-main/store/events';
import { listRuns } from '../../src-main/store/runs';
import { closeServiceContext, openServiceContext } from '../../src-main/services/context';
import { createDispatcher } from '../../src-main/services/dispatch';
import { tempDir } from '../helpers';

function versionOneDatabase(path: string): void {
  const db = new Database(path);
  db.exec(migrations.find((m) => m.version === 1)!.sql);
  db.pragma('user_version = 1');
  const now = '2026-11-01T09:00:00.000Z';
  db.prepare("INSERT INTO subjects (id, cohort, created_at) VALUES ('S-A', 'lab', ?)").run(now);
  db.prepare("INSERT INTO subject_identity (subject_id, external_id) VALUES ('S-A', 'LAB01')").run();
  db.prepare("INSERT INTO sessions (id, subject_id, key, label, created_at) VALUES ('E-A', 'S-A', 's1', 'Session 1', ?)").run(now);
  for (const [id, hash] of [['T-A', 'aa'.repeat(32)], ['T-B', 'bb'.repeat(32)]]) {
    db.prepare("INSERT INTO trials (id, session_id, key, label, content_sha256, created_at) VALUES (?, 'E-A', ?, ?, ?, ?)").run(id, id, id, hash, now);
  }
  const event = db.prepare('INSERT INTO gait_events (trial_id, label, side, time_s, source, params, manual, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  event.run('T-A', 'initial_contact', 'left', 1.0, 'InsoleEvents', '{"onFraction":0.12}', 0, now);
  event.run('T-A', 'final_contact', 'left', 1.6, 'InsoleEvents', '{"onFraction":0.12}', 0, now);
  event.run('T-A', 'initial_contact', 'right', 1.5, 'manual', null, 1, now);
  event.run('T-B', 'initial_contact', 'left', 0.5, 'c3d:EVENT', null, 0, now);
  // T-A was detected twice (the second run with other parameters); T-B never.
  // Audit rows as version 1 wrote them (no content column): the chain of rowHash without content.
  let prev = '0'.repeat(64);
  const auditV1 = (oldValue: unknown, newValue: unknown) => {
    const row = { actor: 'tech@cli', action: 'detect-events', entity: 'trial', entityId: 'T-A', oldValue: oldValue === null ? null : JSON.stringify(oldValue), newValue: JSON.stringify(newValue), content: null };
    const hash = rowHash(prev, now, row);
    db.prepare('INSERT INTO audit_log (at, actor, action, entity, entity_id, old_value, new_value, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(now, row.actor, row.action, row.entity, row.entityId, row.oldValue, row.newValue, prev, hash);
    prev = hash;
  };
  auditV1(null, { source: 'InsoleEvents', events: 3, params: { onFraction: 0.1 } });
  auditV1({ source: 'InsoleEvents', events: 3 }, { source: 'InsoleEvents', events: 2, params: { onFraction: 0.12 } });
  db.close();
}

test("version 1 → 3: each trial's last detection becomes a run row and its events point at it; the audit chain stays intact", async () => {
  const path = join(tempDir(), 'v1.db');
  versionOneDatabase(path);
  const db = openDatabase(path);
  assert.equal(db.pragma('user_version', { simple: true }), LATEST_SCHEMA_VERSION);
  const runs = listRuns(db, 'T-A');
  assert.equal(runs.length, 1);
  const [run] = runs;
  assert.deepEqual([run.method, run.version, run.role, run.params, run.seed, run.actor, run.outputs], ['InsoleEvents', '0.0.0', 'gait-events', { onFraction: 0.12 }, null, 'tech@cli', { events: 2 }]);
  assert.deepEqual(run.inputs, { trials: [{ trialId: 'T-A', contentSha256: 'aa'.repeat(32) }], fromAuditSeq: 2 });
  assert.deepEqual(readEvents(db, 'T-A').map((e) => [e.source, e.runId]), [['InsoleEvents', run.id], ['manual', null], ['InsoleEvents', run.id]]);
  assert.deepEqual(listRuns(db, 'T-B'), []);
  assert.deepEqual(readEvents(db, 'T-B').map((e) => e.runId), [null]);
  assert.equal(verifyAudit(db).ok, true);
  db.close();

  // The service reads the detector from the run row: nothing is pending, nothing is written.
  const ctx = openServiceContext({ dbPath: path, mode: 'cli' });
  const call = createDispatcher(ctx);
  const r = (await call('getEvents', { trialId: 'T-A' })) as any;
  assert.deepEqual(r.detector, { name: 'InsoleEvents', version: '0.0.0', runId: run.id, ranAt: run.finishedAt, params: { onFraction: 0.12 } });
  assert.equal(r.pendingDetector, null);
  closeServiceContext(ctx);
});
