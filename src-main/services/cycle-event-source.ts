// Which events a trial's gait cycles are cut from. Motion-capture trials (file events, plates, kinematic events)
// take the best source available, in the order of issue 22: manual/corrected events, the file's own events (C3D
// EVENT group, annotations), plate contacts with their side, kinematic events; or the one the user names. Trials
// a continuous detector ran on (insoles, IMUs) keep its events: those detectors see every step, and mixing their
// contacts with a file's annotations would put two initial contacts at every step.
import { isDetectorName } from '../../src-shared/methods';
import type { StoredEvent } from '../store/events';
import type { StoredRun } from '../store/runs';
import { ApiError } from './api-errors';

export const CYCLE_EVENT_SOURCES = ['auto', 'manual', 'file', 'plates', 'kinematic', 'detector'] as const;
export type CycleEventSourceChoice = (typeof CYCLE_EVENT_SOURCES)[number];
/** The set actually used; 'manual' alone when only a technician's events exist. */
export type CycleEventSource = Exclude<CycleEventSourceChoice, 'auto'>;

const PLATES = 'ForceThresholdEvents';
const KINEMATIC = 'KinematicEvents';
/** Detectors whose events are drawn from continuous signals of every step: their curve channels are cut, as before. */
export const MOTION_CAPTURE_DETECTORS = new Set([PLATES, KINEMATIC]);

export interface ChosenEvents {
  source: CycleEventSource;
  /** Manual and corrected events are part of every set (they outrank what they corrected). */
  manual: number;
  events: StoredEvent[];
  /** Whether every time-domain channel is cut (motion capture), or only the detector's curve channels. */
  allChannels: boolean;
}

const strikes = (events: readonly StoredEvent[], side: string) => events.filter((e) => e.label === 'initial_contact' && e.side === side).length;
const hasStrikes = (events: StoredEvent[]) => strikes(events, 'left') + strikes(events, 'right') > 0;
/** Whether the set holds a whole gait cycle: two foot strikes of one foot. */
export const hasCycle = (events: readonly StoredEvent[]) => strikes(events, 'left') >= 2 || strikes(events, 'right') >= 2;

/** The candidate sets of a trial's stored events, by source. */
function candidates(stored: StoredEvent[], detectorRun: StoredRun | null): Record<Exclude<CycleEventSource, 'manual'>, StoredEvent[]> {
  const auto = stored.filter((e) => !e.manual);
  return {
    file: auto.filter((e) => e.runId === null && !isDetectorName(e.source) && e.source !== KINEMATIC),
    plates: auto.filter((e) => e.source === PLATES),
    kinematic: auto.filter((e) => e.source === KINEMATIC),
    detector: detectorRun ? auto.filter((e) => e.runId === detectorRun.id) : [],
  };
}

/**
 * The events to cut cycles from. `choice` 'auto' (default) picks as described above; a named source with no
 * foot strike is refused in one line naming what the trial has.
 */
export function chooseCycleEvents(stored: StoredEvent[], detectorRun: StoredRun | null, choice: CycleEventSourceChoice = 'auto'): ChosenEvents {
  const manual = stored.filter((e) => e.manual);
  const sets = candidates(stored, detectorRun);
  const pick = (source: CycleEventSource, base: StoredEvent[]): ChosenEvents => ({
    source, manual: manual.length, events: [...manual, ...base].sort((a, b) => a.timeS - b.timeS), allChannels: source !== 'detector',
  });
  if (choice === 'manual') return { source: 'manual', manual: manual.length, events: manual, allChannels: true };
  if (choice !== 'auto') {
    if (!hasStrikes(sets[choice]) && !hasStrikes(manual)) {
      const have = (Object.keys(sets) as (keyof typeof sets)[]).filter((k) => hasStrikes(sets[k]));
      throw new ApiError('bad-request', `eventSource "${choice}": the trial has no foot strikes from that source (it has: ${have.length ? have.join(', ') : 'none'})`);
    }
    return pick(choice, sets[choice]);
  }
  if (detectorRun && !MOTION_CAPTURE_DETECTORS.has(detectorRun.method)) return pick('detector', sets.detector);
  // The first source that holds a whole cycle (plates under two steps hold none), else the first with any strike.
  const order = ['file', 'plates', 'kinematic'] as const;
  for (const holds of [hasCycle, hasStrikes]) for (const source of order) if (holds(sets[source])) return pick(source, sets[source]);
  if (hasStrikes(manual)) return pick('manual', []);
  // Nothing with foot strikes: the file's events (maybe none), as before.
  return pick('file', sets.file);
}
