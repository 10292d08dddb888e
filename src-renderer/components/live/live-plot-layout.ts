// The live plot's layout and config. Its axes never ask plotly to measure their tick labels: plotly caches every
// text box it measures (Drawing.savedBBoxes, emptied only at 10 000 entries) under the label's text, style *and*
// transform, and on a scrolling axis every label sits somewhere new at every frame. With plotly's defaults each
// frame measures the labels (ticklabeloverflow 'hide past div' checks whether one leaves the div; tickangle 'auto'
// whether they overlap): ~10 new entries of ~300 B per frame (test/e2e/live-plot-layout.test.ts), which made the
// renderer's heap creep by ~1.3 MB over a simulated hour (bench:acquisition's renderer-memory part, heap snapshots at
// 1 and 60 min: 3 800 cached boxes, their key strings and numbers). With the overflow check off ('allow': the SVG
// clips at its edge anyway) and a fixed angle (a 10-s window never holds enough labels to overlap), nothing is
// measured per frame; the labels look the same.
import type { Config, Layout } from 'plotly.js-dist-min';

/** Seconds of signal the plot keeps; at the recorder's 50 points/s that is 500 points per trace. */
export const LIVE_WINDOW_S = 10;

/** Axis settings under which plotly measures no tick label while the axis scrolls. */
export const UNMEASURED_TICK_LABELS = { ticklabeloverflow: 'allow', tickangle: 0 } as const;

export function livePlotLayout(isInsole: boolean): Partial<Layout> {
  return {
    margin: { l: 50, r: 10, t: 10, b: 40 }, height: 260, showlegend: true, legend: { orientation: 'h', y: 1.12 },
    xaxis: { title: { text: 'run time (s)' }, autorange: true, ...UNMEASURED_TICK_LABELS },
    yaxis: { title: { text: isInsole ? 'force (N)' : 'value' }, autorange: true, ...UNMEASURED_TICK_LABELS },
  };
}

export const LIVE_PLOT_CONFIG: Partial<Config> = { displayModeBar: false, responsive: true, staticPlot: true };
