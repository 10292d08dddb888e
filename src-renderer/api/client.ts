// The renderer's one way to reach main: a typed client of the API in src-shared/api, over the Electron preload
// bridge (window.gaitlab) or, in browser mode, the loopback server's WebSocket. Every call has an id; its
// AbortSignal cancels it in main, and its events (progress) reach only its own `onEvent`. Topic events (jobs)
// reach the callbacks of `subscribe`, and main sends them only while someone on the page is subscribed.
import type { ApiEvent, ApiMethod, ApiRequest, ApiResponse, EventTopic, ProgressEvent, Subscription } from '../../src-shared/api/schema';
import type { PickKind } from '../types/gaitlab-bridge';
import { initBrowserSession } from './browser-session';
import { createBridgeChannel, type ApiChannel } from './channel';
import { ApiError } from './envelope';
import { createWsChannel } from './ws-channel';

export type { ApiEvent, ApiMethod, ApiRequest, ApiResponse, ProgressEvent };
export { ApiError, errorMessage, isCancelled, readEnvelope, unwrapEnvelope } from './envelope';

export type TransportKind = 'electron' | 'browser';

export const transportKind: TransportKind = typeof window !== 'undefined' && window.gaitlab ? 'electron' : 'browser';

if (transportKind === 'browser') initBrowserSession();

export interface CallOptions {
  /** Aborting it cancels the call in main; the call then rejects with an ApiError whose code is 'cancelled'. */
  signal?: AbortSignal;
  /** Receives this call's own events (progress), and no other. */
  onEvent?: (e: ApiEvent) => void;
}

// ---- event routing ----------------------------------------------------------------------------------

const callListeners = new Map<string, (e: ApiEvent) => void>();
const progressListeners = new Set<(e: ProgressEvent) => void>();
const subscribers = new Set<{ sub: Subscription; cb: (e: ApiEvent) => void }>();
/** How many of the page's subscribers want each topic and job: main is told only of changes from and to 0. */
const topicCounts = new Map<EventTopic, number>();
const jobCounts = new Map<string, number>();

/** The page's subscription as main knows it: every topic and job some subscriber wants. */
function pageSubscription(): Subscription {
  return { topics: [...topicCounts.keys()], jobIds: [...jobCounts.keys()] };
}

// matchesSubscription of src-shared/api/events.ts, repeated so the renderer's bundle needs no zod at run time.
function wants(sub: Subscription, e: ApiEvent): boolean {
  return e.topic !== 'call' && (sub.topics.includes(e.topic) || ('jobId' in e && sub.jobIds.includes(e.jobId)));
}

function deliver(e: ApiEvent): void {
  if (!e || typeof e !== 'object') return;
  if (e.topic === 'call') {
    callListeners.get(e.callId)?.(e);
    if (e.type === 'progress') for (const listener of [...progressListeners]) listener(e.progress);
    return;
  }
  for (const s of [...subscribers]) if (wants(s.sub, e)) s.cb(e);
}

let channel: ApiChannel | null = null;

function getChannel(): ApiChannel {
  if (!channel) {
    const bridge = typeof window !== 'undefined' ? window.gaitlab : undefined;
    channel = bridge ? createBridgeChannel(bridge, deliver) : createWsChannel(deliver, pageSubscription);
    channel.start();
  }
  return channel;
}

// Connect from the start, so the first call does not wait for the socket to open.
if (typeof window !== 'undefined') queueMicrotask(() => getChannel());

// ---- calls --------------------------------------------------------------------------------------------

const pageId = Math.random().toString(36).slice(2, 10);
let callCounter = 0;

export async function call<M extends ApiMethod>(method: M, request: ApiRequest<M>, opts: CallOptions = {}): Promise<ApiResponse<M>> {
  const { signal, onEvent } = opts;
  if (signal?.aborted) throw new ApiError(`${method} was cancelled`, undefined, 'cancelled');
  const callId = `${pageId}-${++callCounter}`;
  const ch = getChannel();
  if (onEvent) callListeners.set(callId, onEvent);
  const onAbort = () => ch.cancel(callId);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return (await ch.call(callId, method, request)) as ApiResponse<M>;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    callListeners.delete(callId);
  }
}

/**
 * Receives the topic events of `sub` (job state and log of every job with topics ['jobs'], or of the given
 * jobs) until the returned function is called.
 */
export function subscribe(sub: { topics?: EventTopic[]; jobIds?: string[] }, cb: (e: ApiEvent) => void): () => void {
  const entry = { sub: { topics: [...(sub.topics ?? [])], jobIds: [...(sub.jobIds ?? [])] }, cb };
  subscribers.add(entry);
  const added: Subscription = { topics: [], jobIds: [] };
  for (const t of new Set(entry.sub.topics)) if (bump(topicCounts, t, 1) === 1) added.topics.push(t);
  for (const j of new Set(entry.sub.jobIds)) if (bump(jobCounts, j, 1) === 1) added.jobIds.push(j);
  if (added.topics.length || added.jobIds.length) getChannel().subscribe(added);
  let active = true;
  return () => {
    if (!active) return;
    active = false;
    subscribers.delete(entry);
    const removed: Subscription = { topics: [], jobIds: [] };
    for (const t of new Set(entry.sub.topics)) if (bump(topicCounts, t, -1) === 0) removed.topics.push(t);
    for (const j of new Set(entry.sub.jobIds)) if (bump(jobCounts, j, -1) === 0) removed.jobIds.push(j);
    if (removed.topics.length || removed.jobIds.length) getChannel().unsubscribe(removed);
  };
}

function bump<K>(counts: Map<K, number>, key: K, by: number): number {
  const n = (counts.get(key) ?? 0) + by;
  if (n <= 0) counts.delete(key);
  else counts.set(key, n);
  return Math.max(n, 0);
}

/** Progress of every call this page makes (per call: `call(…, { onEvent })`); returns the remover. */
export function onProgress(cb: (event: ProgressEvent) => void): () => void {
  progressListeners.add(cb);
  getChannel();
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
