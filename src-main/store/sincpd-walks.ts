// Reads for SincPD: the insole walks of a cohort with what labels them (subject code, group, study, H&Y) and
// their content hash; the signals themselves come through readSignals / readClock.
import type { Db } from './db';
import { stmt } from './statements';
import { TRIAL_EXCLUDED_KEY } from '../../src-shared/domain/subject-fields';

export interface StoredWalkRow {
  trialId: string; trialKey: string; subjectCode: string; group: string | null; contentSha256: string | null;
  study: string | null; hoehnYahr: number | null;
}

/** Trials of `cohort` (not excluded) that hold the 16 gaitpdb sensor channels, ordered by trial key. */
export function readStoredWalks(db: Db, cohort: string | null, trialIds: string[] | null = null): StoredWalkRow[] {
  return stmt(db, `SELECT t.id AS trialId, t.key AS trialKey, i.external_id AS subjectCode, s.group_label AS "group",
      t.content_sha256 AS contentSha256,
      (SELECT value_text FROM subject_attributes a WHERE a.subject_id = s.id AND a.key = 'study') AS study,
      (SELECT value_num FROM subject_attributes a WHERE a.subject_id = s.id AND a.key = 'hoehn_yahr') AS hoehnYahr
    FROM trials t JOIN sessions se ON se.id = t.session_id JOIN subjects s ON s.id = se.subject_id
    JOIN subject_identity i ON i.subject_id = s.id
    WHERE (? IS NULL OR s.cohort = ?) AND (? IS NULL OR t.id IN (SELECT value FROM json_each(?)))
      AND NOT EXISTS (SELECT 1 FROM trial_attributes a WHERE a.trial_id = t.id AND a.key = '${TRIAL_EXCLUDED_KEY}')
      AND (SELECT COUNT(*) FROM signals g WHERE g.trial_id = t.id AND g.channel IN ('L1','L2','L3','L4','L5','L6','L7','L8','R1','R2','R3','R4','R5','R6','R7','R8')) = 16
    ORDER BY t.key, t.id`).all(cohort, cohort, trialIds && JSON.stringify(trialIds), trialIds && JSON.stringify(trialIds)) as StoredWalkRow[];
}
