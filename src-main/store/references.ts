// Normative reference sets (migration 8): named, versioned mean ± SD curves per channel with the members and
// method they came from. Creating one under a name that exists makes its next version; every write is audited
// in its own transaction (entity 'reference_set'), with a hash of the curves so that the log vouches for them.
import { createHash } from 'node:crypto';
import type { Db } from './db';
import { appendAudit } from './audit';
import { newId } from './ids';
import { stmt } from './statements';

export interface ReferenceCurve { channel: string; unit: string; nCycles: number; nSubjects: number; mean: number[]; sd: number[] }
export interface ReferenceMember { subjectId: string; trialId: string | null; contentSha256: string | null }

export interface NewReferenceSet {
  name: string;
  method: string;
  methodVersion: string;
  params: Record<string, unknown>;
  origin: 'built' | 'imported';
  sourceFile: string | null;
  nSubjects: number;
  nCycles: number;
  members: ReferenceMember[];
  curves: ReferenceCurve[];
}

export interface ReferenceSummary {
  id: string; name: string; version: number; method: string; methodVersion: string; params: Record<string, unknown>;
  origin: 'built' | 'imported'; sourceFile: string | null; nSubjects: number; nCycles: number; channels: number; createdAt: string; actor: string;
}
export interface StoredReferenceSet extends ReferenceSummary { members: ReferenceMember[]; curves: ReferenceCurve[] }

interface SetRow {
  id: string; name: string; version: number; method: string; method_version: string; params: string; origin: 'built' | 'imported'; source_file: string | null;
  n_subjects: number; n_cycles: number; created_at: string; actor: string; channels: number;
}

const SUMMARY = `s.id, s.name, s.version, s.method, s.method_version, s.params, s.origin, s.source_file, s.n_subjects, s.n_cycles, s.created_at, s.actor,
  (SELECT COUNT(*) FROM reference_curves c WHERE c.reference_id = s.id) AS channels`;

const toSummary = (r: SetRow): ReferenceSummary => ({
  id: r.id, name: r.name, version: r.version, method: r.method, methodVersion: r.method_version, params: JSON.parse(r.params) as Record<string, unknown>,
  origin: r.origin, sourceFile: r.source_file, nSubjects: r.n_subjects, nCycles: r.n_cycles, channels: r.channels, createdAt: r.created_at, actor: r.actor,
});

/** What the audit row records of a set's content: a change to any curve or member changes it. */
export function referenceContentHash(set: { members: ReferenceMember[]; curves: ReferenceCurve[] }): string {
  return createHash('sha256').update(JSON.stringify([set.members, set.curves])).digest('hex');
}

/** Stores a set as the next version of its name (1 when new); returns its id and version. */
export function insertReferenceSet(db: Db, actor: string, set: NewReferenceSet): { id: string; version: number } {
  return db.transaction(() => {
    const last = stmt(db, 'SELECT MAX(version) AS v FROM reference_sets WHERE name = ?').get(set.name) as { v: number | null };
    const version = (last.v ?? 0) + 1;
    const id = newId('R');
    const at = new Date().toISOString();
    stmt(db, `INSERT INTO reference_sets (id, name, version, method, method_version, params, origin, source_file, n_subjects, n_cycles, created_at, actor)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(id, set.name, version, set.method, set.methodVersion, JSON.stringify(set.params), set.origin, set.sourceFile,
      set.nSubjects, set.nCycles, at, actor);
    const member = stmt(db, 'INSERT INTO reference_members (reference_id, subject_id, trial_id, content_sha256) VALUES (?, ?, ?, ?)');
    for (const m of set.members) member.run(id, m.subjectId, m.trialId, m.contentSha256);
    const curve = stmt(db, 'INSERT INTO reference_curves (reference_id, channel, unit, n_cycles, n_subjects, mean, sd) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const c of set.curves) curve.run(id, c.channel, c.unit, c.nCycles, c.nSubjects, JSON.stringify(c.mean), JSON.stringify(c.sd));
    appendAudit(db, {
      actor, action: set.origin === 'imported' ? 'import' : 'create', entity: 'reference_set', entityId: id,
      newValue: { name: set.name, version, method: set.method, methodVersion: set.methodVersion, params: set.params, sourceFile: set.sourceFile,
        nSubjects: set.nSubjects, nCycles: set.nCycles, channels: set.curves.map((c) => c.channel), contentSha256: referenceContentHash(set) },
    });
    return { id, version };
  })();
}

/** Newest first within each name. */
export function listReferenceSets(db: Db): ReferenceSummary[] {
  return (stmt(db, `SELECT ${SUMMARY} FROM reference_sets s ORDER BY s.name, s.version DESC`).all() as SetRow[]).map(toSummary);
}

/** By id, or by name (its latest version unless one is given). */
export function findReferenceSet(db: Db, key: { id?: string; name?: string; version?: number }): ReferenceSummary | null {
  let r: SetRow | undefined;
  if (key.id) r = stmt(db, `SELECT ${SUMMARY} FROM reference_sets s WHERE s.id = ?`).get(key.id) as SetRow | undefined;
  else if (key.version !== undefined) r = stmt(db, `SELECT ${SUMMARY} FROM reference_sets s WHERE s.name = ? AND s.version = ?`).get(key.name, key.version) as SetRow | undefined;
  else r = stmt(db, `SELECT ${SUMMARY} FROM reference_sets s WHERE s.name = ? ORDER BY s.version DESC LIMIT 1`).get(key.name) as SetRow | undefined;
  return r ? toSummary(r) : null;
}

export function readReferenceSet(db: Db, id: string): StoredReferenceSet | null {
  const s = findReferenceSet(db, { id });
  if (!s) return null;
  const members = (stmt(db, 'SELECT subject_id, trial_id, content_sha256 FROM reference_members WHERE reference_id = ? ORDER BY rowid').all(id) as
    { subject_id: string; trial_id: string | null; content_sha256: string | null }[]).map((m) => ({ subjectId: m.subject_id, trialId: m.trial_id, contentSha256: m.content_sha256 }));
  const curves = (stmt(db, 'SELECT channel, unit, n_cycles, n_subjects, mean, sd FROM reference_curves WHERE reference_id = ? ORDER BY channel').all(id) as
    { channel: string; unit: string; n_cycles: number; n_subjects: number; mean: string; sd: string }[])
    .map((c) => ({ channel: c.channel, unit: c.unit, nCycles: c.n_cycles, nSubjects: c.n_subjects, mean: JSON.parse(c.mean) as number[], sd: JSON.parse(c.sd) as number[] }));
  return { ...s, members, curves };
}

/** Deletes one version; audited with what it was. False when there is no such set. */
export function deleteReferenceSet(db: Db, actor: string, id: string): boolean {
  return db.transaction(() => {
    const set = readReferenceSet(db, id);
    if (!set) return false;
    stmt(db, 'DELETE FROM reference_sets WHERE id = ?').run(id);
    appendAudit(db, {
      actor, action: 'delete', entity: 'reference_set', entityId: id,
      oldValue: { name: set.name, version: set.version, method: set.method, nSubjects: set.nSubjects, nCycles: set.nCycles, contentSha256: referenceContentHash(set) },
    });
    return true;
  })();
}
