// The lab's own visit records: sessions created and edited by hand, and trials excluded with a reason. A
// visit's conditions and tags are session attributes and an exclusion is a trial attribute, so the content
// hashes that `audit verify` checks cover them without a new column.
import {
  checkDate, checkSessionField, SESSION_TAGS_KEY, TRIAL_EXCLUDED_KEY, TRIAL_ROLE_KEY, type FieldValue,
} from '../../src-shared/domain/subject-fields';
import { InputError } from '../../src-shared/domain/errors';
import { appendAudit } from './audit';
import type { Db } from './db';
import { newId } from './ids';
import { stmt } from './statements';
import { subjectExists } from './trial-meta';

export interface SessionInput {
  key?: string;
  label?: string;
  /** YYYY-MM-DD; null clears it. */
  date?: string | null;
  condition?: string | null;
  /** Visit conditions (footwear, orthosis, walking aid, speed instruction, assessor, notes); null removes one. */
  fields?: Record<string, FieldValue>;
  tags?: string[];
}

interface Checked { key?: string; label?: string; date?: string | null; condition?: string | null; fields: Record<string, string | null>; tags?: string[] }

const KEY = /^[A-Za-z0-9][A-Za-z0-9 _.:()-]{0,63}$/;

function check(where: string, input: SessionInput): Checked {
  const out: Checked = { fields: {} };
  if (input.key !== undefined) {
    if (!KEY.test(input.key)) throw new InputError(where, null, 'key', `expected 1–64 letters, digits, spaces and _.:()-, found "${input.key}"`);
    out.key = input.key;
  }
  if (input.label !== undefined) {
    const l = input.label.trim();
    if (l.length === 0 || l.length > 200) throw new InputError(where, null, 'label', 'expected 1–200 characters');
    out.label = l;
  }
  if (input.date !== undefined) out.date = input.date === null ? null : checkDate(where, 'date', input.date);
  if (input.condition !== undefined) {
    const c = input.condition?.trim() || null;
    if (c && c.length > 200) throw new InputError(where, null, 'condition', 'at most 200 characters');
    out.condition = c;
  }
  for (const [k, v] of Object.entries(input.fields ?? {})) out.fields[k] = checkSessionField(where, k, v);
  if (input.tags !== undefined) {
    const tags = [...new Set(input.tags.map((t) => t.trim()).filter((t) => t.length > 0))].sort();
    const bad = tags.find((t) => t.length > 64 || /[,\u0000-\u001f]/.test(t));
    if (bad !== undefined) throw new InputError(where, null, 'tags', `a tag is 1–64 characters without commas, found "${bad.slice(0, 70)}"`);
    out.tags = tags;
  }
  return out;
}

function writeText(db: Db, sessionId: string, key: string, value: string | null): void {
  if (value === null) stmt(db, 'DELETE FROM session_attributes WHERE session_id = ? AND key = ?').run(sessionId, key);
  else stmt(db, `INSERT INTO session_attributes (session_id, key, value_num, value_text, unit) VALUES (?, ?, NULL, ?, NULL)
    ON CONFLICT (session_id, key) DO UPDATE SET value_num = NULL, value_text = excluded.value_text, unit = NULL`).run(sessionId, key, value);
}

function readText(db: Db, sessionId: string, key: string): string | null {
  const r = stmt(db, 'SELECT value_text FROM session_attributes WHERE session_id = ? AND key = ?').get(sessionId, key) as { value_text: string | null } | undefined;
  return r?.value_text ?? null;
}

const slug = (label: string) => label.replace(/[^A-Za-z0-9 _.:()-]+/g, '-').slice(0, 64) || 'visit';

/** Creates a visit for a subject, e.g. before recording it. */
export function createSession(db: Db, actor: string, subjectId: string, input: SessionInput): string {
  const c = check('new session', input);
  if (!c.label && !c.key) throw new InputError('new session', null, 'label', 'a visit needs a label (or a key)');
  return db.transaction(() => {
    if (!subjectExists(db, subjectId)) throw new InputError(`subject ${subjectId}`, null, null, 'no such subject');
    const label = c.label ?? c.key!;
    let key = c.key ?? slug(label);
    const taken = (k: string) => !!stmt(db, 'SELECT 1 FROM sessions WHERE subject_id = ? AND key = ?').get(subjectId, k);
    if (taken(key)) {
      if (c.key) throw new InputError('new session', null, 'key', `subject ${subjectId} already has a session "${key}"`);
      for (let n = 2; taken(key); n++) key = `${slug(label)} (${n})`;
    }
    const id = newId('SE');
    stmt(db, 'INSERT INTO sessions (id, subject_id, key, label, date, condition, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(id, subjectId, key, label, c.date ?? null, c.condition ?? null, new Date().toISOString());
    for (const [k, v] of Object.entries(c.fields)) writeText(db, id, k, v);
    if (c.tags?.length) writeText(db, id, SESSION_TAGS_KEY, JSON.stringify(c.tags));
    appendAudit(db, { actor, action: 'create', entity: 'session', entityId: id, newValue: { subjectId, key, label, date: c.date ?? null, condition: c.condition ?? null, ...c.fields, tags: c.tags } });
    return id;
  })();
}

/** Edits a visit; what is left out stays. Returns the names of what changed. */
export function editSession(db: Db, actor: string, sessionId: string, input: SessionInput): string[] {
  const where = `session ${sessionId}`;
  const c = check(where, input);
  return db.transaction(() => {
    const row = stmt(db, 'SELECT subject_id, key, label, date, condition FROM sessions WHERE id = ?').get(sessionId) as
      { subject_id: string; key: string; label: string; date: string | null; condition: string | null } | undefined;
    if (!row) throw new InputError(where, null, null, 'no such session');
    const oldValue: Record<string, unknown> = {}, newValue: Record<string, unknown> = {};
    const next = { key: c.key ?? row.key, label: c.label ?? row.label, date: c.date !== undefined ? c.date : row.date, condition: c.condition !== undefined ? c.condition : row.condition };
    for (const k of ['key', 'label', 'date', 'condition'] as const) if (next[k] !== row[k]) { oldValue[k] = row[k]; newValue[k] = next[k]; }
    if (next.key !== row.key && stmt(db, 'SELECT 1 FROM sessions WHERE subject_id = ? AND key = ?').get(row.subject_id, next.key)) {
      throw new InputError(where, null, 'key', `subject ${row.subject_id} already has a session "${next.key}"`);
    }
    if (Object.keys(newValue).length) {
      stmt(db, 'UPDATE sessions SET key = ?, label = ?, date = ?, condition = ? WHERE id = ?').run(next.key, next.label, next.date, next.condition, sessionId);
    }
    const texts: Record<string, string | null> = { ...c.fields };
    if (c.tags !== undefined) texts[SESSION_TAGS_KEY] = c.tags.length ? JSON.stringify(c.tags) : null;
    for (const [k, v] of Object.entries(texts)) {
      const old = readText(db, sessionId, k);
      if (old === v) continue;
      writeText(db, sessionId, k, v);
      oldValue[k] = old; newValue[k] = v;
    }
    const changed = Object.keys(newValue);
    if (changed.length) appendAudit(db, { actor, action: 'update', entity: 'session', entityId: sessionId, oldValue, newValue });
    return changed;
  })();
}

/** Excludes a trial (kept, flagged, left out of parameters and methods) with a reason; a null reason includes it again. */
export function setTrialExclusion(db: Db, actor: string, trialId: string, reason: string | null): boolean {
  const where = `trial ${trialId}`;
  const why = reason === null ? null : reason.trim();
  if (why !== null && (why.length === 0 || why.length > 500)) throw new InputError(where, null, 'reason', 'an exclusion needs a reason of 1–500 characters');
  return db.transaction(() => {
    if (!stmt(db, 'SELECT 1 FROM trials WHERE id = ?').get(trialId)) throw new InputError(where, null, null, 'no such trial');
    const old = (stmt(db, 'SELECT value_text FROM trial_attributes WHERE trial_id = ? AND key = ?').get(trialId, TRIAL_EXCLUDED_KEY) as { value_text: string | null } | undefined)?.value_text ?? null;
    if (old === why) return false;
    if (why === null) stmt(db, 'DELETE FROM trial_attributes WHERE trial_id = ? AND key = ?').run(trialId, TRIAL_EXCLUDED_KEY);
    else stmt(db, `INSERT INTO trial_attributes (trial_id, key, value_num, value_text, unit) VALUES (?, ?, NULL, ?, NULL)
      ON CONFLICT (trial_id, key) DO UPDATE SET value_text = excluded.value_text`).run(trialId, TRIAL_EXCLUDED_KEY, why);
    appendAudit(db, { actor, action: why === null ? 'include' : 'exclude', entity: 'trial', entityId: trialId, oldValue: { excluded: old }, newValue: { excluded: why } });
    return true;
  })();
}

/** Of the given trials, those left out of parameters and methods: excluded ones, and static (calibration) trials. */
export function trialsLeftOut(db: Db, trialIds: string[]): Map<string, string> {
  const rows = stmt(db, `SELECT trial_id, key, value_text FROM trial_attributes WHERE trial_id IN (SELECT value FROM json_each(?))
    AND (key = ? OR (key = ? AND value_text = 'static'))`).all(JSON.stringify(trialIds), TRIAL_EXCLUDED_KEY, TRIAL_ROLE_KEY) as { trial_id: string; key: string; value_text: string | null }[];
  const out = new Map<string, string>();
  for (const r of rows) out.set(r.trial_id, r.key === TRIAL_EXCLUDED_KEY ? `excluded: ${r.value_text}` : 'static trial');
  return out;
}

/** A subject's visits with their trial counts, by date then key. */
export function subjectSessions(db: Db, subjectId: string): { id: string; key: string; label: string; date: string | null; trials: number }[] {
  return stmt(db, `SELECT s.id, s.key, s.label, s.date, (SELECT COUNT(*) FROM trials t WHERE t.session_id = s.id) AS trials
    FROM sessions s WHERE s.subject_id = ? ORDER BY s.date, s.key`).all(subjectId) as ReturnType<typeof subjectSessions>;
}
