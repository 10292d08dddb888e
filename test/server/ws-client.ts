// A test client of browser mode's WebSocket channel: every message the server sends is checked against
// wsServerMessage (and its events against apiEvent) before a test sees it.
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import type { ApiMethod, ApiRequest } from '../../src-shared/api/schema';
import { wsServerMessage, type WsClientMessage, type WsServerMessage } from '../../src-shared/api/transport';

export type ResultMessage = Extract<WsServerMessage, { type: 'result' }>;

export class WsTestClient {
  readonly received: WsServerMessage[] = [];
  private waiters: { pred: (m: WsServerMessage) => boolean; resolve: (m: WsServerMessage) => void }[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const parsed = wsServerMessage.safeParse(JSON.parse(String(data)));
      if (!parsed.success) assert.fail(`server message does not match wsServerMessage: ${String(data).slice(0, 300)}`);
      const m = parsed.data;
      this.received.push(m);
      for (const w of [...this.waiters]) {
        if (w.pred(m)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(m);
        }
      }
    });
  }

  static async open(port: number, token: string): Promise<WsTestClient> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${token}`);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new WsTestClient(ws);
  }

  send(m: WsClientMessage | Record<string, unknown>): void {
    this.ws.send(JSON.stringify(m));
  }

  /** The first message (already received or to come) that satisfies `pred`. */
  next(pred: (m: WsServerMessage) => boolean, timeoutMs = 30_000): Promise<WsServerMessage> {
    const seen = this.received.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching WebSocket message within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ pred, resolve: (m) => { clearTimeout(timer); resolve(m); } });
    });
  }

  async call<M extends ApiMethod>(callId: string, method: M, request: ApiRequest<M>): Promise<ResultMessage> {
    this.send({ type: 'call', callId, method, request });
    return (await this.next((m) => m.type === 'result' && m.callId === callId)) as ResultMessage;
  }

  events(): Extract<WsServerMessage, { type: 'event' }>['event'][] {
    return this.received.flatMap((m) => (m.type === 'event' ? [m.event] : []));
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}
