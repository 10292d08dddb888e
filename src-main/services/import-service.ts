// `gaitlab import`: walks paths, detects each file's format by content, and imports file by file,
// one transaction per file, so a bad file changes nothing and memory stays bounded by one file.
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ImportSummary } from '../../src-shared/api/schema';
import type { ImportBatch, ImportedChannel } from '../../src-shared/domain/import-batch';
import { InputError } from '../../src-shared/domain/errors';
import type { FormatModule } from '../formats/format';
import { detectFormat } from '../formats/registry';
import { logicalName, readHead, sizeLimit, type SizeLimit } from '../formats/source-file';
import { escapeControl } from '../../src-shared/text/escape';
import { ApiError } from './api-errors';
import { CLOCK_ENCODING, DEFAULT_SIGNAL_ENCODING } from '../store/sample-codec';
import { ParsePool, type ParsedFile } from './parse-pool';
import { findSourceFile, importFileOnce, type EncodedBlob } from '../store/import-writer';
import { duplicateTrials, finishImportRun, importRunExists, sourceFilesNamed, startImportRun, trialsOfSourceFile } from '../store/imports';
import { throwIfCancelled } from './call-context';
import { resolveSubject } from '../store/subject-records';
import { groupIntoVisit, type FolderDays, type GroupingOverrides } from './visit-grouping';
import type { ProgressSink, ServiceContext } from './context';

/** A file to import, and whether the user named it (an error when unreadable) or it was found in a folder. */
export interface FoundFile { path: string; named: boolean }

/** Expands folders (recursively, sorted, hidden entries skipped) into files. */
export function expandPaths(paths: string[]): { files: FoundFile[]; missing: string[] } {
  const files: FoundFile[] = [];
  const missing: string[] = [];
  const walk = (p: string, named: boolean) => {
    let st;
    try {
      st = statSync(p);
    } catch {
      missing.push(p);
      return;
    }
    if (st.isDirectory()) {
      for (const entry of readdirSync(p).sort()) if (!entry.startsWith('.')) walk(join(p, entry), false);
    } else if (st.isFile()) files.push({ path: p, named });
  };
  for (const p of paths) walk(resolve(p), true);
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

/**
 * Detects each file's format. A file the user named that cannot be imported is an error; inside a folder,
 * empty and unrecognised files are skipped (and listed with their reason). A damaged `.gz` is always an error.
 */
function plan(files: FoundFile[], summary: ImportSummary): PlannedFile[] {
  const planned: PlannedFile[] = [];
  const refuse = (f: FoundFile, reason: string) => {
    if (f.named) summary.errors.push({ file: f.path, message: escapeControl(`${f.path}: ${reason}`) });
    else summary.skipped.push({ file: f.path, reason });
  };
  for (const f of files) {
    const { path } = f;
    let head: Buffer;
    try {
      head = readHead(path);
    } catch (e) {
      if (e instanceof InputError) summary.errors.push({ file: path, message: escapeControl(e.message) });
      else summary.errors.push({ file: path, message: escapeControl(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`) });
      continue;
    }
    if (head.length === 0) {
      refuse(f, 'the file is empty');
      continue;
    }
    const format = detectFormat(logicalName(path), head);
    if (!format) {
      refuse(f, 'not a recognised format');
      continue;
    }
    planned.push({ path, format, size: statSync(path).size });
  }
  // Metadata formats first, so recordings find their subjects' demographics already there.
  return planned.sort((a, b) => a.format.order - b.format.order || a.path.localeCompare(b.path));
}

export interface ImportOptions {
  /** Most MiB a file may hold once decompressed (`--max-file-mb`); default GAITLAB_MAX_FILE_MB or 1024. */
  maxFileMb?: number;
  /** Every file into this session (visit), instead of the rule of visit-grouping.ts. */
  session?: string;
  /** Every file of this subject: a pseudonym or code of a stored subject, else a new code. */
  subject?: string;
}

function groupingOverrides(ctx: ServiceContext, options: ImportOptions): GroupingOverrides {
  if (!options.subject) return { session: options.session };
  const found = resolveSubject(ctx.db, options.subject);
  if (found === 'ambiguous') throw new ApiError('bad-request', `subject ${options.subject} is ambiguous (the code is used in several cohorts): use the pseudonym`);
  return { session: options.session, subject: found ?? { cohort: null, code: options.subject } };
}

export async function importPaths(ctx: ServiceContext, paths: string[], onProgress?: ProgressSink, signal?: AbortSignal, options: ImportOptions = {}): Promise<ImportSummary> {
  const started = performance.now();
  let limit: SizeLimit;
  try {
    limit = sizeLimit(options.maxFileMb);
  } catch (e) {
    throw new ApiError('bad-request', (e as Error).message);
  }
  const overrides = groupingOverrides(ctx, options);
  const summary: ImportSummary = {
    subjects: 0, subjectsAdded: 0, sessions: 0, trials: 0, trialsAdded: 0, files: 0,
    skipped: [], errors: [], duplicates: [], warnings: [], visits: [], bytes: 0, seconds: 0,
  };
  const { files, missing } = expandPaths(paths);
  for (const m of missing) summary.errors.push({ file: m, message: escapeControl(`${m}: no such file or folder`) });
  const planned = plan(files, summary);
  const totalBytes = planned.reduce((s, f) => s + f.size, 0);
  const subjects = new Set<string>();
  const sessions = new Set<string>();
  const trials = new Set<string>();
  const { db } = ctx;
  let importId: number | null = null;
  const ensureImportRow = () => {
    if (importId === null) importId = startImportRun(db, ctx.actor, paths);
    return importId;
  };

  const notePresent = (file: string, present: { id: number; path: string }) => {
    summary.skipped.push({ file, reason: `already present (imported from ${present.path})` });
    for (const r of trialsOfSourceFile(db, present.id)) { trials.add(r.trial); sessions.add(r.session); subjects.add(r.subject); }
  };
  const noteError = (file: string, e: unknown) => {
    summary.errors.push({ file, message: escapeControl(e instanceof InputError ? e.message : `${file}: ${(e as Error).message}`) });
  };

  // Workers read, decompress, parse and compress files ahead (a bounded window, so memory stays
  // bounded by a few files); the main thread writes them in file order, one transaction each.
  const folderDays: FolderDays = new Map();
  const visitRules = new Map<string, number>();
  const stagingRoot = resolve(ctx.stagingDir);
  const pool = new ParsePool(Math.max(1, Math.min(POOL_SIZE, planned.length)));
  const window = new Map<number, Promise<ParsedFile | Error>>();
  const start = (i: number) => {
    if (i >= planned.length || window.has(i)) return;
    const p = planned[i];
    window.set(i, pool.parse(p.path, p.format.id, limit, sourceFilesNamed(db, logicalName(p.path))).catch((e) => e as Error));
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
      if (!parsed.batch) {
        // The worker found it stored when it started; stored files are never removed by an import.
        const present = findSourceFile(db, parsed.meta.name, parsed.meta.sha256);
        if (present) notePresent(p.path, present);
        continue;
      }
      const batch = parsed.batch;
      const { blobs, clocks } = encodedMaps(batch, parsed.blobs, parsed.clocks);
      // After encodedMaps: regrouping renames sessions and subjects, never the channels the blobs are keyed by.
      // A file uploaded on its own sits directly in browser mode's staging run folder: that folder is no visit.
      const visits = p.format.visits === 'folder' && dirname(dirname(p.path)) !== stagingRoot ? 'folder' : 'own';
      const grouping = groupIntoVisit(batch, p.path, visits, overrides, folderDays);
      if (grouping.warning) summary.warnings.push(escapeControl(grouping.warning));
      const record = { name: parsed.meta.name, sha256: parsed.meta.sha256, format: p.format.id, bytes: parsed.meta.bytes, path: p.path };
      try {
        const outcome = importFileOnce(db, ctx.actor, ensureImportRow, record, batch, blobs, clocks);
        if ('present' in outcome) {
          notePresent(p.path, outcome.present);
          continue;
        }
        const written = outcome.written;
        summary.warnings.push(...batch.warnings.map(escapeControl));
        if (grouping.rule) visitRules.set(grouping.rule, (visitRules.get(grouping.rule) ?? 0) + 1);
        summary.subjectsAdded += written.subjectsAdded;
        for (const s of written.subjectIds) subjects.add(s);
        for (const s of written.sessionIds) sessions.add(s);
        for (const t of written.trials) {
          trials.add(t.trialId);
          if (t.added) summary.trialsAdded++;
        }
      } catch (e) {
        if (importId !== null && !importRunExists(db, importId)) importId = null; // rolled back with the file
        noteError(p.path, e);
      }
    }
  } catch (e) {
    // A cancelled import still says what it committed before it stopped.
    if (importId !== null) finishImportRun(db, importId, { ...summary, skipped: summary.skipped.length, cancelled: true });
    throw e;
  } finally {
    await pool.close();
  }
  onProgress?.({ kind: 'progress', task: 'import', stage: 'done', done: totalBytes, total: totalBytes });

  summary.subjects = subjects.size;
  summary.sessions = sessions.size;
  summary.trials = trials.size;
  summary.duplicates = duplicateTrials(db, [...trials]);
  summary.visits = [...visitRules].map(([rule, files]) => ({ rule: escapeControl(rule), files }));
  summary.seconds = Number(((performance.now() - started) / 1000).toFixed(3));
  if (importId !== null) finishImportRun(db, importId, { ...summary, skipped: summary.skipped.length });
  return summary;
}
