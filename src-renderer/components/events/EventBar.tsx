import type { GaitEventDto } from '../../../src-shared/api/schema';
import { ErrorBanner } from '../ErrorBanner';
import { DetectorLine } from './DetectorLine';
import { EventEditor } from './EventEditor';
import { EventLegend } from './EventLegend';
import { KNOWN_EVENT_LABELS } from './event-labels';
import type { TrialEvents } from './use-trial-events';

interface EventBarProps {
  trialEvents: TrialEvents;
  selected: GaitEventDto | null;
  pendingTimeS: number | null;
  onPendingChange(timeS: number | null): void;
  onSelect(id: string | null): void;
}

/** Above the time plot: who drew the event lines, what they mean, and the editor (kept in view while the plots scroll). */
export function EventBar(props: EventBarProps) {
  const { trialEvents } = props;
  if (trialEvents.status === 'loading') return <p className="event-bar muted small">Finding the gait events…</p>;
  if (trialEvents.status === 'error') {
    return (
      <div className="event-bar">
        <ErrorBanner message={`The gait events could not be loaded: ${trialEvents.error}`} action={{ label: 'Retry', onClick: trialEvents.reload }} />
      </div>
    );
  }
  // What produced the events scrolls away with the page; the legend and the editor stay in view over the plots.
  return (
    <>
      <DetectorLine trialEvents={trialEvents} />
      <div className="event-bar" role="region" aria-label="Gait events">
        <EventLegend labels={legendLabels(trialEvents.events)} />
        <EventEditor {...props} />
        {trialEvents.actionError && <ErrorBanner message={trialEvents.actionError} onDismiss={trialEvents.dismissError} />}
      </div>
    </>
  );
}

/** The labels the trial has, known ones first; the known three while it has none. */
function legendLabels(events: readonly { label: string }[]): string[] {
  const present = new Set(events.map((e) => e.label));
  if (present.size === 0) return [...KNOWN_EVENT_LABELS];
  return [...KNOWN_EVENT_LABELS.filter((l) => present.has(l)), ...[...present].filter((l) => !(KNOWN_EVENT_LABELS as readonly string[]).includes(l))];
}
