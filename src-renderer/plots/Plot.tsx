// A thin plotly.js host: Plotly.react on every figure change, Plotly.purge on unmount. plotly.js is loaded
// on first use (it is ~4.8 MB), so the subject list opens without it.
import { useEffect, useRef, useState } from 'react';
import type { Config, Data, Layout, LegendClickEvent, PlotlyHTMLElement, PlotMouseEvent, PlotRelayoutEvent } from 'plotly.js-dist-min';

type PlotlyApi = typeof import('plotly.js-dist-min').default;

let plotlyPromise: Promise<PlotlyApi> | null = null;

export function loadPlotly(): Promise<PlotlyApi> {
  plotlyPromise ??= import('plotly.js-dist-min').then((m) => m.default);
  return plotlyPromise;
}

/** The graph div is a Node EventEmitter too; plotly's typings only declare `on`. */
interface Listenable {
  removeListener(name: string, listener: (e: never) => unknown): void;
}

export interface PlotProps {
  data: Data[];
  layout: Partial<Layout>;
  config?: Partial<Config>;
  /** Return false to stop plotly's own legend toggling (we keep visibility in React state). */
  onLegendClick?: (event: LegendClickEvent) => boolean;
  onLegendDoubleClick?: (event: LegendClickEvent) => boolean;
  /** A click on the plot area: the points under the cursor (x of the nearest sample). */
  onClick?: (event: PlotMouseEvent) => void;
  /** Zoom, pan, autorange and shape drags; keys as plotly names them ('xaxis.range[0]', 'shapes[3].x0'). */
  onRelayout?: (event: PlotRelayoutEvent) => void;
  className?: string;
  ariaLabel: string;
  testId?: string;
}

export function Plot({ data, layout, config, onLegendClick, onLegendDoubleClick, onClick, onRelayout, className, ariaLabel, testId }: PlotProps) {
  const host = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'error'>('loading');
  const [error, setError] = useState<string | null>(null);
  const handlers = useRef({ onLegendClick, onLegendDoubleClick, onClick, onRelayout });
  handlers.current = { onLegendClick, onLegendDoubleClick, onClick, onRelayout };
  // One stable listener per event; re-attached after every draw, because a config change makes plotly start a new
  // plot, which drops every listener.
  const listeners = useRef<[string, (e: never) => unknown][]>([
    ['plotly_legendclick', (e: LegendClickEvent) => handlers.current.onLegendClick?.(e) ?? true],
    ['plotly_legenddoubleclick', (e: LegendClickEvent) => handlers.current.onLegendDoubleClick?.(e) ?? true],
    ['plotly_click', (e: PlotMouseEvent) => handlers.current.onClick?.(e)],
    ['plotly_relayout', (e: PlotRelayoutEvent) => handlers.current.onRelayout?.(e)],
  ]);

  useEffect(() => {
    let current = true;
    loadPlotly()
      .then(async (Plotly) => {
        const el = host.current;
        if (!current || !el) return;
        const plot = (await Plotly.react(el, data, layout, config)) as PlotlyHTMLElement & Listenable;
        for (const [name, listener] of listeners.current) {
          plot.removeListener(name, listener);
          plot.on(name as 'plotly_click', listener as (e: PlotMouseEvent) => void);
        }
        if (current) setState('ready');
      })
      .catch((e: unknown) => {
        if (!current) return;
        setState('error');
        setError(e instanceof Error ? e.message : String(e));
      });
    return () => {
      current = false;
    };
  }, [data, layout, config]);

  useEffect(() => {
    const el = host.current;
    return () => {
      if (el && plotlyPromise) void plotlyPromise.then((Plotly) => Plotly.purge(el));
    };
  }, []);

  return (
    <div className={className} data-plot-state={state} data-testid={testId}>
      {state === 'loading' && <p className="plot-loading">Drawing…</p>}
      {state === 'error' && <p className="error-line">The plot could not be drawn: {error}</p>}
      <div ref={host} role="img" aria-label={ariaLabel} />
    </div>
  );
}
