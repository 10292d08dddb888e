import type { ReactNode } from 'react';
import type { AppInfo } from '../../src-shared/api/schema';
import { useApp } from '../app-context';
import { plural } from '../lib/format';
import { isActiveJob } from '../lib/job-format';
import { useJobs } from '../lib/jobs';
import { hrefExport, hrefJobs, hrefRecord, hrefModels, hrefReports, hrefSubjects, hrefTrials, type Route } from '../lib/route';

/** A main-navigation link, marked as the current page where it is. */
function NavLink({ href, current, id, children }: { href: string; current: boolean; id: string; children: ReactNode }) {
  return (
    <a href={href} className={current ? 'top-bar-link current' : 'top-bar-link'} aria-current={current ? 'page' : undefined} data-testid={`nav-${id}`}>
      {children}
    </a>
  );
}

export function TopBar({ info, route }: { info: AppInfo | null; route: Route }) {
  const onTrials = route.page === 'trials' || route.page === 'trial';
  const onSubjects = route.page === 'subjects' || route.page === 'subject' || route.page === 'subject-cycles';
  const onJobs = route.page === 'jobs';
  const onModels = route.page === 'models';
  const onReports = route.page === 'reports' || route.page === 'report';
  const onExport = route.page === 'export';
  const onRecord = route.page === 'record';
  const { openImport } = useApp();
  // Jobs run in workers while one browses: their count stays in sight on every page.
  const activeJobs = useJobs().jobs.filter(isActiveJob).length;
  return (
    <header className="top-bar">
      <a className="top-bar-brand" href={hrefSubjects} aria-label="GaitLab: subject list">
        <svg className="top-bar-logo" viewBox="0 0 24 24" aria-hidden="true">
          <path d="M2 15h3l2-7 3 12 3-16 3 13 2-5h4" fill="none" stroke="currentColor" strokeWidth="2" strokeLinejoin="round" strokeLinecap="round" />
        </svg>
        GaitLab
      </a>
      <nav className="top-bar-nav" aria-label="Main">
        <NavLink href={hrefSubjects} current={onSubjects} id="subjects">Subjects</NavLink>
        <NavLink href={hrefTrials} current={onTrials} id="trials">Trials</NavLink>
        <NavLink href={hrefJobs} current={onJobs} id="jobs">
          Jobs
          {activeJobs > 0 && (
            <span className="top-bar-badge" data-testid="active-jobs" aria-label={`${activeJobs} active`}>
              {activeJobs}
            </span>
          )}
        </NavLink>
        <NavLink href={hrefModels} current={onModels} id="models">Models</NavLink>
        <NavLink href={hrefReports} current={onReports} id="reports">Reports</NavLink>
        <NavLink href={hrefExport} current={onExport} id="export">Export</NavLink>
        <NavLink href={hrefRecord} current={onRecord} id="record">Record</NavLink>
      </nav>
      {info && (
        <div className="top-bar-db">
          <span className="top-bar-db-label">Database</span>
          {/* Right-to-left so a long path is cut at its start; the marks keep "/" and "." where they belong. */}
          <span className="top-bar-db-path" title={info.dbPath}>
            {`\u200e${info.dbPath}\u200e`}
          </span>
        </div>
      )}
      {info && (
        <div className="top-bar-counts" aria-label="Database contents">
          <span>{plural(info.counts.subjects, 'subject')}</span>
          <span>{plural(info.counts.sessions, 'session')}</span>
          <span>{plural(info.counts.trials, 'trial')}</span>
        </div>
      )}
      <div className="top-bar-spacer" />
      {info?.mode === 'browser' && (
        <span className="top-bar-mode" title="This window talks to the GaitLab server on this computer (loopback only).">
          Browser mode · v{info.version}
        </span>
      )}
      {info && info.mode !== 'browser' && <span className="top-bar-mode">v{info.version}</span>}
      <button type="button" className="button primary" data-testid="import-button" onClick={openImport} disabled={!info}>
        Import…
      </button>
    </header>
  );
}
