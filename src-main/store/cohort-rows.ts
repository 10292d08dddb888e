// The visits a cohort filter is checked against: one row per session with its subject's labels and attributes,
// and the trials of each visit. Identity fields are read only when the caller asks for them (an export that the
// user explicitly made identifying).
import type { CohortRow } from '../../src-shared/domain/cohort-filter';
import { ageYears, IDENTITY_FIELDS, SESSION_TAGS_KEY } from '../../src-shared/domain/subject-fields';
import { readAttributesOf } from './attributes';
import type { Db } from './db';
import { trialsLeftOut } from './session-records';
import { stmt } from './statements';

export interface VisitRow extends CohortRow {
  subjectId: string;
  sessionId: string;
  sessionLabel: string;
  condition: string | null;
  subjectAttributes: Record<string, { value: number | string | null; unit: string | null }>;
  sessionAttributes: Record<string, { value: number | string | null; unit: string | null }>;
  /** The identity fields, only when asked for. */
  identity: Record<string, string | null> | null;
}

interface Row { subject_id: string; session_id: string; session_key: string; session_label: string; date: string | null; condition: string | null; cohort: string; group_label: string | null; sex: string | null; birth_date: string | null }

/** Every visit in the database with what a filter may name. */
export function readVisits(db: Db, opts: { identity: boolean }): VisitRow[] {
  const rows = stmt(db, `SELECT se.subject_id, se.id AS session_id, se.key AS session_key, se.label AS session_label, se.date, se.condition,
      s.cohort, s.group_label, s.sex, i.birth_date
    FROM sessions se JOIN subjects s ON s.id = se.subject_id LEFT JOIN subject_identity i ON i.subject_id = s.id
    ORDER BY s.cohort, s.id, se.date, se.key`).all() as Row[];
  const subjectIds = [...new Set(rows.map((r) => r.subject_id))];
  const subjectAttrs = readAttributesOf(db, 'subject_attributes', subjectIds);
  const sessionAttrs = readAttributesOf(db, 'session_attributes', rows.map((r) => r.session_id));
  const identities = opts.identity ? readIdentities(db, subjectIds) : null;
  return rows.map((r) => {
    const sa = flatten(subjectAttrs.get(r.subject_id) ?? {});
    const va = flatten(sessionAttrs.get(r.session_id) ?? {});
    const tagsText = va[SESSION_TAGS_KEY]?.value;
    delete va[SESSION_TAGS_KEY];
    const tags = typeof tagsText === 'string' ? parseTags(tagsText) : [];
    const statedAge = sa.age?.value;
    const age = typeof statedAge === 'number' ? statedAge : r.birth_date && r.date ? ageYears(r.birth_date, r.date) : null;
    const attributes: Record<string, number | string | null> = {};
    for (const [k, v] of Object.entries(va)) attributes[k] = v.value;
    for (const [k, v] of Object.entries(sa)) attributes[k] = v.value;
    return {
      subjectId: r.subject_id, sessionId: r.session_id, sessionLabel: r.session_label, condition: r.condition,
      cohort: r.cohort, group: r.group_label, sex: r.sex, age, date: r.date, session: r.session_key, subject: r.subject_id,
      tags, attributes, subjectAttributes: sa, sessionAttributes: va,
      identity: identities?.get(r.subject_id) ?? null,
    };
  });
}

/** Trials of these visits in visit order; excluded and static trials are left out with their reason. */
export function visitTrials(db: Db, sessionIds: string[]): { included: { id: string; sessionId: string; key: string; format: string | null; durationS: number | null }[]; leftOut: { id: string; reason: string }[] } {
  const rows = stmt(db, `SELECT t.id, t.session_id, t.key, t.duration_s, f.format FROM trials t LEFT JOIN source_files f ON f.id = t.source_file_id
    WHERE t.session_id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(sessionIds)) as { id: string; session_id: string; key: string; duration_s: number | null; format: string | null }[];
  const order = new Map(sessionIds.map((id, k) => [id, k]));
  rows.sort((a, b) => order.get(a.session_id)! - order.get(b.session_id)! || a.key.localeCompare(b.key, undefined, { numeric: true }));
  const out = trialsLeftOut(db, rows.map((r) => r.id));
  return {
    included: rows.filter((r) => !out.has(r.id)).map((r) => ({ id: r.id, sessionId: r.session_id, key: r.key, format: r.format, durationS: r.duration_s })),
    leftOut: rows.filter((r) => out.has(r.id)).map((r) => ({ id: r.id, reason: out.get(r.id)! })),
  };
}

function flatten(a: Record<string, { value: number | string | null; unit?: string }>): Record<string, { value: number | string | null; unit: string | null }> {
  return Object.fromEntries(Object.entries(a).map(([k, v]) => [k, { value: v.value, unit: v.unit ?? null }]));
}

function parseTags(text: string): string[] {
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? v.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return text.split(',').map((t) => t.trim()).filter(Boolean);
  }
}

function readIdentities(db: Db, subjectIds: string[]): Map<string, Record<string, string | null>> {
  const cols = IDENTITY_FIELDS.join(', ');
  const rows = stmt(db, `SELECT subject_id, external_id, ${cols} FROM subject_identity WHERE subject_id IN (SELECT value FROM json_each(?))`)
    .all(JSON.stringify(subjectIds)) as Record<string, string | null>[];
  return new Map(rows.map((r) => [r.subject_id!, Object.fromEntries([['external_id', r.external_id], ...IDENTITY_FIELDS.map((f) => [f, r[f] ?? null])])]));
}
