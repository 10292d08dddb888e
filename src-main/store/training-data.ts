// Reads for training: the labelled trials of a cohort (label = the subject's group) with their signals.
import type { Db } from './db';
import { stmt } from './statements';

export interface LabelledTrialRow { trialId: string; contentSha256: string | null; subjectId: string; group: string; session: string }

/** Trials of subjects of `cohort` that have a group (of one session key if given), ordered by subject id, session key, trial key. */
export function readLabelledTrials(db: Db, cohort: string, session: string | null = null): LabelledTrialRow[] {
  return stmt(db, `SELECT t.id AS trialId, t.content_sha256 AS contentSha256, s.id AS subjectId, s.group_label AS "group", se.key AS session
      FROM trials t JOIN sessions se ON se.id = t.session_id JOIN subjects s ON s.id = se.subject_id
      WHERE s.cohort = ? AND s.group_label IS NOT NULL AND (? IS NULL OR se.key = ?) ORDER BY s.id, se.key, t.key`).all(cohort, session, session) as LabelledTrialRow[];
}

export function cohortsWithGroups(db: Db): { cohort: string; trials: number }[] {
  return stmt(db, `SELECT s.cohort AS cohort, COUNT(*) AS trials FROM trials t JOIN sessions se ON se.id = t.session_id JOIN subjects s ON s.id = se.subject_id
      WHERE s.group_label IS NOT NULL GROUP BY s.cohort ORDER BY s.cohort`).all() as { cohort: string; trials: number }[];
}
