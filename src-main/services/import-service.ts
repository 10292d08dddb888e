// `gaitlab import`: walks paths, detects each file's format by content, and imports file by file,
// one transaction per file, so a bad file changes nothing and memory stays bounded by one file.
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ImportSummary } from '../../src-shared/api/schema';
import type { ImportBatch, ImportedChannel } from '../../src-shared/domain/import-batch';
import { InputError } from '../../src-shared/domain/import-batch';
import type { FormatModule } from '../formats/format';
import { detectFormat } from '../formats/registry';
import { logicalName, readHead } from '../formats/source-file';
import { CLOCK_ENCODING, DEFAULT_SIGNAL_ENCODING } from '../store/sample-codec';
import { ParsePool, type ParsedFile } from './parse-pool';
import { findSourceFile, writeImportBatch, type EncodedBlob } from '../store/import-writer';
import { throwIfCancelled } from './call-context';
import type { ProgressSink, ServiceContext } from './context';

/** Expands folders (recursively, sorted, hidden entries skipped) into files. */
export function expandPaths(paths: string[]): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  const walk = (p: string) => {
    let st;
    try {
      st = statSync(p);
    } catch {
      missing.push(p);
      return;
    }
    if (st.isDirectory()) {
      for (const entry of readdirSync(p).sort()) if (!entry.startsWith('.')) walk(join(p, entry));
    } else if (st.isFile()) files.push(p);
  };
  for (const p of paths) walk(resolve(p));
  return { files, missing };
}

const POOL_SIZE = 2;
const LOOKAHEAD = 4;

/** Pairs the worker's encoded blobs (in traversal order) with the batch's channels and clocks. */
function encodedMaps(batch: ImportBatch, blobList: Buffer[], clockList: Buffer[]): { blobs: Map<ImportedChannel, EncodedBlob>; clocks: Map<Float64Array, EncodedBlob> } {
  const blobs = new Map<ImportedChannel, EncodedBlob>();
  const clocks = new Map<Float64Array, EncodedBlob>();
  let b = 0, c = 0;
  for (const session of batch.sessions) {
    for (const trial of session.trials) {
      for (const ch of trial.channels) blobs.set(ch, { encoding: DEFAULT_SIGNAL_ENCODING, blob: blobList[b++] });
      if (trial.deviceTimeS) clocks.set(trial.deviceTimeS, { encoding: CLOCK_ENCODING, blob: clockList[c++] });
    }
  }
  return { blobs, clocks };
}

interface PlannedFile { path: string; format: FormatModule; size: number }

function plan(files: string[], summary: ImportSummary): PlannedFile[] {
  const planned: PlannedFile[] = [];
  for (const path of files) {
    let head: Buffer;
    try {
      head = readHead(path);
    } catch (e) {
      summary.errors.push({ file: path, message: `${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` });
      continue;
    }
    const format = detectFormat(logicalName(path), head);
    if (!format) {
      summary.skipped.push({ file: path, reason: 'not a recognised format' });
      continue;
    }
    planned.push({ path, format, size: statSync(path).size });
  }
  // Metadata formats first, so recordings find their subjects' demographics already there.
  return planned.sort((a, b) => a.format.order - b.format.order || a.path.localeCompare(b.path));
}

export async function importPaths(ctx: ServiceContext, paths: string[], onProgress?: ProgressSink, signal?: AbortSignal): Promise<ImportSummary> {
  const started = performance.now();
  const summary: ImportSummary = {
    subjects: 0, subjectsAdded: 0, sessions: 0, trials: 0, trialsAdded: 0, files: 0,
    skipped: [], errors: [], duplicates: [], warnings: [], bytes: 0, seconds: 0,
  };
  const { files, missing } = expandPaths(paths);
  for (const m of missing) summary.errors.push({ file: m, message: `${m}: no such file or folder` });
  const planned = plan(files, summary);
  const totalBytes = planned.reduce((s, f) => s + f.size, 0);
  const subjects = new Set<string>();
  const sessions = new Set<string>();
  const trials = new Set<string>();
  const { db } = ctx;
  let importId: number | null = null;
  const ensureImportRow = () => {
    if (importId === null) {
      importId = Number(db.prepare('INSERT INTO imports (started_at, actor, paths) VALUES (?, ?, ?)').run(new Date().toISOString(), ctx.actor, JSON.stringify(paths)).lastInsertRowid);
    }
    return importId;
  };

  const notePresent = (file: string, present: { id: number; path: string }) => {
    summary.skipped.push({ file, reason: `already present (imported from ${present.path})` });
    const rows = db.prepare(`SELECT t.id AS trial, t.session_id AS session, se.subject_id AS subject FROM trials t JOIN sessions se ON se.id = t.session_id WHERE t.source_file_id = ?`)
      .all(present.id) as { trial: string; session: string; subject: string }[];
    for (const r of rows) { trials.add(r.trial); sessions.add(r.session); subjects.add(r.subject); }
  };
  const noteError = (file: string, e: unknown) => {
    summary.errors.push({ file, message: e instanceof InputError ? e.message : `${file}: ${(e as Error).message}` });
  };

  // Workers read, decompress, parse and compress files ahead (a bounded window, so memory stays
  // bounded by a few files); the main thread writes them in file order, one transaction each.
  const pool = new ParsePool(Math.max(1, Math.min(POOL_SIZE, planned.length)));
  const window = new Map<number, Promise<ParsedFile | Error>>();
  const start = (i: number) => {
    if (i >= planned.length || window.has(i)) return;
    const p = planned[i];
    const known = (db.prepare('SELECT name, sha256 FROM source_files WHERE name = ?').all(logicalName(p.path)) as { name: string; sha256: string }[]);
    window.set(i, pool.parse(p.path, p.format.id, known).catch((e) => e as Error));
  };
  let doneBytes = 0;
  try {
    for (let i = 0; i < planned.length; i++) {
      for (let k = i; k < i + LOOKAHEAD; k++) start(k);
      const p = planned[i];
      const parsed = await window.get(i)!;
      window.delete(i);
      // Cancelled: checked after the await and before this file's transaction, which therefore never starts;
      // the files before it are committed whole (one transaction each), so nothing is left half-written.
      throwIfCancelled(signal, 'import');
      doneBytes += p.size;
      onProgress?.({ kind: 'progress', task: 'import', stage: 'importing', done: doneBytes, total: totalBytes, detail: p.path });
      if (parsed instanceof Error) {
        noteError(p.path, parsed);
        continue;
      }
      summary.files++;
      summary.bytes += parsed.meta.bytes;
      const present = findSourceFile(db, parsed.meta.name, parsed.meta.sha256);
      if (present || !parsed.batch) {
        if (present) notePresent(p.path, present);
        continue;
      }
      const batch = parsed.batch;
      const { blobs, clocks } = encodedMaps(batch, parsed.blobs, parsed.clocks);
      const record = { name: parsed.meta.name, sha256: parsed.meta.sha256, format: p.format.id, bytes: parsed.meta.bytes, path: p.path };
      try {
        const written = db.transaction(() => writeImportBatch(db, ctx.actor, ensureImportRow(), record, batch, blobs, clocks))();
        summary.warnings.push(...batch.warnings);
        summary.subjectsAdded += written.subjectsAdded;
        for (const s of written.subjectIds) subjects.add(s);
        for (const s of written.sessionIds) sessions.add(s);
        for (const t of written.trials) {
          trials.add(t.trialId);
          if (t.added) summary.trialsAdded++;
        }
      } catch (e) {
        if (importId !== null && !db.prepare('SELECT 1 FROM imports WHERE id = ?').get(importId)) importId = null; // rolled back with the file
        noteError(p.path, e);
      }
    }
  } finally {
    await pool.close();
  }
  onProgress?.({ kind: 'progress', task: 'import', stage: 'done', done: totalBytes, total: totalBytes });

  summary.subjects = subjects.size;
  summary.sessions = sessions.size;
  summary.trials = trials.size;
  summary.duplicates = findDuplicates(ctx, [...trials]);
  summary.seconds = Number(((performance.now() - started) / 1000).toFixed(3));
  if (importId !== null) {
    db.prepare('UPDATE imports SET finished_at = ?, summary = ? WHERE id = ?').run(new Date().toISOString(), JSON.stringify({ ...summary, skipped: summary.skipped.length }), importId);
  }
  return summary;
}

/** Groups of trials (among those given) whose content is byte-identical to another stored trial. */
function findDuplicates(ctx: ServiceContext, trialIds: string[]): ImportSummary['duplicates'] {
  if (trialIds.length === 0) return [];
  const rows = ctx.db.prepare(`
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
