// One gait graph panel as a plotly figure: the reference band (grey) behind, each side's mean ± SD (left red,
// right blue; thin individual cycles underneath on request), a vertical foot-off line per side, "% gait cycle" and
// the unit on the axes. And the Movement Analysis Profile as a bar chart (GVS per variable and side, then the GPS).
import type { Config, Data, Layout, Shape } from 'plotly.js-dist-min';
import type { GaitGraphDto, GaitGraphPanel } from '../../src-shared/api/references';
import { X_AXIS_STYLE, Y_AXIS_STYLE } from './axis-style';
import { FONT_FAMILY } from './trial-figure';

export const SIDE_COLOURS = { left: '#d62728', right: '#1f5fbf' } as const;
const REFERENCE_FILL = 'rgba(128, 128, 128, 0.25)';
const X = Array.from({ length: 101 }, (_, i) => i);

function rgba(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

function band(mean: number[], sd: number[], fill: string, name: string): Data[] {
  return [
    { type: 'scatter', mode: 'lines', x: X, y: mean.map((m, k) => m - sd[k]), line: { width: 0 }, showlegend: false, hoverinfo: 'skip', name } as Data,
    { type: 'scatter', mode: 'lines', x: X, y: mean.map((m, k) => m + sd[k]), line: { width: 0 }, fill: 'tonexty', fillcolor: fill, showlegend: false, hoverinfo: 'skip', name } as Data,
  ];
}

export function buildGaitPanelFigure(panel: GaitGraphPanel): { data: Data[]; layout: Partial<Layout>; config: Partial<Config> } {
  const data: Data[] = [];
  const shapes: Partial<Shape>[] = [];
  // The reference is drawn once per side it has; both are grey, the usual look of a normative band.
  for (const side of ['left', 'right'] as const) {
    const r = panel.reference[side];
    if (r) data.push(...band(r.mean, r.sd, REFERENCE_FILL, `reference ${side}`));
  }
  for (const side of ['left', 'right'] as const) {
    const s = panel[side];
    if (!s) continue;
    const colour = SIDE_COLOURS[side];
    for (const c of s.cycles ?? []) data.push({ type: 'scatter', mode: 'lines', x: X, y: c, line: { width: 0.6, color: rgba(colour, 0.45) }, showlegend: false, hoverinfo: 'skip' } as Data);
    data.push(...band(s.mean, s.sd, rgba(colour, 0.18), `${side} SD`));
    data.push({ type: 'scatter', mode: 'lines', x: X, y: s.mean, name: `${side} (n = ${s.n})`, line: { width: 2, color: colour }, hovertemplate: `${side}: %{y:.3~g} ${panel.unit}<extra></extra>` } as Data);
    if (s.footOffPct !== null) {
      shapes.push({ type: 'line', xref: 'x', yref: 'paper', x0: s.footOffPct, x1: s.footOffPct, y0: 0, y1: 1, line: { color: colour, width: 1.5, dash: 'dash' }, name: `foot-off-${side}` } as Partial<Shape>);
    }
  }
  const layout: Partial<Layout> = {
    height: 220,
    margin: { t: 28, b: 40, l: 52, r: 8 },
    title: { text: panel.title, font: { size: 12 } },
    font: { family: FONT_FAMILY, size: 10, color: '#1b2430' },
    paper_bgcolor: '#ffffff',
    plot_bgcolor: '#ffffff',
    showlegend: false,
    shapes,
    xaxis: { title: { text: '% gait cycle', standoff: 4 }, range: [0, 100], dtick: 20, ...X_AXIS_STYLE },
    yaxis: { title: { text: panel.unit, standoff: 4 }, ...Y_AXIS_STYLE },
  } as Partial<Layout>;
  return { data, layout, config: { responsive: true, displaylogo: false, displayModeBar: false } };
}

export function buildMapFigure(gps: NonNullable<GaitGraphDto['gps']>): { data: Data[]; layout: Partial<Layout>; config: Partial<Config> } {
  const labels = [...new Set(gps.map.map((e) => e.label))];
  const categories = [...labels, 'GPS'];
  const data: Data[] = (['left', 'right'] as const).map((side) => ({
    type: 'bar',
    name: side,
    x: categories,
    y: [...labels.map((l) => gps.map.find((e) => e.label === l && e.side === side)?.gvs ?? null), gps.gps[side]],
    marker: { color: SIDE_COLOURS[side] },
    hovertemplate: `${side} %{x}: %{y:.2f}°<extra></extra>`,
  }) as Data);
  if (gps.overall !== null) data.push({ type: 'bar', name: 'overall', x: ['GPS'], y: [gps.overall], marker: { color: '#555' }, hovertemplate: 'overall GPS: %{y:.2f}°<extra></extra>' } as Data);
  const layout: Partial<Layout> = {
    height: 300, barmode: 'group', margin: { t: 24, b: 90, l: 52, r: 8 }, font: { family: FONT_FAMILY, size: 11, color: '#1b2430' },
    paper_bgcolor: '#ffffff', plot_bgcolor: '#ffffff', legend: { orientation: 'h', y: 1.1 },
    yaxis: { title: { text: 'GVS (deg)' }, ...Y_AXIS_STYLE, rangemode: 'tozero' },
  } as Partial<Layout>;
  return { data, layout, config: { responsive: true, displaylogo: false, displayModeBar: false } };
}
