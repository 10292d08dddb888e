// Overlaid time-normalised cycles per side: every cycle a thin line, the side's mean ± 1 SD as a band and a
// line on top. All cycles of a side are one trace (gaps between them), so hundreds of cycles draw quickly.
import type { Config, Data, Layout } from 'plotly.js-dist-min';
import type { CycleDto } from '../../src-shared/api/schema';
import { domainAxisTitle, sideLabel, valueAxisTitle } from './channel-groups';
import { curveMeanSd } from '../../src-shared/signal/curve-stats';
import { percentAxis } from '../../src-shared/signal/normalise';
import { escapeHtml, FONT_FAMILY, PALETTE, sideColour } from './trial-figure';
import { X_AXIS_STYLE, Y_AXIS_STYLE } from './axis-style';

const FLAGGED_COLOUR = '#b45309';

export interface CycleSide {
  side: string | null;
  clean: CycleDto[];
  flagged: CycleDto[];
}

export interface CyclesFigureOptions {
  kind: CycleDto['kind'];
  unit: string;
  showFlagged: boolean;
  fileName: string;
}

function rgba(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
}

function joined(cycles: readonly CycleDto[]): { x: (number | null)[]; y: (number | null)[] } {
  const x: (number | null)[] = [];
  const y: (number | null)[] = [];
  for (const c of cycles) {
    const axis = percentAxis(c.curve.length);
    x.push(...axis, null);
    y.push(...c.curve, null);
  }
  return { x, y };
}

export function buildCyclesFigure(sides: readonly CycleSide[], options: CyclesFigureOptions): { data: Data[]; layout: Partial<Layout>; config: Partial<Config> } {
  const { kind, unit, showFlagged, fileName } = options;
  const data: Data[] = [];
  sides.forEach((s, i) => {
    const colour = sideColour(s.side) ?? PALETTE[i % PALETTE.length];
    const side = sideLabel(s.side);
    const group = `side-${s.side ?? 'none'}`;
    const lines = joined(s.clean);
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: side ? `${side} cycles (${s.clean.length})` : `Cycles (${s.clean.length})`,
      legendgroup: `${group}-cycles`,
      x: lines.x,
      y: lines.y,
      line: { width: 0.8, color: rgba(colour, 0.28) },
      hoverinfo: 'skip',
      connectgaps: false,
    } as Data);
    if (showFlagged && s.flagged.length > 0) {
      const flagged = joined(s.flagged);
      data.push({
        type: 'scatter',
        mode: 'lines',
        name: side ? `${side} flagged (${s.flagged.length})` : `Flagged (${s.flagged.length})`,
        legendgroup: `${group}-flagged`,
        x: flagged.x,
        y: flagged.y,
        line: { width: 1, color: rgba(FLAGGED_COLOUR, 0.75), dash: 'dot' },
        hoverinfo: 'skip',
        connectgaps: false,
      } as Data);
    }
    const stats = curveMeanSd(s.clean.map((c) => c.curve));
    if (!stats) return;
    const x = percentAxis(stats.mean.length);
    data.push(
      {
        type: 'scatter',
        mode: 'lines',
        x,
        y: stats.mean.map((m, k) => m - stats.sd[k]),
        legendgroup: group,
        showlegend: false,
        line: { width: 0, color: colour },
        hoverinfo: 'skip',
      } as Data,
      {
        type: 'scatter',
        mode: 'lines',
        x,
        y: stats.mean.map((m, k) => m + stats.sd[k]),
        legendgroup: group,
        showlegend: false,
        fill: 'tonexty',
        fillcolor: rgba(colour, 0.2),
        line: { width: 0, color: colour },
        hoverinfo: 'skip',
      } as Data,
      {
        type: 'scatter',
        mode: 'lines',
        name: `${side ? `${side} mean` : 'Mean'} ± SD (n = ${stats.n})`,
        legendgroup: group,
        x,
        y: stats.mean,
        customdata: stats.sd,
        line: { width: 2.5, color: colour },
        hovertemplate: `${escapeHtml(side ?? 'Mean')}: %{y:.4~g} ± %{customdata:.3~g} ${escapeHtml(unit)}<extra></extra>`,
      } as Data,
    );
  });

  const layout: Partial<Layout> = {
    height: 400,
    margin: { t: 40, b: 48, l: 72, r: 28 },
    font: { family: FONT_FAMILY, size: 12, color: '#1b2430' },
    paper_bgcolor: '#ffffff',
    plot_bgcolor: '#ffffff',
    hovermode: 'x unified',
    hoverlabel: { font: { family: FONT_FAMILY, size: 12 } },
    showlegend: true,
    legend: { orientation: 'h', x: 0, xanchor: 'left', y: 1.02, yanchor: 'bottom', font: { size: 11 } },
    xaxis: {
      title: { text: domainAxisTitle(kind === 'stance' ? 'stance' : 'cycle'), standoff: 8 },
      range: [0, 100],
      dtick: 20,
      ticksuffix: ' %',
      ...X_AXIS_STYLE,
      hoverformat: '.0f',
    },
    yaxis: {
      title: { text: valueAxisTitle(unit), standoff: 6 },
      ...Y_AXIS_STYLE,
    },
  } as Partial<Layout>;

  const config: Partial<Config> = {
    responsive: true,
    displaylogo: false,
    scrollZoom: false,
    modeBarButtonsToRemove: ['lasso2d', 'select2d', 'autoScale2d'],
    toImageButtonOptions: { format: 'png', filename: fileName, scale: 2 },
  };
  return { data, layout, config };
}
