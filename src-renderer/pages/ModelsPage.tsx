// The Models page: every trained model with its test accuracy; the selected one with its metrics, confusion
// matrix, parameters and provenance (data selection, seed, backend, versions), and Delete (audited).
import { useEffect, useState } from 'react';
import type { ModelDetail, ModelSummary } from '../../src-shared/api/models';
import { call, errorMessage } from '../api/client';
import { PerturbationPanel } from '../components/relevance/PerturbationPanel';
import { ConfusionMatrix } from '../components/ConfusionMatrix';
import { DictionaryPanel } from '../components/sae/DictionaryPanel';
import { ErrorBanner } from '../components/ErrorBanner';
import { usePageTitle } from '../lib/page-title';
import { modelHeadline } from '../lib/model-format';
import { hrefModel, hrefModels, navigate } from '../lib/route';

const percent = (v: unknown) => (typeof v === 'number' ? `${(v * 100).toFixed(1)} %` : '—');

function ModelView({ id, onDeleted }: { id: string; onDeleted: () => void }) {
  const [model, setModel] = useState<ModelDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  useEffect(() => {
    setModel(null);
    setConfirming(false);
    call('getModel', { id }).then((r) => setModel(r.model), (e: unknown) => setError(errorMessage(e)));
  }, [id]);
  if (error) return <ErrorBanner message={error} />;
  if (!model) return <p className="page-loading">Loading model…</p>;
  const m = model.metrics ?? {};
  const classes = Array.isArray(m.classes) ? (m.classes as string[]) : [];
  const confusion = Array.isArray(m.confusion) ? (m.confusion as number[][]) : null;
  const sel = (model.dataSelection ?? {}) as { cohort?: string; trials?: { cycles?: number }[]; split?: { train: string[]; test: string[] }; channels?: string[]; kind?: string; units?: string[]; leftOut?: { subject: string; reason: string }[] };
  // A dictionary of gait cycles: how many rows, in which unit, and who was left out (no body mass).
  const cycleRows = sel.kind === 'side-cycles' ? (sel.trials ?? []).reduce((n, t) => n + (t.cycles ?? 0), 0) : null;
  const remove = () => {
    call('deleteModel', { id }).then(onDeleted, (e: unknown) => setError(errorMessage(e)));
  };
  return (
    <article className="model-view" data-testid="model-view" aria-labelledby="model-title">
      <h2 id="model-title">{model.name}</h2>
      <dl className="model-facts">
        <dt>Model</dt><dd><code>{model.id}</code></dd>
        <dt>Method</dt><dd>{model.method} v{model.methodVersion}</dd>
        {typeof m.testAccuracy === 'number' ? (
          <>
            <dt>Test accuracy</dt><dd data-testid="model-test-accuracy">{percent(m.testAccuracy)}</dd>
            <dt>Training accuracy</dt><dd>{percent(m.trainAccuracy)}</dd>
          </>
        ) : (
          <><dt>{modelHeadline(m).label}</dt><dd data-testid="model-headline">{modelHeadline(m).text}</dd></>
        )}
        <dt>Data</dt><dd>{sel.cohort} · {sel.trials?.length ?? 0} trials ({sel.split?.train.length ?? 0} training, {sel.split?.test.length ?? 0} test; split by subject) · {sel.channels?.length ?? 0} channels
          {cycleRows !== null && <span data-testid="model-cycle-rows"> · {cycleRows} gait cycles, each side a row, in {sel.units?.join(', ')}{sel.leftOut?.length ? ` · ${sel.leftOut.length} subjects left out: ${sel.leftOut.map((l) => `${l.subject} (${l.reason})`).join('; ')}` : ''}</span>}</dd>
        <dt>Parameters</dt><dd><code>{JSON.stringify(model.params)}</code></dd>
        <dt>Seed · backend</dt><dd>{model.seed} · {model.backend}</dd>
        <dt>Trained</dt><dd>{new Date(model.createdAt).toLocaleString()} by {model.actor} with GaitLab {model.gaitlabVersion} (job {model.jobId})</dd>
      </dl>
      {confusion && <ConfusionMatrix classes={classes} matrix={confusion} />}
      {model.method === 'Horst' && <PerturbationPanel modelId={model.id} />}
      {model.method === 'sae-kalam2025' && <DictionaryPanel modelId={model.id} />}
      <div className="model-actions">
        {confirming ? (
          <>
            <span>Delete this model? The deletion is recorded in the audit log.</span>
            <button type="button" className="button small danger" onClick={remove} data-testid="model-delete-confirm">Delete</button>
            <button type="button" className="button small" onClick={() => setConfirming(false)}>Keep</button>
          </>
        ) : (
          <button type="button" className="button small" onClick={() => setConfirming(true)} data-testid="model-delete">Delete…</button>
        )}
      </div>
    </article>
  );
}

export function ModelsPage({ modelId }: { modelId: string | null }) {
  usePageTitle('Models · GaitLab');
  const [models, setModels] = useState<ModelSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    call('listModels', {}).then((r) => setModels(r.models), (e: unknown) => setError(errorMessage(e)));
  }, [version]);
  return (
    <section className="page models-page" aria-labelledby="models-title" data-testid="models-page">
      <h1 id="models-title">Models</h1>
      {error && <ErrorBanner message={error} />}
      {models && models.length === 0 && <p className="muted">No models yet: train one on the Jobs page.</p>}
      {models && models.length > 0 && (
        <table className="models-table" data-testid="models-table">
          <thead>
            <tr><th>Model</th><th>Method</th><th>Name</th><th>Headline figure</th><th>Seed</th><th>Trained</th></tr>
          </thead>
          <tbody>
            {models.map((m) => (
              <tr key={m.id} className={m.id === modelId ? 'selected' : undefined} onClick={() => navigate(hrefModel(m.id))} data-testid="model-row" data-model-id={m.id}>
                <td><a href={hrefModel(m.id)}>{m.id}</a></td>
                <td>{m.method}</td>
                <td>{m.name}</td>
                <td title={modelHeadline(m.metrics).label}>{modelHeadline(m.metrics).text}</td>
                <td>{m.seed}</td>
                <td>{new Date(m.createdAt).toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {modelId && (
        <ModelView
          key={modelId}
          id={modelId}
          onDeleted={() => {
            setVersion((v) => v + 1);
            navigate(hrefModels);
          }}
        />
      )}
    </section>
  );
}
