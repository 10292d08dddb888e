// Train a model as a job: method, data (a cohort with labelled trials), the method's parameters with their
// units and ranges, and the seed. The job runs in a worker process; the Jobs list follows it.
import { useEffect, useState, type FormEvent } from 'react';
import type { JobSummary } from '../../src-shared/api/jobs';
import type { ApiResponse } from '../../src-shared/api/schema';
import { call, errorMessage } from '../api/client';
import { ErrorBanner } from './ErrorBanner';

type Trainable = ApiResponse<'listTrainable'>;

export function TrainForm({ onQueued }: { onQueued: (job: JobSummary) => void }) {
  const [trainable, setTrainable] = useState<Trainable | null>(null);
  const [method, setMethod] = useState('');
  const [cohort, setCohort] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const [seed, setSeed] = useState('0');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    call('listTrainable', {}).then(
      (t) => {
        setTrainable(t);
        setMethod((m) => m || t.methods[0]?.name || '');
        setCohort((c) => c || t.cohorts[0]?.cohort || '');
      },
      (e: unknown) => setError(errorMessage(e)),
    );
  }, []);

  const spec = trainable?.methods.find((m) => m.name === method);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!spec) return;
    const params: Record<string, number | string | boolean | null> = {};
    for (const p of spec.params) {
      const v = values[p.name];
      if (v === undefined || v.trim() === '') continue;
      params[p.name] = p.type === 'number' ? Number(v) : p.type === 'boolean' ? v === 'true' : v;
    }
    setBusy(true);
    setError(null);
    call('startTraining', { method, params, seed: Number(seed) || 0, data: { cohort, session: null } }).then(
      (r) => {
        setBusy(false);
        onQueued(r.job);
      },
      (err: unknown) => {
        setBusy(false);
        setError(errorMessage(err));
      },
    );
  };

  if (!trainable) return error ? <ErrorBanner message={error} /> : <p className="page-loading">Loading methods…</p>;
  return (
    <form className="train-form" onSubmit={submit} data-testid="train-form" aria-labelledby="train-title">
      <h2 id="train-title">Train a model</h2>
      {trainable.cohorts.length === 0 && <p className="muted">No cohort has subjects with a group yet: import labelled data (e.g. the clinical GRF set) first.</p>}
      <div className="train-fields">
        <label>
          Method
          <select className="text-input" value={method} onChange={(e) => setMethod(e.target.value)} data-testid="train-method">
            {trainable.methods.map((m) => <option key={m.name} value={m.name}>{m.name}</option>)}
          </select>
        </label>
        <label>
          Data (cohort, label: subject group)
          <select className="text-input" value={cohort} onChange={(e) => setCohort(e.target.value)} data-testid="train-cohort">
            {trainable.cohorts.map((c) => <option key={c.cohort} value={c.cohort}>{`${c.cohort} (${c.trials} trials)`}</option>)}
          </select>
        </label>
        {spec?.params.map((p) => (
          <label key={p.name} title={`${p.description}; ${p.range}`}>
            {p.name}{p.unit ? ` (${p.unit})` : ''}
            <input
              className="text-input"
              inputMode={p.type === 'number' ? 'decimal' : undefined}
              placeholder={String(p.default)}
              value={values[p.name] ?? ''}
              onChange={(e) => setValues((v) => ({ ...v, [p.name]: e.target.value }))}
              data-testid={`train-param-${p.name}`}
            />
          </label>
        ))}
        <label>
          seed
          <input className="text-input" inputMode="numeric" value={seed} onChange={(e) => setSeed(e.target.value)} data-testid="train-seed" />
        </label>
      </div>
      {spec && <p className="muted train-description">{spec.description}</p>}
      {error && <ErrorBanner message={error} onDismiss={() => setError(null)} />}
      <button type="submit" className="button primary" disabled={busy || !spec || !cohort} data-testid="train-submit">
        Train
      </button>
    </form>
  );
}
