import type { ImportSummary } from '../../src-shared/api/schema';
import { escapeControl } from '../../src-shared/text/escape';
import { baseName, formatBytes, formatCount, formatNumber, plural, shortHash } from '../lib/format';
import type { FileError } from './useImportRun';

interface ImportSummaryViewProps {
  summary: ImportSummary | null;
  uploadErrors: FileError[];
  failure?: string;
}

/** What an import did: added, already present, the visit rules used, duplicates by content, skipped files, errors (one line each). */
export function ImportSummaryView({ summary, uploadErrors, failure }: ImportSummaryViewProps) {
  const errors = [...uploadErrors, ...(summary?.errors ?? [])];
  return (
    <div className="import-summary" data-testid="import-summary" aria-live="polite">
      {failure && <p className="import-failure">{failure}</p>}
      {summary && (
        <>
          <p className="import-summary-head">
            {summary.trialsAdded > 0 || summary.subjectsAdded > 0 ? 'Import finished' : 'Nothing new was imported'}
            <span className="muted">
              {' '}
              · {plural(summary.files, 'file')}, {formatBytes(summary.bytes)} in {formatNumber(summary.seconds, 1)} s
            </span>
          </p>
          <dl className="stat-grid">
            <Stat label="Subjects added" value={summary.subjectsAdded} note={alreadyPresent(summary.subjects - summary.subjectsAdded)} />
            <Stat label="Sessions" value={summary.sessions} note="in the imported files" />
            <Stat label="Trials added" value={summary.trialsAdded} note={alreadyPresent(summary.trials - summary.trialsAdded)} />
          </dl>
        </>
      )}
      {summary && summary.visits.length > 0 && (
        <details className="summary-section" data-testid="import-visits" open={summary.visits.length <= 5}>
          <summary>Filed into visits by {plural(summary.visits.length, 'rule')}</summary>
          <ul className="summary-list">
            {summary.visits.map((v) => (
              <li key={v.rule}>
                {v.rule} <span className="muted">· {plural(v.files, 'file')}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
      {summary && summary.duplicates.length > 0 && (
        <details className="summary-section" open={summary.duplicates.length <= 5}>
          <summary>
            {plural(summary.duplicates.length, 'duplicate')} — the same content under more than one trial
          </summary>
          <ul className="summary-list">
            {summary.duplicates.map((dup) => (
              <li key={dup.sha256}>
                <code title={dup.sha256}>{shortHash(dup.sha256)}</code>{' '}
                {dup.trials.map((t) => `${baseName(t.file)} (${t.key.startsWith(t.subject) ? t.key : `${t.subject} · ${t.key}`})`).join(' = ')}
              </li>
            ))}
          </ul>
        </details>
      )}
      {summary && summary.skipped.length > 0 && (
        <details className="summary-section">
          <summary>{plural(summary.skipped.length, 'file')} skipped</summary>
          <ul className="summary-list">
            {summary.skipped.map((s) => (
              <li key={s.file}>
                <span title={escapeControl(s.file)}>{escapeControl(baseName(s.file))}</span>: <span className="muted">{escapeControl(s.reason)}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
      {summary && summary.warnings.length > 0 && (
        <details className="summary-section" open>
          <summary>{plural(summary.warnings.length, 'warning')}</summary>
          <ul className="summary-list">
            {summary.warnings.map((w, i) => (
              <li key={i}>{escapeControl(w)}</li>
            ))}
          </ul>
        </details>
      )}
      {errors.length > 0 && (
        <div className="summary-section">
          <p className="summary-errors-head">{plural(errors.length, 'error')}</p>
          <ul className="summary-list errors">
            {errors.map((e, i) => (
              <li key={i} className="error-line" title={escapeControl(e.file)}>
                {errorLine(e)}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

/** Messages usually name their file already (`GaCo01_01.txt line 811: …`); otherwise the file goes first. */
function errorLine(error: FileError): string {
  const name = baseName(error.file);
  return escapeControl(error.message.includes(name) ? error.message : `${name}: ${error.message}`);
}

function alreadyPresent(count: number): string {
  return count > 0 ? `${formatCount(count)} already present` : 'none already present';
}

function Stat({ label, value, note }: { label: string; value: number; note: string }) {
  return (
    <div className="stat">
      <dt>{label}</dt>
      <dd>
        <span className="stat-value">{formatCount(value)}</span>
        <span className="stat-note">{note}</span>
      </dd>
    </div>
  );
}
