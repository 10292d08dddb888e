// Gait events as vertical lines (plotly shapes) on the subplots of a trial figure: one hue per label, the side as
// its shade, dashed when set by hand. A subplot of one foot shows that foot's events only; others show all.
// Only events near the visible time range are drawn, so a long walk stays quick to zoom and pan.
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
}

const CURSOR_COLOUR = '#33404f';

function footOf(side: string | null): 'left' | 'right' | null {
  const s = side?.toLowerCase();
  if (s === 'left' || s === 'l') return 'left';
  if (s === 'right' || s === 'r') return 'right';
  return null;
}

export function buildEventShapes(options: EventShapeOptions): EventShapes {
  const { events, groups, selectedId, pendingTimeS, viewRange } = options;
  const shapes: Partial<Shape>[] = [];
  const shapeEvent: (string | null)[] = [];
  const margin = viewRange ? 0.1 * (viewRange[1] - viewRange[0]) : 0;
  const inView = (t: number) => !viewRange || (t >= viewRange[0] - margin && t <= viewRange[1] + margin);

  groups.forEach((group, g) => {
    const suffix = g === 0 ? '' : String(g + 1);
    const foot = footOf(group.side);
    const axes = { xref: `x${suffix}`, yref: `y${suffix} domain` } as Pick<Shape, 'xref' | 'yref'>;
    for (const event of events) {
      if (!inView(event.timeS)) continue;
      const eventFoot = footOf(event.side);
      if (foot && eventFoot && eventFoot !== foot) continue;
      const selected = event.id === selectedId;
      shapes.push({
        type: 'line',
        ...axes,
        x0: event.timeS,
        x1: event.timeS,
        y0: 0,
        y1: 1,
        layer: selected ? 'above' : 'below',
        opacity: selected ? 1 : 0.8,
        line: { color: eventColour(event.label, event.side), width: selected ? 3 : 1.25, dash: event.manual ? 'dash' : 'solid' },
        label:
          selected && g === 0
            ? { text: `${eventShort(event.label)}${event.side ? ` ${event.side[0].toUpperCase()}` : ''}`, textposition: 'end', textangle: 0, yanchor: 'bottom', font: { size: 11, color: '#1b2430' } }
            : undefined,
      } as Partial<Shape>);
      shapeEvent.push(event.id);
    }
    if (pendingTimeS !== null) {
      shapes.push({
        type: 'line',
        ...axes,
        x0: pendingTimeS,
        x1: pendingTimeS,
        y0: 0,
        y1: 1,
        layer: 'above',
        line: { color: CURSOR_COLOUR, width: 1.5, dash: 'dot' },
      } as Partial<Shape>);
      shapeEvent.push(null);
    }
  });
  return { shapes, shapeEvent };
}
