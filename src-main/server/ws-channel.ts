// Browser mode's API channel: one WebSocket per page carries its calls, their cancellation, their progress
// and the page's topic subscriptions (protocol in src-shared/api/transport.ts). Every message from the page
// is validated; a bad one is answered with one line and changes nothing.
import { WebSocket } from 'ws';
import { callId, describeIssue, wsClientMessage, type WsServerMessage } from '../../src-shared/api/transport';
import { ClientSession } from '../services/client-session';
import type { Dispatch } from '../services/dispatch';
import type { EventBus } from '../services/event-bus';

/** The largest message a page may send (a call's request); the server closes a socket that sends more. */
export const MAX_WS_MESSAGE_BYTES = 1 << 20;

function send(ws: WebSocket, message: WsServerMessage): void {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
}

/** Serves the API on an authenticated socket until it closes; returns its session (for tests and shutdown). */
export function serveApiSocket(ws: WebSocket, dispatch: Dispatch, bus: EventBus): ClientSession {
  const session = new ClientSession(dispatch, bus, (event) => send(ws, { type: 'event', event }));
  ws.on('message', (data, isBinary) => {
    const fail = (message: string) => send(ws, { type: 'error', error: { code: 'bad-request', message } });
    if (isBinary) return fail('WebSocket message: expected JSON text, got binary data');
    let raw: unknown;
    try {
      raw = JSON.parse(String(data));
    } catch {
      return fail('WebSocket message: not valid JSON');
    }
    const parsed = wsClientMessage.safeParse(raw);
    if (!parsed.success) {
      const obj = raw !== null && typeof raw === 'object' ? (raw as { type?: unknown; callId?: unknown }) : {};
      const id = obj.callId;
      const message = `WebSocket message: ${describeIssue(parsed.error)}`;
      // A call whose id is readable gets its failure as its result, so the page's promise settles.
      if (obj.type === 'call' && typeof id === 'string' && callId.safeParse(id).success) {
        return send(ws, { type: 'result', callId: id, ok: false, error: { code: 'bad-request', message } });
      }
      return fail(message);
    }
    const m = parsed.data;
    switch (m.type) {
      case 'call':
        void session.call(m.callId, m.method, m.request).then((reply) => send(ws, { type: 'result', callId: m.callId, ...reply }));
        return;
      case 'cancel':
        session.cancel(m.callId);
        return;
      case 'subscribe':
        session.subscribe({ topics: m.topics, jobIds: m.jobIds });
        return;
      case 'unsubscribe':
        session.unsubscribe({ topics: m.topics, jobIds: m.jobIds });
        return;
    }
  });
  ws.on('close', () => session.close());
  ws.on('error', () => session.close());
  return session;
}
