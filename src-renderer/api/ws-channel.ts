// Browser mode's channel to main: one WebSocket carries the page's calls (each with its id), their
// cancellation, their events and the page's subscriptions (protocol: src-shared/api/transport.ts). Calls made
// while the socket opens wait for it; when it cannot open they go over HTTP, which says why in words. After a
// reconnect the page's subscriptions are sent again.
import type { ApiEvent, ApiMethod, ApiRequest, Subscription } from '../../src-shared/api/schema';
import type { WsClientMessage, WsServerMessage } from '../../src-shared/api/transport';
import { browserToken, MISSING_TOKEN_MESSAGE } from './browser-session';
import type { ApiChannel } from './channel';
import { ApiError, unwrapEnvelope } from './envelope';
import { callOverHttp } from './http-call';

const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 15_000;

interface Pending {
  method: ApiMethod;
  request: unknown;
  sent: boolean;
  resolve: (result: unknown) => void;
  reject: (error: unknown) => void;
  /** Set when the call went over HTTP instead: aborting it hangs up, which cancels it on the server. */
  http?: AbortController;
}

export function createWsChannel(deliver: (e: ApiEvent) => void, currentSubscription: () => Subscription): ApiChannel {
  const pending = new Map<string, Pending>();
  let socket: WebSocket | null = null;
  let opened = false;
  let attempt = 0;
  let timer: number | null = null;

  const sendMessage = (m: WsClientMessage) => {
    if (socket && opened && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(m));
  };

  const sendCall = (callId: string, p: Pending) => {
    p.sent = true;
    sendMessage({ type: 'call', callId, method: p.method, request: p.request });
  };

  const overHttp = (callId: string, p: Pending) => {
    p.sent = true;
    p.http = new AbortController();
    callOverHttp(p.method, p.request as ApiRequest<ApiMethod>, p.http.signal)
      .then(p.resolve, p.reject)
      .finally(() => pending.delete(callId));
  };

  const onMessage = (data: unknown) => {
    if (typeof data !== 'string') return;
    let m: WsServerMessage;
    try {
      m = JSON.parse(data) as WsServerMessage;
    } catch {
      return; // not JSON: not ours to interpret
    }
    if (m.type === 'event') deliver(m.event);
    else if (m.type === 'result') {
      const p = pending.get(m.callId);
      if (!p) return;
      pending.delete(m.callId);
      try {
        p.resolve(unwrapEnvelope(m, m.ok ? 200 : 400, p.method));
      } catch (error) {
        p.reject(error);
      }
    }
  };

  const connect = () => {
    timer = null;
    const token = browserToken();
    if (!token || socket) return;
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    let s: WebSocket;
    try {
      s = new WebSocket(`${scheme}://${window.location.host}/ws?token=${encodeURIComponent(token)}`);
    } catch {
      scheduleReconnect();
      return;
    }
    socket = s;
    opened = false;
    s.onopen = () => {
      opened = true;
      attempt = 0;
      const sub = currentSubscription();
      if (sub.topics.length || sub.jobIds.length) sendMessage({ type: 'subscribe', ...sub });
      for (const [callId, p] of pending) if (!p.sent) sendCall(callId, p);
    };
    s.onmessage = (message) => onMessage(message.data);
    s.onclose = () => {
      const wasOpen = opened;
      socket = null;
      opened = false;
      for (const [callId, p] of pending) {
        if (p.http) continue;
        if (!wasOpen) overHttp(callId, p); // the socket could not open: HTTP answers, or says why it cannot
        else if (p.sent) {
          pending.delete(callId);
          p.reject(new ApiError(`${p.method}: the connection to the GaitLab server was lost; is \`gaitlab serve\` still running?`));
        }
      }
      attempt = wasOpen ? 0 : attempt + 1;
      scheduleReconnect();
    };
  };

  const scheduleReconnect = () => {
    if (timer !== null) return;
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** attempt);
    timer = window.setTimeout(connect, delay + delay * 0.2 * Math.random());
  };

  /** A call should not wait out a reconnect back-off: try now. */
  const connectNow = () => {
    if (socket) return;
    if (timer !== null) window.clearTimeout(timer);
    connect();
  };

  return {
    start: connectNow,
    call(callId, method, request) {
      if (!browserToken()) return Promise.reject(new ApiError(MISSING_TOKEN_MESSAGE, 401));
      return new Promise((resolve, reject) => {
        const p: Pending = { method, request, sent: false, resolve, reject };
        pending.set(callId, p);
        if (opened) sendCall(callId, p);
        else connectNow();
      });
    },
    cancel(callId) {
      const p = pending.get(callId);
      if (!p) return;
      if (p.http) p.http.abort();
      else if (p.sent) sendMessage({ type: 'cancel', callId });
      else {
        pending.delete(callId);
        p.reject(new ApiError(`${p.method} was cancelled`, undefined, 'cancelled'));
      }
    },
    subscribe(sub) {
      connectNow();
      sendMessage({ type: 'subscribe', ...sub });
    },
    unsubscribe(sub) {
      sendMessage({ type: 'unsubscribe', ...sub });
    },
  };
}
