import type { TrialSummary } from '../../src-shared/api/schema';
import { baseName, formatCount, formatSeconds } from '../lib/format';
import { hrefGaitGraph, hrefSubject } from '../lib/route';
import { AttributeTable } from './AttributeTable';

/** The trial's breadcrumb, title and facts: subject, session, duration, channels, source file and its hash. */
export function TrialHead({ trial, channelCount }: { trial: TrialSummary; channelCount: number }) {
  return (
    <>
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <a href={hrefSubject(trial.subjectId)}>← {trial.subjectCode}</a>
        <span className="muted"> / {trial.session}</span>
      </nav>
      <header className="detail-head">
        <h1 id="trial-title" tabIndex={-1}>
          {trial.label}
        </h1>
        <dl className="head-facts">
          <div className="fact">
            <dt>Subject</dt>
            <dd>
              <a href={hrefSubject(trial.subjectId)}>{trial.subjectCode}</a>
            </dd>
          </div>
          <div className="fact">
            <dt>Session</dt>
            <dd>{trial.session}</dd>
          </div>
          <div className="fact">
            <dt>Duration</dt>
            <dd>{formatSeconds(trial.durationS)}</dd>
          </div>
          <div className="fact">
            <dt>Channels</dt>
            <dd>{formatCount(channelCount)}</dd>
          </div>
          <div className="fact wide">
            <dt>Source</dt>
            <dd title={trial.sourceFile ?? undefined}>
              {trial.sourceFile ? baseName(trial.sourceFile) : '—'}
              {trial.sourceFormat && <span className="tag">{trial.sourceFormat}</span>}
            </dd>
          </div>
          <div className="fact wide">
            <dt>SHA-256</dt>
            <dd>
              <code className="hash" title={trial.contentSha256 ?? undefined}>
                {trial.contentSha256 ? trial.contentSha256.slice(0, 16) : '—'}
              </code>
            </dd>
          </div>
        </dl>
        <p className="head-actions">
          <a className="button small" href={hrefGaitGraph({ trialId: trial.id })} data-testid="gait-graph-link">Gait graph →</a>
        </p>
        {Object.keys(trial.attributes).length > 0 && <AttributeTable attributes={trial.attributes} inline />}
      </header>
    </>
  );
}
