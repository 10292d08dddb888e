// The sandboxed preload: the renderer's only door to main. A sandboxed preload can require nothing but
// `electron` (and a few Node builtins), so this file is self-contained: every other import is type-only,
// and the channel names repeat those of ipc-bridge.ts (a test checks they agree).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ApiMethod, ApiRequest, ApiResponse, ApiEvent } from '../../src-shared/api/schema';
import type { CallReply, PickKind } from './ipc-bridge';

const CALL = 'gaitlab:call';
const EVENT = 'gaitlab:event';
const PICK_PATHS = 'gaitlab:pick-paths';

const bridge = {
  /** Resolves with the method's result; rejects with an Error whose message is the one line to show. */
  async call<M extends ApiMethod>(method: M, request: ApiRequest<M>): Promise<ApiResponse<M>> {
    const reply = (await ipcRenderer.invoke(CALL, method, request)) as CallReply | undefined;
    if (!reply || typeof reply !== 'object') throw new Error(`${method}: no answer from the GaitLab main process`);
    if (reply.ok) return reply.result as ApiResponse<M>;
    throw new Error(reply.error.message);
  },

  /** Subscribes to pushed events (progress); returns the unsubscribe function. */
  onEvent(cb: (event: ApiEvent) => void): () => void {
    // The IPC event object (it holds ipcRenderer as `sender`) never reaches the page: only the payload does.
    const listener = (_event: IpcRendererEvent, payload: ApiEvent) => cb(payload);
    ipcRenderer.on(EVENT, listener);
    return () => {
      ipcRenderer.removeListener(EVENT, listener);
    };
  },

  /** The native open dialog; resolves with the chosen paths, [] when cancelled. */
  pickPaths(kind?: PickKind): Promise<string[]> {
    return ipcRenderer.invoke(PICK_PATHS, kind) as Promise<string[]>;
  },

  platform: process.platform,
};

export type GaitLabPreloadBridge = typeof bridge;

contextBridge.exposeInMainWorld('gaitlab', bridge);
