// What the Electron preload exposes on `window.gaitlab` through contextBridge. Absent in browser mode.
// An AbortSignal cannot cross the context bridge: the page names each call with an id and cancels it by id.
import type { ApiMethod, ApiRequest, ApiEvent, Subscription } from '../../src-shared/api/schema';
import type { CallReply, PickKind } from '../../src-shared/api/transport';

export type { PickKind };

export interface GaitLabBridge {
  /** Resolves with the reply envelope of the call named `callId` ({ ok, result } or { ok: false, error }). */
  call<M extends ApiMethod>(callId: string, method: M, request: ApiRequest<M>): Promise<CallReply>;
  /** Cancels the call named `callId`; resolves false when it had already finished. */
  cancel(callId: string): Promise<boolean>;
  /** Adds topics or jobs to the events this window receives. */
  subscribe(sub: Partial<Subscription>): Promise<void>;
  /** Removes topics or jobs from the events this window receives. */
  unsubscribe(sub: Partial<Subscription>): Promise<void>;
  /** Receives this window's events (its calls' progress, its subscriptions); returns the remover. */
  onEvent(cb: (event: ApiEvent) => void): () => void;
  /**
   * Opens the native dialog; resolves with the chosen paths ([] when cancelled). Without `kind` it is the
   * combined files-and-folders dialog, which only macOS offers; elsewhere it picks folders.
   */
  pickPaths(kind?: PickKind): Promise<string[]>;
  /** `process.platform` of the main process. */
  platform?: string;
}

declare global {
  interface Window {
    gaitlab?: GaitLabBridge;
  }
}
