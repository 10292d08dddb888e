import { createHash } from 'node:crypto';
import { scheduleAnchor } from './audit-anchor';
import type { Db } from './db';
import { entityHash, entityLabel, refKey, type EntityRef } from './entity-hash';
import { stmt } from './statements';

export interface AuditEntry {
  actor: string;
  action: string;
  entity: string;
  entityId?: string | null;
  oldValue?: unknown;
  newValue?: unknown;
  /**
   * Entities whose content this row vouches for besides the ones its entity names (see contentRefs): an
   * audited deletion lists what went with the deleted row (entityWithDescendants), read before deleting.
   */
  covers?: (EntityRef & { label?: string | null })[];
}

/** One entity's content after the change the row records: its hash, or 'deleted'; the label for messages. */
export type ContentEntry = [key: string, hash: string, label: string | null];
export const DELETED = 'deleted';

const GENESIS = '0'.repeat(64);

interface RowFields { actor: string; action: string; entity: string; entityId: string | null; oldValue: string | null; newValue: string | null; content: string | null }

export function rowHash(prev: string, at: string, e: RowFields): string {
  // Fields joined with a unit separator so that no two different rows hash the same text. Rows from before
  // content hashes (NULL content) hash as they always did, so their chain stays valid.
  const fields = [prev, at, e.actor, e.action, e.entity, e.entityId ?? '', e.oldValue ?? '', e.newValue ?? ''];
  if (e.content !== null) fields.push(e.content);
  return createHash('sha256').update(fields.join('\u001f')).digest('hex');
}

const EVENTS_ONLY_ACTIONS = new Set(['detect-events', 'extract-cycles']);

/**
 * The content entities an audit row speaks for, from the names its writers already give: a trial's row
 * vouches for the trial and its events (an import brings both), an event's row for its trial's events.
 */
export function contentRefs(db: Db, entity: string, action: string, entityId: string | null, oldValue: unknown, newValue: unknown): EntityRef[] {
  if (entityId === null) return [];
  switch (entity) {
    case 'subject': return [{ kind: 'subject', id: entityId }];
    case 'session': return [{ kind: 'session', id: entityId }];
    case 'trial':
      // A detector run or a cycle extraction leaves the signals alone: no need to read them all again.
      if (EVENTS_ONLY_ACTIONS.has(action)) return [{ kind: 'trial-events', id: entityId }];
      return [{ kind: 'trial', id: entityId }, { kind: 'trial-events', id: entityId }];
    case 'source_file': return [{ kind: 'source-file', id: entityId }];
    case 'model': return [{ kind: 'model', id: entityId }];
    case 'report': return [{ kind: 'report', id: entityId }];
    case 'reference_set': return [{ kind: 'reference-set', id: entityId }];
    case 'gait_event': {
      const row = stmt(db, 'SELECT trial_id FROM gait_events WHERE id = ?').get(Number(entityId)) as { trial_id: string } | undefined;
      // A deleted event is gone from the table: its writer names the trial in the old value.
      const trialId = row?.trial_id ?? trialIdOf(oldValue) ?? trialIdOf(newValue);
      return trialId ? [{ kind: 'trial-events', id: trialId }] : [];
    }
    default: return [];
  }
}

function trialIdOf(v: unknown): string | null {
  const t = v && typeof v === 'object' ? (v as { trialId?: unknown }).trialId : undefined;
  return typeof t === 'string' ? t : null;
}

/** Always a JSON array, '[]' when the row names no content entity: NULL marks rows older than content hashes. */
function contentOf(db: Db, refs: (EntityRef & { label?: string | null })[]): string {
  const seen = new Set<string>();
  const entries: ContentEntry[] = [];
  for (const ref of refs) {
    const key = refKey(ref);
    if (seen.has(key)) continue;
    seen.add(key);
    entries.push([key, entityHash(db, ref) ?? DELETED, entityLabel(db, ref) ?? ref.label ?? null]);
  }
  return JSON.stringify(entries);
}

function json(v: unknown): string | null {
  return v === undefined || v === null ? null : JSON.stringify(v);
}

/**
 * Appends one audit row chained to the previous one, with the content hashes of the entities it changed as
 * they are now. Call inside the transaction that makes the change, after the change; the anchor beside the
 * database follows once that transaction is over.
 */
export function appendAudit(db: Db, entry: AuditEntry): void {
  const last = stmt(db, 'SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { hash: string } | undefined;
  const prev = last?.hash ?? GENESIS;
  const at = new Date().toISOString();
  const entityId = entry.entityId ?? null;
  // The writer's own list first: it carries the labels of rows it has already deleted.
  const refs = [...(entry.covers ?? []), ...contentRefs(db, entry.entity, entry.action, entityId, entry.oldValue, entry.newValue)];
  const row: RowFields = { actor: entry.actor, action: entry.action, entity: entry.entity, entityId, oldValue: json(entry.oldValue), newValue: json(entry.newValue), content: contentOf(db, refs) };
  stmt(db,
    'INSERT INTO audit_log (at, actor, action, entity, entity_id, old_value, new_value, content, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(at, row.actor, row.action, row.entity, row.entityId, row.oldValue, row.newValue, row.content, prev, rowHash(prev, at, row));
  scheduleAnchor(db);
}

export interface AuditVerification {
  ok: boolean;
  rows: number;
  firstBadSeq: number | null;
  reason: string | null;
}

/** Recomputes the chain from the first row: any edited, inserted or removed row breaks it. */
export function verifyAudit(db: Db): AuditVerification {
  let prev = GENESIS;
  let rows = 0;
  let lastSeq = 0;
  for (const r of auditRows(db)) {
    rows++;
    if (r.seq !== lastSeq + 1) return { ok: false, rows, firstBadSeq: r.seq, reason: `row ${lastSeq + 1} is missing` };
    lastSeq = r.seq;
    if (r.prev_hash !== prev) return { ok: false, rows, firstBadSeq: r.seq, reason: 'prev_hash does not match the previous row' };
    const h = rowHash(prev, r.at, { actor: r.actor, action: r.action, entity: r.entity, entityId: r.entity_id, oldValue: r.old_value, newValue: r.new_value, content: r.content });
    if (h !== r.hash) return { ok: false, rows, firstBadSeq: r.seq, reason: 'row content does not match its hash' };
    prev = r.hash;
  }
  return { ok: true, rows, firstBadSeq: null, reason: null };
}

export interface AuditRow {
  seq: number; at: string; actor: string; action: string; entity: string; entity_id: string | null;
  old_value: string | null; new_value: string | null; content: string | null; prev_hash: string; hash: string;
}

export function auditRows(db: Db): IterableIterator<AuditRow> {
  return stmt(db, 'SELECT seq, at, actor, action, entity, entity_id, old_value, new_value, content, prev_hash, hash FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditRow>;
}
