import type { AttributeValue, Attributes } from '../../src-shared/domain/import-batch';
import type { Db } from './db';
import { stmt } from './statements';

export type AttributeTable = 'subject_attributes' | 'session_attributes' | 'trial_attributes';
const OWNER: Record<AttributeTable, string> = { subject_attributes: 'subject_id', session_attributes: 'session_id', trial_attributes: 'trial_id' };

interface Row { key: string; value_num: number | null; value_text: string | null; unit: string | null }

function toValue(r: Row): AttributeValue {
  const v: AttributeValue = { value: r.value_num ?? r.value_text };
  if (r.unit) v.unit = r.unit;
  return v;
}

function same(a: AttributeValue, b: AttributeValue): boolean {
  return a.value === b.value && (a.unit ?? null) === (b.unit ?? null);
}

export function readAttributes(db: Db, table: AttributeTable, ownerId: string): Attributes {
  const rows = stmt(db, `SELECT key, value_num, value_text, unit FROM ${table} WHERE ${OWNER[table]} = ? ORDER BY key`).all(ownerId) as Row[];
  return Object.fromEntries(rows.map((r) => [r.key, toValue(r)]));
}

/** Reads the attributes of many owners at once (one query), for list views. */
export function readAttributesOf(db: Db, table: AttributeTable, ownerIds: string[]): Map<string, Attributes> {
  const out = new Map<string, Attributes>(ownerIds.map((id) => [id, {}]));
  if (ownerIds.length === 0) return out;
  const col = OWNER[table];
  const rows = stmt(db, `SELECT ${col} AS owner, key, value_num, value_text, unit FROM ${table} WHERE ${col} IN (SELECT value FROM json_each(?)) ORDER BY key`)
    .all(JSON.stringify(ownerIds)) as (Row & { owner: string })[];
  for (const r of rows) out.get(r.owner)![r.key] = toValue(r);
  return out;
}

/**
 * Writes attributes, returning what changed (old → new) so the caller can audit it.
 * Null values are not stored: a missing measurement is an absent row.
 */
export function mergeAttributes(db: Db, table: AttributeTable, ownerId: string, incoming: Attributes | undefined): { key: string; old: AttributeValue | null; new: AttributeValue }[] {
  if (!incoming) return [];
  const existing = readAttributes(db, table, ownerId);
  const upsert = stmt(db, `INSERT INTO ${table} (${OWNER[table]}, key, value_num, value_text, unit) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (${OWNER[table]}, key) DO UPDATE SET value_num = excluded.value_num, value_text = excluded.value_text, unit = excluded.unit`);
  const changes: { key: string; old: AttributeValue | null; new: AttributeValue }[] = [];
  for (const [key, v] of Object.entries(incoming)) {
    if (v.value === null || v.value === undefined) continue;
    const old = existing[key] ?? null;
    if (old && same(old, v)) continue;
    upsert.run(ownerId, key, typeof v.value === 'number' ? v.value : null, typeof v.value === 'string' ? v.value : null, v.unit ?? null);
    changes.push({ key, old, new: v });
  }
  return changes;
}
