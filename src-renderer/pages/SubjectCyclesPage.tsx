import { useMemo } from 'react';
import type { ApiResponse } from '../../src-shared/api/schema';
import { call } from '../api/client';
import { useApp } from '../app-context';
import type { ChannelMeta } from '../components/cycles/cycle-channels';
import { CyclesView } from '../components/cycles/CyclesView';
import { ErrorBanner } from '../components/ErrorBanner';
import { plural } from '../lib/format';
import { useLoad } from '../lib/hooks';
import { usePageTitle } from '../lib/page-title';
import { hrefSubject, hrefSubjects } from '../lib/route';

/** Channel lists are read from this many of the subject's trials: a subject's trials share a montage. */
const CHANNEL_TRIALS_MAX = 12;

type SubjectAnswer = ApiResponse<'getSubject'>;

/** Every cycle of every trial of one subject, overlaid per side for a chosen channel. */
export function SubjectCyclesPage({ subjectId }: { subjectId: string }) {
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
      {loaded.state === 'ready' && <SubjectCycles answer={loaded.value} dataVersion={dataVersion} />}
    </section>
  );
}

function SubjectCycles({ answer, dataVersion }: { answer: SubjectAnswer; dataVersion: number }) {
  const { subject, sessions } = answer;
  const trials = useMemo(() => sessions.flatMap((s) => s.trials.map((t) => ({ ...t, sessionLabel: s.label }))), [sessions]);
  const trialLabels = useMemo(() => new Map(trials.map((t) => [t.id, sessions.length > 1 ? `${t.sessionLabel} · ${t.label}` : t.label])), [trials, sessions.length]);
  const channels = useLoad(
    () =>
      Promise.all(trials.slice(0, CHANNEL_TRIALS_MAX).map((t) => call('getSignals', { trialId: t.id, valuesIncluded: false }))).then((answers) =>
        answers.flatMap((a) => a.channels.map<ChannelMeta>(({ name, unit, side, domain }) => ({ name, unit, side, domain }))),
      ),
    [subject.id, trials.length, dataVersion],
  );

  return (
    <>
      <header className="detail-head">
        <h1 id="subject-cycles-title" tabIndex={-1}>
          {subject.code} <span className="muted">· cycles</span>
        </h1>
        <p className="muted">
          {plural(trials.length, 'trial')} of {plural(sessions.length, 'session')}; each side’s mean ± SD is taken over its clean cycles.
        </p>
      </header>
      {trials.length === 0 && <p className="muted">This subject has no trials, so no cycles.</p>}
      {trials.length > 0 && channels.state === 'loading' && <p className="page-loading">Reading the channels…</p>}
      {channels.state === 'error' && <ErrorBanner message={`The channels could not be read: ${channels.message}`} />}
      {trials.length > 0 && channels.state === 'ready' && (
        <CyclesView scope={{ subjectId: subject.id }} channels={channels.value} revision={String(dataVersion)} trialLabels={trialLabels} fileName={`${subject.code}_cycles`} />
      )}
    </>
  );
}
