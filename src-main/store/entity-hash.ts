// The content hash of an entity: a canonical SHA-256 of its current rows, so that the audit log can say what
// an entity looked like when it was last changed through GaitLab, and `audit verify` can tell a direct edit
// of the data (a group changed, a byte of a signal flipped, a trial deleted) from a change GaitLab made.
//
// The columns hashed are listed here explicitly rather than with SELECT *: a later migration that adds a
// column must not make every stored entity look edited. Derived data (cycles) is left out: it is dropped and
// extracted again from the events without an audit row, and it proves nothing the events do not.
import { createHash, type Hash } from 'node:crypto';
import type { Db } from './db';
import { stmt } from './statements';

export type EntityKind = 'subject' | 'session' | 'trial' | 'trial-events' | 'source-file' | 'model' | 'report' | 'reference-set';

export const ENTITY_KINDS: readonly EntityKind[] = ['subject', 'session', 'trial', 'trial-events', 'source-file', 'model', 'report', 'reference-set'];

export interface EntityRef { kind: EntityKind; id: string }

export const refKey = (r: EntityRef): string => `${r.kind}:${r.id}`;

export function parseRefKey(key: string): EntityRef | null {
  const i = key.indexOf(':');
  const kind = key.slice(0, i) as EntityKind;
  return i > 0 && ENTITY_KINDS.includes(kind) ? { kind, id: key.slice(i + 1) } : null;
}

/**
 * Statements of this module, under their own text: raw()/pluck() change a prepared statement's mode, and the
 * shared cache must not hand another module a statement left in that mode.
 */
const q = (db: Db, sql: string) => stmt(db, `/* entity-hash */ ${sql}`);

type Value = string | number | bigint | Buffer | null;

const TAG = { null: 0, num: 1, str: 2, blob: 3, big: 4, row: 5, table: 6 } as const;

/** Feeds one value with a type tag and a length, so that no two different row sets produce the same bytes. */
function feed(h: Hash, v: Value): void {
  if (v === null || v === undefined) {
    h.update(Buffer.of(TAG.null));
  } else if (typeof v === 'number') {
    const b = Buffer.alloc(9);
    b[0] = TAG.num;
    b.writeDoubleBE(v, 1);
    h.update(b);
  } else if (typeof v === 'bigint') {
    feed(h, v.toString());
    h.update(Buffer.of(TAG.big));
  } else if (typeof v === 'string') {
    const s = Buffer.from(v, 'utf8');
    const head = Buffer.alloc(5);
    head[0] = TAG.str;
    head.writeUInt32BE(s.length, 1);
    h.update(head).update(s);
  } else {
    const head = Buffer.alloc(5);
    head[0] = TAG.blob;
    head.writeUInt32BE(v.length, 1);
    h.update(head).update(v);
  }
}

/** Feeds a table's rows (columns in the order selected) under the table's name and the row count. */
function feedRows(h: Hash, table: string, rows: Value[][]): void {
  h.update(Buffer.of(TAG.table));
  feed(h, table);
  feed(h, rows.length);
  for (const row of rows) {
    h.update(Buffer.of(TAG.row));
    for (const v of row) feed(h, v);
  }
}

/**
 * Each entity: the query that says whether it exists (its main row) and the dependent tables hashed with it.
 * An `optional` part (columns added by a later migration) is fed only when it has rows, so that entities
 * written before those columns existed keep the hash the audit log holds for them.
 */
interface Part { table: string; sql: string; optional?: boolean }

const PARTS: Record<EntityKind, Part[]> = {
  subject: [
    { table: 'subjects', sql: 'SELECT id, cohort, group_label, sex, created_at FROM subjects WHERE id = ?' },
    { table: 'subject_identity', sql: 'SELECT external_id, display_name, birth_date, notes FROM subject_identity WHERE subject_id = ?' },
    { table: 'subject_attributes', sql: 'SELECT key, value_num, value_text, unit FROM subject_attributes WHERE subject_id = ? ORDER BY key' },
    // Schema 5: record number and contact, and the date each score was taken.
    { table: 'subject_identity_5', optional: true, sql: `SELECT record_number, contact FROM subject_identity WHERE subject_id = ?
      AND (record_number IS NOT NULL OR contact IS NOT NULL)` },
    { table: 'subject_attributes_5', optional: true, sql: 'SELECT key, taken_on FROM subject_attributes WHERE subject_id = ? AND taken_on IS NOT NULL ORDER BY key' },
  ],
  session: [
    { table: 'sessions', sql: 'SELECT id, subject_id, key, label, date, condition, created_at FROM sessions WHERE id = ?' },
    { table: 'session_attributes', sql: 'SELECT key, value_num, value_text, unit FROM session_attributes WHERE session_id = ? ORDER BY key' },
  ],
  trial: [
    { table: 'trials', sql: 'SELECT id, session_id, key, label, source_file_id, source_location, content_sha256, duration_s, created_at FROM trials WHERE id = ?' },
    { table: 'trial_attributes', sql: 'SELECT key, value_num, value_text, unit FROM trial_attributes WHERE trial_id = ? ORDER BY key' },
    { table: 'trial_clocks', sql: 'SELECT clock, samples, encoding, data FROM trial_clocks WHERE trial_id = ? ORDER BY clock' },
    { table: 'signals', sql: 'SELECT id, channel, unit, rate_hz, domain, side, samples, encoding, data, device, position FROM signals WHERE trial_id = ? ORDER BY id' },
  ],
  // A trial's events are one entity: a detector's re-run replaces several rows in one audited step.
  'trial-events': [
    { table: 'trials', sql: 'SELECT id FROM trials WHERE id = ?' },
    { table: 'gait_events', sql: 'SELECT id, label, side, time_s, source, threshold, threshold_unit, params, confidence, manual, created_at FROM gait_events WHERE trial_id = ? ORDER BY id' },
  ],
  'source-file': [
    { table: 'source_files', sql: 'SELECT id, name, sha256, format, bytes, path, imported_at, import_id FROM source_files WHERE id = ?' },
  ],
  model: [
    { table: 'models', sql: 'SELECT id, method, name, params, metrics, artefact, created_at, method_version, job_id, architecture, weights_manifest, data_selection, preprocessing, seed, backend, gaitlab_version, actor FROM models WHERE id = ?' },
  ],
  report: [
    { table: 'reports', sql: 'SELECT id, subject_id, model_id, kind, content, pdf, created_at FROM reports WHERE id = ?' },
  ],
  // Schema 8: a normative reference set with its members and curves (issue 22).
  'reference-set': [
    { table: 'reference_sets', sql: 'SELECT id, name, version, method, method_version, params, origin, source_file, n_subjects, n_cycles, created_at, actor FROM reference_sets WHERE id = ?' },
    { table: 'reference_members', sql: 'SELECT subject_id, trial_id, content_sha256 FROM reference_members WHERE reference_id = ? ORDER BY rowid' },
    { table: 'reference_curves', sql: 'SELECT channel, unit, n_cycles, n_subjects, mean, sd FROM reference_curves WHERE reference_id = ? ORDER BY channel' },
  ],
};

/** source_files and (future) integer-keyed entities are stored with numeric ids. */
function bindId(kind: EntityKind, id: string): string | number {
  return kind === 'source-file' ? Number(id) : id;
}

/** The entity's content hash (hex), or null when its main row does not exist. */
export function entityHash(db: Db, ref: EntityRef): string | null {
  const h = createHash('sha256');
  feed(h, ref.kind);
  const parts = PARTS[ref.kind];
  for (let i = 0; i < parts.length; i++) {
    const rows = q(db, parts[i].sql).raw(true).all(bindId(ref.kind, ref.id)) as Value[][];
    if (i === 0 && rows.length === 0) return null;
    if (parts[i].optional && rows.length === 0) continue;
    feedRows(h, parts[i].table, rows);
  }
  return h.digest('hex');
}

const LABEL_SQL: Record<EntityKind, string> = {
  subject: 'SELECT external_id FROM subject_identity WHERE subject_id = ?',
  session: 'SELECT key FROM sessions WHERE id = ?',
  trial: 'SELECT key FROM trials WHERE id = ?',
  'trial-events': 'SELECT key FROM trials WHERE id = ?',
  'source-file': 'SELECT name FROM source_files WHERE id = ?',
  model: 'SELECT name FROM models WHERE id = ?',
  report: 'SELECT kind FROM reports WHERE id = ?',
  'reference-set': "SELECT name || ' v' || version FROM reference_sets WHERE id = ?",
};

/** What a person knows the entity by (GaPt03, GaPt03_01, a file name), kept in the audit row for deleted ones. */
export function entityLabel(db: Db, ref: EntityRef): string | null {
  const v = q(db, LABEL_SQL[ref.kind]).pluck(true).get(bindId(ref.kind, ref.id));
  return v === undefined || v === null ? null : String(v);
}

const ALL_SQL: Record<EntityKind, string> = {
  subject: 'SELECT id FROM subjects ORDER BY id',
  session: 'SELECT id FROM sessions ORDER BY id',
  trial: 'SELECT id FROM trials ORDER BY id',
  'trial-events': 'SELECT id FROM trials ORDER BY id',
  'source-file': 'SELECT id FROM source_files ORDER BY id',
  model: 'SELECT id FROM models ORDER BY id',
  report: 'SELECT id FROM reports ORDER BY id',
  'reference-set': 'SELECT id FROM reference_sets ORDER BY id',
};

/** Every entity stored now, kind by kind. */
export function* allEntities(db: Db): Generator<EntityRef> {
  for (const kind of ENTITY_KINDS) {
    for (const id of q(db, ALL_SQL[kind]).pluck(true).all() as (string | number)[]) yield { kind, id: String(id) };
  }
}

/** The entities whose children go with them when a row is deleted (ON DELETE CASCADE), for an audited deletion. */
export function entityWithDescendants(db: Db, ref: EntityRef): EntityRef[] {
  const trialsOf = (sessionId: string) => q(db, 'SELECT id FROM trials WHERE session_id = ? ORDER BY id').pluck(true).all(sessionId) as string[];
  const withEvents = (trialId: string): EntityRef[] => [{ kind: 'trial', id: trialId }, { kind: 'trial-events', id: trialId }];
  const sessionTree = (sessionId: string): EntityRef[] => [{ kind: 'session', id: sessionId }, ...trialsOf(sessionId).flatMap(withEvents)];
  switch (ref.kind) {
    case 'trial': return withEvents(ref.id);
    case 'session': return sessionTree(ref.id);
    case 'subject': {
      const sessions = q(db, 'SELECT id FROM sessions WHERE subject_id = ? ORDER BY id').pluck(true).all(ref.id) as string[];
      return [ref, ...sessions.flatMap(sessionTree)];
    }
    default: return [ref];
  }
}
