// Builds the plotly figure of one trial: one stacked subplot per channel group, x shared (zooming one
// zooms all), a legend beside each subplot, the unit on every y axis. SVG traces ('scatter'), not WebGL:
// 4 000 points per channel draws fast enough and works without a GPU.
import type { Config, Data, Layout } from 'plotly.js-dist-min';
import type { ChannelData } from '../../src-shared/api/schema';
import { type ChannelGroup, type Domain, domainAxisTitle, splitSide, valueAxisTitle } from './channel-groups';
import { X_AXIS_STYLE, Y_AXIS_STYLE } from './axis-style';
import { escapeHtml } from '../../src-shared/text/escape';

/** Tableau 10: distinct, print-safe, and sensor n has the same colour on both feet. */
export const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
/** Overlaid sides: the usual red-left / blue-right (and affected / unaffected, which stand for a side). */
const SIDE_COLOURS: Record<string, string> = {
  left: '#c0392b',
  l: '#c0392b',
  affected: '#c0392b',
  aff: '#c0392b',
  right: '#1f5fa8',
  r: '#1f5fa8',
  unaffected: '#1f5fa8',
  unaff: '#1f5fa8',
};

/** The colour of a side (left red, right blue), or undefined for a side that has none. */
export function sideColour(side: string | null): string | undefined {
  return side ? SIDE_COLOURS[side.toLowerCase()] : undefined;
}

export const FONT_FAMILY =
  'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", "Liberation Sans", Arial, sans-serif';

const SUBPLOT_HEIGHT_PX = 210;
const SUBPLOT_GAP_PX = 58;
const MARGIN = { t: 30, b: 48, l: 72, r: 170 };

export interface PlottedChannel {
  /** Index of the channel in the getSignals answer; stable id for toggles. */
  index: number;
  channel: ChannelData;
}

export interface PlottedGroup extends Omit<ChannelGroup, 'channels'> {
  channels: PlottedChannel[];
}

export function channelColour(group: PlottedGroup, position: number): string {
  if (group.colourBy === 'side') {
    const side = splitSide(group.channels[position].channel).side;
    const colour = side ? SIDE_COLOURS[side] : undefined;
    if (colour && group.channels.every((c, i) => i === position || splitSide(c.channel).side !== side)) return colour;
  }
  return PALETTE[position % PALETTE.length];
}

export interface Figure {
  data: Data[];
  layout: Partial<Layout>;
  config: Partial<Config>;
  /** Trace number → channel index, for legend clicks. */
  traceChannel: number[];
}

export interface FigureOptions {
  /** Changing it resets zoom and pan to what the figure says (plotly keeps the user's zoom otherwise). */
  revision: string;
  fileName: string;
  /** The x range shown first; the whole trial when absent. */
  xRange?: [number, number];
}

export function buildFigure(domain: Domain, groups: PlottedGroup[], hidden: ReadonlySet<number>, options: FigureOptions): Figure {
  const { revision, fileName, xRange } = options;
  const n = groups.length;
  const plotHeight = n * SUBPLOT_HEIGHT_PX + (n - 1) * SUBPLOT_GAP_PX;
  const height = plotHeight + MARGIN.t + MARGIN.b;
  const data: Data[] = [];
  const traceChannel: number[] = [];
  const layout: Record<string, unknown> = {
    height,
    margin: MARGIN,
    font: { family: FONT_FAMILY, size: 12, color: '#1b2430' },
    paper_bgcolor: '#ffffff',
    plot_bgcolor: '#ffffff',
    hovermode: 'x unified',
    hoverlabel: { font: { family: FONT_FAMILY, size: 12 } },
    showlegend: true,
    uirevision: revision,
    annotations: [] as unknown[],
  };

  groups.forEach((group, g) => {
    const suffix = g === 0 ? '' : String(g + 1);
    const topPx = g * (SUBPLOT_HEIGHT_PX + SUBPLOT_GAP_PX);
    const top = 1 - topPx / plotHeight;
    const bottom = 1 - (topPx + SUBPLOT_HEIGHT_PX) / plotHeight;
    const legendName = `legend${suffix}`;

    layout[`xaxis${suffix}`] = {
      anchor: `y${suffix}`,
      matches: g === 0 ? undefined : 'x',
      title: g === n - 1 ? { text: domainAxisTitle(domain), standoff: 8 } : undefined,
      showticklabels: true,
      ...X_AXIS_STYLE,
      hoverformat: domain === 'time' ? '.2f' : '.1f',
      unifiedhovertitle: { text: domain === 'time' ? '%{x:.2f} s' : '%{x:.1f} %' },
      ticksuffix: domain === 'time' ? '' : ' %',
      range: domain === 'time' ? xRange : [0, 100],
      autorange: domain === 'time' && !xRange ? true : undefined,
    };
    layout[`yaxis${suffix}`] = {
      domain: [Math.max(0, bottom), Math.min(1, top)],
      anchor: `x${suffix}`,
      title: { text: valueAxisTitle(group.unit), standoff: 6 },
      ...Y_AXIS_STYLE,
    };
    layout[legendName] = {
      x: 1.01,
      xanchor: 'left',
      y: top,
      yanchor: 'top',
      bgcolor: 'rgba(255,255,255,0.9)',
      font: { size: 11 },
      itemclick: 'toggle',
      itemdoubleclick: 'toggleothers',
      tracegroupgap: 2,
    };
    (layout.annotations as unknown[]).push({
      text: `<b>${escapeHtml(group.title)}</b>`,
      xref: 'paper',
      yref: 'paper',
      x: 0,
      xanchor: 'left',
      y: top,
      yanchor: 'bottom',
      yshift: 4,
      showarrow: false,
      font: { size: 12, color: '#33404f' },
    });

    group.channels.forEach(({ index, channel }, position) => {
      traceChannel.push(index);
      data.push({
        type: 'scatter',
        mode: 'lines',
        name: channel.name,
        x: channel.x ?? [],
        y: channel.values ?? [],
        xaxis: `x${suffix}`,
        yaxis: `y${suffix}`,
        legend: legendName,
        line: { width: 1.25, color: channelColour(group, position) },
        visible: hidden.has(index) ? 'legendonly' : true,
        hovertemplate: `${escapeHtml(channel.name)}: %{y:.4~g} ${escapeHtml(channel.unit)}<extra></extra>`,
      } as Data);
    });
  });

  const config: Partial<Config> = {
    responsive: true,
    displaylogo: false,
    scrollZoom: false,
    modeBarButtonsToRemove: ['lasso2d', 'select2d', 'autoScale2d'],
    toImageButtonOptions: { format: 'png', filename: fileName, scale: 2 },
  };

  return { data, layout: layout as Partial<Layout>, config, traceChannel };
}

export { escapeHtml };
