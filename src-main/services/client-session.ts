// One connected client of the API (a browser-mode WebSocket, an Electron window): its calls in flight, each
// cancellable by its id, and its topic subscriptions. A call's events go to this client only; topic events
// only while it is subscribed to them. The WebSocket server and the IPC bridge share this, so both faces
// route, cancel and clean up the same way.
import type { ApiEvent, Subscription } from '../../src-shared/api/events';
import type { CallReply } from '../../src-shared/api/transport';
import { ApiError } from './api-errors';
import { apiMethodOrThrow, type Dispatch } from './dispatch';
import type { EventBus } from './event-bus';

/** More calls in flight than a page ever makes is a runaway client, not a user. */
export const MAX_CALLS_IN_FLIGHT = 64;

/** An error as the plain code and one-line message a client shows. */
export function toErrorBody(e: unknown): { code: string; message: string } {
  const code = e instanceof ApiError ? e.code : 'internal';
  const message = e instanceof Error ? e.message : String(e);
  return { code, message: message.split('\n')[0] };
}

export class ClientSession {
  private readonly calls = new Map<string, AbortController>();
  private readonly topics = new Set<Subscription['topics'][number]>();
  private readonly jobIds = new Set<string>();
  private endSubscription: (() => void) | null = null;
  private closed = false;

  /** `send` delivers an event to this client; it must not throw (a gone client drops it). */
  constructor(
    private readonly dispatch: Dispatch,
    private readonly bus: EventBus,
    private readonly send: (e: ApiEvent) => void,
  ) {}

  /** Runs one call; never rejects: failures, cancellation included, come back as `{ ok: false, error }`. */
  async call(callId: string, method: string, request: unknown): Promise<CallReply> {
    if (this.closed) return { ok: false, error: { code: 'cancelled', message: `${method}: the client has gone` } };
    if (this.calls.has(callId)) return { ok: false, error: { code: 'bad-request', message: `call id ${callId} is already in use` } };
    if (this.calls.size >= MAX_CALLS_IN_FLIGHT) return { ok: false, error: { code: 'bad-request', message: `more than ${MAX_CALLS_IN_FLIGHT} calls in flight` } };
    const abort = new AbortController();
    this.calls.set(callId, abort);
    try {
      const m = apiMethodOrThrow(method);
      const result = await this.dispatch(m, request as never, {
        callId,
        signal: abort.signal,
        onEvent: (e) => {
          if (!this.closed) this.send(e);
        },
      });
      return { ok: true, result };
    } catch (e) {
      const error = toErrorBody(e);
      if (error.code === 'internal') console.error(`gaitlab: ${method}:`, e);
      return { ok: false, error };
    } finally {
      this.calls.delete(callId);
    }
  }

  /** Cancels a call in flight; false when there is none with that id (finished already, or never made). */
  cancel(callId: string): boolean {
    const abort = this.calls.get(callId);
    if (!abort) return false;
    abort.abort();
    return true;
  }

  /** Adds topics and jobs to what this client receives. */
  subscribe(sub: Subscription): void {
    for (const t of sub.topics) this.topics.add(t);
    for (const j of sub.jobIds) this.jobIds.add(j);
    this.resubscribe();
  }

  /** Removes topics and jobs from what this client receives. */
  unsubscribe(sub: Subscription): void {
    for (const t of sub.topics) this.topics.delete(t);
    for (const j of sub.jobIds) this.jobIds.delete(j);
    this.resubscribe();
  }

  get subscription(): Subscription {
    return { topics: [...this.topics], jobIds: [...this.jobIds] };
  }

  get callsInFlight(): number {
    return this.calls.size;
  }

  /** A page reload: its calls are cancelled and its subscriptions dropped; the session stays usable. */
  reset(): void {
    for (const abort of this.calls.values()) abort.abort();
    this.topics.clear();
    this.jobIds.clear();
    this.resubscribe();
  }

  /** The client has gone: cancel its calls and end its subscriptions. */
  close(): void {
    this.reset();
    this.closed = true;
  }

  private resubscribe(): void {
    this.endSubscription?.();
    this.endSubscription = null;
    if (this.closed || (this.topics.size === 0 && this.jobIds.size === 0)) return;
    this.endSubscription = this.bus.subscribe(this.subscription, (e) => {
      if (!this.closed) this.send(e);
    });
  }
}
