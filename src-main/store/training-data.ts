// Reads for training: the labelled trials of a cohort (label = the subject's group) with their signals.
import type { Db } from './db';
import { TRIAL_EXCLUDED_KEY, TRIAL_ROLE_KEY } from '../../src-shared/domain/subject-fields';
import { stmt } from './statements';

// Excluded trials (a reason recorded) and static trials are no walks to learn from.
const USABLE = `NOT EXISTS (SELECT 1 FROM trial_attributes a WHERE a.trial_id = t.id
  AND (a.key = '${TRIAL_EXCLUDED_KEY}' OR (a.key = '${TRIAL_ROLE_KEY}' AND a.value_text = 'static')))`;

export interface LabelledTrialRow { trialId: string; contentSha256: string | null; subjectId: string; group: string; session: string }

/**
 * Usable trials (not excluded, not static) of subjects of `cohort` that have a group (of one session key if given),
 * ordered by the subject's source code, session key, trial key: an order that does not change from one import to the
 * next (GaitLab's pseudonyms are random per import), so seeded splits and folds are reproducible across databases.
 */
export function readLabelledTrials(db: Db, cohort: string, session: string | null = null): LabelledTrialRow[] {
  return stmt(db, `SELECT t.id AS trialId, t.content_sha256 AS contentSha256, s.id AS subjectId, s.group_label AS "group", se.key AS session
      FROM trials t JOIN sessions se ON se.id = t.session_id JOIN subjects s ON s.id = se.subject_id LEFT JOIN subject_identity i ON i.subject_id = s.id
      WHERE s.cohort = ? AND s.group_label IS NOT NULL AND (? IS NULL OR se.key = ?) AND ${USABLE} ORDER BY i.external_id, s.id, se.key, t.key`).all(cohort, session, session) as LabelledTrialRow[];
}

export function cohortsWithGroups(db: Db): { cohort: string; trials: number }[] {
  return stmt(db, `SELECT s.cohort AS cohort, COUNT(*) AS trials FROM trials t JOIN sessions se ON se.id = t.session_id JOIN subjects s ON s.id = se.subject_id
      WHERE s.group_label IS NOT NULL AND ${USABLE} GROUP BY s.cohort ORDER BY s.cohort`).all() as { cohort: string; trials: number }[];
}

/** Subjects of `cohort` with usable trials but no group: a model labelled by group cannot take them. */
export function readUngroupedSubjects(db: Db, cohort: string): { subjectId: string; code: string | null }[] {
  return stmt(db, `SELECT DISTINCT s.id AS subjectId, i.external_id AS code FROM trials t JOIN sessions se ON se.id = t.session_id JOIN subjects s ON s.id = se.subject_id
      LEFT JOIN subject_identity i ON i.subject_id = s.id
      WHERE s.cohort = ? AND s.group_label IS NULL AND ${USABLE} ORDER BY s.id`).all(cohort) as { subjectId: string; code: string | null }[];
}

/**
 * A token that changes whenever a cohort's training rows could: any audited edit (groups, exclusions, moves, imports,
 * events), and any cycle extraction (cycles are replaced with new ids). Views of a model over its cohort cache on it.
 */
export function trainingDataVersion(db: Db): string {
  const r = stmt(db, `SELECT (SELECT IFNULL(MAX(rowid), 0) FROM audit_log) AS audit, (SELECT COUNT(*) FROM cycles) AS cycles,
    (SELECT IFNULL(MAX(id), 0) FROM cycles) AS lastCycle, (SELECT COUNT(*) FROM trials) AS trials`).get() as { audit: number; cycles: number; lastCycle: number; trials: number };
  return `${r.audit}:${r.cycles}:${r.lastCycle}:${r.trials}`;
}

/** Body mass in kg of each subject that has one (`body_mass`, else gaitpdb's `weight`, in kg and positive). */
export function subjectBodyMassKg(db: Db, subjectIds: readonly string[]): Map<string, number> {
  const rows = stmt(db, `SELECT subject_id AS subject, key, value_num AS kg FROM subject_attributes
    WHERE key IN ('body_mass', 'weight') AND unit = 'kg' AND value_num > 0 AND subject_id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(subjectIds)) as { subject: string; key: string; kg: number }[];
  const out = new Map<string, number>();
  for (const r of rows) if (r.key === 'body_mass' || !out.has(r.subject)) out.set(r.subject, r.kg);
  return out;
}
