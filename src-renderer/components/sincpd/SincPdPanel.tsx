// SincPD on the subject page (issue 15): the newest SincPD model applied to this subject's walks on demand — the PD
// probability (or the H&Y estimate of a severity model) with its spread over segments, the top filters' frequency
// responses, and the foot map of the 8 sensors coloured by their summed |ΔE| (methods-spec §5.3.6).
import { useState } from 'react';
import type { Data } from 'plotly.js-dist-min';
import type { ApiResponse } from '../../../src-shared/api/schema';
import { call, errorMessage } from '../../api/client';
import { ErrorBanner } from '../ErrorBanner';
import { Plot } from '../../plots/Plot';
import { useLoad } from '../../lib/hooks';

const HY = [0, 2, 2.5, 3];

type Result = { predict: ApiResponse<'sincpdPredict'>; explain: ApiResponse<'sincpdExplain'> };

/** Mean and population SD over every segment of every walk: P(PD), or the expected H&Y stage Σ p_c h_c. */
function spread(p: ApiResponse<'sincpdPredict'>): { mean: number; sd: number; segments: number } {
  const values = p.predictions.flatMap((w) => w.perSegment.map((s) => (p.task === 'pd' ? s.probabilities[1] : s.probabilities.reduce((a, q, c) => a + q * HY[c], 0))));
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return { mean, sd: Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length), segments: values.length };
}

export function SincPdPanel({ trialIds }: { trialIds: string[] }) {
  const models = useLoad(() => call('listModels', {}), []);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  if (models.state !== 'ready') return null;
  const model = models.value.models.filter((m) => m.method.toLowerCase() === 'sincpd').sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))[0];
  const run = () => {
    if (!model) return;
    setBusy(true);
    setError(null);
    Promise.all([call('sincpdPredict', { modelId: model.id, inputs: trialIds }), call('sincpdExplain', { modelId: model.id, inputs: [] })])
      .then(([predict, explain]) => setResult({ predict, explain }), (e: unknown) => setError(errorMessage(e)))
      .finally(() => setBusy(false));
  };
  return (
    <section className="panel" aria-labelledby="sincpd-title" data-testid="sincpd-panel">
      <h2 id="sincpd-title">Parkinson&apos;s disease from insole forces (SincPD)</h2>
      {!model && <p>No SincPD model yet: train one with <code>gaitlab train sincpd --task pd</code>.</p>}
      {model && (
        <p>
          Model {model.id} ({String(model.params.task ?? 'pd')}){' '}
          <button type="button" onClick={run} disabled={busy} data-testid="sincpd-predict">{busy ? 'Predicting…' : 'Predict this subject\u2019s walks'}</button>
        </p>
      )}
      {error && <ErrorBanner message={error} />}
      {result && model && <SincPdResult {...result} onRecompute={() => call('sincpdExplain', { modelId: model.id, inputs: [], recompute: true }).then((explain) => setResult({ ...result, explain }))} />}
    </section>
  );
}

function SincPdResult({ predict, explain, onRecompute }: Result & { onRecompute(): Promise<void> }) {
  const s = spread(predict);
  const e = explain.explanation;
  const sensors = [...e.sensors].sort((a, b) => a.sensor - b.sensor);
  const positions = sensors.map((x) => e.filters.find((f) => f.sensor === x.sensor)!);
  const foot: Data[] = (['posLeft', 'posRight'] as const).map((side, i) => ({
    type: 'scatter', mode: 'text+markers', name: i === 0 ? 'left' : 'right', x: positions.map((f) => f[side].x), y: positions.map((f) => f[side].y),
    text: sensors.map((x) => String(x.sensor)), textposition: 'top center',
    marker: { size: 22, color: sensors.map((x) => x.sumAbsDeltaE), colorscale: 'Viridis', showscale: i === 1, colorbar: { title: { text: 'Σ|ΔE|' } } },
  }));
  const responses: Data[] = explain.responses.map((r) => ({ type: 'scatter', mode: 'lines', name: `sensor ${r.sensor}, filter ${r.filter}`, x: r.freqHz, y: r.gain }));
  return (
    <div data-testid="sincpd-result">
      <p data-testid="sincpd-headline">
        {predict.task === 'pd'
          ? `P(PD) ${s.mean.toFixed(3)} ± ${s.sd.toFixed(3)} over ${s.segments} segments of ${predict.predictions.length} walk(s): ${s.mean >= 0.5 ? 'PD' : 'control'}`
          : `H&Y estimate ${s.mean.toFixed(2)} ± ${s.sd.toFixed(2)} over ${s.segments} segments of ${predict.predictions.length} walk(s)`}
      </p>
      <ul>
        {predict.predictions.map((w) => (
          <li key={w.input}>{w.walk}: {w.pdProbability !== null ? `P(PD) ${w.pdProbability.toFixed(3)} ± ${w.pdProbabilitySd!.toFixed(3)}` : `H&Y ${w.hoehnYahrEstimate!.toFixed(2)}`} ({w.segments} segments)</li>
        ))}
      </ul>
      <Plot data={responses} layout={{ title: { text: `Top ${responses.length} filters (by |ΔE|): magnitude response` }, xaxis: { title: { text: 'Hz' } }, yaxis: { title: { text: 'gain' } }, height: 300 }} ariaLabel="Frequency responses of the top SincPD filters" testId="sincpd-responses" />
      <Plot data={foot} layout={{ title: { text: 'Sensors by Σ|ΔE| (control − PD filter energy); left foot left' }, showlegend: false, xaxis: { visible: false }, yaxis: { visible: false, scaleanchor: 'x' }, height: 360 }} ariaLabel="Foot map of the 8 sensors coloured by their energy difference" testId="sincpd-foot" />
      <p className="muted">Energies on {explain.segments.n} segments of {explain.segments.source}{explain.segments.heldOut ? '' : ' (seen in training)'}.</p>
      {explain.stored && <KeptExplanation stored={explain.stored} onRecompute={onRecompute} />}
    </div>
  );
}

/** The model's explanation is the one kept with it: when it was computed; where the walks it read changed since, a recompute on request. */
function KeptExplanation({ stored, onRecompute }: { stored: NonNullable<ApiResponse<'sincpdExplain'>['stored']>; onRecompute(): Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className={stored.current ? 'muted' : 'warning'} data-testid="sincpd-explanation-kept">
      <span data-testid="sincpd-explanation-provenance">{stored.current ? `Explanation kept with the model, computed ${stored.computedAt} (${stored.trigger}).` : `NOTE: ${stored.note}`}</span>
      {!stored.current && (
        <button type="button" className="button small" disabled={busy} data-testid="sincpd-explanation-recompute"
          onClick={() => { setBusy(true); setError(null); onRecompute().catch((e: unknown) => setError(errorMessage(e))).finally(() => setBusy(false)); }}>
          {busy ? 'Recomputing…' : 'Recompute on the current walks'}
        </button>
      )}
      {error && <ErrorBanner message={error} />}
    </div>
  );
}
