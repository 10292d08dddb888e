import { formatCount, plural } from '../../lib/format';
import { DetectorParamsForm } from './DetectorParamsForm';
import { eventShort, KNOWN_EVENT_LABELS } from './event-labels';
import { EventTable } from './EventTable';
import type { TrialEvents } from './use-trial-events';

interface EventsPanelProps {
  trialEvents: TrialEvents;
  selectedId: string | null;
  onSelect(id: string): void;
}

/** The events table below the plot: the assertable list of what the plot marks. */
export function EventsPanel({ trialEvents, selectedId, onSelect }: EventsPanelProps) {
  const { status, events, detector } = trialEvents;
  const counts = new Map<string, number>(KNOWN_EVENT_LABELS.filter((l) => events.some((e) => e.label === l)).map((l) => [l, 0]));
  for (const e of events) counts.set(e.label, (counts.get(e.label) ?? 0) + 1);
  const manual = events.filter((e) => e.manual).length;

  return (
    <section className="panel events-panel" aria-labelledby="events-title">
      <header className="panel-head">
        <h2 id="events-title">
          Events {status === 'ready' && <span className="muted">({formatCount(events.length)})</span>}
        </h2>
        {status === 'ready' && events.length > 0 && (
          <span className="muted small" data-testid="event-counts">
            {[...counts].map(([label, n]) => `${formatCount(n)} ${eventShort(label)}`).join(' · ')}
            {manual > 0 && ` · ${plural(manual, 'manual event')}`}
          </span>
        )}
      </header>
      {status === 'loading' && <p className="muted">Finding the gait events…</p>}
      {status === 'error' && <p className="error-line">No events to show: {trialEvents.error}</p>}
      {status === 'ready' && (
        <>
          <DetectorParamsForm key={JSON.stringify(detector)} trialEvents={trialEvents} />
          {events.length === 0 ? (
            <p className="muted" data-testid="event-empty">
              {detector
                ? `${detector.name} found no events in this trial. Change its parameters and re-detect, or add events by hand.`
                : 'No detector fits this trial’s channels (events need per-foot force or an IMU); add events by hand above the plot.'}
            </p>
          ) : (
            <EventTable events={events} selectedId={selectedId} onSelect={onSelect} />
          )}
        </>
      )}
    </section>
  );
}
