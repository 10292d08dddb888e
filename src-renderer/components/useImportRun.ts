// One import at a time, as a small state machine the import dialog and the empty state both draw:
// upload (browser mode) → importPaths / loadDemo with the call's own progress events → summary. Cancel
// aborts the upload or the call; main stops the import between files, keeping the files already imported.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ImportSummary, ProgressEvent } from '../../src-shared/api/schema';
import { call, errorMessage, isCancelled, type ApiEvent } from '../api/client';
import { uploadFile, uploadName } from '../api/upload';
import { useApp } from '../app-context';

export interface FileError {
  file: string;
  message: string;
}

export type ImportRun =
  | { phase: 'idle' }
  | { phase: 'uploading'; loadedBytes: number; totalBytes: number; fileIndex: number; fileCount: number; currentFile: string }
  | { phase: 'importing'; what: 'import' | 'demo'; progress: ProgressEvent | null }
  | { phase: 'done'; summary: ImportSummary | null; uploadErrors: FileError[] }
  | { phase: 'failed'; message: string; uploadErrors: FileError[]; cancelled?: boolean };

/** The visit rule overridden at import: every file into this session and/or of this subject (code or S-…). */
export interface VisitOverride {
  session?: string;
  subject?: string;
}

/** importPaths, or importVisit where the user named a session or a subject. */
function importCall(paths: string[], visit: VisitOverride | undefined, signal: AbortSignal, onEvent: (e: ApiEvent) => void): Promise<ImportSummary> {
  const session = visit?.session?.trim();
  const subject = visit?.subject?.trim();
  if (!session && !subject) return call('importPaths', { paths }, { signal, onEvent });
  return call('importVisit', { paths, ...(session ? { session } : {}), ...(subject ? { subject } : {}) }, { signal, onEvent });
}

export const CANCELLED_MESSAGE = 'Import cancelled: the files imported before it are kept, the file in progress was not stored.';

export function isBusy(run: ImportRun): boolean {
  return run.phase === 'uploading' || run.phase === 'importing';
}

export function useImportRun() {
  const { dataChanged } = useApp();
  const [run, setRun] = useState<ImportRun>({ phase: 'idle' });
  const mounted = useRef(true);
  const abort = useRef<AbortController | null>(null);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      abort.current?.abort();
    };
  }, []);

  const update = useCallback((next: ImportRun) => {
    if (mounted.current) setRun(next);
  }, []);

  /** Runs the API call while drawing its own progress events, at most once per frame; Cancel aborts it. */
  const withProgress = useCallback(
    async (what: 'import' | 'demo', work: (signal: AbortSignal, onEvent: (e: ApiEvent) => void) => Promise<ImportSummary>, uploadErrors: FileError[]) => {
      const controller = new AbortController();
      abort.current = controller;
      update({ phase: 'importing', what, progress: null });
      let latest: ProgressEvent | null = null;
      let frame = 0;
      const onEvent = (event: ApiEvent) => {
        if (event.type !== 'progress') return;
        latest = event.progress;
        if (frame) return;
        frame = window.requestAnimationFrame(() => {
          frame = 0;
          if (!controller.signal.aborted) update({ phase: 'importing', what, progress: latest });
        });
      };
      try {
        const summary = await work(controller.signal, onEvent);
        update({ phase: 'done', summary, uploadErrors });
      } catch (error) {
        if (isCancelled(error)) update({ phase: 'failed', message: CANCELLED_MESSAGE, uploadErrors, cancelled: true });
        else update({ phase: 'failed', message: errorMessage(error), uploadErrors });
      } finally {
        if (frame) window.cancelAnimationFrame(frame);
        if (abort.current === controller) abort.current = null;
        dataChanged();
      }
    },
    [update, dataChanged],
  );

  const importPaths = useCallback(
    (paths: string[], visit?: VisitOverride) => withProgress('import', (signal, onEvent) => importCall(paths, visit, signal, onEvent), []),
    [withProgress],
  );

  const loadDemo = useCallback(
    () => withProgress('demo', (signal, onEvent) => call('loadDemo', {}, { signal, onEvent }), []),
    [withProgress],
  );

  /** Browser mode: uploads the files one by one, then imports what was staged. */
  const uploadAndImport = useCallback(
    async (files: File[], visit?: VisitOverride) => {
      if (files.length === 0) return;
      const controller = new AbortController();
      abort.current = controller;
      const totalBytes = files.reduce((sum, f) => sum + f.size, 0);
      const staged: string[] = [];
      const uploadErrors: FileError[] = [];
      let doneBytes = 0;
      for (const [index, file] of files.entries()) {
        if (controller.signal.aborted) {
          update({ phase: 'failed', message: CANCELLED_MESSAGE, uploadErrors, cancelled: true });
          return;
        }
        const name = uploadName(file);
        const state = { phase: 'uploading', totalBytes, fileIndex: index, fileCount: files.length, currentFile: name } as const;
        update({ ...state, loadedBytes: doneBytes });
        try {
          staged.push(await uploadFile(file, (loaded) => update({ ...state, loadedBytes: doneBytes + loaded }), controller.signal));
        } catch (error) {
          if (!controller.signal.aborted) uploadErrors.push({ file: name, message: errorMessage(error) });
        }
        doneBytes += file.size;
      }
      abort.current = null;
      if (controller.signal.aborted) {
        update({ phase: 'failed', message: CANCELLED_MESSAGE, uploadErrors, cancelled: true });
        return;
      }
      if (staged.length === 0) {
        update({ phase: 'failed', message: 'No file could be uploaded.', uploadErrors });
        return;
      }
      await withProgress('import', (signal, onEvent) => importCall(staged, visit, signal, onEvent), uploadErrors);
    },
    [update, withProgress],
  );

  const reset = useCallback(() => update({ phase: 'idle' }), [update]);

  /** Stops the upload or the import in progress; the run then ends as 'failed' with `cancelled: true`. */
  const cancel = useCallback(() => abort.current?.abort(), []);

  return { run, importPaths, loadDemo, uploadAndImport, reset, cancel };
}
