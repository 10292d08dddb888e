// A trial's gait events and the technician's changes to them: correct (move, relabel), add, delete, re-detect,
// and undo of the last change. Moves are shown at once and rolled back if the server refuses them.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiResponse, GaitEventDto } from '../../../src-shared/api/schema';
import { call, errorMessage } from '../../api/client';
import { trialEventsOnFirstView } from '../../api/gait-first-view';
import { describeEvent, type EventSide } from './event-labels';

export type Detector = ApiResponse<'getEvents'>['detector'];

export interface EventPatch {
  timeS?: number;
  label?: string;
  side?: EventSide;
}

interface UndoStep {
  description: string;
  run(): Promise<void>;
}

interface Loaded {
  status: 'loading' | 'ready' | 'error';
  events: GaitEventDto[];
  detector: Detector;
  error: string | null;
}

export interface TrialEvents extends Loaded {
  /** What is being done right now ("Saving…"), or null. */
  busy: string | null;
  /** The last change that failed, in a line the user can act on. */
  actionError: string | null;
  dismissError(): void;
  /** Bumped after every change that reached the server: cycles and parameters depend on the events. */
  revision: number;
  /** What Undo would undo, or null. */
  undoDescription: string | null;
  correct(eventId: string, patch: EventPatch): Promise<boolean>;
  add(label: string, side: EventSide, timeS: number): Promise<GaitEventDto | null>;
  remove(eventId: string): Promise<boolean>;
  redetect(params?: Record<string, number | string | boolean | null>): Promise<boolean>;
  undo(): Promise<boolean>;
  reload(): void;
}

const byTime = (a: GaitEventDto, b: GaitEventDto) => a.timeS - b.timeS || Number(a.id) - Number(b.id);

/** `enabled` false (a trial without time signals): nothing is asked of the server. */
export function useTrialEvents(trialId: string, dataVersion: number, enabled = true): TrialEvents {
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading', events: [], detector: null, error: null });
  const [busy, setBusy] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [undoSteps, setUndoSteps] = useState<UndoStep[]>([]);
  const [revision, setRevision] = useState(0);
  const [loads, setLoads] = useState(0);
  const eventsRef = useRef<GaitEventDto[]>([]);
  eventsRef.current = loaded.events;

  useEffect(() => {
    if (!enabled) return;
    let current = true;
    setLoaded((previous) => ({ ...previous, status: previous.status === 'ready' ? 'ready' : 'loading', error: null }));
    trialEventsOnFirstView(trialId).then(
      ({ answer, detectedNow }) => {
        if (!current) return;
        setLoaded({ status: 'ready', events: [...answer.events].sort(byTime), detector: answer.detector, error: null });
        // Events detected on this first view: the panels drawn from them (cycles, parameters) load again.
        if (detectedNow) setRevision((r) => r + 1);
      },
      (error: unknown) => current && setLoaded((previous) => ({ ...previous, status: 'error', error: errorMessage(error) })),
    );
    return () => {
      current = false;
    };
  }, [trialId, dataVersion, loads, enabled]);

  const setEvents = (update: (events: GaitEventDto[]) => GaitEventDto[]) =>
    setLoaded((previous) => ({ ...previous, events: update(previous.events).sort(byTime) }));

  /** Runs one change: one at a time, its failure shown, and (unless it is itself an undo) its undo recorded. */
  const run = useCallback(async <T,>(label: string, work: () => Promise<{ result: T; undo?: UndoStep }>, recordUndo: boolean): Promise<T | null> => {
    setBusy(label);
    setActionError(null);
    try {
      const { result, undo } = await work();
      if (recordUndo && undo) setUndoSteps((steps) => [...steps.slice(-19), undo]);
      setRevision((r) => r + 1);
      return result;
    } catch (error) {
      setActionError(errorMessage(error));
      return null;
    } finally {
      setBusy(null);
    }
  }, []);

  const correctOnce: (eventId: string, patch: EventPatch, recordUndo: boolean) => Promise<boolean> = useCallback(
    (eventId: string, patch: EventPatch, recordUndo: boolean): Promise<boolean> => {
      const before = eventsRef.current.find((e) => e.id === eventId);
      if (!before) return Promise.resolve(false);
      return run(
        'Saving the correction…',
        async () => {
          setEvents((events) => events.map((e) => (e.id === eventId ? { ...e, ...patch, manual: true } : e)));
          try {
            const { event } = await call('correctEvent', { eventId, ...patch });
            setEvents((events) => events.map((e) => (e.id === eventId ? event : e)));
            const previous: EventPatch = {};
            if (patch.timeS !== undefined) previous.timeS = before.timeS;
            if (patch.label !== undefined) previous.label = before.label;
            if (patch.side !== undefined) previous.side = before.side as EventSide;
            return {
              result: true,
              undo: { description: `correction of ${describeEvent(before)}`, run: (): Promise<void> => correctOnce(eventId, previous, false).then(() => undefined) },
            };
          } catch (error) {
            setEvents((events) => events.map((e) => (e.id === eventId ? before : e)));
            throw error;
          }
        },
        recordUndo,
      ).then((ok) => ok === true);
    },
    [run],
  );

  const addOnce: (label: string, side: EventSide, timeS: number, recordUndo: boolean) => Promise<GaitEventDto | null> = useCallback(
    (label: string, side: EventSide, timeS: number, recordUndo: boolean): Promise<GaitEventDto | null> =>
      run<GaitEventDto>(
        'Adding the event…',
        async () => {
          const { event } = await call('addEvent', { trialId, label, side, timeS });
          setEvents((events) => [...events, event]);
          return { result: event, undo: { description: `adding ${describeEvent(event)}`, run: (): Promise<void> => removeOnce(event.id, false).then(() => undefined) } };
        },
        recordUndo,
      ),
    // removeOnce (below) is as stable as run, so it is not a dependency.
    [run, trialId],
  );

  const removeOnce: (eventId: string, recordUndo: boolean) => Promise<boolean> = useCallback(
    (eventId: string, recordUndo: boolean): Promise<boolean> => {
      const before = eventsRef.current.find((e) => e.id === eventId);
      if (!before) return Promise.resolve(false);
      return run(
        'Deleting the event…',
        async () => {
          await call('deleteEvent', { eventId });
          setEvents((events) => events.filter((e) => e.id !== eventId));
          return {
            result: true,
            undo: {
              description: `deleting ${describeEvent(before)}`,
              run: (): Promise<void> => addOnce(before.label, before.side as EventSide, before.timeS, false).then(() => undefined),
            },
          };
        },
        recordUndo,
      ).then((ok) => ok === true);
    },
    [run, addOnce],
  );

  const redetect = useCallback(
    (params?: Record<string, number | string | boolean | null>) =>
      run(
        'Detecting events…',
        async () => {
          const answer = await call('detectEvents', { trialId, detector: loaded.detector?.name, params });
          setLoaded({ status: 'ready', events: [...answer.events].sort(byTime), detector: answer.detector, error: null });
          // The detected events have new ids: earlier steps no longer point at anything.
          setUndoSteps([]);
          return { result: true };
        },
        false,
      ).then((ok) => ok === true),
    [run, trialId, loaded.detector?.name],
  );

  const undo = useCallback(async () => {
    const step = undoSteps[undoSteps.length - 1];
    if (!step) return false;
    setUndoSteps((steps) => steps.slice(0, -1));
    await step.run();
    return true;
  }, [undoSteps]);

  return {
    ...loaded,
    busy,
    actionError,
    dismissError: () => setActionError(null),
    revision,
    undoDescription: undoSteps.length ? undoSteps[undoSteps.length - 1].description : null,
    correct: (eventId, patch) => correctOnce(eventId, patch, true),
    add: (label, side, timeS) => addOnce(label, side, timeS, true),
    remove: (eventId) => removeOnce(eventId, true),
    redetect,
    undo,
    reload: () => setLoads((n) => n + 1),
  };
}
