import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { AppInfo } from '../src-shared/api/schema';
import { call, errorMessage } from './api/client';
import { AppContext, type AppContextValue } from './app-context';
import { ErrorBanner } from './components/ErrorBanner';
import { ImportDialog } from './components/ImportDialog';
import { TopBar } from './components/TopBar';
import { parseRoute, useHash, hrefSubjects } from './lib/route';
import { SubjectCyclesPage } from './pages/SubjectCyclesPage';
import { EmptyState } from './pages/EmptyState';
import { GaitGraphPage } from './pages/GaitGraphPage';
import { JobsPage } from './pages/JobsPage';
import { ModelsPage } from './pages/ModelsPage';
import { SubjectListPage } from './pages/SubjectListPage';
import { SubjectPage } from './pages/SubjectPage';
import { TrialListPage } from './pages/TrialListPage';
import { TrialPage } from './pages/TrialPage';
import { ReportPage } from './pages/ReportPage';
import { ReportsPage } from './pages/ReportsPage';
import { ExportPage } from './pages/ExportPage';
import { RecordPage } from './pages/RecordPage';

export function App() {
  const route = parseRoute(useHash());
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [infoError, setInfoError] = useState<string | null>(null);
  const [dataVersion, setDataVersion] = useState(0);
  const [importOpen, setImportOpen] = useState(false);

  const loadInfo = useCallback(() => {
    call('info', {}).then(
      (next) => {
        setInfo(next);
        setInfoError(null);
      },
      (error: unknown) => setInfoError(errorMessage(error)),
    );
  }, []);

  useEffect(() => loadInfo(), [loadInfo, dataVersion]);

  const context = useMemo<AppContextValue>(
    () => ({
      info,
      dataVersion,
      dataChanged: () => setDataVersion((v) => v + 1),
      openImport: () => setImportOpen(true),
    }),
    [info, dataVersion],
  );

  let page: ReactNode;
  if (!info) {
    page = infoError ? null : <p className="page-loading">Opening the database…</p>;
  } else if (route.page === 'subjects') {
    page = info.counts.subjects === 0 ? <EmptyState /> : <SubjectListPage />;
  } else if (route.page === 'subject') {
    page = <SubjectPage key={route.subjectId} subjectId={route.subjectId} />;
  } else if (route.page === 'subject-cycles') {
    page = <SubjectCyclesPage key={route.subjectId} subjectId={route.subjectId} channel={route.channel} />;
  } else if (route.page === 'trials') {
    page = <TrialListPage />;
  } else if (route.page === 'trial') {
    page = <TrialPage key={route.trialId} trialId={route.trialId} cyclesChannel={route.channel} />;
  } else if (route.page === 'gait-graph') {
    page = <GaitGraphPage key={route.trialId ?? route.subjectId} scope={route.trialId ? { trialId: route.trialId } : { subjectId: route.subjectId! }} />;
  } else if (route.page === 'jobs') {
    page = <JobsPage />;
  } else if (route.page === 'models') {
    page = <ModelsPage modelId={route.modelId} />;
  } else if (route.page === 'export') {
    page = <ExportPage />;
  } else if (route.page === 'record') {
    page = <RecordPage />;
  } else if (route.page === 'reports') {
    page = <ReportsPage />;
  } else if (route.page === 'report') {
    page = <ReportPage key={route.reportId} reportId={route.reportId} />;
  } else {
    page = (
      <section className="page narrow">
        <h1>Page not found</h1>
        <p>
          Nothing lives at <code>#{route.hash}</code>. <a href={hrefSubjects}>Go to the subject list</a>.
        </p>
      </section>
    );
  }

  return (
    <AppContext.Provider value={context}>
      <div className="app">
        <TopBar info={info} route={route} />
        <main className="app-main" id="main">
          {infoError && (
            <ErrorBanner message={infoError} action={{ label: 'Retry', onClick: loadInfo }} />
          )}
          {page}
        </main>
        {importOpen && <ImportDialog onClose={() => setImportOpen(false)} />}
      </div>
    </AppContext.Provider>
  );
}
