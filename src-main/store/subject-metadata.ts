// Subject metadata for analyses that correlate with it (the sparse-autoencoder features, methods-spec §5.2.8):
// group, sex and the numeric attributes of many subjects in two queries.
import type { Db } from './db';
import { stmt } from './statements';

export interface SubjectMetadataRow {
  subject: string;
  group: string | null;
  sex: string | null;
  /** Numeric attributes by key (text attributes are left out: nothing to correlate). */
  numbers: Record<string, number>;
}

export function readSubjectMetadata(db: Db, subjectIds: readonly string[]): SubjectMetadataRow[] {
  const ids = JSON.stringify([...new Set(subjectIds)]);
  const subjects = stmt(db, `SELECT id AS subject, group_label AS "group", sex FROM subjects WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`)
    .all(ids) as { subject: string; group: string | null; sex: string | null }[];
  const attrs = stmt(db, `SELECT subject_id AS subject, key, value_num AS value FROM subject_attributes
    WHERE value_num IS NOT NULL AND subject_id IN (SELECT value FROM json_each(?))`).all(ids) as { subject: string; key: string; value: number }[];
  const numbers = new Map<string, Record<string, number>>(subjects.map((s) => [s.subject, {}]));
  for (const a of attrs) numbers.get(a.subject)![a.key] = a.value;
  return subjects.map((s) => ({ ...s, numbers: numbers.get(s.subject)! }));
}
