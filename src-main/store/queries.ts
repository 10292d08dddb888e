// Read queries behind the list and detail views. Paged with LIMIT/OFFSET on indexed columns.
import type { SessionSummary, SubjectSummary, TrialSummary } from '../../src-shared/api/schema';
import { readAttributes, readAttributesOf } from './attributes';
import type { Db } from './db';
import { stmt } from './statements';

export interface SubjectFilter { search?: string; group?: string; cohort?: string; offset: number; limit: number }

interface SubjectRow { id: string; code: string; cohort: string; group_label: string | null; sex: string | null; sessions: number; trials: number }

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function listSubjects(db: Db, f: SubjectFilter): { subjects: SubjectSummary[]; total: number; groups: string[] } {
  const where: string[] = [];
  const args: unknown[] = [];
  if (f.search) { where.push(`(i.external_id LIKE ? ESCAPE '\\' OR s.id LIKE ? ESCAPE '\\' OR s.cohort LIKE ? ESCAPE '\\')`); const p = likePattern(f.search); args.push(p, p, p); }
  if (f.group) { where.push('s.group_label = ?'); args.push(f.group); }
  if (f.cohort) { where.push('s.cohort = ?'); args.push(f.cohort); }
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = (db.prepare(`SELECT COUNT(*) AS n FROM subjects s JOIN subject_identity i ON i.subject_id = s.id ${w}`).get(...args) as { n: number }).n;
  const rows = db.prepare(`
    SELECT s.id, i.external_id AS code, s.cohort, s.group_label, s.sex,
      (SELECT COUNT(*) FROM sessions se WHERE se.subject_id = s.id) AS sessions,
      (SELECT COUNT(*) FROM trials t JOIN sessions se ON se.id = t.session_id WHERE se.subject_id = s.id) AS trials
    FROM subjects s JOIN subject_identity i ON i.subject_id = s.id ${w}
    ORDER BY s.cohort, i.external_id LIMIT ? OFFSET ?`).all(...args, f.limit, f.offset) as SubjectRow[];
  const attrs = readAttributesOf(db, 'subject_attributes', rows.map((r) => r.id));
  const groups = (db.prepare('SELECT DISTINCT group_label AS g FROM subjects WHERE group_label IS NOT NULL ORDER BY g').all() as { g: string }[]).map((r) => r.g);
  return { subjects: rows.map((r) => toSubject(r, attrs.get(r.id)!)), total, groups };
}

function toSubject(r: SubjectRow, attributes: SubjectSummary['attributes']): SubjectSummary {
  return { id: r.id, code: r.code, cohort: r.cohort, group: r.group_label, sex: r.sex, sessions: r.sessions, trials: r.trials, attributes };
}

export function getSubject(db: Db, id: string): { subject: SubjectSummary; identity: Record<string, string | null>; sessions: SessionSummary[] } | null {
  const r = db.prepare(`SELECT s.id, i.external_id AS code, s.cohort, s.group_label, s.sex,
      (SELECT COUNT(*) FROM sessions se WHERE se.subject_id = s.id) AS sessions,
      (SELECT COUNT(*) FROM trials t JOIN sessions se ON se.id = t.session_id WHERE se.subject_id = s.id) AS trials
    FROM subjects s JOIN subject_identity i ON i.subject_id = s.id WHERE s.id = ?`).get(id) as SubjectRow | undefined;
  if (!r) return null;
  const identity = db.prepare('SELECT external_id, display_name, birth_date, notes FROM subject_identity WHERE subject_id = ?').get(id) as Record<string, string | null>;
  const sessions = db.prepare('SELECT id, key, label, date, condition FROM sessions WHERE subject_id = ? ORDER BY key').all(id) as { id: string; key: string; label: string; date: string | null; condition: string | null }[];
  const trials = listTrials(db, { subjectId: id, offset: 0, limit: 100_000 }).trials;
  return {
    subject: toSubject(r, readAttributes(db, 'subject_attributes', id)),
    identity,
    sessions: sessions.map((s) => ({ ...s, attributes: readAttributes(db, 'session_attributes', s.id), trials: trials.filter((t) => t.sessionId === s.id) })),
  };
}

interface TrialRow { id: string; subject_id: string; subject_code: string; session_id: string; session: string; key: string; label: string; source_file: string | null; source_format: string | null; content_sha256: string | null; duration_s: number | null; channels: number; recording_status: TrialSummary['recordingStatus'] }

const TRIAL_SELECT = `
  SELECT t.id, se.subject_id, i.external_id AS subject_code, t.session_id, se.key AS session, t.key, t.label,
    f.path AS source_file, f.format AS source_format, t.content_sha256, t.duration_s, t.recording_status,
    (SELECT COUNT(*) FROM signals g WHERE g.trial_id = t.id) AS channels
  FROM trials t JOIN sessions se ON se.id = t.session_id JOIN subject_identity i ON i.subject_id = se.subject_id
  LEFT JOIN source_files f ON f.id = t.source_file_id`;

function toTrial(r: TrialRow, attributes: TrialSummary['attributes']): TrialSummary {
  return { id: r.id, subjectId: r.subject_id, subjectCode: r.subject_code, sessionId: r.session_id, session: r.session, key: r.key, label: r.label,
    sourceFile: r.source_file, sourceFormat: r.source_format, contentSha256: r.content_sha256, durationS: r.duration_s, channels: r.channels, attributes,
    ...(r.recording_status ? { recordingStatus: r.recording_status } : {}) };
}

export function listTrials(db: Db, f: { subjectId?: string; search?: string; offset: number; limit: number }): { trials: TrialSummary[]; total: number } {
  const where: string[] = [];
  const args: unknown[] = [];
  if (f.subjectId) { where.push('se.subject_id = ?'); args.push(f.subjectId); }
  if (f.search) {
    // Subject code, trial key or label, or the source file's name.
    const p = likePattern(f.search);
    where.push(`(i.external_id LIKE ? ESCAPE '\\' OR t.key LIKE ? ESCAPE '\\' OR t.label LIKE ? ESCAPE '\\'
      OR EXISTS (SELECT 1 FROM source_files sf WHERE sf.id = t.source_file_id AND sf.name LIKE ? ESCAPE '\\'))`);
    args.push(p, p, p, p);
  }
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const identity = f.search ? 'JOIN subject_identity i ON i.subject_id = se.subject_id' : ''; // only the search needs the code
  const total = (stmt(db, `SELECT COUNT(*) AS n FROM trials t JOIN sessions se ON se.id = t.session_id ${identity} ${w}`).get(...args) as { n: number }).n;
  // The page's ids first, walking the indexes in display order (CROSS JOIN fixes the loop order, so
  // SQLite does not sort every trial for each page: ~30 ms at offset 100 000), then their details.
  const ids = (stmt(db, `SELECT t.id FROM subject_identity i CROSS JOIN sessions se ON se.subject_id = i.subject_id
    CROSS JOIN trials t ON t.session_id = se.id ${w} ORDER BY i.external_id, se.key, t.key LIMIT ? OFFSET ?`).all(...args, f.limit, f.offset) as { id: string }[]).map((r) => r.id);
  const rows = stmt(db, `${TRIAL_SELECT} WHERE t.id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids)) as TrialRow[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const attrs = readAttributesOf(db, 'trial_attributes', ids);
  return { trials: ids.map((id) => toTrial(byId.get(id)!, attrs.get(id)!)), total };
}

export function getTrial(db: Db, id: string): TrialSummary | null {
  const r = db.prepare(`${TRIAL_SELECT} WHERE t.id = ?`).get(id) as TrialRow | undefined;
  return r ? toTrial(r, readAttributes(db, 'trial_attributes', id)) : null;
}

export interface SignalRow { channel: string; unit: string; rate_hz: number | null; domain: 'time' | 'stance' | 'cycle'; side: string | null; samples: number; encoding: string; data: Buffer }

export function readSignals(db: Db, trialId: string, channels?: string[]): SignalRow[] {
  const rows = db.prepare('SELECT channel, unit, rate_hz, domain, side, samples, encoding, data FROM signals WHERE trial_id = ? ORDER BY position').all(trialId) as SignalRow[];
  return channels ? rows.filter((r) => channels.includes(r.channel)) : rows;
}

export function readClock(db: Db, trialId: string, clock: 'device' | 'host' = 'device'): { samples: number; encoding: string; data: Buffer } | undefined {
  return db.prepare('SELECT samples, encoding, data FROM trial_clocks WHERE trial_id = ? AND clock = ?').get(trialId, clock) as { samples: number; encoding: string; data: Buffer } | undefined;
}

export function counts(db: Db): { subjects: number; sessions: number; trials: number; signals: number } {
  const n = (t: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n;
  return { subjects: n('subjects'), sessions: n('sessions'), trials: n('trials'), signals: n('signals') };
}
