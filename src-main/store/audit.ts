import { createHash } from 'node:crypto';
import type { Db } from './db';
import { stmt } from './statements';

export interface AuditEntry {
  actor: string;
  action: string;
  entity: string;
  entityId?: string | null;
  oldValue?: unknown;
  newValue?: unknown;
}

const GENESIS = '0'.repeat(64);

function rowHash(prev: string, at: string, e: { actor: string; action: string; entity: string; entityId: string | null; oldValue: string | null; newValue: string | null }): string {
  // Fields joined with a unit separator so that no two different rows hash the same text.
  return createHash('sha256')
    .update([prev, at, e.actor, e.action, e.entity, e.entityId ?? '', e.oldValue ?? '', e.newValue ?? ''].join('\u001f'))
    .digest('hex');
}

function json(v: unknown): string | null {
  return v === undefined || v === null ? null : JSON.stringify(v);
}

/** Appends one audit row chained to the previous one. Call inside the transaction that makes the change. */
export function appendAudit(db: Db, entry: AuditEntry): void {
  const last = stmt(db, 'SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { hash: string } | undefined;
  const prev = last?.hash ?? GENESIS;
  const at = new Date().toISOString();
  const row = { actor: entry.actor, action: entry.action, entity: entry.entity, entityId: entry.entityId ?? null, oldValue: json(entry.oldValue), newValue: json(entry.newValue) };
  stmt(db, 
    'INSERT INTO audit_log (at, actor, action, entity, entity_id, old_value, new_value, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(at, row.actor, row.action, row.entity, row.entityId, row.oldValue, row.newValue, prev, rowHash(prev, at, row));
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
  const it = stmt(db, 'SELECT seq, at, actor, action, entity, entity_id, old_value, new_value, prev_hash, hash FROM audit_log ORDER BY seq').iterate() as IterableIterator<{
    seq: number; at: string; actor: string; action: string; entity: string; entity_id: string | null; old_value: string | null; new_value: string | null; prev_hash: string; hash: string;
  }>;
  for (const r of it) {
    rows++;
    if (r.seq !== lastSeq + 1) return { ok: false, rows, firstBadSeq: r.seq, reason: `row ${lastSeq + 1} is missing` };
    lastSeq = r.seq;
    if (r.prev_hash !== prev) return { ok: false, rows, firstBadSeq: r.seq, reason: 'prev_hash does not match the previous row' };
    const h = rowHash(prev, r.at, { actor: r.actor, action: r.action, entity: r.entity, entityId: r.entity_id, oldValue: r.old_value, newValue: r.new_value });
    if (h !== r.hash) return { ok: false, rows, firstBadSeq: r.seq, reason: 'row content does not match its hash' };
    prev = r.hash;
  }
  return { ok: true, rows, firstBadSeq: null, reason: null };
}
