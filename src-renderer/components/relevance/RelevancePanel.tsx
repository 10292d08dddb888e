// A trial's LRP relevance map from a Horst model, coloured onto its own curves (methods-spec §5.1.8): one trace
// per channel, each sample's marker coloured by its relevance on a diverging scale centred at 0 and normalised
// by max |R| of the panel (red: for the explained class, blue: against it, as the paper's figures), with the
// most relevant phases named in words. The map is the one of the run in which the trial was a test trial.
import { useMemo, useState } from 'react';
import type { Data } from 'plotly.js-dist-min';
import type { ApiResponse, ChannelData } from '../../../src-shared/api/schema';
import { call } from '../../api/client';
import { useLoad } from '../../lib/hooks';
import { Plot } from '../../plots/Plot';

type Explanation = ApiResponse<'explainTrial'>['explanation'];
type SubjectMap = ApiResponse<'explainSubject'>['subject'];

/** Blue (against) – white (0) – red (for the class): plotly's RdBu reversed. */
const DIVERGING: [number, string][] = [[0, 'rgb(5,48,97)'], [0.25, 'rgb(67,147,195)'], [0.5, 'rgb(247,247,247)'], [0.75, 'rgb(214,96,77)'], [1, 'rgb(103,0,31)']];

export function relevanceTraces(e: Pick<Explanation, 'relevance' | 'channels' | 'samples'>, channels: readonly ChannelData[]): Data[] {
  let max = 0;
  for (const row of e.relevance) for (const r of row) max = Math.max(max, Math.abs(r));
  const scale = max > 0 ? max : 1;
  return e.channels.map((name, c) => {
    const curve = channels.find((ch) => ch.name === name);
    const x = curve?.x ?? e.relevance[c].map((_, t) => (t / (e.samples - 1)) * 100);
    const y = curve?.values ?? e.relevance[c];
    return {
      type: 'scatter', mode: 'lines+markers', name, x, y,
      line: { color: 'rgba(120,120,120,0.5)', width: 1 },
      marker: {
        size: 6, color: e.relevance[c], colorscale: DIVERGING, cmin: -scale, cmid: 0, cmax: scale,
        showscale: c === 0, colorbar: { title: { text: 'relevance' }, thickness: 12 },
      },
      hovertemplate: `${name}<br>%{x:.0f} %%<br>R = %{marker.color:.4g}<extra></extra>`,
    } as Data;
  });
}

const LAYOUT = { height: 420, margin: { l: 50, r: 20, t: 10, b: 90 }, xaxis: { title: { text: '% of stance' } }, showlegend: true, legend: { orientation: 'h' as const, y: -0.2 } };
/** A model of gait cycles explains a walk by its cycles: the map runs over % of the gait cycle, not the walk's time. */
const CYCLE_LAYOUT = { ...LAYOUT, xaxis: { title: { text: '% of the gait cycle' } }, yaxis: { title: { text: 'mean relevance over the cycles' } } };

/** The Horst models to explain with, and the one chosen (the newest by default). */
function useHorstModel(): { models: { id: string; params: Record<string, unknown> }[]; modelId: string | null; choose: (id: string) => void } {
  const loaded = useLoad(() => call('listModels', {}), []);
  const models = useMemo(() => (loaded.state === 'ready' ? loaded.value.models.filter((m) => m.method === 'Horst') : []), [loaded]);
  const [chosen, setChosen] = useState<string | null>(null);
  return { models, modelId: chosen ?? models[0]?.id ?? null, choose: setChosen };
}

function ModelChoice({ models, modelId, choose }: ReturnType<typeof useHorstModel>) {
  return (
    <label>
      Model{' '}
      <select value={modelId ?? ''} onChange={(ev) => choose(ev.target.value)} data-testid="relevance-model">
        {models.map((m) => <option key={m.id} value={m.id}>{m.id} · {String(m.params.model ?? '')} · {String(m.params.task ?? '')}</option>)}
      </select>
    </label>
  );
}

function Phases({ phases }: { phases: { words: string }[] }) {
  return <p data-testid="relevance-phases">Most relevant: {phases.length ? phases.map((p) => p.words).join('; ') : 'nothing spoke for the class'}</p>;
}

export function RelevancePanel({ trialId, channels }: { trialId: string; channels: readonly ChannelData[] }) {
  const horst = useHorstModel();
  const { modelId } = horst;
  const explained = useLoad(async () => (modelId ? call('explainTrial', { modelId, trialId }) : null), [modelId, trialId]);
  if (horst.models.length === 0) return null;
  const e = explained.state === 'ready' ? explained.value?.explanation ?? null : null;
  return (
    <section className="panel relevance-panel" aria-labelledby="relevance-title" data-testid="relevance-panel">
      <h2 id="relevance-title">What the model looked at (LRP)</h2>
      <ModelChoice {...horst} />
      {explained.state === 'loading' && <p>Explaining…</p>}
      {explained.state === 'error' && <p className="error" role="alert">{explained.message}</p>}
      {e && (
        <>
          <p data-testid="relevance-summary">
            {e.cycles ? `Mean of the maps of its ${e.cycles.n} gait cycles (each from the run in which it was a test cycle; ${e.cycles.correct} of ${e.cycles.n} classified correctly)` : `Run ${e.run + 1}`}, true class <strong>{e.target.label}</strong>, predicted <strong>{e.predicted.label}</strong>; {e.composite}; {e.selection}
          </p>
          <Phases phases={e.phases} />
          <Plot data={relevanceTraces(e, e.cycles ? [] : channels)} layout={e.cycles ? CYCLE_LAYOUT : LAYOUT} ariaLabel="relevance map coloured onto the curves" testId="relevance-plot" />
        </>
      )}
    </section>
  );
}

/**
 * A subject's mean map over its trials (each from its test run): the mean relevance per channel, drawn as its own
 * curve and coloured by itself on the same diverging scale, with the TP rate and CV (§5.1.8, §5.1.10).
 */
export function SubjectRelevancePanel({ subjectId }: { subjectId: string }) {
  const horst = useHorstModel();
  const { modelId } = horst;
  const explained = useLoad(async () => (modelId ? call('explainSubject', { modelId, subjectId }) : null), [modelId, subjectId]);
  if (horst.models.length === 0) return null;
  const s: SubjectMap | null = explained.state === 'ready' ? explained.value?.subject ?? null : null;
  return (
    <section className="panel relevance-panel" aria-labelledby="subject-relevance-title" data-testid="subject-relevance-panel">
      <h2 id="subject-relevance-title">What the model looked at in this subject (LRP, mean of the trials)</h2>
      <ModelChoice {...horst} />
      {explained.state === 'loading' && <p>Explaining…</p>}
      {explained.state === 'error' && <p className="error" role="alert">{explained.message}</p>}
      {s && (
        <>
          <p data-testid="subject-relevance-summary">
            {s.cycles !== undefined ? `${s.cycles} gait cycles of ${s.trials.length} walk(s)` : `${s.trials.length} trials`}, TP rate {(s.truePositiveRate * 100).toFixed(0)} %, relevance CV {s.cv === null ? '–' : s.cv.toFixed(3)}; {s.composite}; {s.selection}
          </p>
          <Phases phases={s.phases} />
          <Plot data={relevanceTraces(s, [])} layout={{ ...(s.cycles !== undefined ? CYCLE_LAYOUT : LAYOUT), yaxis: { title: { text: 'mean relevance' } } }} ariaLabel="mean relevance per channel" testId="subject-relevance-plot" />
        </>
      )}
    </section>
  );
}
