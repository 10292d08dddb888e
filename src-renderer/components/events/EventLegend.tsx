import { eventColour, eventLabelName, eventShort } from './event-labels';

/** What the event lines mean: a hue per label, a shade per side, dashed when set by hand. */
export function EventLegend({ labels }: { labels: readonly string[] }) {
  return (
    <ul className="event-legend" aria-label="Event markers">
      {labels.map((label) => (
        <li key={label} title={eventLabelName(label)}>
          <span className="event-swatch" style={{ background: eventColour(label, 'left') }} aria-hidden="true" />
          <span className="event-swatch" style={{ background: eventColour(label, 'right') }} aria-hidden="true" />
          {eventShort(label) === eventLabelName(label) ? (
            eventLabelName(label)
          ) : (
            <>
              {eventShort(label)} <span className="muted">{eventLabelName(label).toLowerCase()}</span>
            </>
          )}
        </li>
      ))}
      <li className="muted">dark = left, light = right</li>
      <li className="muted">
        <span className="event-swatch dashed" aria-hidden="true" /> manual
      </li>
    </ul>
  );
}
