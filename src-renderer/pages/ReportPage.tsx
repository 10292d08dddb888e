// One issued report: shown as issued (never recomputed), saved as PDF or self-contained HTML.
import { useState } from 'react';
import { call, errorMessage } from '../api/client';
import { ErrorBanner } from '../components/ErrorBanner';
import { ReportView } from '../components/reports/ReportView';
import { useLoad } from '../lib/hooks';
import { usePageTitle } from '../lib/page-title';
import { hrefReports, hrefSubject } from '../lib/route';

/** Saves bytes the server made as a file: a download in browser mode, a save dialog in the app. */
function saveFile(fileName: string, mimeType: string, base64: string): void {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ReportPage({ reportId }: { reportId: string }) {
  const loaded = useLoad(() => call('getReport', { id: reportId }), [reportId]);
  usePageTitle(`Report ${reportId} · GaitLab`);
  const [busy, setBusy] = useState<'pdf' | 'html' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const save = (format: 'pdf' | 'html') => {
    setBusy(format);
    setError(null);
    call('renderReport', { id: reportId, format }).then((f) => saveFile(f.fileName, f.mimeType, f.base64), (e: unknown) => setError(errorMessage(e))).finally(() => setBusy(null));
  };
  return (
    <section className="page detail-page" data-testid="report-page">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <a href={hrefReports}>← All reports</a>
        {loaded.state === 'ready' && loaded.value.subjectId && <> · <a href={hrefSubject(loaded.value.subjectId)}>Subject {loaded.value.subjectId}</a></>}
      </nav>
      <div className="report-actions">
        <button type="button" onClick={() => save('pdf')} disabled={busy !== null} data-testid="report-save-pdf">{busy === 'pdf' ? 'Making the PDF…' : 'Save as PDF'}</button>
        <button type="button" onClick={() => save('html')} disabled={busy !== null} data-testid="report-save-html">{busy === 'html' ? 'Writing…' : 'Save as HTML'}</button>
      </div>
      {error && <ErrorBanner message={error} />}
      {loaded.state === 'loading' && <p className="page-loading">Loading the report…</p>}
      {loaded.state === 'error' && <ErrorBanner message={loaded.message} />}
      {loaded.state === 'ready' && <ReportView id={loaded.value.id} report={loaded.value.report} />}
    </section>
  );
}
