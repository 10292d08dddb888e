// What the Electron preload exposes on `window.gaitlab` through contextBridge. Absent in browser mode.
import type { ApiMethod, ApiRequest, ApiResponse, ProgressEvent } from '../../src-shared/api/schema';

export interface GaitLabBridge {
  /** Resolves with the method's result, or rejects with an Error whose message is the user-facing one line. */
  call<M extends ApiMethod>(method: M, request: ApiRequest<M>): Promise<ApiResponse<M>>;
  /** Subscribes to pushed events; returns the unsubscribe function. */
  onEvent(cb: (event: ProgressEvent) => void): () => void;
  /** Opens the native file/folder dialog; resolves with the chosen paths ([] when cancelled). */
  pickPaths(): Promise<string[]>;
}

declare global {
  interface Window {
    gaitlab?: GaitLabBridge;
  }
}
