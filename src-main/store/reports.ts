// Issued reports: immutable snapshots of the report model (JSON). Written once with an audit row; never updated
// (a new analysis issues a new report). Deleting a subject keeps its reports with subject_id NULL (deletions.ts).
import { appendAudit } from './audit';
import type { Db } from './db';
import { stmt } from './statements';

export interface ReportRow { id: string; subjectId: string | null; kind: string; content: string; createdAt: string }

export function insertReport(db: Db, actor: string, r: ReportRow): void {
  db.transaction(() => {
    stmt(db, 'INSERT INTO reports (id, subject_id, model_id, kind, content, pdf, created_at) VALUES (?, ?, NULL, ?, ?, NULL, ?)').run(r.id, r.subjectId, r.kind, r.content, r.createdAt);
    appendAudit(db, { actor, action: 'create', entity: 'report', entityId: r.id, newValue: { subjectId: r.subjectId, kind: r.kind } });
  })();
}

interface Row { id: string; subject_id: string | null; kind: string; content: string; created_at: string }
const toRow = (r: Row): ReportRow => ({ id: r.id, subjectId: r.subject_id, kind: r.kind, content: r.content, createdAt: r.created_at });

export function readReport(db: Db, id: string): ReportRow | null {
  const r = stmt(db, 'SELECT id, subject_id, kind, content, created_at FROM reports WHERE id = ?').get(id) as Row | undefined;
  return r ? toRow(r) : null;
}

export function listReportRows(db: Db, subjectId?: string): ReportRow[] {
  const rows = subjectId
    ? stmt(db, 'SELECT id, subject_id, kind, content, created_at FROM reports WHERE subject_id = ? ORDER BY created_at DESC').all(subjectId)
    : stmt(db, 'SELECT id, subject_id, kind, content, created_at FROM reports ORDER BY created_at DESC').all();
  return (rows as Row[]).map(toRow);
}
