import { useEffect, useRef } from 'react';
import type { GaitEventDto } from '../../../src-shared/api/schema';
import { EventRow } from './EventRow';

interface EventTableProps {
  events: readonly GaitEventDto[];
  selectedId: string | null;
  onSelect(id: string): void;
}

/** Every event of the trial, in time order; a click (or Enter) selects one for correction. */
export function EventTable({ events, selectedId, onSelect }: EventTableProps) {
  const scroller = useRef<HTMLDivElement>(null);

  // A marker picked on the plot brings its row into view, inside the table's own scroll area only.
  useEffect(() => {
    const box = scroller.current;
    const row = box?.querySelector<HTMLElement>('tr[aria-selected="true"]');
    if (!box || !row) return;
    const head = box.querySelector('thead')?.getBoundingClientRect().height ?? 0;
    const top = row.offsetTop - head;
    if (top < box.scrollTop || row.offsetTop + row.offsetHeight > box.scrollTop + box.clientHeight) {
      box.scrollTop = Math.max(0, top - box.clientHeight / 3);
    }
  }, [selectedId]);

  return (
    <div className="event-table-scroll" ref={scroller}>
      <table className="data-table event-table" data-testid="event-table">
        <thead>
          <tr>
            <th scope="col" className="numeric">
              Time (s)
            </th>
            <th scope="col">Event</th>
            <th scope="col">Side</th>
            <th scope="col">Source</th>
            <th scope="col" className="numeric">
              Threshold
            </th>
            <th scope="col" className="numeric">
              Confidence
            </th>
            <th scope="col">Manual</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <EventRow key={e.id} event={e} selected={e.id === selectedId} onSelect={onSelect} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
