// What a handler gets besides its request: the call's id, its cancellation signal, and a way to report
// progress to the caller (and only the caller).
import { randomUUID } from 'node:crypto';
import type { ApiEvent, ProgressEvent } from '../../src-shared/api/events';
import { ApiError } from './api-errors';

export type ProgressSink = (e: ProgressEvent) => void;

export interface CallContext {
  readonly callId: string;
  readonly signal: AbortSignal;
  readonly progress: ProgressSink;
}

export interface CallOptions {
  /** Aborting it cancels the call: the handler stops at its next check and leaves nothing half-written. */
  signal?: AbortSignal;
  /** Receives this call's own events (progress). */
  onEvent?: (e: ApiEvent) => void;
  /** The caller's id for the call (browser and IPC clients choose theirs, to cancel it later). */
  callId?: string;
}

export function newCallContext(opts: CallOptions = {}): CallContext {
  const callId = opts.callId ?? randomUUID();
  const signal = opts.signal ?? new AbortController().signal;
  const onEvent = opts.onEvent;
  return {
    callId,
    signal,
    progress: onEvent ? (progress) => onEvent({ type: 'progress', topic: 'call', callId, progress }) : () => {},
  };
}

/** Throws the cancellation error when the call was cancelled; handlers call it between units of work. */
export function throwIfCancelled(signal: AbortSignal | undefined, what = 'the call'): void {
  if (signal?.aborted) throw cancelledError(what);
}

export function cancelledError(what = 'the call'): ApiError {
  return new ApiError('cancelled', `${what} was cancelled`);
}
