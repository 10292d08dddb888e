// One import at a time, as a small state machine the import dialog and the empty state both draw:
// upload (browser mode) → importPaths / loadDemo with progress events → summary.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ImportSummary, ProgressEvent } from '../../src-shared/api/schema';
import { call, errorMessage, onProgress } from '../api/client';
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
  | { phase: 'failed'; message: string; uploadErrors: FileError[] };

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

  /** Runs the API call while drawing its progress events, at most once per frame. */
  const withProgress = useCallback(
    async (what: 'import' | 'demo', work: () => Promise<ImportSummary>, uploadErrors: FileError[]) => {
      update({ phase: 'importing', what, progress: null });
      let latest: ProgressEvent | null = null;
      let frame = 0;
      const unsubscribe = onProgress((event) => {
        latest = event;
        if (frame) return;
        frame = window.requestAnimationFrame(() => {
          frame = 0;
          update({ phase: 'importing', what, progress: latest });
        });
      });
      try {
        const summary = await work();
        update({ phase: 'done', summary, uploadErrors });
        dataChanged();
      } catch (error) {
        update({ phase: 'failed', message: errorMessage(error), uploadErrors });
        dataChanged();
      } finally {
        unsubscribe();
        if (frame) window.cancelAnimationFrame(frame);
      }
    },
    [update, dataChanged],
  );

  const importPaths = useCallback(
    (paths: string[]) => withProgress('import', () => call('importPaths', { paths }), []),
    [withProgress],
  );

  const loadDemo = useCallback(() => withProgress('demo', () => call('loadDemo', {}), []), [withProgress]);

  /** Browser mode: uploads the files one by one, then imports what was staged. */
  const uploadAndImport = useCallback(
    async (files: File[]) => {
      if (files.length === 0) return;
      const controller = new AbortController();
      abort.current = controller;
      const totalBytes = files.reduce((sum, f) => sum + f.size, 0);
      const staged: string[] = [];
      const uploadErrors: FileError[] = [];
      let doneBytes = 0;
      for (const [index, file] of files.entries()) {
        if (controller.signal.aborted) return;
        const name = uploadName(file);
        const state = { phase: 'uploading', totalBytes, fileIndex: index, fileCount: files.length, currentFile: name } as const;
        update({ ...state, loadedBytes: doneBytes });
        try {
          staged.push(await uploadFile(file, (loaded) => update({ ...state, loadedBytes: doneBytes + loaded }), controller.signal));
        } catch (error) {
          uploadErrors.push({ file: name, message: errorMessage(error) });
        }
        doneBytes += file.size;
      }
      abort.current = null;
      if (staged.length === 0) {
        update({ phase: 'failed', message: 'No file could be uploaded.', uploadErrors });
        return;
      }
      await withProgress('import', () => call('importPaths', { paths: staged }), uploadErrors);
    },
    [update, withProgress],
  );

  const reset = useCallback(() => update({ phase: 'idle' }), [update]);

  return { run, importPaths, loadDemo, uploadAndImport, reset };
}
