// Deleting a trial or a subject through GaitLab: the rows that go with it (ON DELETE CASCADE) are listed
// before the delete, so that the audit row's last word on each of them is "deleted" and `audit verify`
// tells this deletion from rows removed behind GaitLab's back.
import { appendAudit } from './audit';
import type { Db } from './db';
import { entityLabel, entityWithDescendants, type EntityRef } from './entity-hash';
import { stmt } from './statements';

function labelled(db: Db, refs: EntityRef[]): (EntityRef & { label: string | null })[] {
  return refs.map((r) => ({ ...r, label: entityLabel(db, r) }));
}

/** Deletes a trial with its signals, clocks, events and cycles, in one audited step. False when there is no such trial. */
export function deleteTrial(db: Db, actor: string, trialId: string): boolean {
  return db.transaction(() => {
    const row = stmt(db, 'SELECT key, session_id FROM trials WHERE id = ?').get(trialId) as { key: string; session_id: string } | undefined;
    if (!row) return false;
    const covers = labelled(db, entityWithDescendants(db, { kind: 'trial', id: trialId }));
    stmt(db, 'DELETE FROM trials WHERE id = ?').run(trialId);
    appendAudit(db, { actor, action: 'delete', entity: 'trial', entityId: trialId, oldValue: { key: row.key, sessionId: row.session_id }, covers });
    return true;
  })();
}

/** Deletes a subject with its identity, sessions and their trials, in one audited step. False when there is no such subject. */
export function deleteSubject(db: Db, actor: string, subjectId: string): boolean {
  return db.transaction(() => {
    const label = entityLabel(db, { kind: 'subject', id: subjectId });
    if (!stmt(db, 'SELECT 1 FROM subjects WHERE id = ?').get(subjectId)) return false;
    // Its reports stay, with subject_id set to NULL: the row records their new content too.
    const reports = (stmt(db, 'SELECT id FROM reports WHERE subject_id = ?').all(subjectId) as { id: string }[]).map((r): EntityRef => ({ kind: 'report', id: r.id }));
    const covers = labelled(db, [...entityWithDescendants(db, { kind: 'subject', id: subjectId }), ...reports]);
    stmt(db, 'DELETE FROM subjects WHERE id = ?').run(subjectId);
    appendAudit(db, { actor, action: 'delete', entity: 'subject', entityId: subjectId, oldValue: { externalId: label }, covers });
    return true;
  })();
}
