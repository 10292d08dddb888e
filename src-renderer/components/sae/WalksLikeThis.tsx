// "Walks like this one" on a subject page: the subjects whose mean gait code is nearest (cosine) in the newest
// feature dictionary (SAE model) whose cohort holds this subject, with their groups and the features they share,
// and their mean curves plotted against this subject's.
import type { Data } from 'plotly.js-dist-min';
import type { ApiResponse } from '../../../src-shared/api/schema';
import { Plot } from '../../plots/Plot';
import { call, errorMessage } from '../../api/client';
import { useLoad } from '../../lib/hooks';
import { hrefModel, hrefSubject } from '../../lib/route';

const SAE = 'sae-kalam2025';

type Answer = { akin: ApiResponse<'saeAkin'> | null; tried: string[]; reason: string | null };

async function findNeighbours(subjectId: string): Promise<Answer> {
  const models = (await call('listModels', {})).models.filter((m) => m.method === SAE).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  let reason: string | null = null;
  for (const m of models.slice(0, 3)) {
    try {
      return { akin: await call('saeAkin', { id: m.id, subject: subjectId, k: 5 }), tried: models.map((x) => x.id), reason: null };
    } catch (e) {
      reason = errorMessage(e);
    }
  }
  return { akin: null, tried: models.map((x) => x.id), reason };
}

export function WalksLikeThis({ subjectId }: { subjectId: string }) {
  const found = useLoad(() => findNeighbours(subjectId), [subjectId]);
  if (found.state === 'loading') return null;
  if (found.state === 'error') return <p className="error" role="alert">{found.message}</p>;
  const { akin, tried, reason } = found.value;
  if (tried.length === 0) return null;
  return (
    <section className="panel walks-like-this" aria-labelledby="akin-title" data-testid="walks-like-this">
      <h2 id="akin-title">Walks like this one</h2>
      {!akin && <p className="muted">{reason}</p>}
      {akin && (
        <>
          <p className="muted">
            Nearest of {akin.database} other subjects by their mean gait code in <a href={hrefModel(akin.model)}>{akin.model}</a> (cosine distance); this subject: {akin.query.group || 'no group'}.
          </p>
          <table className="data-table" data-testid="akin-table">
            <thead><tr><th scope="col">Subject</th><th scope="col">Group</th><th scope="col" className="numeric">Distance</th><th scope="col" title="features active in both mean codes, strongest first">Shared features</th></tr></thead>
            <tbody>
              {akin.neighbours.map((n) => (
                <tr key={n.subject} data-testid="akin-row">
                  <td><a href={hrefSubject(n.subject)}>{n.subject}</a></td>
                  <td>{n.group || '—'}</td>
                  <td className="numeric">{n.distance.toFixed(3)}</td>
                  <td>{n.shared.length ? n.shared.map((s) => `#${s.feature}`).join(', ') : <span className="muted">none active in both</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Plot data={akinTraces(akin)} testId="akin-plot" ariaLabel={`mean ${akin.channel.name} curves of the nearest subjects against this subject's`}
            layout={{ height: 300, margin: { t: 10, r: 10, b: 40, l: 50 }, xaxis: { title: { text: '% of the cycle' } }, yaxis: { title: { text: `${akin.channel.name} (${akin.channel.unit})` } }, legend: { orientation: 'h' } }} />
        </>
      )}
    </section>
  );
}

/** This subject's mean curve (bold) and each neighbour's (thin), 0–100 % of the cycle. */
function akinTraces(a: ApiResponse<'saeAkin'>): Data[] {
  const x = a.query.curve.map((_, i) => (i * 100) / (a.query.curve.length - 1));
  return [
    ...a.neighbours.map((n): Data => ({ type: 'scatter', mode: 'lines', name: `${n.subject} (${n.group || 'no group'})`, x, y: n.curve, line: { width: 1 }, opacity: 0.7 })),
    { type: 'scatter', mode: 'lines', name: `this subject (${a.query.group || 'no group'})`, x, y: a.query.curve, line: { width: 3, color: '#111' } },
  ];
}
