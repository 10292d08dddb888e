// The `imports` table (one row per import run) and the read queries the import pipeline needs.
// A run's row carries, until it finishes, the process that owns it, so the next start can tell a run
// still going in another process from one that was killed.
import { hostname } from 'node:os';
import type { ImportSummary } from '../../src-shared/api/schema';
import { processExists } from '../process-exists';
import type { Db } from './db';
import { stmt } from './statements';

interface RunningMark { running: { pid: number; host: string } }

export function startImportRun(db: Db, actor: string, paths: string[]): number {
  const mark: RunningMark = { running: { pid: process.pid, host: hostname() } };
  return Number(stmt(db, 'INSERT INTO imports (started_at, actor, paths, summary) VALUES (?, ?, ?, ?)')
    .run(new Date().toISOString(), actor, JSON.stringify(paths), JSON.stringify(mark)).lastInsertRowid);
}

export function importRunExists(db: Db, id: number): boolean {
  return stmt(db, 'SELECT 1 FROM imports WHERE id = ?').get(id) !== undefined;
}

export function finishImportRun(db: Db, id: number, summary: unknown): void {
  stmt(db, 'UPDATE imports SET finished_at = ?, summary = ? WHERE id = ?').run(new Date().toISOString(), JSON.stringify(summary), id);
}

/**
 * Closes the runs left open by a killed import (no end time, and their process gone) as "interrupted".
 * Runs of another host, or of a process still alive here, are left alone: they may still be writing.
 * Returns the ids closed.
 */
export function closeInterruptedImports(db: Db): number[] {
  const open = stmt(db, 'SELECT id, summary FROM imports WHERE finished_at IS NULL').all() as { id: number; summary: string | null }[];
  const here = hostname();
  const dead = open.filter((r) => {
    let mark: Partial<RunningMark> | null = null;
    try { mark = r.summary ? JSON.parse(r.summary) : null; } catch { mark = null; }
    const running = mark?.running;
    // A row without a mark was left by a GaitLab from before marks: nothing of it can still be running.
    if (!running) return true;
    return running.host === here && running.pid !== process.pid && !processExists(running.pid);
  });
  if (dead.length === 0) return [];
  const now = new Date().toISOString();
  db.transaction(() => {
    for (const r of dead) {
      stmt(db, 'UPDATE imports SET finished_at = ?, summary = ? WHERE id = ? AND finished_at IS NULL')
        .run(now, JSON.stringify({ interrupted: true, closedAt: now, ...(r.summary ? { wasRunning: safeJson(r.summary) } : {}) }), r.id);
    }
  }).immediate();
  return dead.map((r) => r.id);
}

function safeJson(text: string): unknown {
  try { return JSON.parse(text); } catch { return text; }
}

/** Stored files of this name (with their hashes): lets a parser skip a file already present. */
export function sourceFilesNamed(db: Db, name: string): { name: string; sha256: string }[] {
  return stmt(db, 'SELECT name, sha256 FROM source_files WHERE name = ?').all(name) as { name: string; sha256: string }[];
}

/** The trials, sessions and subjects that a stored source file gave. */
export function trialsOfSourceFile(db: Db, sourceFileId: number): { trial: string; session: string; subject: string }[] {
  return stmt(db, `SELECT t.id AS trial, t.session_id AS session, se.subject_id AS subject
    FROM trials t JOIN sessions se ON se.id = t.session_id WHERE t.source_file_id = ?`).all(sourceFileId) as { trial: string; session: string; subject: string }[];
}

/** Groups of trials (among those given) whose content is byte-identical to another stored trial. */
export function duplicateTrials(db: Db, trialIds: string[]): ImportSummary['duplicates'] {
  if (trialIds.length === 0) return [];
  const rows = stmt(db, `
    WITH touched AS (SELECT DISTINCT t.content_sha256 AS sha FROM trials t WHERE t.id IN (SELECT value FROM json_each(?)) AND t.content_sha256 IS NOT NULL)
    SELECT t.content_sha256 AS sha, t.id AS trialId, i.external_id AS subject, t.key AS key, f.path AS file
    FROM trials t JOIN touched ON touched.sha = t.content_sha256
      JOIN sessions se ON se.id = t.session_id JOIN subject_identity i ON i.subject_id = se.subject_id
      LEFT JOIN source_files f ON f.id = t.source_file_id
    WHERE t.content_sha256 IN (SELECT content_sha256 FROM trials GROUP BY content_sha256 HAVING COUNT(*) > 1)
    ORDER BY t.content_sha256, i.external_id, t.key`).all(JSON.stringify(trialIds)) as { sha: string; trialId: string; subject: string; key: string; file: string | null }[];
  const groups = new Map<string, ImportSummary['duplicates'][number]>();
  for (const r of rows) {
    if (!groups.has(r.sha)) groups.set(r.sha, { sha256: r.sha, trials: [] });
    groups.get(r.sha)!.trials.push({ trialId: r.trialId, subject: r.subject, key: r.key, file: r.file ?? '' });
  }
  return [...groups.values()];
}
