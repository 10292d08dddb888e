import { describeDetector } from './detector-label';
import type { TrialEvents } from './use-trial-events';

/** What produced the events ("InsoleEvents · on fraction 0.1 · …") and a button to run it again. */
export function DetectorLine({ trialEvents }: { trialEvents: TrialEvents }) {
  const { detector, busy, events } = trialEvents;
  const manual = events.filter((e) => e.manual).length;
  const text = detector
    ? describeDetector(detector)
    : `No detector fits this trial’s channels${events.length ? `; the ${events.length === 1 ? 'event comes' : 'events come'} from the file or by hand` : ''}`;
  return (
    <div className="detector-line">
      <span className="detector-text" data-testid="detector">
        {detector && <span className="muted">Events by </span>}
        {text}
      </span>
      <button
        type="button"
        className="button small"
        onClick={() => void trialEvents.redetect()}
        disabled={busy !== null || !detector}
        title={manual ? `Runs ${detector?.name ?? 'the detector'} again; the ${manual} manual events stay.` : `Runs ${detector?.name ?? 'the detector'} again.`}
        data-testid="redetect"
      >
        Re-detect
      </button>
    </div>
  );
}
