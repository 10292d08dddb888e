// Jobs as the renderer shows them: the list from listJobs, kept current by the 'jobs' topic events.
import { useCallback, useEffect, useState } from 'react';
import type { JobSummary } from '../../src-shared/api/jobs';
import { call, errorMessage, subscribe } from '../api/client';
import { mergeJob } from './job-format';

/** Every job of the database, live: a job queued anywhere (another window, a terminal) shows here too. */
export function useJobs(): { jobs: JobSummary[]; error: string | null; reload: () => void; put: (job: JobSummary) => void } {
  const [jobs, setJobs] = useState<JobSummary[]>([]);
  const [error, setError] = useState<string | null>(null);
  const put = useCallback((job: JobSummary) => setJobs((list) => mergeJob(list, job)), []);
  const reload = useCallback(() => {
    call('listJobs', { limit: 200 }).then(
      (r) => {
        setJobs(r.jobs);
        setError(null);
      },
      (e: unknown) => setError(errorMessage(e)),
    );
  }, []);
  useEffect(() => {
    const stop = subscribe({ topics: ['jobs'] }, (e) => {
      if (e.type === 'job-state') put(e.job);
    });
    reload();
    return stop;
  }, [put, reload]);
  return { jobs, error, reload, put };
}
