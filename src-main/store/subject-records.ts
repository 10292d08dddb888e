// The lab's own subject records: register, edit, merge, move, and delete on request, each in one audited
// transaction. Identifying fields (subject_identity) never go into audit values: an audit row names the
// identity fields that changed, not what they held, so a deletion on request leaves nothing of the person in
// the log (the row's content hash covers them, as it covers every column).
import {
  checkDate, checkIdentityField, checkSubjectAttribute, IDENTITY_FIELDS, SEXES, type FieldValue, type IdentityField,
} from '../../src-shared/domain/subject-fields';
import { InputError } from '../../src-shared/domain/errors';
import type { DeletionCounts } from '../../src-shared/domain/deletion-plan';
import { appendAudit } from './audit';
import type { Db } from './db';
import { deleteSubject } from './deletions';
import { newId } from './ids';
import { stmt } from './statements';
import { subjectExists } from './trial-meta';

export const LAB_COHORT = 'lab';

export interface AttributeInput { value: FieldValue; unit?: string | null; takenOn?: string | null }

export interface SubjectInput {
  code?: string;
  cohort?: string;
  group?: string | null;
  sex?: 'male' | 'female' | null;
  identity?: Partial<Record<IdentityField, string | null>>;
  /** null removes the attribute. */
  attributes?: Record<string, AttributeInput | null>;
}

export interface StoredAttribute { value: number | string | null; unit: string | null; takenOn: string | null }

export interface SubjectRecord {
  id: string;
  code: string;
  cohort: string;
  group: string | null;
  sex: string | null;
  identity: Record<IdentityField, string | null>;
  attributes: Record<string, StoredAttribute>;
}

interface SubjectRow { id: string; code: string; cohort: string; group_label: string | null; sex: string | null }

export function readSubjectRecord(db: Db, id: string): SubjectRecord | null {
  const r = stmt(db, `SELECT s.id, i.external_id AS code, s.cohort, s.group_label, s.sex FROM subjects s
    JOIN subject_identity i ON i.subject_id = s.id WHERE s.id = ?`).get(id) as SubjectRow | undefined;
  if (!r) return null;
  const identity = stmt(db, 'SELECT display_name, birth_date, record_number, contact, notes FROM subject_identity WHERE subject_id = ?').get(id) as Record<IdentityField, string | null>;
  const rows = stmt(db, 'SELECT key, value_num, value_text, unit, taken_on FROM subject_attributes WHERE subject_id = ? ORDER BY key').all(id) as
    { key: string; value_num: number | null; value_text: string | null; unit: string | null; taken_on: string | null }[];
  const attributes = Object.fromEntries(rows.map((a) => [a.key, { value: a.value_num ?? a.value_text, unit: a.unit, takenOn: a.taken_on }]));
  return { id: r.id, code: r.code, cohort: r.cohort, group: r.group_label, sex: r.sex, identity: { ...identity }, attributes };
}

interface CheckedInput {
  code?: string;
  cohort?: string;
  group?: string | null;
  sex?: 'male' | 'female' | null;
  identity: Partial<Record<IdentityField, string | null>>;
  attributes: Record<string, { value: number | string; unit: string | null; takenOn: string | null } | null>;
}

const CODE = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;

/** Every value checked before anything is written: a bad value changes nothing. */
function checkInput(where: string, input: SubjectInput): CheckedInput {
  const out: CheckedInput = { identity: {}, attributes: {} };
  if (input.code !== undefined) {
    if (!CODE.test(input.code)) throw new InputError(where, null, 'code', `expected 1–64 letters, digits and _.:- (a lab code, not a name), found "${input.code}"`);
    out.code = input.code;
  }
  if (input.cohort !== undefined) {
    if (!CODE.test(input.cohort)) throw new InputError(where, null, 'cohort', `expected 1–64 letters, digits and _.:-, found "${input.cohort}"`);
    out.cohort = input.cohort;
  }
  if (input.group !== undefined) {
    const g = input.group?.trim() || null;
    if (g && g.length > 64) throw new InputError(where, null, 'group', 'at most 64 characters');
    out.group = g;
  }
  if (input.sex !== undefined) {
    if (input.sex !== null && !SEXES.includes(input.sex)) throw new InputError(where, null, 'sex', `expected ${SEXES.join(' or ')}, found "${String(input.sex)}"`);
    out.sex = input.sex;
  }
  for (const [field, value] of Object.entries(input.identity ?? {})) {
    if (!(IDENTITY_FIELDS as readonly string[]).includes(field)) throw new InputError(where, null, field, `not an identity field (${IDENTITY_FIELDS.join(', ')})`);
    out.identity[field as IdentityField] = checkIdentityField(where, field as IdentityField, value ?? null);
  }
  for (const [key, a] of Object.entries(input.attributes ?? {})) {
    const checked = checkSubjectAttribute(where, key, a === null ? null : a.value, a?.unit);
    const takenOn = a?.takenOn ? checkDate(where, `${key} taken on`, a.takenOn) : null;
    out.attributes[key] = checked ? { ...checked, takenOn } : null;
  }
  return out;
}

function codeTaken(db: Db, cohort: string, code: string, except: string | null): boolean {
  return !!stmt(db, `SELECT 1 FROM subjects s JOIN subject_identity i ON i.subject_id = s.id
    WHERE s.cohort = ? AND i.external_id = ? AND s.id IS NOT ?`).get(cohort, code, except);
}

function writeAttribute(db: Db, subjectId: string, key: string, a: { value: number | string; unit: string | null; takenOn: string | null } | null): void {
  if (a === null) {
    stmt(db, 'DELETE FROM subject_attributes WHERE subject_id = ? AND key = ?').run(subjectId, key);
    return;
  }
  stmt(db, `INSERT INTO subject_attributes (subject_id, key, value_num, value_text, unit, taken_on) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (subject_id, key) DO UPDATE SET value_num = excluded.value_num, value_text = excluded.value_text, unit = excluded.unit, taken_on = excluded.taken_on`)
    .run(subjectId, key, typeof a.value === 'number' ? a.value : null, typeof a.value === 'string' ? a.value : null, a.unit, a.takenOn);
}

const IDENTITY_SET = IDENTITY_FIELDS.map((f) => `${f} = ?`).join(', ');

function writeIdentity(db: Db, subjectId: string, identity: Record<IdentityField, string | null>): void {
  stmt(db, `UPDATE subject_identity SET ${IDENTITY_SET} WHERE subject_id = ?`).run(...IDENTITY_FIELDS.map((f) => identity[f]), subjectId);
}

const attributeForAudit = (a: StoredAttribute | null | undefined) => (a ? { value: a.value, unit: a.unit, takenOn: a.takenOn } : null);

/** Registers a subject (a patient before recording): a new pseudonym, its identity apart, its attributes checked. */
export function createSubject(db: Db, actor: string, input: SubjectInput): string {
  const c = checkInput('new subject', input);
  return db.transaction(() => {
    const id = newId('S');
    const cohort = c.cohort ?? LAB_COHORT;
    const code = c.code ?? id;
    if (codeTaken(db, cohort, code, null)) throw new InputError('new subject', null, 'code', `cohort ${cohort} already has a subject ${code}`);
    stmt(db, 'INSERT INTO subjects (id, cohort, group_label, sex, created_at) VALUES (?, ?, ?, ?, ?)').run(id, cohort, c.group ?? null, c.sex ?? null, new Date().toISOString());
    stmt(db, 'INSERT INTO subject_identity (subject_id, external_id) VALUES (?, ?)').run(id, code);
    const identity = Object.fromEntries(IDENTITY_FIELDS.map((f) => [f, c.identity[f] ?? null])) as Record<IdentityField, string | null>;
    writeIdentity(db, id, identity);
    for (const [k, a] of Object.entries(c.attributes)) if (a) writeAttribute(db, id, k, a);
    appendAudit(db, {
      actor, action: 'create', entity: 'subject', entityId: id,
      newValue: {
        cohort, externalId: code, group: c.group ?? null, sex: c.sex ?? null,
        attributes: Object.fromEntries(Object.entries(c.attributes).filter(([, a]) => a)),
        identityFields: IDENTITY_FIELDS.filter((f) => identity[f] !== null),
      },
    });
    return id;
  })();
}

/** Edits a subject; fields left out stay as they are. Returns the names of what changed (nothing: no audit row). */
export function editSubject(db: Db, actor: string, id: string, input: SubjectInput): string[] {
  const where = `subject ${id}`;
  const c = checkInput(where, input);
  return db.transaction(() => {
    const before = readSubjectRecord(db, id);
    if (!before) throw new InputError(where, null, null, 'no such subject');
    const oldValue: Record<string, unknown> = {};
    const newValue: Record<string, unknown> = {};
    const cohort = c.cohort ?? before.cohort, code = c.code ?? before.code;
    if ((cohort !== before.cohort || code !== before.code) && codeTaken(db, cohort, code, id)) {
      throw new InputError(where, null, 'code', `cohort ${cohort} already has a subject ${code}`);
    }
    if (code !== before.code) {
      stmt(db, 'UPDATE subject_identity SET external_id = ? WHERE subject_id = ?').run(code, id);
      oldValue.externalId = before.code; newValue.externalId = code;
    }
    const row: [string, string | null, string | null | undefined][] = [['cohort', before.cohort, c.cohort], ['group', before.group, c.group], ['sex', before.sex, c.sex]];
    for (const [name, old, next] of row) {
      if (next === undefined || next === old) continue;
      oldValue[name] = old; newValue[name] = next;
    }
    if ('cohort' in newValue || 'group' in newValue || 'sex' in newValue) {
      stmt(db, 'UPDATE subjects SET cohort = ?, group_label = ?, sex = ? WHERE id = ?').run(cohort, c.group !== undefined ? c.group : before.group, c.sex !== undefined ? c.sex : before.sex, id);
    }
    const identity = { ...before.identity };
    const identityChanged = IDENTITY_FIELDS.filter((f) => f in c.identity && c.identity[f] !== before.identity[f]);
    for (const f of identityChanged) identity[f] = c.identity[f] ?? null;
    if (identityChanged.length) {
      writeIdentity(db, id, identity);
      newValue.identityFields = identityChanged; // names only: never what they held or hold
    }
    for (const [k, a] of Object.entries(c.attributes)) {
      const old = before.attributes[k];
      if (!old && !a) continue;
      if (old && a && old.value === a.value && old.unit === a.unit && old.takenOn === a.takenOn) continue;
      writeAttribute(db, id, k, a);
      oldValue[k] = attributeForAudit(old); newValue[k] = a;
    }
    const changed = Object.keys(newValue).filter((k) => k !== 'identityFields').concat(identityChanged);
    if (changed.length) appendAudit(db, { actor, action: 'update', entity: 'subject', entityId: id, oldValue, newValue });
    return changed;
  })();
}

/** Identity lookup for the lab's own views: by record number (exact) or by a part of the name. */
export function findSubjects(db: Db, q: { recordNumber?: string; name?: string }): { id: string; code: string; cohort: string; displayName: string | null; recordNumber: string | null; birthDate: string | null }[] {
  const where: string[] = [];
  const args: string[] = [];
  if (q.recordNumber) { where.push('i.record_number = ?'); args.push(q.recordNumber.trim()); }
  if (q.name) { where.push(`i.display_name LIKE ? ESCAPE '\\'`); args.push(`%${q.name.trim().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`); }
  if (where.length === 0) return [];
  return stmt(db, `SELECT s.id, i.external_id AS code, s.cohort, i.display_name AS displayName, i.record_number AS recordNumber, i.birth_date AS birthDate
    FROM subjects s JOIN subject_identity i ON i.subject_id = s.id WHERE ${where.join(' AND ')} ORDER BY i.display_name, s.id LIMIT 200`).all(...args) as ReturnType<typeof findSubjects>;
}

/** A subject named by pseudonym or by code (any cohort): its cohort and code; 'ambiguous' when codes repeat. */
export function resolveSubject(db: Db, idOrCode: string): { cohort: string; code: string } | 'ambiguous' | null {
  const rows = stmt(db, `SELECT s.cohort, i.external_id AS code FROM subjects s JOIN subject_identity i ON i.subject_id = s.id
    WHERE s.id = ? OR i.external_id = ? LIMIT 2`).all(idOrCode, idOrCode) as { cohort: string; code: string }[];
  return rows.length === 1 ? rows[0] : rows.length > 1 ? 'ambiguous' : null;
}

export interface MergeConflict { field: string; source: string | null; target: string | null; chosen: 'source' | 'target' | null; identity: boolean }

const show = (a: StoredAttribute | undefined) => (a ? `${a.value}${a.unit ? ' ' + a.unit : ''}${a.takenOn ? ` (${a.takenOn})` : ''}` : null);

/** The fields where the two records disagree, each with the side `take` chooses (null: not chosen yet). */
export function mergeConflicts(source: SubjectRecord, target: SubjectRecord, take: Record<string, 'source' | 'target'> = {}): MergeConflict[] {
  const out: MergeConflict[] = [];
  const add = (field: string, s: string | null, t: string | null, identity = false) => {
    if (s !== null && t !== null && s !== t) out.push({ field, source: s, target: t, chosen: take[field] ?? null, identity });
  };
  add('group', source.group, target.group);
  add('sex', source.sex, target.sex);
  for (const f of IDENTITY_FIELDS) add(f, source.identity[f], target.identity[f], true);
  for (const k of Object.keys(source.attributes)) add(k, show(source.attributes[k]), show(target.attributes[k]));
  return out;
}

export interface MergeResult { subjectId: string; removed: string; conflicts: MergeConflict[]; sessionsMoved: number; merged: boolean }

/**
 * Merges `sourceId` into `targetId` (the pseudonym that stays): sessions and reports move, fields only the
 * source knows fill the target's gaps, and each conflicting field takes the side `take` names. Refused, with
 * the conflicts listed, while any conflict is unchosen. `dryRun` lists the conflicts and writes nothing.
 */
export function mergeSubjects(db: Db, actor: string, sourceId: string, targetId: string, take: Record<string, 'source' | 'target'>, dryRun = false): MergeResult {
  const where = `subject ${sourceId}`;
  if (sourceId === targetId) throw new InputError(where, null, 'target', 'a subject cannot be merged into itself');
  return db.transaction(() => {
    const source = readSubjectRecord(db, sourceId), target = readSubjectRecord(db, targetId);
    if (!source) throw new InputError(where, null, null, 'no such subject');
    if (!target) throw new InputError(`subject ${targetId}`, null, null, 'no such subject');
    const conflicts = mergeConflicts(source, target, take);
    const known = new Set(conflicts.map((c) => c.field));
    const stray = Object.keys(take).filter((f) => !known.has(f));
    if (stray.length) throw new InputError(where, null, 'take', `${stray.join(', ')}: no conflict on ${stray.length > 1 ? 'these fields' : 'this field'}`);
    const sessions = stmt(db, 'SELECT id, key FROM sessions WHERE subject_id = ? ORDER BY key').all(sourceId) as { id: string; key: string }[];
    const result: MergeResult = { subjectId: targetId, removed: sourceId, conflicts, sessionsMoved: sessions.length, merged: false };
    if (dryRun) return result;
    const open = conflicts.filter((c) => !c.chosen);
    if (open.length) {
      // Identity values stay out of messages that may end up in logs: their names suffice.
      const listed = open.map((c) => (c.identity ? c.field : `${c.field} (${c.source} in ${sourceId}, ${c.target} in ${targetId})`));
      throw new InputError(where, null, 'take', `${open.length} conflicting field${open.length > 1 ? 's' : ''} to choose (source or target): ${listed.join('; ')}`);
    }
    const fromSource = (field: string, s: unknown, t: unknown) => s !== null && s !== undefined && (t === null || t === undefined || take[field] === 'source');

    for (const s of sessions) moveSessionRow(db, actor, s.id, targetId, source.code);
    for (const r of stmt(db, 'SELECT id FROM reports WHERE subject_id = ?').all(sourceId) as { id: string }[]) {
      stmt(db, 'UPDATE reports SET subject_id = ? WHERE id = ?').run(targetId, r.id);
      appendAudit(db, { actor, action: 'move', entity: 'report', entityId: r.id, oldValue: { subjectId: sourceId }, newValue: { subjectId: targetId } });
    }
    const taken: Record<string, unknown> = {};
    const identityTaken: string[] = [];
    const group = fromSource('group', source.group, target.group) ? source.group : target.group;
    const sex = fromSource('sex', source.sex, target.sex) ? source.sex : target.sex;
    if (group !== target.group) taken.group = group;
    if (sex !== target.sex) taken.sex = sex;
    stmt(db, 'UPDATE subjects SET group_label = ?, sex = ? WHERE id = ?').run(group, sex, targetId);
    const identity = { ...target.identity };
    for (const f of IDENTITY_FIELDS) {
      if (fromSource(f, source.identity[f], target.identity[f]) && source.identity[f] !== target.identity[f]) { identity[f] = source.identity[f]; identityTaken.push(f); }
    }
    if (identityTaken.length) writeIdentity(db, targetId, identity);
    for (const [k, a] of Object.entries(source.attributes)) {
      if (!fromSource(k, a, target.attributes[k]) || show(a) === show(target.attributes[k])) continue;
      writeAttribute(db, targetId, k, { value: a.value as number | string, unit: a.unit, takenOn: a.takenOn });
      taken[k] = attributeForAudit(a);
    }
    appendAudit(db, {
      actor, action: 'merge', entity: 'subject', entityId: targetId,
      newValue: { mergedFrom: sourceId, mergedCode: source.code, sessionsMoved: sessions.length, taken, identityFieldsTaken: identityTaken },
    });
    deleteSubject(db, actor, sourceId);
    result.merged = true;
    return result;
  })();
}

/** Moves one session row to another subject, renaming its key when the subject has one of that key already. */
function moveSessionRow(db: Db, actor: string, sessionId: string, targetId: string, suffix: string | null): void {
  const s = stmt(db, 'SELECT subject_id, key FROM sessions WHERE id = ?').get(sessionId) as { subject_id: string; key: string };
  let key = s.key;
  const taken = (k: string) => !!stmt(db, 'SELECT 1 FROM sessions WHERE subject_id = ? AND key = ?').get(targetId, k);
  if (taken(key)) {
    if (suffix === null) throw new InputError(`session ${sessionId}`, null, 'key', `subject ${targetId} already has a session "${key}"`);
    for (let n = 1; taken(key); n++) key = `${s.key}~${suffix}${n > 1 ? n : ''}`;
  }
  stmt(db, 'UPDATE sessions SET subject_id = ?, key = ? WHERE id = ?').run(targetId, key, sessionId);
  appendAudit(db, { actor, action: 'move', entity: 'session', entityId: sessionId, oldValue: { subjectId: s.subject_id, key: s.key }, newValue: { subjectId: targetId, key } });
}

/** Moves a session (a visit filed under the wrong subject) to another subject. */
export function moveSession(db: Db, actor: string, sessionId: string, targetId: string): void {
  db.transaction(() => {
    if (!stmt(db, 'SELECT 1 FROM sessions WHERE id = ?').get(sessionId)) throw new InputError(`session ${sessionId}`, null, null, 'no such session');
    if (!subjectExists(db, targetId)) throw new InputError(`subject ${targetId}`, null, null, 'no such subject');
    moveSessionRow(db, actor, sessionId, targetId, null);
  })();
}

/** Moves a trial to another session (of the same or another subject). */
export function moveTrial(db: Db, actor: string, trialId: string, targetSessionId: string): void {
  db.transaction(() => {
    const t = stmt(db, 'SELECT session_id, key FROM trials WHERE id = ?').get(trialId) as { session_id: string; key: string } | undefined;
    if (!t) throw new InputError(`trial ${trialId}`, null, null, 'no such trial');
    if (!stmt(db, 'SELECT 1 FROM sessions WHERE id = ?').get(targetSessionId)) throw new InputError(`session ${targetSessionId}`, null, null, 'no such session');
    if (t.session_id === targetSessionId) return;
    if (stmt(db, 'SELECT 1 FROM trials WHERE session_id = ? AND key = ?').get(targetSessionId, t.key)) {
      throw new InputError(`trial ${trialId}`, null, 'key', `session ${targetSessionId} already has a trial "${t.key}"`);
    }
    stmt(db, 'UPDATE trials SET session_id = ? WHERE id = ?').run(targetSessionId, trialId);
    appendAudit(db, { actor, action: 'move', entity: 'trial', entityId: trialId, oldValue: { sessionId: t.session_id }, newValue: { sessionId: targetSessionId } });
  })();
}

/**
 * What goes: identity fields that hold a value; with scope 'all' also every row that cascades from the subject
 * (attributes, sessions, trials, signals, events, cycles, analysis runs, relevance maps, live recordings), and what
 * stays elsewhere (reports unlinked; reference sets and models built with its trials).
 */
export interface DeletionPlan extends DeletionCounts {
  subjectId: string;
  scope: 'all' | 'identity';
  identityFields: string[];
}

export function planSubjectDeletion(db: Db, subjectId: string, scope: 'all' | 'identity'): DeletionPlan | null {
  const rec = readSubjectRecord(db, subjectId);
  if (!rec) return null;
  const identityFields = IDENTITY_FIELDS.filter((f) => rec.identity[f] !== null);
  const none: DeletionCounts = { sessions: 0, trials: 0, signals: 0, events: 0, attributes: 0, cycles: 0, analysisRuns: 0, relevanceMaps: 0, liveRecordings: 0, reportsUnlinked: 0, referenceSets: 0, models: 0 };
  if (scope === 'identity') return { subjectId, scope, identityFields, ...none };
  const n = (sql: string) => (stmt(db, sql).get(subjectId) as { n: number }).n;
  const ofTrials = (table: string) => n(`SELECT COUNT(*) AS n FROM ${table} x JOIN trials t ON t.id = x.trial_id JOIN sessions s ON s.id = t.session_id WHERE s.subject_id = ?`);
  return {
    subjectId, scope, identityFields: [...identityFields, 'code'],
    sessions: n('SELECT COUNT(*) AS n FROM sessions WHERE subject_id = ?'),
    trials: n('SELECT COUNT(*) AS n FROM trials t JOIN sessions s ON s.id = t.session_id WHERE s.subject_id = ?'),
    signals: ofTrials('signals'),
    events: ofTrials('gait_events'),
    attributes: n('SELECT COUNT(*) AS n FROM subject_attributes WHERE subject_id = ?'),
    cycles: ofTrials('cycles'),
    analysisRuns: ofTrials('method_runs'),
    relevanceMaps: ofTrials('relevance_maps'),
    liveRecordings: ofTrials('recordings'),
    reportsUnlinked: n('SELECT COUNT(*) AS n FROM reports WHERE subject_id = ?'),
    referenceSets: n('SELECT COUNT(DISTINCT reference_id) AS n FROM reference_members WHERE subject_id = ?'),
    // A model's data selection is JSON naming its trial ids (store/models.ts).
    models: n(`SELECT COUNT(*) AS n FROM models m WHERE EXISTS (SELECT 1 FROM trials t JOIN sessions s ON s.id = t.session_id
      WHERE s.subject_id = ? AND instr(m.data_selection, t.id) > 0)`),
  };
}

/**
 * Deletion on request. 'all': the subject with its identity and every row that cascades from it (deletions.ts).
 * 'identity': only what identifies the person; the code becomes the pseudonym, the research data stays.
 */
export function deleteSubjectOnRequest(db: Db, actor: string, subjectId: string, scope: 'all' | 'identity'): DeletionPlan {
  return db.transaction(() => {
    const plan = planSubjectDeletion(db, subjectId, scope);
    if (!plan) throw new InputError(`subject ${subjectId}`, null, null, 'no such subject');
    if (scope === 'all') {
      // The deletion row labels what it removed by the code: the pseudonym stands in for it, so that the row
      // does not carry a code that may be the lab's link to the person (earlier rows name it already).
      stmt(db, 'UPDATE subject_identity SET external_id = subject_id WHERE subject_id = ?').run(subjectId);
      deleteSubject(db, actor, subjectId);
      return plan;
    }
    // The code may be the lab's link to the person (a record number used as code): it goes too.
    const codeWas = (stmt(db, 'SELECT external_id FROM subject_identity WHERE subject_id = ?').get(subjectId) as { external_id: string }).external_id;
    const fields = codeWas !== subjectId ? [...plan.identityFields, 'code'] : plan.identityFields;
    writeIdentity(db, subjectId, { display_name: null, birth_date: null, record_number: null, contact: null, notes: null });
    stmt(db, 'UPDATE subject_identity SET external_id = ? WHERE subject_id = ?').run(subjectId, subjectId);
    appendAudit(db, { actor, action: 'delete-identity', entity: 'subject', entityId: subjectId, oldValue: { identityFields: fields }, newValue: { externalId: subjectId } });
    return { ...plan, identityFields: fields };
  })();
}
