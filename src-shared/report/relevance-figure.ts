// The relevance map coloured onto the subject's mean curve, one figure per channel: the curve's points take the
// colour of their relevance, and a heat band under the curve shows the same relevance as a strip over 0–100 %.
// Colours follow the paper's map (methods-spec §1.6, §5.1.8): r = R / max|R| over the panels, x = 0.7 r; black at
// 0, red → yellow for relevance that supports the explained class, blue → cyan for relevance that contradicts it.
import type { PlotSpec } from './figures';
import type { RelevancePanel, ReportRelevance } from './relevance';

const FONT = { family: 'system-ui, "Segoe UI", Roboto, "Liberation Sans", Arial, sans-serif', size: 11 };
const clip = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** §1.6's colour of a relevance normalised to r ∈ [−1, 1], as [R, G, B] in 0–255. */
export function paperRelevanceColour(r: number): [number, number, number] {
  const x = 0.7 * Math.abs(clip(r, -1, 1));
  const c = [clip(x, 0, 0.25) / 0.25, clip(x - 0.25, 0, 0.25) / 0.25, clip(x - 0.5, 0, 0.5) / 0.5].map((v) => Math.round(255 * v)) as [number, number, number];
  return r >= 0 ? c : [c[2], c[1], c[0]];
}

/** The same map as a plotly colourscale over [−1, 1] (41 stops: exact at the stops, linear between). */
export const PAPER_COLOURSCALE: [number, string][] = Array.from({ length: 41 }, (_, i) => {
  const r = -1 + i / 20;
  const [red, green, blue] = paperRelevanceColour(r);
  return [i / 40, `rgb(${red},${green},${blue})`];
});

const PHASE_NAMES: Record<ReportRelevance['span'], string> = { gait_cycle: '% gait cycle', stance: '% stance' };

export function relevanceFigure(panel: RelevancePanel, rel: Pick<ReportRelevance, 'scale' | 'span'>, opts: { height?: number } = {}): PlotSpec {
  const x = panel.mean.map((_, k) => (100 * k) / (panel.mean.length - 1));
  const scale = rel.scale > 0 ? rel.scale : 1;
  const colour = { colorscale: PAPER_COLOURSCALE, cmin: -scale, cmax: scale };
  return {
    data: [
      { type: 'scatter', mode: 'lines', x, y: panel.mean, line: { color: '#8a96a3', width: 1 }, hoverinfo: 'skip', showlegend: false },
      {
        type: 'scatter', mode: 'markers', x, y: panel.mean, showlegend: false, name: panel.channel,
        marker: { ...colour, color: panel.relevance, size: 6, line: { width: 0 } },
        text: panel.relevance.map((r) => `relevance ${r.toPrecision(3)}`), hoverinfo: 'x+y+text',
      },
      {
        type: 'heatmap', x, y: ['R'], z: [panel.relevance], zmin: -scale, zmax: scale, colorscale: PAPER_COLOURSCALE, yaxis: 'y2', xgap: 0,
        colorbar: { title: { text: 'relevance', side: 'right' }, thickness: 10, len: 0.9, tickfont: { size: 9 } }, hovertemplate: '%{x:.0f} %: relevance %{z:.3g}<extra></extra>',
      },
    ],
    layout: {
      title: { text: `${panel.channel} — ${(100 * panel.share).toFixed(0)} % of |relevance|`, font: { ...FONT, size: 13 }, x: 0.02, xanchor: 'left' },
      font: FONT, height: opts.height ?? 260, margin: { t: 36, b: 40, l: 60, r: 10 }, showlegend: false, paper_bgcolor: '#fff', plot_bgcolor: '#fff',
      xaxis: { title: { text: PHASE_NAMES[rel.span] }, range: [0, 100], ticks: 'outside', gridcolor: '#e6eaef', anchor: 'y2' },
      yaxis: { title: { text: panel.unit }, domain: [0.24, 1], gridcolor: '#e6eaef', zeroline: false },
      yaxis2: { domain: [0, 0.16], showticklabels: false, ticks: '', fixedrange: true },
    },
  };
}

/** The channels drawn in a report: the `count` that carried the most relevance, largest share first. */
export function drawnRelevancePanels(rel: ReportRelevance, count = 6): RelevancePanel[] {
  return [...rel.panels].sort((a, b) => b.share - a.share).slice(0, count);
}
