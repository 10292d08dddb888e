// The first view of a trial or subject analyses what has not been analysed yet, through the explicit calls
// (the reads never write): events are detected where a detector fits but none has run, cycles are extracted
// where missing or stale. Both calls are idempotent, so panels that load at once do the work once.
import type { ApiResponse } from '../../src-shared/api/schema';
import { call } from './client';

export type GaitScope = { trialId: string } | { subjectId: string };

/** The trial's events, detected first when no detector has run on it yet (`detectedNow` then). */
export async function trialEventsOnFirstView(trialId: string): Promise<{ answer: ApiResponse<'getEvents'>; detectedNow: boolean }> {
  const stored = await call('getEvents', { trialId });
  if (!stored.pendingDetector) return { answer: stored, detectedNow: false };
  return { answer: await call('detectEvents', { trialId, onlyIfPending: true }), detectedNow: true };
}

/** Cycles of the scope, extracted first where they are missing or stale (which detects events where needed). */
export async function cyclesOnFirstView(scope: GaitScope, kind: 'stance' | 'gait_cycle'): Promise<ApiResponse<'getCycles'>> {
  const stored = await call('getCycles', { ...scope, kind });
  if (stored.unextracted.length === 0) return stored;
  await call('extractCycles', { ...scope });
  return call('getCycles', { ...scope, kind });
}

/** Parameters of the scope, with events detected first on the trials no detector has run on. */
export async function paramsOnFirstView(scope: GaitScope): Promise<ApiResponse<'getParams'>> {
  const first = await call('getParams', scope);
  if (first.pendingDetection.length === 0) return first;
  for (const trialId of first.pendingDetection) await call('detectEvents', { trialId, onlyIfPending: true });
  return call('getParams', scope);
}
