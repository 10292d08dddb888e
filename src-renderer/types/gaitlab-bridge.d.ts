// What the Electron preload exposes on `window.gaitlab` through contextBridge. Absent in browser mode.
import type { ApiMethod, ApiRequest, ApiResponse, ApiEvent } from '../../src-shared/api/schema';

export type PickKind = 'files' | 'folders';

export interface GaitLabBridge {
  /** Resolves with the method's result, or rejects with an Error whose message is the user-facing one line. */
  call<M extends ApiMethod>(method: M, request: ApiRequest<M>): Promise<ApiResponse<M>>;
  /** Subscribes to pushed events; returns the unsubscribe function. */
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
