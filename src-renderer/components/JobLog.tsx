// A job's log lines (what its worker wrote: data, backend, epochs, the model or why it stopped), kept current.
import { useEffect, useState } from 'react';
import { call, errorMessage, subscribe } from '../api/client';

type Line = { at: string; line: string };

export function JobLog({ jobId }: { jobId: string }) {
  const [lines, setLines] = useState<Line[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let loaded = false;
    const early: Line[] = [];
    const add = (l: Line) => setLines((list) => (list.some((x) => x.at === l.at && x.line === l.line) ? list : [...list, l]));
    const stop = subscribe({ jobIds: [jobId] }, (e) => {
      if (e.type !== 'job-log' || e.jobId !== jobId) return;
      if (loaded) add({ at: e.at, line: e.line });
      else early.push({ at: e.at, line: e.line });
    });
    call('getJob', { id: jobId }).then(
      (r) => {
        loaded = true;
        setLines(r.log);
        early.forEach(add);
      },
      (e: unknown) => setError(errorMessage(e)),
    );
    return stop;
  }, [jobId]);
  if (error) return <p className="job-log-error">{error}</p>;
  return (
    <pre className="job-log" data-testid="job-log">
      {lines.map((l) => `${new Date(l.at).toLocaleTimeString()}  ${l.line}`).join('\n')}
    </pre>
  );
}
