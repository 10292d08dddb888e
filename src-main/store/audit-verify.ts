// `audit verify` in full: the hash chain, the content of every entity against the last hash the chain
// recorded for it, and the chain's head against the anchor beside the database.
import { auditRows, contentRefs, DELETED, verifyAudit, type AuditVerification, type ContentEntry } from './audit';
import { checkAnchor, type AnchorCheck } from './audit-anchor';
import type { Db } from './db';
import { allEntities, entityHash, entityLabel, parseRefKey, refKey, type EntityKind, type EntityRef } from './entity-hash';

export type FindingKind = 'changed' | 'missing' | 'unaudited' | 'resurrected';

export interface ContentFinding {
  kind: FindingKind;
  entity: EntityKind;
  id: string;
  label: string | null;
  /** The audit row that last spoke for the entity; null when none did. */
  auditSeq: number | null;
  message: string;
}

export interface AuditReport extends AuditVerification {
  /** checked: entities compared with a recorded hash; unverifiable: audited only by rows older than content hashes. */
  entities: { checked: number; unverifiable: number };
  findings: ContentFinding[];
  anchor: AnchorCheck;
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function describe(ref: EntityRef, label: string | null): string {
  const name = ref.kind === 'trial-events' ? `events of trial ${ref.id}` : `${ref.kind} ${ref.id}`;
  return label ? `${name} (${label})` : name;
}

/** A trial's events go with the trial: when the trial itself is reported, its events are not reported again. */
function coveredByTrial(ref: EntityRef, reported: Set<string>): boolean {
  return ref.kind === 'trial-events' && reported.has(refKey({ kind: 'trial', id: ref.id }));
}

export function verifyAuditLog(db: Db, keyPath?: string): AuditReport {
  const chain = verifyAudit(db);

  // The chain's last word on each entity, and what rows older than content hashes spoke for.
  const last = new Map<string, { seq: number; hash: string; label: string | null }>();
  const legacy = new Set<string>();
  let contentRows = false;
  for (const r of auditRows(db)) {
    if (r.content === null) {
      for (const ref of contentRefs(db, r.entity, r.action, r.entity_id, parseJson(r.old_value), parseJson(r.new_value))) {
        legacy.add(refKey(ref));
        if (ref.kind === 'trial') legacy.add(refKey({ kind: 'trial-events', id: ref.id }));
      }
      continue;
    }
    contentRows = true;
    const entries = parseJson(r.content);
    if (!Array.isArray(entries)) continue; // an edited row: the chain check has named it
    for (const [key, hash, label] of entries as ContentEntry[]) last.set(key, { seq: r.seq, hash, label });
  }

  const findings: ContentFinding[] = [];
  const reported = new Set<string>();
  const find = (kind: FindingKind, ref: EntityRef, label: string | null, auditSeq: number | null, what: string) => {
    if (coveredByTrial(ref, reported)) return;
    reported.add(refKey(ref));
    findings.push({ kind, entity: ref.kind, id: ref.id, label, auditSeq, message: `${describe(ref, label)}: ${what}` });
  };

  let checked = 0;
  let unverifiable = 0;
  const present = new Set<string>();
  for (const ref of allEntities(db)) {
    const key = refKey(ref);
    present.add(key);
    const word = last.get(key);
    if (!word) {
      if (legacy.has(key)) unverifiable++;
      else find('unaudited', ref, entityLabel(db, ref), null, 'not in the audit log');
      continue;
    }
    checked++;
    if (word.hash === DELETED) find('resurrected', ref, entityLabel(db, ref), word.seq, `present, but audit row ${word.seq} records its deletion`);
    else if (entityHash(db, ref) !== word.hash) find('changed', ref, entityLabel(db, ref), word.seq, `content changed since audit row ${word.seq}`);
  }
  for (const [key, word] of last) {
    if (present.has(key) || word.hash === DELETED) continue;
    const ref = parseRefKey(key);
    if (ref) find('missing', ref, word.label, word.seq, `deleted without an audited deletion (last audited at row ${word.seq})`);
  }

  const anchor = checkAnchor(db, contentRows, keyPath);
  return { ...chain, ok: chain.ok && findings.length === 0 && !anchor.failed, entities: { checked, unverifiable }, findings, anchor };
}
