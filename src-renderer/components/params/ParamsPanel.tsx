import { paramsOnFirstView } from '../../api/gait-first-view';
import { formatCount, plural } from '../../lib/format';
import { useLoad } from '../../lib/hooks';
import { NsiPlot } from './NsiPlot';
import { ParamsTable } from './ParamsTable';

export type ParamsScope = { trialId: string } | { subjectId: string };

interface ParamsPanelProps {
  scope: ParamsScope;
  /** Changes when the events (and so the parameters) may have changed. */
  revision: string;
  fileName: string;
}

/** Spatiotemporal parameters per side with their symmetry, and the curve-wise symmetry over the cycle. */
export function ParamsPanel({ scope, revision, fileName }: ParamsPanelProps) {
  const scopeKey = 'trialId' in scope ? `trial:${scope.trialId}` : `subject:${scope.subjectId}`;
  const loaded = useLoad(() => paramsOnFirstView(scope), [scopeKey, revision]);
  const titleId = `params-title-${scopeKey}`;

  let body;
  if (loaded.state === 'loading') body = <p className="muted">Computing the gait parameters…</p>;
  else if (loaded.state === 'error') body = <p className="error-line">The gait parameters could not be computed: {loaded.message}</p>;
  else {
    const params = loaded.value;
    const any = params.parameters.some((p) => p.n > 0);
    body = any ? (
      <>
        <ParamsTable params={params} />
        <p className="muted small params-note">
          SI: symmetry index, SA: symmetry angle (0 = symmetric). CV: coefficient of variation over the strides.
          {params.strides.flagged > 0 && ` ${plural(params.strides.flagged, 'flagged stride')} left out.`}
        </p>
        {params.curveSymmetry.length > 0 && (
          <div className="nsi-grid">
            {params.curveSymmetry.map((c) => (
              <NsiPlot key={c.channel} curve={c} fileName={`${fileName}_nsi`} />
            ))}
          </div>
        )}
      </>
    ) : (
      <p className="muted" data-testid="params-empty">
        No parameters: they are computed from complete strides (initial and final contacts of both feet), and{' '}
        {'trialId' in scope ? 'this trial has' : 'these trials have'} none{params.detector ? ` that ${params.detector} found` : ''}.
      </p>
    );
  }

  return (
    <section className="panel params-panel" aria-labelledby={titleId} data-testid="params-panel">
      <header className="panel-head">
        <h2 id={titleId}>Gait parameters</h2>
        {loaded.state === 'ready' && (
          <span className="muted small" data-testid="params-strides">
            {`${formatCount(loaded.value.strides.left)} left, ${formatCount(loaded.value.strides.right)} right strides`}
            {loaded.value.detector && ` · ${loaded.value.detector}`}
            {loaded.value.trials.length > 1 && ` · ${plural(loaded.value.trials.length, 'trial')}`}
          </span>
        )}
      </header>
      {body}
    </section>
  );
}
