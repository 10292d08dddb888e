// The report's plots as plotly specs (data + layout), pure: the Reports page, the self-contained HTML and the
// PDF draw the same figures from the same model. Left red, right blue, the reference group grey behind.
import type { ComparedCurve, ReportCurve, ReportParameter, SincEvidence } from './model';

export interface PlotSpec { data: Record<string, unknown>[]; layout: Record<string, unknown> }

export const LEFT_COLOUR = '#c0392b';
export const RIGHT_COLOUR = '#1f5fbf';
const REFERENCE_FILL = 'rgba(120,120,120,0.22)';
const FONT = { family: 'system-ui, "Segoe UI", Roboto, "Liberation Sans", Arial, sans-serif', size: 11 };

function rgba(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
}

const percent = (n: number) => Array.from({ length: n }, (_, k) => (100 * k) / (n - 1));

/** A band (mean ± sd) as one closed, filled trace. */
function band(mean: number[], sd: number[], fill: string, name: string, group: string): Record<string, unknown> {
  const x = percent(mean.length);
  return {
    type: 'scatter', mode: 'lines', name, legendgroup: group, hoverinfo: 'skip', showlegend: true,
    x: [...x, ...[...x].reverse()], y: [...mean.map((m, k) => m + sd[k]), ...mean.map((m, k) => m - sd[k]).reverse()],
    fill: 'toself', fillcolor: fill, line: { width: 0 },
  };
}

export function curveFigure(c: ReportCurve, opts: { height?: number } = {}): PlotSpec {
  const spec = ownCurveFigure(c, opts);
  return c.compare ? withComparedVisit(spec, c.compare) : spec;
}

function ownCurveFigure(c: ReportCurve, opts: { height?: number }): PlotSpec {
  const data: Record<string, unknown>[] = [];
  if (c.reference) data.push(band(c.reference.mean, c.reference.sd, REFERENCE_FILL, `reference (${c.reference.subjects} subjects)`, 'ref'));
  for (const [side, colour, b] of [['left', LEFT_COLOUR, c.left], ['right', RIGHT_COLOUR, c.right]] as const) {
    if (!b) continue;
    data.push(band(b.mean, b.sd, rgba(colour, 0.15), `${side} ± SD`, side));
    data.push({ type: 'scatter', mode: 'lines', name: `${side} mean (${b.n} cycles)`, legendgroup: side, x: percent(b.mean.length), y: b.mean, line: { color: colour, width: 2 } });
  }
  return {
    data,
    layout: {
      title: { text: c.title, font: { ...FONT, size: 13 }, x: 0.02, xanchor: 'left', y: 0.98, yanchor: 'top' }, font: FONT, height: opts.height ?? 280, margin: { t: 58, b: 40, l: 60, r: 10 },
      xaxis: { title: { text: '% gait cycle' }, range: [0, 100], ticks: 'outside', gridcolor: '#e6eaef' },
      yaxis: { title: { text: c.unit }, ticks: 'outside', gridcolor: '#e6eaef', zeroline: false },
      legend: { orientation: 'h', x: 0, y: 1.0, yanchor: 'bottom', font: { size: 9 } }, showlegend: true, paper_bgcolor: '#fff', plot_bgcolor: '#fff',
    },
  };
}

/** Left and right means of the per-side parameters against the reference range (a dot per side, a grey bar). */
export function parameterFigure(params: readonly ReportParameter[]): PlotSpec | null {
  const rows = params.filter((p) => p.side !== null && p.mean !== null && p.normal !== null);
  const names = [...new Set(rows.map((p) => p.name))];
  if (names.length === 0) return null;
  // Each parameter on its own scale: position within its normal range, 0 = low edge, 1 = high edge.
  const scaled = (p: ReportParameter) => (p.mean! - p.normal!.low) / (p.normal!.high - p.normal!.low || 1);
  const labels = names.map((n) => rows.find((p) => p.name === n)!.label);
  const data: Record<string, unknown>[] = [
    { type: 'bar', orientation: 'h', y: labels, x: names.map(() => 1), base: 0, marker: { color: REFERENCE_FILL }, name: 'normal range', hoverinfo: 'skip' },
  ];
  for (const [side, colour] of [['left', LEFT_COLOUR], ['right', RIGHT_COLOUR]] as const) {
    const mine = names.map((n) => rows.find((p) => p.name === n && p.side === side));
    data.push({
      type: 'scatter', mode: 'markers', name: side, y: labels, x: mine.map((p) => (p ? scaled(p) : null)), marker: { color: colour, size: 9 },
      text: mine.map((p) => (p ? `${p.mean!.toFixed(3)} ${p.unit} (range ${p.normal!.low.toFixed(3)}–${p.normal!.high.toFixed(3)})` : '')), hoverinfo: 'text+name',
    });
  }
  return {
    data,
    layout: {
      font: FONT, height: 60 + 26 * names.length, margin: { t: 20, b: 36, l: 120, r: 10 }, barmode: 'overlay',
      xaxis: { title: { text: 'position in the normal range (0 = low edge, 1 = high edge)' }, zeroline: false, gridcolor: '#e6eaef' },
      yaxis: { autorange: 'reversed' }, legend: { orientation: 'h', y: 1.12 }, paper_bgcolor: '#fff', plot_bgcolor: '#fff',
    },
  };
}

/**
 * The compared visit over the same axes: each side's mean dashed in colours of its own (orange left, teal right)
 * over a faint band, one legend entry per side named with the visit.
 */
function withComparedVisit(spec: PlotSpec, compare: ComparedCurve): PlotSpec {
  const data = [...spec.data];
  for (const [side, colour, b] of [['left', COMPARE_LEFT_COLOUR, compare.left], ['right', COMPARE_RIGHT_COLOUR, compare.right]] as const) {
    if (!b) continue;
    const group = `compare-${side}`;
    data.push({ ...band(b.mean, b.sd, rgba(colour, 0.1), '', group), showlegend: false });
    data.push({ type: 'scatter', mode: 'lines', name: `${compare.visit}: ${side} mean ± SD (${b.n} cycles)`, legendgroup: group, x: percent(b.mean.length), y: b.mean, line: { color: colour, width: 2, dash: 'dash' } });
  }
  // Two more legend rows above the plot: the margin and the figure grow by them, the plot keeps its height.
  const margin = spec.layout.margin as Record<string, number>;
  return { data, layout: { ...spec.layout, height: (spec.layout.height as number) + 44, margin: { ...margin, t: margin.t + 44 } } };
}

export const COMPARE_LEFT_COLOUR = '#e08a3c';
export const COMPARE_RIGHT_COLOUR = '#3fa7a0';

/** Each insole sensor's (left − right pair's) share of Σ|ΔE|, strongest on top; sensors holding a listed filter darker. */
export function sincSensorFigure(e: SincEvidence): PlotSpec | null {
  if (e.status !== 'available' || e.sensors.length === 0) return null;
  const listed = new Set(e.filters.map((f) => f.sensor));
  const labels = e.sensors.map((s) => `${s.channel} ${s.region}`);
  return {
    data: [{
      type: 'bar', orientation: 'h', y: labels, x: e.sensors.map((s) => 100 * s.share), name: 'share of Σ|ΔE|',
      marker: { color: e.sensors.map((s) => (listed.has(s.sensor) ? '#5b3f99' : '#b9aed6')) },
      text: e.sensors.map((s) => `${(100 * s.share).toFixed(1)} %`), textposition: 'outside', hoverinfo: 'y+text', cliponaxis: false,
    }],
    layout: {
      font: FONT, height: 50 + 22 * labels.length, margin: { t: 10, b: 36, l: 190, r: 40 },
      xaxis: { title: { text: 'share of Σ|ΔE| over all filters (%)' }, rangemode: 'tozero', gridcolor: '#e6eaef' },
      yaxis: { autorange: 'reversed' }, showlegend: false, paper_bgcolor: '#fff', plot_bgcolor: '#fff',
    },
  };
}
