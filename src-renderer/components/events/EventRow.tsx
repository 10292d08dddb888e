import { memo } from 'react';
import type { GaitEventDto } from '../../../src-shared/api/schema';
import { formatMeasured, formatNumber, formatTimeS } from '../../lib/format';
import { eventColour, eventLabelName, eventSideName } from './event-labels';

/** One row; memoised, so selecting an event re-renders two rows, not hundreds. */
export const EventRow = memo(function EventRow({ event: e, selected, onSelect }: { event: GaitEventDto; selected: boolean; onSelect(id: string): void }) {
  return (
    <tr className={selected ? 'selected' : undefined} aria-selected={selected} onClick={() => onSelect(e.id)} data-testid="event-row" data-event-id={e.id} data-manual={e.manual}>
      <td className="numeric">
        {/* The row's click handler selects; the button makes the row reachable by keyboard. */}
        <button type="button" className="row-button" aria-label={`Select ${eventLabelName(e.label)} ${e.side ?? ''} at ${formatTimeS(e.timeS)}`}>
          {formatNumber(e.timeS, 3)}
        </button>
      </td>
      <td>
        <span className={e.manual ? 'event-swatch dashed-colour' : 'event-swatch'} style={{ background: eventColour(e.label, e.side) }} aria-hidden="true" />
        {eventLabelName(e.label)}
      </td>
      <td>{eventSideName(e.side)}</td>
      <td>{e.source}</td>
      <td className="numeric">{e.threshold ? formatMeasured(e.threshold) : <span className="muted">—</span>}</td>
      <td className="numeric">{e.confidence === null ? <span className="muted">—</span> : formatNumber(e.confidence, 2)}</td>
      <td>{e.manual ? <span className="tag manual-tag">manual</span> : <span className="muted">—</span>}</td>
    </tr>
  );
});
