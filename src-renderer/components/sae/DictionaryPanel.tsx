// A sparse-autoencoder model's page: the feature dictionary as cards (firing rate, share of latent variance, the
// decoder atom as a curve, the cycles that fire the feature most) and the latent map (t-SNE of the subjects' mean
// codes, computed in main, coloured by group). Features are ordered by variance share; dead ones are counted.
import { useState } from 'react';
import type { Data } from 'plotly.js-dist-min';
import type { ApiResponse } from '../../../src-shared/api/schema';
import { call } from '../../api/client';
import { useLoad } from '../../lib/hooks';
import { hrefSubject } from '../../lib/route';
import { Plot } from '../../plots/Plot';
import { Sparkline } from './Sparkline';

const PAPER_FIRING_RATE = 0.07;
const FIRST_CARDS = 12;

type Dictionary = ApiResponse<'saeDictionary'>;
type Feature = Dictionary['features'][number];

function FeatureCard({ f, d }: { f: Feature; d: Dictionary }) {
  const unit = d.channels[0]?.unit ?? '';
  return (
    <article className="feature-card" data-testid="feature-card" data-feature={f.index}>
      <header>
        <h4>Feature {f.index}</h4>
        <span className="muted">fires in {(f.firingRate * 100).toFixed(1)} % · {(f.varianceShare * 100).toFixed(1)} % of latent variance</span>
      </header>
      {d.channels.map((c, ch) => (
        <figure key={c.name}>
          <Sparkline curves={[{ values: f.atom[ch], className: 'atom' }]} label={`feature ${f.index}: ${c.name} added per unit activation`} testId="feature-atom" />
          <figcaption className="muted">{c.name}: curve added per unit activation ({c.unit})</figcaption>
        </figure>
      ))}
      {f.top.length > 0 && (
        <>
          <Sparkline curves={f.top.map((t) => ({ values: t.curves[0], className: 'top-cycle' }))} label={`feature ${f.index}: the cycles that fire it most`} />
          <ol className="top-cycles" data-testid="feature-top">
            {f.top.map((t) => (
              <li key={`${t.trial}-${t.cycleId ?? ''}`}>
                <a href={hrefSubject(t.subject)}>{t.subject}</a> <span className="tag">{t.group || 'no group'}</span>{' '}
                {t.side ? `${t.side} cycle` : 'trial'} · activation {t.activation.toFixed(2)}
              </li>
            ))}
          </ol>
          <p className="muted small">cycles in {unit}, 0–100 % of the gait cycle</p>
        </>
      )}
    </article>
  );
}

function LatentMap({ modelId }: { modelId: string }) {
  const map = useLoad(() => call('saeLatentMap', { id: modelId }), [modelId]);
  if (map.state === 'loading') return <p className="page-loading">Computing the latent map…</p>;
  if (map.state === 'error') return <p className="error" role="alert">{map.message}</p>;
  const m = map.value;
  const groups = [...new Set(m.points.map((p) => p.group))].sort();
  const data: Data[] = groups.map((g) => {
    const pts = m.points.filter((p) => p.group === g);
    return { type: 'scatter', mode: 'markers', name: g || 'no group', x: pts.map((p) => p.x), y: pts.map((p) => p.y), text: pts.map((p) => p.subject), hovertemplate: '%{text}<extra>%{fullData.name}</extra>' };
  });
  return (
    <div data-testid="latent-map" data-points={m.points.length}>
      <Plot data={data} layout={{ height: 380, margin: { t: 10, r: 10, b: 30, l: 40 }, xaxis: { zeroline: false, showticklabels: false }, yaxis: { zeroline: false, showticklabels: false }, legend: { orientation: 'h' } }}
        ariaLabel="t-SNE map of the subjects' mean codes, coloured by group" testId="latent-map-plot" />
      <p className="muted small">{m.method}; perplexity {m.perplexity}, {m.iterations} iterations, seed {m.seed}; one point per subject</p>
    </div>
  );
}

export function DictionaryPanel({ modelId }: { modelId: string }) {
  const dict = useLoad(() => call('saeDictionary', { id: modelId, top: 3 }), [modelId]);
  const [all, setAll] = useState(false);
  return (
    <section className="sae-dictionary" aria-labelledby="dictionary-title" data-testid="sae-dictionary">
      <h3 id="dictionary-title">Feature dictionary</h3>
      {dict.state === 'loading' && <p className="page-loading">Encoding the cohort…</p>}
      {dict.state === 'error' && <p className="error" role="alert">{dict.message}</p>}
      {dict.state === 'ready' && (() => {
        const d = dict.value;
        const live = d.features.filter((f) => !f.dead).sort((a, b) => b.varianceShare - a.varianceShare || a.index - b.index);
        const shown = all ? live : live.slice(0, FIRST_CARDS);
        return (
          <>
            <p data-testid="dictionary-summary">
              {d.features.length} features over {d.samples} {d.rows === 'side-cycles' ? 'gait cycles (each side a sample)' : 'trials'}; mean firing rate {d.meanFiringRate.toFixed(3)} (Kalam 2025: ≈ {PAPER_FIRING_RATE}); {d.features.length - live.length} dead
            </p>
            <h4>Latent map</h4>
            <LatentMap modelId={modelId} />
            <h4>Features, by share of latent variance</h4>
            <div className="feature-grid">
              {shown.map((f) => <FeatureCard key={f.index} f={f} d={d} />)}
            </div>
            {live.length > shown.length && (
              <button type="button" className="button small" onClick={() => setAll(true)} data-testid="dictionary-show-all">Show all {live.length} live features</button>
            )}
          </>
        );
      })()}
    </section>
  );
}
