// Gait events of a trial: imported with the file, found by a detector, or set by hand. A detector's run
// replaces its own earlier events of the trial and is stored as a run row that its events point at; manual
// corrections are kept apart and audited.
import type { Db } from './db';
import { appendAudit } from './audit';
import { insertRun, type NewRun } from './runs';
import { stmt } from './statements';

export interface StoredEvent {
  id: string;
  trialId: string;
  label: string;
  side: string | null;
  timeS: number;
  source: string;
  threshold: { value: number; unit: string } | null;
  params: Record<string, unknown> | null;
  confidence: number | null;
  manual: boolean;
  createdAt: string;
  /** The detector run that produced the event; null for the file's own events and manual ones. */
  runId: string | null;
}

export interface NewEvent {
  label: string;
  side: string | null;
  timeS: number;
  source: string;
  threshold?: { value: number; unit: string } | null;
  params?: Record<string, unknown> | null;
  confidence?: number | null;
}

interface Row { id: number; trial_id: string; label: string; side: string | null; time_s: number; source: string; threshold: number | null; threshold_unit: string | null; params: string | null; confidence: number | null; manual: number; created_at: string; run_id: number | null }

function toEvent(r: Row): StoredEvent {
  return {
    id: String(r.id), trialId: r.trial_id, label: r.label, side: r.side, timeS: r.time_s, source: r.source,
    threshold: r.threshold === null ? null : { value: r.threshold, unit: r.threshold_unit ?? '' },
    params: r.params ? (JSON.parse(r.params) as Record<string, unknown>) : null,
    confidence: r.confidence, manual: r.manual === 1, createdAt: r.created_at, runId: r.run_id === null ? null : String(r.run_id),
  };
}

export function readEvents(db: Db, trialId: string): StoredEvent[] {
  return (stmt(db, 'SELECT * FROM gait_events WHERE trial_id = ? ORDER BY time_s, id').all(trialId) as Row[]).map(toEvent);
}

export function readEvent(db: Db, id: string): StoredEvent | null {
  const r = stmt(db, 'SELECT * FROM gait_events WHERE id = ?').get(Number(id)) as Row | undefined;
  return r ? toEvent(r) : null;
}

function insert(db: Db, trialId: string, e: NewEvent, manual: boolean, now: string, runId: string | null = null): string {
  return String(stmt(db, `INSERT INTO gait_events (trial_id, label, side, time_s, source, threshold, threshold_unit, params, confidence, manual, created_at, run_id)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(trialId, e.label, e.side, e.timeS, e.source, e.threshold?.value ?? null, e.threshold?.unit ?? null,
    e.params ? JSON.stringify(e.params) : null, e.confidence ?? null, manual ? 1 : 0, now, runId === null ? null : Number(runId)).lastInsertRowid);
}

/**
 * Replaces the events a detector (the run's method) found earlier in this trial with its new run, in one step:
 * the run row, its events pointing at it, and an audit row naming the run.
 */
export function replaceDetectedEvents(db: Db, actor: string, run: NewRun & { trialId: string }, events: NewEvent[]): { runId: string; events: StoredEvent[] } {
  return db.transaction(() => {
    const { trialId, method: source } = run;
    const removed = stmt(db, 'DELETE FROM gait_events WHERE trial_id = ? AND source = ? AND manual = 0').run(trialId, source).changes;
    const runId = insertRun(db, actor, run);
    const now = new Date().toISOString();
    for (const e of events) insert(db, trialId, { ...e, source }, false, now, runId);
    appendAudit(db, { actor, action: 'detect-events', entity: 'trial', entityId: trialId, oldValue: removed ? { source, events: removed } : null,
      newValue: { source, version: run.version, runId, events: events.length, params: run.params } });
    return { runId, events: readEvents(db, trialId) };
  })();
}

/**
 * A technician's correction: the event moves to `timeS` and becomes manual (source 'manual', the
 * original source kept in params). Audited with the old and new values.
 */
export function correctEvent(db: Db, actor: string, id: string, change: { timeS?: number; label?: string; side?: string | null }): StoredEvent {
  return db.transaction(() => {
    const old = readEvent(db, id);
    if (!old) throw new Error(`no event ${id}`);
    const next = { timeS: change.timeS ?? old.timeS, label: change.label ?? old.label, side: change.side === undefined ? old.side : change.side };
    const params = { ...(old.params ?? {}), correctedFrom: { source: old.source, timeS: old.timeS, label: old.label, side: old.side } };
    stmt(db, "UPDATE gait_events SET time_s = ?, label = ?, side = ?, source = 'manual', manual = 1, params = ? WHERE id = ?")
      .run(next.timeS, next.label, next.side, JSON.stringify(params), Number(id));
    appendAudit(db, { actor, action: 'correct-event', entity: 'gait_event', entityId: id,
      oldValue: { timeS: old.timeS, label: old.label, side: old.side, source: old.source }, newValue: { ...next, source: 'manual' } });
    return readEvent(db, id)!;
  })();
}

export function addManualEvent(db: Db, actor: string, trialId: string, e: { label: string; side: string | null; timeS: number }): StoredEvent {
  return db.transaction(() => {
    const id = insert(db, trialId, { ...e, source: 'manual' }, true, new Date().toISOString());
    appendAudit(db, { actor, action: 'add-event', entity: 'gait_event', entityId: id, newValue: { trialId, ...e } });
    return readEvent(db, id)!;
  })();
}

export function deleteEvent(db: Db, actor: string, id: string): void {
  db.transaction(() => {
    const old = readEvent(db, id);
    if (!old) throw new Error(`no event ${id}`);
    stmt(db, 'DELETE FROM gait_events WHERE id = ?').run(Number(id));
    appendAudit(db, { actor, action: 'delete-event', entity: 'gait_event', entityId: id, oldValue: old });
  })();
}
