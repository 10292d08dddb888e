// Gait events, cycles and parameters: reads that do not write, and the explicit runs that compute them.
import { z } from 'zod';
import { id, measured } from './common';

export const gaitEvent = z.object({
  id: z.string(),
  trialId: z.string(),
  label: z.string(),
  side: z.string().nullable(),
  timeS: z.number(),
  source: z.string(),
  threshold: z.object({ value: z.number(), unit: z.string() }).nullable(),
  confidence: z.number().nullable(),
  manual: z.boolean(),
  params: z.record(z.string(), z.unknown()).nullable(),
  /** The detector run that produced the event; null for the file's own events and manual ones. */
  runId: z.string().nullable(),
});
export type GaitEventDto = z.infer<typeof gaitEvent>;

export const cycle = z.object({
  id: z.string(),
  trialId: z.string(),
  channel: z.string(),
  side: z.string().nullable(),
  kind: z.enum(['stance', 'gait_cycle']),
  startS: z.number(),
  endS: z.number(),
  unit: z.string(),
  /** Why the cycle is not a clean one ('incomplete', 'implausible-duration', …); empty when it is. */
  flags: z.array(z.string()),
  /** 101 points over 0–100 % of the cycle. */
  curve: z.array(z.number()),
  /** The events the cycle was cut from: 'file', 'plates', 'kinematic', 'manual', 'detector' (+'+manual' where corrections joined); null for older extractions. */
  eventSource: z.string().nullable(),
  /** The foot's own foot-off (the gait graph's vertical line) and the opposite foot's off and strike (double support), % of the cycle. */
  footOffPercent: z.number().nullable(),
  oppositeFootOffPercent: z.number().nullable(),
  oppositeFootStrikePercent: z.number().nullable(),
  /** What the channel's component means where the model's convention is known (Plug-in-Gait): sagittal, frontal, transverse, total; null for a raw axis. */
  plane: z.enum(['sagittal', 'frontal', 'transverse', 'total']).nullable(),
  /** A label for the UI: 'Knee angle (L), sagittal', or the channel name. */
  label: z.string(),
});
export type CycleDto = z.infer<typeof cycle>;


/** One spatiotemporal parameter per side, summarised over the strides of a trial or a subject. */
export const parameterSummary = z.object({
  name: z.string(),
  side: z.string().nullable(),
  mean: measured,
  sd: measured,
  cv: measured,
  n: z.number(),
});

export const symmetrySummary = z.object({
  name: z.string(),
  left: measured,
  right: measured,
  symmetryIndex: measured,
  symmetryAngle: measured,
});

export const gaitParameters = z.object({
  trials: z.array(z.string()),
  detector: z.string().nullable(),
  /** Trials a detector fits but none has run on: their strides are missing until detectEvents (or extractCycles) runs. */
  pendingDetection: z.array(z.string()),
  strides: z.object({ left: z.number(), right: z.number(), flagged: z.number() }),
  parameters: z.array(parameterSummary),
  symmetry: z.array(symmetrySummary),
  /** Curve-wise normalised symmetry index over the gait cycle, per channel pair. */
  curveSymmetry: z.array(z.object({ channel: z.string(), meanAbsNsi: measured, nsi: z.array(z.number()) })),
});
export type GaitParameters = z.infer<typeof gaitParameters>;

/** A method's parameters as a request sends them; the method itself checks names and ranges. */
const methodParams = z.record(z.string().max(64), z.union([z.number(), z.string(), z.boolean(), z.null()]));

/** A detector run: the method, its version and every parameter it ran with (from the run's row). */
export const detectorRun = z.object({ name: z.string(), version: z.string(), runId: z.string(), ranAt: z.string(), params: z.record(z.string(), z.unknown()) });

export const trialEvents = z.object({
  events: z.array(gaitEvent),
  detector: detectorRun.nullable(),
  /** The detector that fits the trial's channels while none has run: what detectEvents would run. */
  pendingDetector: z.string().nullable(),
});

const eventLabel = z.string().min(1).max(64).regex(/^[a-z_]+$/, 'labels are lower-case words joined by _');
const sideValue = z.enum(['left', 'right', 'both']).nullable();

export const gaitApi = {
  /** The trial's stored events and the detector run they came from. Reads only: detection is detectEvents. */
  getEvents: {
    request: z.object({ trialId: id }).strict(),
    response: trialEvents,
  },
  /**
   * Runs a detector (the named one, else the one the channels fit), storing a run row; its own earlier events are
   * replaced, manual ones stay. With onlyIfPending, runs only when no detector has run on the trial (a first view).
   */
  detectEvents: {
    request: z.object({ trialId: id, detector: z.string().max(64).optional(), params: methodParams.optional(), onlyIfPending: z.boolean().optional() }).strict(),
    response: trialEvents,
  },
  /** A technician's correction: moves (or relabels) one event; it becomes manual and the change is audited. */
  correctEvent: {
    request: z.object({ eventId: z.string().regex(/^\d+$/), timeS: z.number().finite().min(0).optional(), label: eventLabel.optional(), side: sideValue.optional() }).strict(),
    response: z.object({ event: gaitEvent }),
  },
  addEvent: {
    request: z.object({ trialId: id, label: eventLabel, side: sideValue, timeS: z.number().finite().min(0) }).strict(),
    response: z.object({ event: gaitEvent }),
  },
  deleteEvent: {
    request: z.object({ eventId: z.string().regex(/^\d+$/) }).strict(),
    response: z.object({ deleted: z.string() }),
  },
  /** Stored time-normalised cycles of a trial or of every trial of a subject. Reads only: trials not (or no longer) extracted are listed. */
  getCycles: {
    request: z.object({ trialId: id.optional(), subjectId: id.optional(), kind: z.enum(['stance', 'gait_cycle']).optional(), channel: z.string().max(128).optional() }).strict(),
    response: z.object({ cycles: z.array(cycle), unextracted: z.array(z.string()) }),
  },
  /**
   * Extracts cycles (a run of GaitCycleSegmentation, or PlateStances on force plates) where missing or stale, or
   * everywhere with params or force; detects events first where no detector has run.
   */
  extractCycles: {
    request: z.object({
      trialId: id.optional(), subjectId: id.optional(), params: methodParams.optional(), force: z.boolean().optional(),
      /** Which events to cut gait cycles from; 'auto' (default): manual, file, plates, kinematic, in that order. */
      eventSource: z.enum(['auto', 'manual', 'file', 'plates', 'kinematic', 'detector']).optional(),
    }).strict(),
    response: z.object({
      cycles: z.array(cycle),
      runs: z.array(z.object({ trialId: z.string(), runId: z.string(), method: z.string(), params: z.record(z.string(), z.unknown()), eventSource: z.string().optional() })),
    }),
  },
  /** Spatiotemporal parameters and symmetry of a trial or of all a subject's trials. */
  getParams: {
    request: z.object({ trialId: id.optional(), subjectId: id.optional() }).strict(),
    response: gaitParameters,
  },
} as const;
