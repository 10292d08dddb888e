// How the renderer's client reaches main: a call named by its id (so it can be cancelled and its events
// found), a cancel by that id, and subscriptions. Electron's preload bridge and browser mode's WebSocket
// (ws-channel.ts) are the two channels; events come back through the `deliver` function each is given.
import type { ApiEvent, ApiMethod, Subscription } from '../../src-shared/api/schema';
import type { GaitLabBridge } from '../types/gaitlab-bridge';
import { ApiError, errorMessage } from './envelope';

export interface ApiChannel {
  /** Starts receiving events (idempotent). */
  start(): void;
  /** Resolves with the call's result; rejects with an ApiError (code 'cancelled' once cancelled). */
  call(callId: string, method: ApiMethod, request: unknown): Promise<unknown>;
  /** Asks main to cancel the call; its promise then rejects with code 'cancelled' (or resolves, if it had finished). */
  cancel(callId: string): void;
  /** Adds topics or jobs to what the page receives. */
  subscribe(sub: Subscription): void;
  /** Removes topics or jobs from what the page receives. */
  unsubscribe(sub: Subscription): void;
}

export function createBridgeChannel(bridge: GaitLabBridge, deliver: (e: ApiEvent) => void): ApiChannel {
  let started = false;
  // Main answers a bad message with a rejected invoke; the page has nothing better to do than to say so.
  const report = (what: string) => (error: unknown) => console.error(`gaitlab: ${what}: ${errorMessage(error)}`);
  return {
    start() {
      if (started) return;
      started = true;
      bridge.onEvent(deliver);
    },
    async call(callId, method, request) {
      let reply;
      try {
        reply = await bridge.call(callId, method, request as never);
      } catch (error) {
        throw new ApiError(errorMessage(error));
      }
      if (!reply || typeof reply !== 'object') throw new ApiError(`${method}: no answer from the GaitLab main process`);
      if (reply.ok) return reply.result;
      throw new ApiError(reply.error.message, undefined, reply.error.code);
    },
    cancel(callId) {
      bridge.cancel(callId).catch(report('cancel'));
    },
    subscribe(sub) {
      bridge.subscribe(sub).catch(report('subscribe'));
    },
    unsubscribe(sub) {
      bridge.unsubscribe(sub).catch(report('unsubscribe'));
    },
  };
}
