// Gait events of trials: reading them (a read never writes), detecting them with a registered detector method
// (an explicit call that stores a run row and its events), and a technician's corrections (audited).
import type { GaitEventDto } from '../../src-shared/api/schema';
import { chooseDetector, EVENT_DETECTORS, isDetectorName, MethodParamError, plateGeometryOf, type FileEvent } from '../../src-shared/methods';
import { readAttributes } from '../store/attributes';
import { trialsLeftOut } from '../store/session-records';
import { addManualEvent, correctEvent, deleteEvent, readEvent, readEvents, replaceDetectedEvents, type StoredEvent } from '../store/events';
import { deleteCycles } from '../store/cycles';
import { getTrial, listTrials } from '../store/queries';
import { latestRun, type StoredRun } from '../store/runs';
import { readChannelMeta, subjectExists, trialContentHash } from '../store/trial-meta';
import { ApiError } from './api-errors';
import type { ServiceContext } from './context';
import { loadChannels } from './trial-channels';

export interface DetectorRunDto {
  name: string;
  version: string;
  runId: string;
  ranAt: string;
  params: Record<string, unknown>;
}

export interface TrialEvents {
  events: GaitEventDto[];
  /** The detector run whose events these are; null when no detector has run on the trial. */
  detector: DetectorRunDto | null;
  /** The detector that fits the trial's channels while none has run yet: what detectEvents would run. */
  pendingDetector: string | null;
}

export function toEventDto(e: StoredEvent): GaitEventDto {
  return { id: e.id, trialId: e.trialId, label: e.label, side: e.side, timeS: e.timeS, source: e.source, threshold: e.threshold, confidence: e.confidence, manual: e.manual, params: e.params, runId: e.runId };
}

const toDetectorDto = (run: StoredRun): DetectorRunDto => ({ name: run.method, version: run.version, runId: run.id, ranAt: run.finishedAt, params: run.params });

export function requireTrial(ctx: ServiceContext, trialId: string): void {
  if (!getTrial(ctx.db, trialId)) throw new ApiError('not-found', `no trial ${trialId}`);
}

/** The detector that would run on the trial by default, from its channels' names and units (nothing decoded). */
export function fittingDetector(ctx: ServiceContext, trialId: string): string | null {
  return chooseDetector(readChannelMeta(ctx.db, trialId))?.name ?? null;
}

/** Stored events and the detector run they came from. Reads only: detection is `detect`. */
export function events(ctx: ServiceContext, trialId: string): TrialEvents {
  requireTrial(ctx, trialId);
  const run = latestRun(ctx.db, trialId, 'gait-events');
  return {
    events: readEvents(ctx.db, trialId).map(toEventDto),
    detector: run ? toDetectorDto(run) : null,
    pendingDetector: run ? null : fittingDetector(ctx, trialId),
  };
}

/**
 * Runs a detector on the trial (the named one, else the one its channels fit) and stores its events with a run
 * row (method, version, every parameter, the trial's content hash); its own earlier events are replaced, manual
 * and file events stay. Cycles drawn from the old events are dropped. With no fitting detector nothing is stored.
 */
export function detect(ctx: ServiceContext, trialId: string, name?: string, params: Record<string, unknown> = {}): TrialEvents {
  requireTrial(ctx, trialId);
  if (name && !isDetectorName(name)) throw new ApiError('bad-request', `unknown detector "${name}" (known: ${EVENT_DETECTORS.map((d) => d.name).join(', ')})`);
  const meta = readChannelMeta(ctx.db, trialId);
  const detector = chooseDetector(meta, name);
  if (!detector) return events(ctx, trialId);
  // Refuse bad parameters before decoding anything.
  let parsed: Record<string, unknown>;
  try {
    parsed = detector.params.parse(params);
  } catch (e) {
    if (e instanceof MethodParamError) throw new ApiError('bad-request', e.message);
    throw e;
  }
  // Detectors whose inputs depend on their parameters (marker labels) name exactly what is missing.
  const missing = detector.missing?.(meta, parsed);
  if (missing?.length) throw new ApiError('input', `${detector.name}: trial ${trialId} has no marker ${missing.join(', ')}`);
  if (!missing && !detector.matches(meta)) throw new ApiError('input', `${detector.name} needs ${detector.needs}; trial ${trialId} has ${meta.slice(0, 12).map((c) => c.name).join(', ')}`);
  const stored = readEvents(ctx.db, trialId);
  const fileEvents: FileEvent[] = stored.filter((e) => !e.manual && e.runId === null && !isDetectorName(e.source));
  const startedAt = new Date().toISOString();
  let result;
  try {
    // Plates' corners (C3D imports keep them as trial attributes) let the plate detector tell the foot by its markers.
    const plates = plateGeometryOf(readAttributes(ctx.db, 'trial_attributes', trialId));
    result = detector.run({ channels: loadChannels(ctx, trialId), fileEvents, plates }, params);
  } catch (e) {
    // The signal classes refuse what their numerics cannot do (a cutoff above Nyquist): a bad request, in one line.
    if (e instanceof RangeError) throw new ApiError('bad-request', e.message.startsWith(detector.name) ? e.message : `${detector.name}: ${e.message}`);
    throw e;
  }
  const run = {
    method: result.method, version: result.version, role: detector.role, params: result.params, seed: null, trialId,
    inputs: { trials: [{ trialId, contentSha256: trialContentHash(ctx.db, trialId) }], channels: meta.map((c) => c.name), fileEvents: fileEvents.length },
    outputs: result.summary, startedAt, finishedAt: new Date().toISOString(),
  };
  const newEvents = result.output.events.map((e) => ({ label: e.label, side: e.side, timeS: e.timeS, source: detector.name, threshold: e.threshold ?? null, confidence: e.confidence, params: e.params }));
  const saved = ctx.db.transaction(() => {
    const r = replaceDetectedEvents(ctx.db, ctx.actor, run, newEvents);
    deleteCycles(ctx.db, trialId);
    return r;
  })();
  return { events: saved.events.map(toEventDto), detector: toDetectorDto({ ...run, id: saved.runId, actor: ctx.actor }), pendingDetector: null };
}

/** The first view of a trial: detects only when no detector has run on it, so concurrent first views detect once. */
export function detectIfPending(ctx: ServiceContext, trialId: string): TrialEvents {
  const stored = events(ctx, trialId);
  return stored.pendingDetector ? detect(ctx, trialId) : stored;
}

export function correct(ctx: ServiceContext, req: { eventId: string; timeS?: number; label?: string; side?: 'left' | 'right' | 'both' | null }): { event: GaitEventDto } {
  if (!readEvent(ctx.db, req.eventId)) throw new ApiError('not-found', `no event ${req.eventId}`);
  const event = ctx.db.transaction(() => {
    const e = correctEvent(ctx.db, ctx.actor, req.eventId, req);
    deleteCycles(ctx.db, e.trialId);
    return e;
  })();
  return { event: toEventDto(event) };
}

export function add(ctx: ServiceContext, req: { trialId: string; label: string; side: 'left' | 'right' | 'both' | null; timeS: number }): { event: GaitEventDto } {
  requireTrial(ctx, req.trialId);
  const event = ctx.db.transaction(() => {
    const e = addManualEvent(ctx.db, ctx.actor, req.trialId, req);
    deleteCycles(ctx.db, req.trialId);
    return e;
  })();
  return { event: toEventDto(event) };
}

export function remove(ctx: ServiceContext, eventId: string): { deleted: string } {
  const old = readEvent(ctx.db, eventId);
  if (!old) throw new ApiError('not-found', `no event ${eventId}`);
  ctx.db.transaction(() => {
    deleteEvent(ctx.db, ctx.actor, eventId);
    deleteCycles(ctx.db, old.trialId);
  })();
  return { deleted: eventId };
}

/** Trials a cycles/params request covers: one trial, or every trial of a subject (or of one of its visits). */
export function scopeTrials(ctx: ServiceContext, req: { trialId?: string; subjectId?: string; sessionId?: string }): string[] {
  if (req.trialId && req.subjectId) throw new ApiError('bad-request', 'give trialId or subjectId, not both');
  if (req.trialId) {
    requireTrial(ctx, req.trialId);
    return [req.trialId];
  }
  if (req.subjectId) {
    const trials = listTrials(ctx.db, { subjectId: req.subjectId, offset: 0, limit: 100_000 }).trials
      .filter((t) => !req.sessionId || t.sessionId === req.sessionId);
    if (trials.length === 0 && !subjectExists(ctx.db, req.subjectId)) throw new ApiError('not-found', `no subject ${req.subjectId}`);
    // Excluded trials (kept, flagged with a reason) and static trials are left out of a subject's cycles and
    // parameters; asked for by their own id they are still shown.
    const leftOut = trialsLeftOut(ctx.db, trials.map((t) => t.id));
    return trials.map((t) => t.id).filter((id) => !leftOut.has(id));
  }
  throw new ApiError('bad-request', 'give trialId or subjectId');
}
