// A thin plotly.js host: Plotly.react on every figure change, Plotly.purge on unmount. plotly.js is loaded
// on first use (it is ~4.8 MB), so the subject list opens without it.
import { useEffect, useRef, useState } from 'react';
import type { Config, Data, Layout, LegendClickEvent, PlotlyHTMLElement } from 'plotly.js-dist-min';

type PlotlyApi = typeof import('plotly.js-dist-min').default;

let plotlyPromise: Promise<PlotlyApi> | null = null;

export function loadPlotly(): Promise<PlotlyApi> {
  plotlyPromise ??= import('plotly.js-dist-min').then((m) => m.default);
  return plotlyPromise;
}

export interface PlotProps {
  data: Data[];
  layout: Partial<Layout>;
  config?: Partial<Config>;
  /** Return false to stop plotly's own legend toggling (we keep visibility in React state). */
  onLegendClick?: (event: LegendClickEvent) => boolean;
  onLegendDoubleClick?: (event: LegendClickEvent) => boolean;
  className?: string;
  ariaLabel: string;
}

export function Plot({ data, layout, config, onLegendClick, onLegendDoubleClick, className, ariaLabel }: PlotProps) {
  const host = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'error'>('loading');
  const [error, setError] = useState<string | null>(null);
  const handlers = useRef({ onLegendClick, onLegendDoubleClick });
  handlers.current = { onLegendClick, onLegendDoubleClick };
  const listening = useRef(false);

  useEffect(() => {
    let current = true;
    loadPlotly()
      .then(async (Plotly) => {
        const el = host.current;
        if (!current || !el) return;
        const plot = (await Plotly.react(el, data, layout, config)) as PlotlyHTMLElement;
        if (!listening.current) {
          listening.current = true;
          plot.on('plotly_legendclick', (e: LegendClickEvent) => handlers.current.onLegendClick?.(e) ?? true);
          plot.on('plotly_legenddoubleclick', (e: LegendClickEvent) => handlers.current.onLegendDoubleClick?.(e) ?? true);
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
      listening.current = false;
      if (el && plotlyPromise) void plotlyPromise.then((Plotly) => Plotly.purge(el));
    };
  }, []);

  return (
    <div className={className} data-plot-state={state}>
      {state === 'loading' && <p className="plot-loading">Drawing…</p>}
      {state === 'error' && <p className="error-line">The plot could not be drawn: {error}</p>}
      <div ref={host} role="img" aria-label={ariaLabel} />
    </div>
  );
}
