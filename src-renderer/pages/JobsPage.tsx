// The Jobs panel: train a model, and every job with its progress bar, stage, ETA and a Cancel button.
import { useState } from 'react';
import type { JobSummary } from '../../src-shared/api/jobs';
import { call, errorMessage } from '../api/client';
import { ErrorBanner } from '../components/ErrorBanner';
import { JobLog } from '../components/JobLog';
import { ProgressBar } from '../components/ProgressBar';
import { TrainForm } from '../components/TrainForm';
import { formatEta, isActiveJob, jobStatusText } from '../lib/job-format';
import { useJobs } from '../lib/jobs';
import { usePageTitle } from '../lib/page-title';
import { hrefModel } from '../lib/route';

function JobItem({ job, onCancel }: { job: JobSummary; onCancel: (id: string) => void }) {
  const active = isActiveJob(job);
  const [logOpen, setLogOpen] = useState(false);
  return (
    <li className={`job-item job-${job.status}`} data-testid="job-item" data-job-id={job.id} data-status={job.status}>
      <div className="job-head">
        <span className="job-method">{job.method}</span>
        <code className="job-id">{job.id}</code>
        <span className="job-status" data-testid="job-status">{jobStatusText(job)}</span>
        <span className="job-spacer" />
        {job.status === 'done' && job.modelId && (
          <a href={hrefModel(job.modelId)} data-testid="job-model-link">
            Model {job.modelId}
          </a>
        )}
        <button type="button" className="button small quiet" aria-expanded={logOpen} onClick={() => setLogOpen((o) => !o)} data-testid="job-log-toggle">
          Log
        </button>
        {active && (
          <button type="button" className="button small" onClick={() => onCancel(job.id)} disabled={job.cancelRequested} data-testid="job-cancel">
            Cancel
          </button>
        )}
      </div>
      {(active || job.status === 'cancelled') && (
        <ProgressBar
          label={job.stage ?? job.status}
          fraction={job.status === 'queued' ? null : job.progress}
          figures={[`${Math.round(job.progress * 100)} %`, formatEta(job)].filter(Boolean).join(' · ')}
        />
      )}
      <div className="job-meta muted">
        {job.data.cohort} · seed {job.seed} · {Object.keys(job.params).length ? JSON.stringify(job.params) : 'default parameters'} · queued {new Date(job.createdAt).toLocaleString()}
      </div>
      {logOpen && <JobLog jobId={job.id} />}
    </li>
  );
}

export function JobsPage() {
  usePageTitle('Jobs · GaitLab');
  const { jobs, error, reload, put } = useJobs();
  const [cancelError, setCancelError] = useState<string | null>(null);
  const cancel = (id: string) => {
    setCancelError(null);
    call('cancelJob', { id }).then((r) => put(r.job), (e: unknown) => setCancelError(errorMessage(e)));
  };
  return (
    <section className="page jobs-page" aria-labelledby="jobs-title" data-testid="jobs-page">
      <h1 id="jobs-title">Jobs</h1>
      <TrainForm onQueued={put} />
      {error && <ErrorBanner message={error} action={{ label: 'Retry', onClick: reload }} />}
      {cancelError && <ErrorBanner message={cancelError} onDismiss={() => setCancelError(null)} />}
      {jobs.length === 0 ? (
        <p className="muted">No jobs yet.</p>
      ) : (
        <ul className="job-list" aria-label="Jobs" data-testid="job-list">
          {jobs.map((j) => <JobItem key={j.id} job={j} onCancel={cancel} />)}
        </ul>
      )}
    </section>
  );
}
