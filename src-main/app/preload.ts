// The sandboxed preload: the renderer's only door to main. A sandboxed preload can require nothing but
// `electron` (and a few Node builtins), so this file is self-contained: every other import is type-only,
// and the channel names repeat those of ipc-bridge.ts (a test checks they agree). An AbortSignal cannot cross
// the context bridge, so the page names each call with an id and cancels it by that id.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ApiEvent, ApiMethod, ApiRequest, Subscription } from '../../src-shared/api/schema';
import type { CallReply, PickKind, PickPathsReply } from '../../src-shared/api/transport';

const CALL = 'gaitlab:call';
const CANCEL = 'gaitlab:cancel';
const SUBSCRIBE = 'gaitlab:subscribe';
const UNSUBSCRIBE = 'gaitlab:unsubscribe';
const EVENT = 'gaitlab:event';
const PICK_PATHS = 'gaitlab:pick-paths';

const bridge = {
  /** Resolves with the reply envelope of the call named `callId` (main validates the request). */
  call<M extends ApiMethod>(callId: string, method: M, request: ApiRequest<M>): Promise<CallReply> {
    return ipcRenderer.invoke(CALL, { callId, method, request }) as Promise<CallReply>;
  },

  /** Cancels the call named `callId`; resolves false when it had already finished. */
  cancel(callId: string): Promise<boolean> {
    return ipcRenderer.invoke(CANCEL, { callId }) as Promise<boolean>;
  },

  /** Adds topics or jobs to the events this window receives. */
  subscribe(sub: Partial<Subscription>): Promise<void> {
    return ipcRenderer.invoke(SUBSCRIBE, sub) as Promise<void>;
  },

  /** Removes topics or jobs from the events this window receives. */
  unsubscribe(sub: Partial<Subscription>): Promise<void> {
    return ipcRenderer.invoke(UNSUBSCRIBE, sub) as Promise<void>;
  },

  /** Receives this window's events: its own calls' progress and its subscriptions; returns the remover. */
  onEvent(cb: (event: ApiEvent) => void): () => void {
    // The IPC event object (it holds ipcRenderer as `sender`) never reaches the page: only the payload does.
    const listener = (_event: IpcRendererEvent, payload: ApiEvent) => cb(payload);
    ipcRenderer.on(EVENT, listener);
    return () => {
      ipcRenderer.removeListener(EVENT, listener);
    };
  },

  /** The native open dialog; resolves with the chosen paths, [] when cancelled. */
  async pickPaths(kind?: PickKind): Promise<string[]> {
    const reply = (await ipcRenderer.invoke(PICK_PATHS, kind ? { kind } : {})) as PickPathsReply;
    return reply.paths;
  },

  platform: process.platform,
};

export type GaitLabPreloadBridge = typeof bridge;

contextBridge.exposeInMainWorld('gaitlab', bridge);
