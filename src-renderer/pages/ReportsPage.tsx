// Every issued report, newest first. Reports are issued from a subject's page.
import { call } from '../api/client';
import { ErrorBanner } from '../components/ErrorBanner';
import { useLoad } from '../lib/hooks';
import { usePageTitle } from '../lib/page-title';
import { hrefReport, hrefSubject, hrefSubjects } from '../lib/route';

export function ReportsPage() {
  usePageTitle('Reports · GaitLab');
  const loaded = useLoad(() => call('listReports', {}), []);
  return (
    <section className="page" data-testid="reports-page">
      <h1>Reports</h1>
      {loaded.state === 'error' && <ErrorBanner message={loaded.message} />}
      {loaded.state === 'ready' && loaded.value.reports.length === 0 && (
        <p className="muted">No report issued yet. Open a subject from the <a href={hrefSubjects}>subject list</a> and choose “Issue report”.</p>
      )}
      {loaded.state === 'ready' && loaded.value.reports.length > 0 && (
        <table className="data-table">
          <thead><tr><th>Report</th><th>Subject</th><th>Issued (UTC)</th></tr></thead>
          <tbody>
            {loaded.value.reports.map((r) => (
              <tr key={r.id}>
                <td><a href={hrefReport(r.id)}>{r.id}</a></td>
                <td>{r.subjectId ? <a href={hrefSubject(r.subjectId)}>{r.subjectId}</a> : 'subject deleted'}</td>
                <td>{r.createdAt.slice(0, 19).replace('T', ' ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
