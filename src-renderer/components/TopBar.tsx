import type { AppInfo } from '../../src-shared/api/schema';
import { useApp } from '../app-context';
import { plural } from '../lib/format';
import { hrefSubjects } from '../lib/route';

export function TopBar({ info }: { info: AppInfo | null }) {
  const { openImport } = useApp();
  return (
    <header className="top-bar">
      <a className="top-bar-brand" href={hrefSubjects} aria-label="GaitLab: subject list">
        <svg className="top-bar-logo" viewBox="0 0 24 24" aria-hidden="true">
          <path d="M2 15h3l2-7 3 12 3-16 3 13 2-5h4" fill="none" stroke="currentColor" strokeWidth="2" strokeLinejoin="round" strokeLinecap="round" />
        </svg>
        GaitLab
      </a>
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
