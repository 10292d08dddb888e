import { useEffect, useRef, type FormEvent, type ReactNode } from 'react';
import { ErrorBanner } from '../ErrorBanner';

interface RecordDialogProps {
  title: string;
  testId: string;
  error: string | null;
  busy: boolean;
  submitLabel: string;
  danger?: boolean;
  onSubmit(): void;
  onClose(): void;
  children: ReactNode;
}

/** A modal form for one record change: the service's one-line error shown above the buttons, nothing saved until it passes. */
export function RecordDialog({ title, testId, error, busy, submitLabel, danger, onSubmit, onClose, children }: RecordDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const el = dialog.current;
    if (el && !el.open) el.showModal();
  }, []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!busy) onSubmit();
  };
  return (
    <dialog ref={dialog} className="dialog record-dialog" data-testid={testId} aria-labelledby={`${testId}-title`}
      onCancel={(e) => { e.preventDefault(); if (!busy) onClose(); }}>
      <form onSubmit={submit}>
        <header className="dialog-head">
          <h2 id={`${testId}-title`}>{title}</h2>
          <button type="button" className="icon-button" onClick={onClose} disabled={busy} aria-label="Close" title="Close">×</button>
        </header>
        <div className="dialog-body record-form">{children}</div>
        {error && <ErrorBanner message={error} />}
        <footer className="dialog-foot">
          <button type="button" className="button" onClick={onClose} disabled={busy}>Cancel</button>
          <button type="submit" className={danger ? 'button danger' : 'button primary'} disabled={busy} data-testid={`${testId}-submit`}>{submitLabel}</button>
        </footer>
      </form>
    </dialog>
  );
}

/** One labelled input row; `unit` is shown after the input, `hint` (the plausible range) under it. */
export function Field({ label, unit, hint, children }: { label: string; unit?: string; hint?: string; children: ReactNode }) {
  return (
    <label className="record-field">
      <span className="record-field-label">{label}</span>
      <span className="record-field-input">
        {children}
        {unit && <span className="record-field-unit">{unit}</span>}
      </span>
      {hint && <span className="record-field-hint muted">{hint}</span>}
    </label>
  );
}
