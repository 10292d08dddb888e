// Gait events and cycles of trials: reading them, detecting them with the detector that fits the trial's
// channels, and a technician's corrections (audited in the store).
import type { GaitEventDto } from '../../src-shared/api/schema';
import { addManualEvent, correctEvent, deleteEvent, readEvent, type StoredEvent } from '../store/events';
import { deleteCycles } from '../store/cycles';
import { getTrial, listTrials } from '../store/queries';
import { ApiError } from './api-errors';
import type { ServiceContext } from './context';

export function toEventDto(e: StoredEvent): GaitEventDto {
  return { id: e.id, trialId: e.trialId, label: e.label, side: e.side, timeS: e.timeS, source: e.source, threshold: e.threshold, confidence: e.confidence, manual: e.manual, params: e.params };
}

export function requireTrial(ctx: ServiceContext, trialId: string): void {
  if (!getTrial(ctx.db, trialId)) throw new ApiError('not-found', `no trial ${trialId}`);
}

export function correct(ctx: ServiceContext, req: { eventId: string; timeS?: number; label?: string; side?: 'left' | 'right' | 'both' | null }): { event: GaitEventDto } {
  if (!readEvent(ctx.db, req.eventId)) throw new ApiError('not-found', `no event ${req.eventId}`);
  const event = correctEvent(ctx.db, ctx.actor, req.eventId, req);
  deleteCycles(ctx.db, event.trialId);
  return { event: toEventDto(event) };
}

export function add(ctx: ServiceContext, req: { trialId: string; label: string; side: 'left' | 'right' | 'both' | null; timeS: number }): { event: GaitEventDto } {
  requireTrial(ctx, req.trialId);
  const event = addManualEvent(ctx.db, ctx.actor, req.trialId, req);
  deleteCycles(ctx.db, req.trialId);
  return { event: toEventDto(event) };
}

export function remove(ctx: ServiceContext, eventId: string): { deleted: string } {
  const old = readEvent(ctx.db, eventId);
  if (!old) throw new ApiError('not-found', `no event ${eventId}`);
  deleteEvent(ctx.db, ctx.actor, eventId);
  deleteCycles(ctx.db, old.trialId);
  return { deleted: eventId };
}

/** Trials a cycles/params request covers: one trial, or every trial of a subject. */
export function scopeTrials(ctx: ServiceContext, req: { trialId?: string; subjectId?: string }): string[] {
  if (req.trialId && req.subjectId) throw new ApiError('bad-request', 'give trialId or subjectId, not both');
  if (req.trialId) {
    requireTrial(ctx, req.trialId);
    return [req.trialId];
  }
  if (req.subjectId) {
    const trials = listTrials(ctx.db, { subjectId: req.subjectId, offset: 0, limit: 100_000 }).trials;
    if (trials.length === 0 && !ctx.db.prepare('SELECT 1 FROM subjects WHERE id = ?').get(req.subjectId)) throw new ApiError('not-found', `no subject ${req.subjectId}`);
    return trials.map((t) => t.id);
  }
  throw new ApiError('bad-request', 'give trialId or subjectId');
}
