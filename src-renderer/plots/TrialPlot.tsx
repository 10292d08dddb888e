// One x domain of a trial (time, % stance or % gait cycle) as stacked subplots; in the time domain, the gait
// events as vertical lines that can be picked (click near one), dragged along x, or placed (click elsewhere).
import { type PointerEvent, useCallback, useId, useMemo, useRef, useState } from 'react';
import type { PlotMouseEvent, PlotRelayoutEvent } from 'plotly.js-dist-min';
import type { GaitEventDto } from '../../src-shared/api/schema';
import { formatCount, plural } from '../lib/format';
import { type Domain, domainAxisTitle } from './channel-groups';
import { buildEventShapes } from './event-shapes';
import { Plot } from './Plot';
import { buildFigure, type PlottedGroup } from './trial-figure';

/** A window short enough to see single steps: about 10 strides of normal walking. */
export const VIEW_WINDOW_S = 10;
/** A click this close to an event line (as a fraction of the time shown) picks it. */
const PICK_FRACTION = 0.006;
const PICK_MIN_S = 0.02;

export interface PlotEvents {
  events: readonly GaitEventDto[];
  selectedId: string | null;
  pendingTimeS: number | null;
  onSelect(id: string): void;
  /** A click away from any line, or the picked-time cursor dragged: the time for a move or a new event. */
  onPick(timeS: number): void;
  /** An event line dragged to a new time. */
  onMove(id: string, timeS: number): void;
}

interface TrialPlotProps {
  domain: Domain;
  groups: PlottedGroup[];
  hidden: ReadonlySet<number>;
  onToggle(indices: number[], show: boolean): void;
  revision: string;
  fileName: string;
  events?: PlotEvents;
}

export function TrialPlot(props: TrialPlotProps) {
  const { domain, groups, hidden, onToggle, revision, fileName, events } = props;
  const startS = useMemo(() => firstX(groups), [groups]);
  const endS = useMemo(() => lastX(groups), [groups]);
  const windowed = domain === 'time' && endS - startS > 2 * VIEW_WINDOW_S;
  // A long walk opens on its first strides, where single steps can be read; the whole trial is one click away.
  const [view, setView] = useState<{ windowS: number | null; resets: number }>(() => ({ windowS: windowed ? VIEW_WINDOW_S : null, resets: 0 }));
  const [viewRange, setViewRange] = useState<[number, number] | null>(() => (windowed ? [startS, startS + VIEW_WINDOW_S] : null));
  const figure = useMemo(
    () =>
      buildFigure(domain, groups, hidden, {
        revision: `${revision}:${domain}:${view.resets}`,
        fileName,
        xRange: view.windowS === null ? undefined : [startS, startS + view.windowS],
      }),
    [domain, groups, hidden, revision, fileName, view, startS],
  );

  const eventShapes = useMemo(
    () =>
      events
        ? buildEventShapes({ events: events.events, groups, selectedId: events.selectedId, pendingTimeS: events.pendingTimeS, viewRange })
        : null,
    [events?.events, events?.selectedId, events?.pendingTimeS, groups, viewRange],
  );
  // Every new set of lines is the truth: plotly must not keep a dragged line where the user left it.
  const editRevision = useRef(0);
  const layout = useMemo(() => {
    if (!eventShapes) return figure.layout;
    editRevision.current += 1;
    return { ...figure.layout, shapes: eventShapes.shapes, editrevision: editRevision.current };
  }, [figure.layout, eventShapes]);
  // Set from the first draw in the time domain: a later config change would make plotly start a new plot.
  const config = useMemo(() => (domain === 'time' ? { ...figure.config, edits: { shapePosition: true } } : figure.config), [figure.config, domain]);

  const onLegendClick = useCallback(
    (e: { curveNumber: number }) => {
      const index = figure.traceChannel[e.curveNumber];
      if (index !== undefined) onToggle([index], hidden.has(index));
      return false;
    },
    [figure, hidden, onToggle],
  );

  // Double click: show only this channel within its group, or the whole group again if it already was alone.
  const onLegendDoubleClick = useCallback(
    (e: { curveNumber: number }) => {
      const index = figure.traceChannel[e.curveNumber];
      const group = groups.find((g) => g.channels.some((c) => c.index === index));
      if (index === undefined || !group) return false;
      const others = group.channels.map((c) => c.index).filter((i) => i !== index);
      const alone = !hidden.has(index) && others.every((i) => hidden.has(i));
      if (alone) onToggle(others, true);
      else {
        onToggle(others, false);
        onToggle([index], true);
      }
      return false;
    },
    [figure, groups, hidden, onToggle],
  );

  /** A click at `timeS`: the event line nearest to it, if close enough, is selected; otherwise the time is picked. */
  const pickAt = useCallback(
    (timeS: number, onLine = false) => {
      if (!events) return;
      const shown = viewRange ? viewRange[1] - viewRange[0] : endS - startS;
      const tolerance = Math.max(PICK_MIN_S, PICK_FRACTION * shown);
      let nearest: GaitEventDto | null = null;
      for (const ev of events.events) {
        if (Math.abs(ev.timeS - timeS) <= tolerance && (!nearest || Math.abs(ev.timeS - timeS) < Math.abs(nearest.timeS - timeS))) nearest = ev;
      }
      if (nearest && nearest.id !== events.selectedId) events.onSelect(nearest.id);
      else if (!(onLine && nearest)) events.onPick(Math.max(0, timeS));
    },
    [events, viewRange, startS, endS],
  );

  const onRelayout = useCallback(
    (e: PlotRelayoutEvent) => {
      const range = rangeFromRelayout(e as Record<string, unknown>, [startS, endS]);
      if (range !== undefined) setViewRange(range);
      if (!events || !eventShapes) return;
      const drag = shapeDragFromRelayout(e as Record<string, unknown>);
      if (!drag) return;
      const id = eventShapes.shapeEvent[drag.index];
      if (id === undefined) return;
      // plotly has already written the new x into the shape, so the time before the drag comes from the event.
      const before = id === null ? events.pendingTimeS : (events.events.find((ev) => ev.id === id)?.timeS ?? null);
      if (before === null) return;
      const timeS = Math.max(0, drag.xs.reduce((best, x) => (Math.abs(x - before) > Math.abs(best - before) ? x : best), drag.xs[0]));
      if (Math.abs(timeS - before) < 1e-6) return;
      if (id === null) events.onPick(timeS);
      else events.onMove(id, timeS);
    },
    [events, eventShapes, startS, endS],
  );

  const onClick = useCallback(
    (e: PlotMouseEvent) => {
      const mouse = e.event as MouseEvent | undefined;
      const timeS = (mouse && timeAtClientX(mouse.target, mouse.clientX)) ?? (typeof e.points?.[0]?.x === 'number' ? e.points[0].x : null);
      if (timeS !== null) pickAt(timeS);
    },
    [pickAt],
  );

  // A click right on an event line starts plotly's shape drag, which reports nothing when the line does not move;
  // plotly covers the page while it drags, so the button comes up on its cover, outside this plot.
  const onPointerDownCapture = (e: PointerEvent<HTMLDivElement>) => {
    if (!events || !(e.target as Element).closest?.('.shapelayer')) return;
    const down = { x: e.clientX, y: e.clientY, target: e.target };
    window.addEventListener(
      'pointerup',
      (up) => {
        if (Math.hypot(up.clientX - down.x, up.clientY - down.y) > 3) return;
        const timeS = timeAtClientX(down.target, up.clientX);
        if (timeS !== null) pickRef.current(timeS, true);
      },
      { once: true, capture: true },
    );
  };
  const pickRef = useRef(pickAt);
  pickRef.current = pickAt;

  // plotly makes every shape draggable; only the selected event's lines (and the picked-time cursor) may be, so a
  // zoom that starts next to another line does not move it. Its drag handles are <g drag-helper data-index=N>.
  const scope = useId().replace(/[^A-Za-z0-9_-]/g, '');
  const dragCss = useMemo(() => {
    if (!eventShapes) return null;
    const root = `[data-drag-scope="${scope}"] g[drag-helper]`;
    const draggable = eventShapes.shapeEvent.flatMap((id, i) => (id === null || id === events?.selectedId ? [`${root}[data-index="${i}"]`] : []));
    return `${root} { pointer-events: none !important; }${draggable.length ? ` ${draggable.join(', ')} { pointer-events: all !important; }` : ''}`;
  }, [eventShapes, events?.selectedId, scope]);

  const showView = (windowS: number | null) => {
    setView((v) => ({ windowS, resets: v.resets + 1 }));
    setViewRange(windowS === null ? null : [startS, startS + windowS]);
  };

  return (
    <>
      {(windowed || events) && (
        <div className="plot-toolbar" role="group" aria-label="Time shown">
          {windowed && (
            <>
              <span className="muted small">Show</span>
              <button type="button" className={view.windowS === null ? 'segment selected' : 'segment'} aria-pressed={view.windowS === null} onClick={() => showView(null)}>
                Whole trial
              </button>
              <button
                type="button"
                className={view.windowS === VIEW_WINDOW_S ? 'segment selected' : 'segment'}
                aria-pressed={view.windowS === VIEW_WINDOW_S}
                onClick={() => showView(VIEW_WINDOW_S)}
              >
                First {VIEW_WINDOW_S} s
              </button>
            </>
          )}
          <span className="muted small">
            Drag to zoom, double-click to reset; click a legend entry to hide it.
            {events && ' Click near an event line to select it, drag a line to move it, click elsewhere to pick a time.'}
          </span>
          {eventShapes?.mode === 'hidden' && (
            <span className="plot-warning small" data-testid="events-hidden">
              {formatCount(eventShapes.inView)} events in view are too many to draw: zoom in to see their lines.
            </span>
          )}
        </div>
      )}
      <div className="trial-plot-host" data-drag-scope={scope} onPointerDownCapture={onPointerDownCapture}>
        {dragCss && <style>{dragCss}</style>}
      <Plot
        className="trial-plot"
        data={figure.data}
        layout={layout}
        config={config}
        onLegendClick={onLegendClick}
        onLegendDoubleClick={onLegendDoubleClick}
        onRelayout={onRelayout}
        onClick={events ? onClick : undefined}
        ariaLabel={`${domainAxisTitle(domain)} plot of ${plural(groups.reduce((n, g) => n + g.channels.length, 0), 'channel')}: ${groups.map((g) => g.title).join('; ')}${
          events ? `, with ${plural(events.events.length, 'gait event')} marked` : ''
        }`}
      />
      </div>
    </>
  );
}

/** The x range after a zoom, pan or reset: a range, null for "everything" (autorange), undefined if x did not change. */
function rangeFromRelayout(e: Record<string, unknown>, whole: [number, number]): [number, number] | null | undefined {
  for (const [key, value] of Object.entries(e)) {
    if (/^xaxis\d*\.autorange$/.test(key) && value === true) return null;
    if (/^xaxis\d*\.range$/.test(key) && Array.isArray(value)) return [Number(value[0]), Number(value[1])];
  }
  const start = Object.entries(e).find(([k]) => /^xaxis\d*\.range\[0\]$/.test(k));
  const end = Object.entries(e).find(([k]) => /^xaxis\d*\.range\[1\]$/.test(k));
  if (start && end) {
    const range: [number, number] = [Number(start[1]), Number(end[1])];
    return range[0] <= whole[0] && range[1] >= whole[1] ? null : range;
  }
  return undefined;
}

/** A dragged shape: its number and the x values plotly reports for its ends. */
function shapeDragFromRelayout(e: Record<string, unknown>): { index: number; xs: number[] } | null {
  let index: number | null = null;
  const xs: number[] = [];
  for (const [key, value] of Object.entries(e)) {
    const m = /^shapes\[(\d+)\]\.(x0|x1)$/.exec(key);
    if (!m || typeof value !== 'number') continue;
    index = Number(m[1]);
    xs.push(value);
  }
  return index === null || xs.length === 0 ? null : { index, xs };
}

interface AxisInternals {
  _offset: number;
  p2d(px: number): number;
}

/** The time under the mouse, from its pixel position (finer than the nearest drawn sample); null if unknown. */
function timeAtClientX(target: EventTarget | null, clientX: number): number | null {
  const gd = (target as Element | null)?.closest?.('.js-plotly-plot') as (HTMLElement & { _fullLayout?: { xaxis?: AxisInternals } }) | null;
  const xa = gd?._fullLayout?.xaxis;
  if (!gd || !xa || typeof xa.p2d !== 'function') return null;
  const t = xa.p2d(clientX - gd.getBoundingClientRect().left - xa._offset);
  return Number.isFinite(t) ? t : null;
}

function firstX(groups: PlottedGroup[]): number {
  let min = Infinity;
  for (const g of groups) for (const { channel } of g.channels) if (channel.x?.length) min = Math.min(min, channel.x[0]);
  return Number.isFinite(min) ? min : 0;
}

function lastX(groups: PlottedGroup[]): number {
  let max = -Infinity;
  for (const g of groups) for (const { channel } of g.channels) if (channel.x?.length) max = Math.max(max, channel.x[channel.x.length - 1]);
  return Number.isFinite(max) ? max : 0;
}
