// The renderer's one way to reach main: a typed client of the API in src-shared/api, over the Electron preload
// bridge (window.gaitlab) or, in browser mode, HTTP + WebSocket to the loopback server.
import type { ApiMethod, ApiRequest, ApiResponse, ProgressEvent } from '../../src-shared/api/schema';
import type { PickKind } from '../types/gaitlab-bridge';
import { browserToken, initBrowserSession, MISSING_TOKEN_MESSAGE, TOKEN_HEADER } from './browser-session';

export type { ApiMethod, ApiRequest, ApiResponse, ProgressEvent };

export type TransportKind = 'electron' | 'browser';

export const transportKind: TransportKind = typeof window !== 'undefined' && window.gaitlab ? 'electron' : 'browser';

if (transportKind === 'browser') initBrowserSession();
// Listen from the start: an import's first progress events must not be lost while a socket opens.
if (typeof window !== 'undefined') queueMicrotask(() => startEvents());

/** An API failure; `message` is the one line to show the user. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

export async function call<M extends ApiMethod>(method: M, request: ApiRequest<M>): Promise<ApiResponse<M>> {
  const bridge = window.gaitlab;
  if (bridge) {
    try {
      return await bridge.call(method, request);
    } catch (error) {
      throw new ApiError(errorMessage(error));
    }
  }
  return callOverHttp(method, request);
}

async function callOverHttp<M extends ApiMethod>(method: M, request: ApiRequest<M>): Promise<ApiResponse<M>> {
  const token = browserToken();
  if (!token) throw new ApiError(MISSING_TOKEN_MESSAGE, 401);
  let response: Response;
  try {
    response = await fetch(`/api/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', [TOKEN_HEADER]: token },
      body: JSON.stringify(request),
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(`Cannot reach the GaitLab server at ${window.location.host}: is \`gaitlab serve\` still running?`);
  }
  if (response.status === 401) throw new ApiError(STALE_TOKEN_MESSAGE, 401);
  return (await readEnvelope(response, method)) as ApiResponse<M>;
}

const STALE_TOKEN_MESSAGE =
  'The GaitLab server did not accept this page’s access token (was it restarted?): open the new link that `gaitlab serve` printed.';

/** Reads `{ ok: true, result }` or `{ ok: false, error: { message } }`, the envelope of /api/* and /upload. */
export async function readEnvelope(response: Response, what: string): Promise<unknown> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(`${what}: the server answered HTTP ${response.status} without a readable result`, response.status);
  }
  return unwrapEnvelope(body, response.status, what);
}

export function unwrapEnvelope(body: unknown, status: number, what: string): unknown {
  if (body && typeof body === 'object') {
    const envelope = body as { ok?: unknown; result?: unknown; error?: { message?: unknown } };
    if (envelope.ok === true && status < 400) return envelope.result;
    const message = envelope.error?.message;
    if (typeof message === 'string' && message) throw new ApiError(message, status);
  }
  throw new ApiError(`${what}: the server answered HTTP ${status} without an error message`, status);
}

// ---- events -------------------------------------------------------------------------------------------

type ProgressListener = (event: ProgressEvent) => void;

const progressListeners = new Set<ProgressListener>();
let eventsStarted = false;

function isProgressEvent(value: unknown): value is ProgressEvent {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    v.kind === 'progress' &&
    typeof v.task === 'string' &&
    typeof v.stage === 'string' &&
    typeof v.done === 'number' &&
    typeof v.total === 'number' &&
    (v.detail === undefined || typeof v.detail === 'string')
  );
}

function dispatch(value: unknown): void {
  const progress = value && typeof value === 'object' && (value as { type?: unknown }).type === 'progress' ? (value as { progress: unknown }).progress : undefined;
  if (!isProgressEvent(progress)) return;
  for (const listener of [...progressListeners]) listener(progress);
}

function startEvents(): void {
  if (eventsStarted) return;
  eventsStarted = true;
  const bridge = window.gaitlab;
  if (bridge) bridge.onEvent(dispatch);
  else connectWebSocket(0);
}

const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 15_000;

function connectWebSocket(attempt: number): void {
  const token = browserToken();
  if (!token) return;
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  let socket: WebSocket;
  try {
    socket = new WebSocket(`${scheme}://${window.location.host}/ws?token=${encodeURIComponent(token)}`);
  } catch {
    scheduleReconnect(attempt);
    return;
  }
  let opened = false;
  socket.onopen = () => {
    opened = true;
  };
  socket.onmessage = (message) => {
    if (typeof message.data !== 'string') return;
    try {
      dispatch(JSON.parse(message.data));
    } catch {
      // A message that is not JSON is not ours to interpret.
    }
  };
  socket.onclose = () => scheduleReconnect(opened ? 0 : attempt + 1);
}

function scheduleReconnect(attempt: number): void {
  const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** attempt);
  const jitter = delay * 0.2 * Math.random();
  window.setTimeout(() => connectWebSocket(attempt), delay + jitter);
}

/** Subscribes to progress events of long work (import, demo); returns the unsubscribe function. */
export function onProgress(cb: ProgressListener): () => void {
  progressListeners.add(cb);
  startEvents();
  return () => {
    progressListeners.delete(cb);
  };
}

// ---- Electron only ------------------------------------------------------------------------------------

/** The native file/folder dialog; resolves with the chosen paths, [] when cancelled. Electron only. */
export async function pickPaths(kind?: PickKind): Promise<string[]> {
  const bridge = window.gaitlab;
  if (!bridge) throw new ApiError('Choosing files by path needs the desktop app; use the file picker in browser mode.');
  return bridge.pickPaths(kind);
}

/** Only macOS has one native dialog that picks files and folders together. */
export function nativeDialogPicksBoth(): boolean {
  return window.gaitlab?.platform === 'darwin';
}
