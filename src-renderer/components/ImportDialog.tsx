import { useEffect, useRef, useState, type FormEvent } from 'react';
import { errorMessage, nativeDialogPicksBoth, pickPaths, transportKind } from '../api/client';
import type { PickKind } from '../types/gaitlab-bridge';
import { ErrorBanner } from './ErrorBanner';
import { ImportProgress } from './ImportProgress';
import { ImportSummaryView } from './ImportSummaryView';
import { SupportedFormats } from './SupportedFormats';
import { isBusy, useImportRun } from './useImportRun';

/** Import files: native dialog (Electron) or upload (browser mode), or a path on this computer. */
export function ImportDialog({ onClose }: { onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const { run, importPaths, uploadAndImport, reset, cancel } = useImportRun();
  const [path, setPath] = useState('');
  // Overrides of the visit rule (services/visit-grouping.ts), as `gaitlab import --session/--subject`.
  const [visit, setVisit] = useState({ session: '', subject: '' });
  const [pickError, setPickError] = useState<string | null>(null);
  const busy = isBusy(run);

  useEffect(() => {
    const el = dialog.current;
    if (el && !el.open) el.showModal();
    // React has no typed prop for it; without it the second input would pick files, not a folder.
    folderInput.current?.setAttribute('webkitdirectory', '');
  }, []);

  function close() {
    if (busy) return;
    onClose();
  }

  async function chooseNative(kind?: PickKind) {
    setPickError(null);
    try {
      const paths = await pickPaths(kind);
      if (paths.length > 0) await importPaths(paths, visit);
    } catch (error) {
      setPickError(errorMessage(error));
    }
  }

  function onFiles(input: HTMLInputElement) {
    const files = input.files ? Array.from(input.files) : [];
    input.value = '';
    void uploadAndImport(files, visit);
  }

  function onSubmitPath(e: FormEvent) {
    e.preventDefault();
    const trimmed = path.trim();
    if (trimmed) void importPaths([trimmed], visit);
  }

  return (
    <dialog
      ref={dialog}
      className="dialog import-dialog"
      data-testid="import-dialog"
      aria-labelledby="import-dialog-title"
      onCancel={(e) => {
        e.preventDefault();
        close();
      }}
    >
      <header className="dialog-head">
        <h2 id="import-dialog-title">Import recordings</h2>
        <button type="button" className="icon-button" onClick={close} disabled={busy} aria-label="Close the import dialog" title="Close">
          ×
        </button>
      </header>

      <div className="dialog-body">
        <p className="muted">
          Files are read on this computer and copied into the database; nothing leaves it. Files already imported
          (same content) are recognised and not added twice.
        </p>

        <details className="import-visit" open={visit.session !== '' || visit.subject !== ''}>
          <summary>Visit: by folder, or one you name</summary>
          <p className="muted small">
            By default the files of one folder are one visit (session) named after it. To file every file of this import
            into one visit, name it here, and the subject if it is not the files' own.
          </p>
          <div className="input-row">
            <label>
              Session{' '}
              <input className="text-input" value={visit.session} disabled={busy} placeholder="e.g. Baseline"
                onChange={(e) => setVisit((v) => ({ ...v, session: e.target.value }))} data-testid="import-session" />
            </label>
            <label>
              Subject{' '}
              <input className="text-input" value={visit.subject} disabled={busy} placeholder="code or S-…"
                onChange={(e) => setVisit((v) => ({ ...v, subject: e.target.value }))} data-testid="import-subject" />
            </label>
          </div>
        </details>

        {transportKind === 'electron' ? (
          <div className="import-choose">
            {nativeDialogPicksBoth() ? (
              <button type="button" className="button primary" onClick={() => void chooseNative()} disabled={busy}>
                Choose files or folders…
              </button>
            ) : (
              <>
                <button type="button" className="button primary" onClick={() => void chooseNative('files')} disabled={busy}>
                  Choose files…
                </button>
                <button type="button" className="button" onClick={() => void chooseNative('folders')} disabled={busy}>
                  Choose a folder…
                </button>
              </>
            )}
          </div>
        ) : (
          <div className="import-choose">
            <label className={busy ? 'button primary disabled' : 'button primary'}>
              Choose files…
              <input
                type="file"
                multiple
                className="visually-hidden"
                data-testid="import-file-input"
                disabled={busy}
                onChange={(e) => onFiles(e.currentTarget)}
              />
            </label>
            <label className={busy ? 'button disabled' : 'button'}>
              Choose a folder…
              <input
                ref={folderInput}
                type="file"
                multiple
                className="visually-hidden"
                data-testid="import-folder-input"
                disabled={busy}
                onChange={(e) => onFiles(e.currentTarget)}
              />
            </label>
            <span className="muted small">Files are uploaded to the GaitLab server on this computer, then imported.</span>
          </div>
        )}

        <form className="import-path-form" onSubmit={onSubmitPath}>
          <label htmlFor="import-path">or a path on this computer</label>
          <div className="input-row">
            <input
              id="import-path"
              type="text"
              className="text-input mono"
              placeholder="/data/gaitpdb  or  C:\Lab\exports\GRF_F_V_PRO_left.csv"
              value={path}
              onChange={(e) => setPath(e.target.value)}
              disabled={busy}
              spellCheck={false}
              autoComplete="off"
              data-testid="import-path-input"
            />
            <button type="submit" className="button" disabled={busy || path.trim() === ''} data-testid="import-path-submit">
              Import
            </button>
          </div>
        </form>

        {pickError && <ErrorBanner message={pickError} onDismiss={() => setPickError(null)} />}

        <ImportProgress run={run} />

        {(run.phase === 'done' || run.phase === 'failed') && (
          <ImportSummaryView
            summary={run.phase === 'done' ? run.summary : null}
            uploadErrors={run.uploadErrors}
            failure={run.phase === 'failed' ? run.message : undefined}
          />
        )}

        <SupportedFormats compact />
      </div>

      <footer className="dialog-foot">
        {busy && (
          <button type="button" className="button" onClick={cancel} data-testid="import-cancel">
            Cancel import
          </button>
        )}
        {(run.phase === 'done' || run.phase === 'failed') && (
          <button type="button" className="button" onClick={reset}>
            Import more
          </button>
        )}
        <button type="button" className="button primary" onClick={close} disabled={busy}>
          {run.phase === 'done' ? 'Done' : 'Close'}
        </button>
      </footer>
    </dialog>
  );
}
