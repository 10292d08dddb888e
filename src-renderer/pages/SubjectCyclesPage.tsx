import { useMemo } from 'react';
import type { ApiResponse } from '../../src-shared/api/schema';
import { call } from '../api/client';
import { useApp } from '../app-context';
import { CyclesView } from '../components/cycles/CyclesView';
import { ErrorBanner } from '../components/ErrorBanner';
import { GpPanel } from '../components/gp/GpPanel';
import { plural } from '../lib/format';
import { useLoad } from '../lib/hooks';
import { usePageTitle } from '../lib/page-title';
import { hrefSubject, hrefSubjects } from '../lib/route';

type SubjectAnswer = ApiResponse<'getSubject'>;

/** Every cycle of every trial of one subject, overlaid per side for a chosen channel. */
export function SubjectCyclesPage({ subjectId, channel }: { subjectId: string; channel?: string }) {
  const { dataVersion } = useApp();
  const loaded = useLoad(() => call('getSubject', { id: subjectId }), [subjectId, dataVersion]);
  usePageTitle(loaded.state === 'ready' ? `${loaded.value.subject.code} cycles · GaitLab` : 'Cycles · GaitLab');

  return (
    <section className="page detail-page" data-testid="subject-cycles-page" aria-labelledby="subject-cycles-title">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <a href={hrefSubjects}>All subjects</a>
        {loaded.state === 'ready' && (
          <>
            {' / '}
            <a href={hrefSubject(subjectId)}>{loaded.value.subject.code}</a>
          </>
        )}
      </nav>
      {loaded.state === 'loading' && <p className="page-loading">Loading the subject…</p>}
      {loaded.state === 'error' && <ErrorBanner message={loaded.message} />}
      {loaded.state === 'ready' && <SubjectCycles answer={loaded.value} dataVersion={dataVersion} channel={channel} />}
    </section>
  );
}

function SubjectCycles({ answer, dataVersion, channel }: { answer: SubjectAnswer; dataVersion: number; channel?: string }) {
  const { subject, sessions } = answer;
  const trialCount = sessions.reduce((n, s) => n + s.trials.length, 0);
  // Flagged cycles name their trial; with several sessions, the session too.
  const trialLabels = useMemo(
    () => new Map(sessions.flatMap((s) => s.trials.map((t) => [t.id, sessions.length > 1 ? `${s.label} · ${t.label}` : t.label] as const))),
    [sessions],
  );

  return (
    <>
      <header className="detail-head">
        <h1 id="subject-cycles-title" tabIndex={-1}>
          {subject.code} <span className="muted">· cycles</span>
        </h1>
        <p className="muted">
          {plural(trialCount, 'trial')} of {plural(sessions.length, 'session')}; each side’s mean ± SD is taken over its clean cycles.
        </p>
      </header>
      {trialCount === 0 ? (
        <p className="muted">This subject has no trials, so no cycles.</p>
      ) : (
        <CyclesView scope={{ subjectId: subject.id }} revision={String(dataVersion)} trialLabels={trialLabels} fileName={`${subject.code}_cycles`} initialChannel={channel} />
      )}
      {trialCount > 0 && subject.group && <GpPanel subjectId={subject.id} cohort={subject.cohort} />}
    </>
  );
}
