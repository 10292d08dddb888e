// On a subject's page: issue a report (one visit or all, optionally compared with another) and the reports issued.
import { useState } from 'react';
import type { SessionSummary } from '../../../src-shared/api/schema';
import { call, errorMessage } from '../../api/client';
import { useApp } from '../../app-context';
import { useLoad } from '../../lib/hooks';
import { hrefReport, navigate } from '../../lib/route';
import { ErrorBanner } from '../ErrorBanner';
import { ProgressBar } from '../ProgressBar';

export function SubjectReports({ subjectId, sessions }: { subjectId: string; sessions: SessionSummary[] }) {
  const { dataVersion } = useApp();
  const [session, setSession] = useState('');
  const [compare, setCompare] = useState('');
  const [busy, setBusy] = useState<{ done: number; total: number; stage: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const issued = useLoad(() => call('listReports', { subjectId }), [subjectId, dataVersion]);
  const issue = () => {
    setError(null);
    setBusy({ done: 0, total: 4, stage: 'starting' });
    call('issueReport', { subjectId, sessionId: session || undefined, compareSessionId: compare || undefined }, {
      onEvent: (e) => { if (e.type === 'progress') setBusy({ done: e.progress.done, total: e.progress.total, stage: e.progress.stage }); },
    }).then((r) => navigate(hrefReport(r.id)), (e: unknown) => setError(errorMessage(e))).finally(() => setBusy(null));
  };
  return (
    <section className="panel" aria-labelledby="reports-title" data-testid="subject-reports">
      <h2 id="reports-title">Reports</h2>
      <div className="report-issue">
        <label>Visit <select value={session} onChange={(e) => setSession(e.target.value)} data-testid="report-session">
          <option value="">all visits</option>
          {sessions.map((s) => <option key={s.id} value={s.id}>{s.label}{s.date ? ` (${s.date})` : ''}</option>)}
        </select></label>
        {sessions.length > 1 && (
          <label>Compare with <select value={compare} onChange={(e) => setCompare(e.target.value)} data-testid="report-compare">
            <option value="">—</option>
            {sessions.filter((s) => s.id !== session).map((s) => <option key={s.id} value={s.id}>{s.label}{s.date ? ` (${s.date})` : ''}</option>)}
          </select></label>
        )}
        <button type="button" onClick={issue} disabled={busy !== null} data-testid="issue-report">Issue report</button>
      </div>
      {busy && <ProgressBar label={`Issuing the report: ${busy.stage}`} fraction={busy.done / busy.total} figures={`${busy.done} of ${busy.total}`} />}
      {error && <ErrorBanner message={error} />}
      {issued.state === 'ready' && issued.value.reports.length > 0 && (
        <ul className="report-list">
          {issued.value.reports.map((r) => <li key={r.id}><a href={hrefReport(r.id)}>{r.id}</a> <span className="muted">issued {r.createdAt.slice(0, 16).replace('T', ' ')} UTC</span></li>)}
        </ul>
      )}
    </section>
  );
}
