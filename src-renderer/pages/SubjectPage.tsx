import { SubjectRelevancePanel } from '../components/relevance/RelevancePanel';
import type { ApiResponse, SessionSummary } from '../../src-shared/api/schema';
import { call } from '../api/client';
import { useApp } from '../app-context';
import { ErrorBanner } from '../components/ErrorBanner';
import { AttributeTable } from '../components/AttributeTable';
import { ParamsPanel } from '../components/params/ParamsPanel';
import { attributeLabel, baseName, formatCount, formatSeconds, plural, shortHash } from '../lib/format';
import { useLoad } from '../lib/hooks';
import { hrefSubjectCycles, hrefGaitGraph, hrefSubjects, hrefTrial } from '../lib/route';
import { usePageTitle } from '../lib/page-title';
import { useState } from 'react';
import type { SubjectRecordDto } from '../../src-shared/api/records';
import { errorMessage } from '../api/client';
import { DeleteSubjectDialog } from '../components/records/DeleteSubjectDialog';
import { ExcludeTrial } from '../components/records/ExcludeTrial';
import { MergeDialog, MoveSessionDialog, MoveTrialDialog } from '../components/records/MoveDialogs';
import { SessionForm } from '../components/records/SessionForm';
import { SubjectForm } from '../components/records/SubjectForm';
import { SubjectReports } from '../components/reports/SubjectReports';
import { SincPdPanel } from '../components/sincpd/SincPdPanel';
import { WalksLikeThis } from '../components/sae/WalksLikeThis';

type OpenDialog =
  | { kind: 'edit'; record: SubjectRecordDto }
  | { kind: 'merge' } | { kind: 'delete' }
  | { kind: 'session'; session: SessionSummary | null }
  | { kind: 'move'; session: SessionSummary }
  | { kind: 'move-trial'; trialId: string; label: string };

export function SubjectPage({ subjectId }: { subjectId: string }) {
  const { dataVersion } = useApp();
  const loaded = useLoad(() => call('getSubject', { id: subjectId }), [subjectId, dataVersion]);
  usePageTitle(loaded.state === 'ready' ? `${loaded.value.subject.code} · GaitLab` : 'Subject · GaitLab');

  return (
    <section className="page detail-page" data-testid="subject-page" aria-labelledby="subject-title">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <a href={hrefSubjects}>← All subjects</a>
      </nav>
      {loaded.state === 'loading' && <p className="page-loading">Loading the subject…</p>}
      {loaded.state === 'error' && <ErrorBanner message={loaded.message} />}
      {loaded.state === 'ready' && <SubjectDetail {...loaded.value} />}
    </section>
  );
}

type SubjectAnswer = ApiResponse<'getSubject'>;

function SubjectDetail({ subject, identity, sessions }: SubjectAnswer) {
  const { dataVersion } = useApp();
  const [dialog, setDialog] = useState<OpenDialog | null>(null);
  const [recordError, setRecordError] = useState<string | null>(null);
  // The age at each visit, from the birth date in the identity table and the visit's date.
  const record = useLoad(() => call('getSubjectRecord', { id: subject.id }), [subject.id, dataVersion]);
  const ageAt = new Map(record.state === 'ready' ? record.value.subject.sessions.map((s) => [s.id, s.ageYears]) : []);
  const close = () => setDialog(null);
  const openEdit = () => {
    setRecordError(null);
    call('getSubjectRecord', { id: subject.id }).then((r) => setDialog({ kind: 'edit', record: r.subject }), (e: unknown) => setRecordError(errorMessage(e)));
  };
  const identityEntries = Object.entries(identity).filter(([, v]) => v !== null && v !== '');
  return (
    <>
      <header className="detail-head">
        <h1 id="subject-title" tabIndex={-1}>
          {subject.code}
        </h1>
        <dl className="head-facts">
          <Fact label="Cohort" value={subject.cohort} />
          <Fact label="Group" value={subject.group} />
          <Fact label="Sex" value={subject.sex} />
          <Fact label="Sessions" value={formatCount(subject.sessions)} />
          <Fact label="Trials" value={formatCount(subject.trials)} />
        </dl>
        <p className="head-actions record-actions">
          <button type="button" className="button small" onClick={openEdit} data-testid="edit-subject">Edit…</button>
          <button type="button" className="button small" onClick={() => setDialog({ kind: 'session', session: null })} data-testid="new-session">New session…</button>
          <button type="button" className="button small" onClick={() => setDialog({ kind: 'merge' })} data-testid="merge-subject">Merge into…</button>
          <button type="button" className="button small danger" onClick={() => setDialog({ kind: 'delete' })} data-testid="delete-subject">Delete…</button>
        </p>
        {recordError && <ErrorBanner message={recordError} />}
        {subject.trials > 0 && (
          <p className="head-actions">
            <a className="button small" href={hrefSubjectCycles(subject.id)} data-testid="cycles-link">
              Cycles of all trials →
            </a>{' '}
            <a className="button small" href={hrefGaitGraph({ subjectId: subject.id })} data-testid="gait-graph-link">
              Gait graph →
            </a>
          </p>
        )}
      </header>

      <div className="subject-layout">
      <div className="subject-side">
        <section className="panel" aria-labelledby="metadata-title">
          <h2 id="metadata-title">Metadata</h2>
          <AttributeTable attributes={subject.attributes} empty="No attributes recorded for this subject." />
        </section>
        {identityEntries.length > 0 && (
          <section className="panel" aria-labelledby="identity-title">
            <h2 id="identity-title">Identity</h2>
            <table className="kv-table">
              <tbody>
                {identityEntries.map(([key, value]) => (
                  <tr key={key}>
                    <th scope="row">{attributeLabel(key)}</th>
                    <td>{value}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        )}
        <WalksLikeThis subjectId={subject.id} />
      </div>

      <SubjectRelevancePanel subjectId={subject.id} />

      <section aria-labelledby="sessions-title">
        <h2 id="sessions-title" className="section-title first">
          Sessions <span className="muted">({formatCount(sessions.length)})</span>
        </h2>
        {sessions.length === 0 && <p className="muted">No sessions recorded for this subject.</p>}
        {sessions.map((session) => (
          <SessionPanel key={session.id} session={session} ageYears={ageAt.get(session.id) ?? null} onEdit={() => setDialog({ kind: 'session', session })} onMove={() => setDialog({ kind: 'move', session })}
            onMoveTrial={(trialId, label) => setDialog({ kind: 'move-trial', trialId, label })} />
        ))}
      </section>
      </div>
      {subject.trials > 0 && (
        <div className="subject-params">
          <ParamsPanel scope={{ subjectId: subject.id }} revision={String(dataVersion)} fileName={`${subject.code}_parameters`} />
        </div>
      )}
      {subject.trials > 0 && <SubjectReports subjectId={subject.id} sessions={sessions} />}
      {subject.trials > 0 && <SincPdPanel trialIds={sessions.flatMap((s) => s.trials.map((t) => t.id))} />}
      {dialog?.kind === 'edit' && <SubjectForm subject={dialog.record} onClose={close} />}
      {dialog?.kind === 'session' && <SessionForm subjectId={subject.id} session={dialog.session} onClose={close} />}
      {dialog?.kind === 'merge' && <MergeDialog sourceId={subject.id} code={subject.code} onClose={close} />}
      {dialog?.kind === 'move' && <MoveSessionDialog sessionId={dialog.session.id} label={dialog.session.label} onClose={close} />}
      {dialog?.kind === 'move-trial' && <MoveTrialDialog trialId={dialog.trialId} label={dialog.label} subjectId={subject.id} onClose={close} />}
      {dialog?.kind === 'delete' && <DeleteSubjectDialog subjectId={subject.id} code={subject.code} onClose={close} />}
    </>
  );
}

function SessionPanel({ session, ageYears, onEdit, onMove, onMoveTrial }: {
  session: SessionSummary; ageYears: number | null; onEdit(): void; onMove(): void; onMoveTrial(trialId: string, label: string): void;
}) {
  const attributes = Object.keys(session.attributes).length > 0;
  return (
    <section className="panel session" aria-label={`Session ${session.label}`}>
      <header className="session-head">
        <h3>{session.label}</h3>
        <span className="muted">
          {[session.date, ageYears !== null ? `age ${ageYears}` : null, session.condition, plural(session.trials.length, 'trial')].filter(Boolean).join(' · ')}
        </span>
        <span className="session-actions">
          <button type="button" className="button small quiet" onClick={onEdit} data-testid="edit-session">Edit…</button>
          <button type="button" className="button small quiet" onClick={onMove} data-testid="move-session">Move…</button>
        </span>
      </header>
      {attributes && <AttributeTable attributes={session.attributes} inline />}
      <table className="data-table trials-table">
        <thead>
          <tr>
            <th scope="col">Trial</th>
            <th scope="col" className="numeric">
              Duration
            </th>
            <th scope="col" className="numeric">
              Channels
            </th>
            <th scope="col">Source file</th>
            <th scope="col">SHA-256</th>
            <th scope="col">Use</th>
          </tr>
        </thead>
        <tbody>
          {session.trials.map((trial) => (
            <tr key={trial.id}>
              <td>
                <a href={hrefTrial(trial.id)} data-testid="trial-link">
                  {trial.label}
                </a>
              </td>
              <td className="numeric">{formatSeconds(trial.durationS)}</td>
              <td className="numeric">{formatCount(trial.channels)}</td>
              <td className="file-cell" title={trial.sourceFile ?? undefined}>
                {trial.sourceFile ? baseName(trial.sourceFile) : <span className="muted">—</span>}
                {trial.sourceFormat && <span className="tag">{trial.sourceFormat}</span>}
              </td>
              <td>
                <code className="hash" title={trial.contentSha256 ?? undefined}>
                  {shortHash(trial.contentSha256)}
                </code>
              </td>
              <td>
                <div className="record-use">
                  {trial.attributes.trial_role?.value === 'static' && <span className="tag">static</span>}
                  <ExcludeTrial trial={trial} />
                  <button type="button" className="button small quiet" onClick={() => onMoveTrial(trial.id, trial.label)} data-testid="move-trial">Move…</button>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Fact({ label, value }: { label: string; value: string | null }) {
  return (
    <div className="fact">
      <dt>{label}</dt>
      <dd>{value ?? <span className="muted">—</span>}</dd>
    </div>
  );
}
