import { EVENT_SIDES, eventLabelName, eventSideName } from './event-labels';

/** The label of an event, from the labels a user may set. */
export function EventLabelSelect({ value, choices, onChange, ariaLabel }: { value: string; choices: string[]; onChange: (label: string) => void; ariaLabel: string }) {
  return (
    <select className="select compact" value={value} onChange={(e) => onChange(e.target.value)} aria-label={ariaLabel}>
      {choices.map((l) => (
        <option key={l} value={l}>
          {eventLabelName(l)}
        </option>
      ))}
    </select>
  );
}

/** The side of an event: left, right, both, or none (plates without a known foot). */
export function EventSideSelect({ value, onChange, ariaLabel }: { value: string; onChange: (side: string) => void; ariaLabel: string }) {
  return (
    <select className="select compact" value={value} onChange={(e) => onChange(e.target.value)} aria-label={ariaLabel}>
      {EVENT_SIDES.map((s) => (
        <option key={s} value={s}>
          {eventSideName(s)}
        </option>
      ))}
      <option value="">No side</option>
    </select>
  );
}
