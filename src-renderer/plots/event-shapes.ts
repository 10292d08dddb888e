// Gait events as vertical lines (plotly shapes) on the subplots of a trial figure: one hue per label, the side as
// its shade, dashed when set by hand. A subplot of one foot shows that foot's events only; others show all.
// Only events near the visible time range are drawn, so a long walk stays quick to zoom and pan; plotly redraws
// every shape on every zoom, so when the lines per subplot would be too many, each event becomes one line through
// all subplots, and when even that is too many, none is drawn until the user zooms in.
import type { Shape } from 'plotly.js-dist-min';
import type { GaitEventDto } from '../../src-shared/api/schema';
import { eventColour, eventShort } from '../components/events/event-labels';
import type { PlottedGroup } from './trial-figure';

export interface EventShapeOptions {
  events: readonly GaitEventDto[];
  groups: readonly PlottedGroup[];
  selectedId: string | null;
  /** A time picked by clicking the plot (where a selected event would move, or a new one go), s. */
  pendingTimeS: number | null;
  /** The time range shown, s; null for the whole trial. */
  viewRange: [number, number] | null;
}

export interface EventShapes {
  shapes: Partial<Shape>[];
  /** Shape number → the event it draws, or null for the picked-time cursor. */
  shapeEvent: (string | null)[];
  /** 'subplots': lines on each subplot; 'spanning': one line per event through all; 'hidden': too many to draw. */
  mode: 'subplots' | 'spanning' | 'hidden';
  /** Events in (or near) the time range shown. */
  inView: number;
}

/** Beyond this many lines, drawing (and every zoom) takes longer than a few hundred ms. */
export const SUBPLOT_SHAPE_BUDGET = 600;
export const SPANNING_SHAPE_BUDGET = 800;

const CURSOR_COLOUR = '#33404f';

function footOf(side: string | null): 'left' | 'right' | null {
  const s = side?.toLowerCase();
  if (s === 'left' || s === 'l') return 'left';
  if (s === 'right' || s === 'r') return 'right';
  return null;
}

function eventLine(event: GaitEventDto, selected: boolean, axes: Pick<Shape, 'xref' | 'yref'>, labelled: boolean): Partial<Shape> {
  return {
    type: 'line',
    ...axes,
    x0: event.timeS,
    x1: event.timeS,
    y0: 0,
    y1: 1,
    layer: selected ? 'above' : 'below',
    opacity: selected ? 1 : 0.8,
    line: { color: eventColour(event.label, event.side), width: selected ? 3 : 1.25, dash: event.manual ? 'dash' : 'solid' },
    label: labelled
      ? { text: `${eventShort(event.label)}${event.side ? ` ${event.side[0].toUpperCase()}` : ''}`, textposition: 'end', textangle: 0, yanchor: 'bottom', font: { size: 11, color: '#1b2430' } }
      : undefined,
  } as Partial<Shape>;
}

function cursorLine(timeS: number, axes: Pick<Shape, 'xref' | 'yref'>): Partial<Shape> {
  return { type: 'line', ...axes, x0: timeS, x1: timeS, y0: 0, y1: 1, layer: 'above', line: { color: CURSOR_COLOUR, width: 1.5, dash: 'dot' } } as Partial<Shape>;
}

export function buildEventShapes(options: EventShapeOptions): EventShapes {
  const { events, groups, selectedId, pendingTimeS, viewRange } = options;
  const margin = viewRange ? 0.1 * (viewRange[1] - viewRange[0]) : 0;
  const visible = events.filter((e) => !viewRange || (e.timeS >= viewRange[0] - margin && e.timeS <= viewRange[1] + margin));
  const feet = groups.map((g) => footOf(g.side));
  const onGroup = (event: GaitEventDto, g: number) => {
    const eventFoot = footOf(event.side);
    return !feet[g] || !eventFoot || eventFoot === feet[g];
  };
  let perSubplot = 0;
  for (const e of visible) for (let g = 0; g < groups.length; g++) if (onGroup(e, g)) perSubplot++;

  const shapes: Partial<Shape>[] = [];
  const shapeEvent: (string | null)[] = [];
  const mode: EventShapes['mode'] = perSubplot <= SUBPLOT_SHAPE_BUDGET ? 'subplots' : visible.length <= SPANNING_SHAPE_BUDGET ? 'spanning' : 'hidden';

  if (mode === 'subplots') {
    groups.forEach((_, g) => {
      const suffix = g === 0 ? '' : String(g + 1);
      const axes = { xref: `x${suffix}`, yref: `y${suffix} domain` } as Pick<Shape, 'xref' | 'yref'>;
      for (const event of visible) {
        if (!onGroup(event, g)) continue;
        const selected = event.id === selectedId;
        shapes.push(eventLine(event, selected, axes, selected && g === 0));
        shapeEvent.push(event.id);
      }
      if (pendingTimeS !== null) {
        shapes.push(cursorLine(pendingTimeS, axes));
        shapeEvent.push(null);
      }
    });
  } else {
    const axes = { xref: 'x', yref: 'paper' } as Pick<Shape, 'xref' | 'yref'>;
    // Hidden: still the selected event, so a correction can be seen and dragged.
    for (const event of mode === 'spanning' ? visible : visible.filter((e) => e.id === selectedId)) {
      const selected = event.id === selectedId;
      shapes.push(eventLine(event, selected, axes, selected));
      shapeEvent.push(event.id);
    }
    if (pendingTimeS !== null) {
      shapes.push(cursorLine(pendingTimeS, axes));
      shapeEvent.push(null);
    }
  }
  return { shapes, shapeEvent, mode, inView: visible.length };
}
