import { useState } from 'react';
import { useApp } from '../app-context';
import { SubjectForm } from '../components/records/SubjectForm';
import { ImportProgress } from '../components/ImportProgress';
import { ImportSummaryView } from '../components/ImportSummaryView';
import { SupportedFormats } from '../components/SupportedFormats';
import { isBusy, useImportRun } from '../components/useImportRun';

/** The first screen of a new database: what GaitLab is, the demo cohort one click away, and how to import. */
export function EmptyState() {
  const { info, openImport } = useApp();
  const { run, loadDemo } = useImportRun();
  const busy = isBusy(run);
  const demoAvailable = info?.demoAvailable ?? false;
  const [registering, setRegistering] = useState(false);

  return (
    <section className="page empty-state" data-testid="empty-state" aria-labelledby="empty-title">
      <div className="empty-card">
        <h1 id="empty-title">Welcome to GaitLab</h1>
        <p className="lead">
          GaitLab keeps your lab's gait recordings — insoles, force plates, IMUs, C3D — in one local database,
          every trial traceable to its source file.
          <br />
          Look at the signals, compare groups and export results on this computer, offline.
        </p>

        <div className="empty-actions">
          <button
            type="button"
            className="button primary large"
            data-testid="load-demo"
            onClick={() => void loadDemo()}
            disabled={busy || !demoAvailable}
          >
            {run.phase === 'importing' ? 'Loading the demo cohort…' : 'Load demo cohort'}
          </button>
          <button type="button" className="button large" onClick={openImport} disabled={busy}>
            Import your own files…
          </button>
          <button type="button" className="button large" onClick={() => setRegistering(true)} disabled={busy} data-testid="new-subject">
            Register a patient…
          </button>
        </div>
        {registering && <SubjectForm subject={null} onClose={() => setRegistering(false)} />}

        <p className="muted small demo-note">
          {demoAvailable ? (
            <>
              The demo cohort is a few subjects of PhysioNet's <cite>Gait in Parkinson's Disease</cite> database
              (gaitpdb 1.0.0, physionet.org/content/gaitpdb/1.0.0; Hausdorff; Goldberger et al., <cite>Circulation</cite>{' '}
              2000; ODC-By 1.0), bundled with
              GaitLab: people with Parkinson's disease and healthy controls walking with force-sensing insoles
              (8 sensors per foot, 100 Hz). It takes a few seconds and needs no network.
            </>
          ) : (
            <>This build of GaitLab has no demo cohort bundled; import your own files to start.</>
          )}
        </p>

        <ImportProgress run={run} />
        {run.phase === 'failed' && <ImportSummaryView summary={null} uploadErrors={run.uploadErrors} failure={run.message} />}
        {run.phase === 'done' && run.summary && run.summary.errors.length > 0 && (
          <ImportSummaryView summary={run.summary} uploadErrors={run.uploadErrors} />
        )}

        <SupportedFormats />
      </div>
    </section>
  );
}
