// A sparse-autoencoder model's page: the feature dictionary as cards (firing rate, share of latent variance, the
// activation histogram, the decoder atom as a curve, the strongest metadata correlations with their CIs, the
// subjects and cycles that fire the feature most, the top cycle with its reconstruction and the feature's
// contribution) and the latent maps (t-SNE and PCA of the subjects' mean codes, computed in main, coloured by group,
// k-means cluster or any metadata). Features are ordered by variance share; dead ones are counted.
import { useState } from 'react';
import type { Data } from 'plotly.js-dist-min';
import type { ApiResponse } from '../../../src-shared/api/schema';
import { call } from '../../api/client';
import { useLoad } from '../../lib/hooks';
import { hrefSubject } from '../../lib/route';
import { Plot } from '../../plots/Plot';
import { ActivationHistogram } from './ActivationHistogram';
import { Sparkline } from './Sparkline';

const PAPER_FIRING_RATE = 0.07;
const FIRST_CARDS = 12;

type Dictionary = ApiResponse<'saeDictionary'>;
type Feature = Dictionary['features'][number];
type Correlation = ApiResponse<'saeFeatures'>['correlations'][number];
type LatentMapData = ApiResponse<'saeLatentMap'>;

const corrText = (c: Correlation) => `${c.attribute}: r ${c.r.toFixed(2)} [${c.ciLow.toFixed(2)}, ${c.ciHigh.toFixed(2)}], q ${c.q < 0.001 ? c.q.toExponential(1) : c.q.toFixed(3)} (n ${c.n})`;

function FeatureCard({ f, d, correlations }: { f: Feature; d: Dictionary; correlations: Correlation[] | null }) {
  const unit = d.channels[0]?.unit ?? '';
  const first = f.top[0];
  return (
    <article className="feature-card" data-testid="feature-card" data-feature={f.index}>
      <header>
        <h4>Feature {f.index}</h4>
        <span className="muted">fires in {(f.firingRate * 100).toFixed(1)} % · {(f.varianceShare * 100).toFixed(1)} % of latent variance</span>
      </header>
      <ActivationHistogram h={f.histogram} label={`feature ${f.index}: activation histogram`} />
      {d.channels.map((c, ch) => (
        <figure key={c.name}>
          <Sparkline curves={[{ values: f.atom[ch], className: 'atom' }]} label={`feature ${f.index}: ${c.name} added per unit activation`} testId="feature-atom" />
          <figcaption className="muted">{c.name}: curve added per unit activation ({c.unit})</figcaption>
        </figure>
      ))}
      {correlations && (
        <ul className="feature-correlations" data-testid="feature-correlations">
          {correlations.length === 0 && <li className="muted">no metadata to correlate with</li>}
          {correlations.map((c) => <li key={c.attribute}>{corrText(c)}</li>)}
        </ul>
      )}
      {f.topSubjects.length > 0 && (
        <p className="feature-subjects" data-testid="feature-subjects">
          fired most by{' '}
          {f.topSubjects.map((s, i) => (
            <span key={s.subject}>{i > 0 && ', '}<a href={hrefSubject(s.subject)}>{s.subject}</a> <span className="tag">{s.group || 'no group'}</span></span>
          ))}
        </p>
      )}
      {first && (
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
          {first.reconstruction && (
            <figure>
              <Sparkline testId="feature-top-detail" label={`feature ${f.index}: the top ${first.side ? 'cycle' : 'trial'}, its reconstruction and the feature's contribution`} curves={[
                { values: first.curves[0], className: 'top-cycle' },
                { values: first.reconstruction[0], className: 'reconstruction' },
                { values: f.atom[0].map((v) => v * first.activation), className: 'contribution' },
              ]} />
              <figcaption className="muted small">top {first.side ? 'cycle' : 'trial'} ({d.channels[0]?.name}): original (grey), reconstruction (dashed), this feature's contribution (green)</figcaption>
            </figure>
          )}
          <p className="muted small">cycles in {unit}, 0–100 % of the gait cycle</p>
        </>
      )}
    </article>
  );
}

/** Colour choices: group, k-means cluster, then each metadata attribute (continuous: one trace with a colour bar). */
function mapTraces(m: LatentMapData, colourBy: string, axes: 'tsne' | 'pca'): Data[] {
  const xy = (p: LatentMapData['points'][number]) => (axes === 'tsne' ? [p.x, p.y] : [p.pc1, p.pc2]);
  const hover = '%{text}<extra>%{fullData.name}</extra>';
  if (colourBy === 'group' || colourBy === 'cluster') {
    const key = (p: LatentMapData['points'][number]) => (colourBy === 'group' ? p.group || 'no group' : `cluster ${p.cluster}`);
    return [...new Set(m.points.map(key))].sort().map((g) => {
      const pts = m.points.filter((p) => key(p) === g);
      return { type: 'scatter', mode: 'markers', name: g, x: pts.map((p) => xy(p)[0]), y: pts.map((p) => xy(p)[1]), text: pts.map((p) => p.subject), hovertemplate: hover };
    });
  }
  const pts = m.points.filter((p) => p.metadata[colourBy] !== null && p.metadata[colourBy] !== undefined);
  const missing = m.points.filter((p) => !pts.includes(p));
  const traces: Data[] = [{
    type: 'scatter', mode: 'markers', name: colourBy, x: pts.map((p) => xy(p)[0]), y: pts.map((p) => xy(p)[1]), text: pts.map((p) => `${p.subject}: ${p.metadata[colourBy]}`), hovertemplate: hover,
    marker: { color: pts.map((p) => p.metadata[colourBy] as number), colorscale: 'Viridis', showscale: true, colorbar: { thickness: 10 } },
  }];
  if (missing.length) traces.push({ type: 'scatter', mode: 'markers', name: 'no value', x: missing.map((p) => xy(p)[0]), y: missing.map((p) => xy(p)[1]), text: missing.map((p) => p.subject), hovertemplate: hover, marker: { color: '#ccc' } });
  return traces;
}

function LatentMap({ modelId }: { modelId: string }) {
  const map = useLoad(() => call('saeLatentMap', { id: modelId }), [modelId]);
  const [colourBy, setColourBy] = useState('group');
  if (map.state === 'loading') return <p className="page-loading">Computing the latent map…</p>;
  if (map.state === 'error') return <p className="error" role="alert">{map.message}</p>;
  const m = map.value;
  const layout = (x: string, y: string) => ({ height: 380, margin: { t: 10, r: 10, b: 40, l: 40 }, xaxis: { zeroline: false, showticklabels: false, title: { text: x } }, yaxis: { zeroline: false, showticklabels: false, title: { text: y } }, legend: { orientation: 'h' as const } });
  const ev = m.pca.explainedVarianceRatio.map((v) => `${(v * 100).toFixed(1)} %`);
  return (
    <div data-testid="latent-map" data-points={m.points.length}>
      <label>
        Colour by{' '}
        <select value={colourBy} onChange={(e) => setColourBy(e.target.value)} data-testid="latent-map-colour">
          <option value="group">group</option>
          <option value="cluster">k-means cluster (k = {m.kmeans.k})</option>
          {m.attributes.map((a) => <option key={a} value={a}>{a}</option>)}
        </select>
      </label>
      <div className="latent-maps">
        <Plot data={mapTraces(m, colourBy, 'tsne')} layout={layout('t-SNE 1', 't-SNE 2')} ariaLabel={`t-SNE map of the subjects' mean codes, coloured by ${colourBy}`} testId="latent-map-plot" />
        <Plot data={mapTraces(m, colourBy, 'pca')} layout={layout(`PC1 (${ev[0]})`, `PC2 (${ev[1]})`)} ariaLabel={`PCA map of the subjects' mean codes, coloured by ${colourBy}`} testId="latent-pca-plot" />
      </div>
      <p className="muted small" data-testid="latent-map-note">
        {m.method}; perplexity {m.perplexity}, {m.iterations} iterations, seed {m.seed}; PCA of the same codes (PC1 {ev[0]}, PC2 {ev[1]} of the variance); one point per subject.
        k-means on the full codes: k = {m.kmeans.k} by the largest mean silhouette ({m.kmeans.silhouette.toFixed(3)}; {m.kmeans.silhouettes.map((s) => `k ${s.k}: ${s.silhouette.toFixed(2)}`).join(', ')}), cluster sizes {m.kmeans.sizes.join(', ')}
      </p>
    </div>
  );
}

function StrongestCorrelations({ correlations }: { correlations: Correlation[] }) {
  const shown = correlations.slice(0, 10);
  return (
    <table className="data-table" data-testid="sae-correlations">
      <thead><tr><th scope="col">Feature</th><th scope="col">Attribute</th><th scope="col" className="numeric">r</th><th scope="col">95 % CI (bootstrap over subjects)</th><th scope="col" className="numeric">q (BH)</th><th scope="col" className="numeric">subjects</th></tr></thead>
      <tbody>
        {shown.map((c) => (
          <tr key={`${c.feature}-${c.attribute}`}>
            <td>#{c.feature}</td><td>{c.attribute}</td><td className="numeric">{c.r.toFixed(3)}</td>
            <td>[{c.ciLow.toFixed(3)}, {c.ciHigh.toFixed(3)}]{c.unstable ? ' (unstable)' : ''}</td>
            <td className="numeric">{c.q < 0.001 ? c.q.toExponential(1) : c.q.toFixed(3)}</td><td className="numeric">{c.n}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** When and on which data the stored analyses were computed; when the cohort changed since, a recompute on request. */
function AnalysesProvenance({ a, onRecompute }: { a: Dictionary['analyses']; onRecompute(): Promise<void> }) {
  const [busy, setBusy] = useState<string | null>(null);
  return (
    <p className={a.current ? 'muted' : 'warning'} data-testid="analyses-provenance">
      {a.current
        ? `Analyses of ${a.samples} samples, computed ${a.computedAt} (${a.trigger}) on data version ${a.dataVersion}; the cohort's data is unchanged since.`
        : a.note}
      {!a.current && (
        <button type="button" className="button small" disabled={busy === 'running'} data-testid="analyses-recompute"
          onClick={() => { setBusy('running'); onRecompute().then(() => setBusy(null), (e: unknown) => setBusy(String(e))); }}>
          {busy === 'running' ? 'Recomputing…' : 'Recompute on the current data'}
        </button>
      )}
      {busy && busy !== 'running' && <span className="error" role="alert"> {busy}</span>}
    </p>
  );
}

export function DictionaryPanel({ modelId }: { modelId: string }) {
  // Bumped after a recompute, so that every view reads the newly stored analyses.
  const [generation, setGeneration] = useState(0);
  const dict = useLoad(() => call('saeDictionary', { id: modelId, top: 3 }), [modelId, generation]);
  const stats = useLoad(() => call('saeFeatures', { id: modelId }), [modelId, generation]);
  const recompute = async () => {
    await call('saeFeatures', { id: modelId, recompute: true });
    setGeneration((g) => g + 1);
  };
  const [all, setAll] = useState(false);
  const byFeature = new Map<number, Correlation[]>();
  if (stats.state === 'ready') for (const c of stats.value.correlations) {
    const list = byFeature.get(c.feature) ?? [];
    if (list.length < 2) list.push(c);
    byFeature.set(c.feature, list);
  }
  return (
    <section className="sae-dictionary" aria-labelledby="dictionary-title" data-testid="sae-dictionary">
      <h3 id="dictionary-title">Feature dictionary</h3>
      {dict.state === 'loading' && <p className="page-loading">Reading the analyses stored with the model…</p>}
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
            <AnalysesProvenance a={d.analyses} onRecompute={recompute} />
            <h4>Latent map</h4>
            <LatentMap key={generation} modelId={modelId} />
            <h4>Strongest metadata correlations (subject level)</h4>
            {stats.state === 'loading' && <p className="page-loading">Correlating with the metadata…</p>}
            {stats.state === 'error' && <p className="error" role="alert">{stats.message}</p>}
            {stats.state === 'ready' && (stats.value.correlations.length
              ? <StrongestCorrelations correlations={stats.value.correlations} />
              : <p className="muted">The cohort's subjects have no metadata to correlate with.</p>)}
            <h4>Features, by share of latent variance</h4>
            <div className="feature-grid">
              {shown.map((f) => <FeatureCard key={f.index} f={f} d={d} correlations={stats.state === 'ready' ? byFeature.get(f.index) ?? [] : null} />)}
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
