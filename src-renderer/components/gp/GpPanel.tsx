// A subject in a hierarchical GP model (methods-spec §5.4): its cycles with each limb's band over the group's
// band, the MMD map of the individual against its group as a colour strip under the curves, the noise-variance
// curves, and the asymmetry score placed in its group's scores. Without a model, a form fits one as a job
// (fitGp) and follows its progress.
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { Data } from 'plotly.js-dist-min';
import type { ApiResponse } from '../../../src-shared/api/schema';
import { call, errorMessage } from '../../api/client';
import { Plot } from '../../plots/Plot';
import { X_AXIS_STYLE, Y_AXIS_STYLE } from '../../plots/axis-style';
import { ErrorBanner } from '../ErrorBanner';
import { ProgressBar } from '../ProgressBar';

type View = ApiResponse<'gpSubjectView'>;
type Models = ApiResponse<'gpModelsOfSubject'>['models'];

// The cycles overlay's colours: left red, right blue.
const LIMB_COLOUR: Record<string, string> = { L: '#c2412d', R: '#1f6fb2' };
const LIMB_FILL: Record<string, string> = { L: 'rgba(194,65,45,0.25)', R: 'rgba(31,111,178,0.25)' };
const num = (x: (number | null)[]) => x.map((v) => (v === null ? NaN : v));

export function GpPanel({ subjectId, cohort }: { subjectId: string; cohort: string }) {
  const [models, setModels] = useState<Models | null>(null);
  const [modelId, setModelId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    call('gpModelsOfSubject', { subjectId }).then((r) => {
      setModels(r.models);
      setModelId((m) => (r.models.some((x) => x.id === m) ? m : r.models[0]?.id ?? ''));
    }, (e: unknown) => setError(errorMessage(e)));
  }, [subjectId, reload]);

  return (
    <section className="gp-panel" data-testid="gp-panel" aria-labelledby="gp-title">
      <h2 id="gp-title">Variability and asymmetry (hierarchical GP)</h2>
      {error && <ErrorBanner message={error} />}
      {models && models.length > 0 && (
        <label>
          Model{' '}
          <select className="text-input" value={modelId} onChange={(e) => setModelId(e.target.value)} data-testid="gp-model">
            {models.map((m) => <option key={m.id} value={m.id}>{`${m.id} · ${m.noise} · ${m.channels.join(', ')} · ${m.createdAt.slice(0, 16).replace('T', ' ')}`}</option>)}
          </select>
        </label>
      )}
      {models && models.length === 0 && <p className="muted">No GP model holds this subject yet.</p>}
      {models && <GpFitForm cohort={cohort} onFitted={() => setReload((n) => n + 1)} />}
      {modelId && <GpSubjectView modelId={modelId} subjectId={subjectId} />}
    </section>
  );
}

function GpFitForm({ cohort, onFitted }: { cohort: string; onFitted: () => void }) {
  const [channels, setChannels] = useState('L_total,R_total');
  const [m, setM] = useState('20');
  const [iterations, setIterations] = useState('1000');
  const [noise, setNoise] = useState('hetero');
  const [progress, setProgress] = useState<{ fraction: number; stage: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      setProgress({ fraction: 0, stage: 'checking the data and extracting cycles' });
      const queued = await call('fitGp', {
        channels: channels.split(',').map((s) => s.trim()).filter(Boolean), cohort, noise, m: Number(m), maxIterations: Number(iterations), optimizeZ: false,
      });
      const { job } = await call('waitJob', { id: queued.job.id }, {
        onEvent: (ev) => { if (ev.type === 'progress' && ev.progress.total > 0) setProgress({ fraction: ev.progress.done / ev.progress.total, stage: ev.progress.stage }); },
      });
      setProgress(null);
      if (job.status !== 'done') setError(`job ${job.id} ${job.status}${job.error ? `: ${job.error}` : ''}`);
      else onFitted();
    } catch (err) {
      setProgress(null);
      setError(errorMessage(err));
    }
  };

  return (
    <form className="train-form" onSubmit={(e) => void submit(e)} data-testid="gp-fit-form">
      <div className="train-fields">
        <label>Cycle channels<input className="text-input" value={channels} onChange={(e) => setChannels(e.target.value)} data-testid="gp-channels" /></label>
        <label>Noise
          <select className="text-input" value={noise} onChange={(e) => setNoise(e.target.value)}><option value="hetero">hetero</option><option value="homo">homo</option></select>
        </label>
        <label>Inducing inputs M<input className="text-input" inputMode="numeric" value={m} onChange={(e) => setM(e.target.value)} data-testid="gp-m" /></label>
        <label>Iterations at most<input className="text-input" inputMode="numeric" value={iterations} onChange={(e) => setIterations(e.target.value)} data-testid="gp-iterations" /></label>
      </div>
      <button type="submit" className="button" disabled={progress !== null} data-testid="gp-fit">Fit a GP on cohort {cohort}</button>
      {progress && <ProgressBar label="Fitting the GP" fraction={progress.fraction} figures={`${Math.round(progress.fraction * 100)} %`} detail={progress.stage} />}
      {error && <ErrorBanner message={error} />}
    </form>
  );
}

function GpSubjectView({ modelId, subjectId }: { modelId: string; subjectId: string }) {
  const [view, setView] = useState<View | null>(null);
  const [cycles, setCycles] = useState<ApiResponse<'getCycles'>['cycles']>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setView(null);
    setError(null);
    call('gpSubjectView', { modelId, subjectId }).then(async (v) => {
      const c = await call('getCycles', { subjectId, kind: 'gait_cycle' });
      setCycles(c.cycles.filter((x) => v.channels.includes(x.channel) && x.flags.length === 0));
      setView(v);
    }, (e: unknown) => setError(errorMessage(e)));
  }, [modelId, subjectId]);

  const curves = useMemo(() => {
    if (!view) return [];
    const x = view.grid.map((t) => 100 * t);
    const traces: Data[] = [];
    const band = (b: { lower: (number | null)[]; upper: (number | null)[] }, fill: string, name: string) => {
      traces.push({ x, y: num(b.lower), type: 'scatter', mode: 'lines', line: { width: 0 }, hoverinfo: 'skip', showlegend: false });
      traces.push({ x, y: num(b.upper), type: 'scatter', mode: 'lines', line: { width: 0 }, fill: 'tonexty', fillcolor: fill, name });
    };
    band(view.groupBand, 'rgba(120,120,120,0.25)', `group ${view.group} (pooled predictive ± 2 SD)`);
    for (const c of cycles.slice(0, 60)) {
      const limb = c.side === 'left' ? 'L' : 'R';
      traces.push({ x: c.curve.map((_, j) => (100 * j) / (c.curve.length - 1)), y: c.curve, type: 'scatter', mode: 'lines', line: { width: 0.5, color: LIMB_COLOUR[limb] }, opacity: 0.3, hoverinfo: 'skip', showlegend: false });
    }
    for (const l of view.limbs) {
      band(l, LIMB_FILL[l.limb] ?? 'rgba(0,0,0,0.2)', `limb ${l.limb} (latent ± 2 SD)`);
      traces.push({ x, y: num(l.mean), type: 'scatter', mode: 'lines', line: { width: 2, color: LIMB_COLOUR[l.limb] }, name: `limb ${l.limb} mean` });
    }
    return traces;
  }, [view, cycles]);

  if (error) return <ErrorBanner message={error} />;
  if (!view) return <p className="page-loading">Computing the subject’s curves from the model…</p>;
  const a = view.asymmetry;
  const xaxis = { ...X_AXIS_STYLE, title: { text: '% of gait cycle' }, range: [0, 100] as [number, number] };
  return (
    <div className="gp-view" data-testid="gp-view">
      <Plot testId="gp-curves" ariaLabel="cycles with limb bands over the group band" data={curves}
        layout={{ height: 360, margin: { l: 60, r: 20, t: 10, b: 10 }, xaxis: { ...xaxis, showticklabels: false, title: { text: '' } }, yaxis: { ...Y_AXIS_STYLE, title: { text: view.channels.join(' / ') } }, legend: { orientation: 'h' } }} />
      <Plot testId="gp-mmd-strip" ariaLabel="MMD of the individual against its group over the cycle"
        data={[{ type: 'heatmap', x: view.mmdGrid.map((t) => 100 * t), y: ['MMD'], z: [num(view.mmd)], colorscale: 'Viridis', zmin: 0, zmax: 1, showscale: false }]}
        layout={{ height: 90, margin: { l: 60, r: 20, t: 0, b: 40 }, xaxis, yaxis: { fixedrange: true } }} />
      <Plot testId="gp-noise" ariaLabel="noise variance over the cycle"
        data={view.limbs.map((l) => ({ x: view.grid.map((t) => 100 * t), y: num(l.noiseVariance), type: 'scatter', mode: 'lines', name: `noise variance ${l.limb}`, line: { color: LIMB_COLOUR[l.limb] } }))}
        layout={{ height: 220, margin: { l: 60, r: 20, t: 10, b: 40 }, xaxis, yaxis: { ...Y_AXIS_STYLE, title: { text: 'noise variance' } } }} />
      {a ? (
        <p data-testid="gp-asymmetry">
          Asymmetry score (Wasserstein-1 area between the limbs) <strong>{a.score.toFixed(2)}</strong>: at or above{' '}
          <strong>{Math.round(a.groupPercentile * 100)} %</strong> of group {view.group} ({a.groupScores.length} subjects;
          range {Math.min(...a.groupScores).toFixed(2)}–{Math.max(...a.groupScores).toFixed(2)}).
        </p>
      ) : <p className="muted" data-testid="gp-asymmetry">One limb only in this model: no asymmetry score.</p>}
      {a && (
        <Plot testId="gp-asymmetry-strip" ariaLabel="asymmetry scores of the group with this subject marked"
          data={[
            { x: a.groupScores, y: a.groupScores.map(() => 0), type: 'scatter', mode: 'markers', marker: { color: '#888', size: 9 }, name: `group ${view.group}` },
            { x: [a.score], y: [0], type: 'scatter', mode: 'markers', marker: { color: '#111', size: 14, symbol: 'diamond' }, name: 'this subject' },
          ]}
          layout={{ height: 120, margin: { l: 60, r: 20, t: 10, b: 40 }, xaxis: { ...X_AXIS_STYLE, title: { text: 'asymmetry score' } }, yaxis: { visible: false, fixedrange: true } }} />
      )}
    </div>
  );
}
