// Browser mode's channel of the renderer (src-renderer/api/ws-channel.ts) under Node, against the real
// loopback server: the page's calls, their events and cancellation over its WebSocket, subscriptions, and the
// HTTP fallback that says why when the socket is refused. `ws` stands in for the browser's WebSocket.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { ApiEvent, JobStateEvent, Subscription } from '../../src-shared/api/events';
import { startBrowserServer, type BrowserServer } from '../../src-main/server/http-server';
import { closeServiceContext, openServiceContext, type ServiceContext } from '../../src-main/services/context';
import { checkEvent, checkResponse } from '../api-contract';
import { sharedData, tempDir } from '../helpers';
import { assertWholeTrials } from '../import-consistency';

type Channel = typeof import('../../src-renderer/api/ws-channel');
type Envelope = typeof import('../../src-renderer/api/envelope');
type HttpCall = typeof import('../../src-renderer/api/http-call');

const dir = tempDir();
let ctx: ServiceContext;
let other: ServiceContext;
let srv: BrowserServer;
let otherSrv: BrowserServer;
let channelModule: Channel;
let envelope: Envelope;
let httpCall: HttpCall;
const location = { protocol: 'http:', host: '', hash: '', pathname: '/', search: '' };

/** A browser's WebSocket reports a refused connection by closing it; `ws` also emits 'error', which a page never sees. */
class PageWebSocket extends WebSocket {
  constructor(url: string) {
    super(url);
    this.on('error', () => {});
  }
}

before(async () => {
  ctx = openServiceContext({ dbPath: join(dir, 'ws.db'), mode: 'browser', stagingDir: join(dir, 'staging') });
  other = openServiceContext({ dbPath: join(dir, 'other.db'), mode: 'browser', stagingDir: join(dir, 'staging') });
  srv = await startBrowserServer(ctx);
  otherSrv = await startBrowserServer(other);
  location.host = `127.0.0.1:${srv.port}`;
  location.hash = `#token=${srv.token}`;
  const realFetch = globalThis.fetch;
  Object.assign(globalThis, {
    window: {
      location, history: { state: null, replaceState: () => {} }, sessionStorage: { setItem: () => {}, getItem: () => null },
      // The channels' reconnect timers must not keep the test process alive once the servers are gone.
      setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms).unref(),
      clearTimeout,
    },
    WebSocket: PageWebSocket,
    // A page's fetch resolves '/api/…' against its own origin.
    fetch: (url: string, init: RequestInit) => realFetch(new URL(url, `http://${location.host}`), init),
  });
  const session = await import('../../src-renderer/api/browser-session');
  session.initBrowserSession();
  channelModule = await import('../../src-renderer/api/ws-channel');
  envelope = await import('../../src-renderer/api/envelope');
  httpCall = await import('../../src-renderer/api/http-call');
});
after(async () => {
  await srv.close();
  await otherSrv.close();
  closeServiceContext(ctx);
  closeServiceContext(other);
});

function newChannel(sub: Subscription = { topics: [], jobIds: [] }) {
  const events: ApiEvent[] = [];
  const channel = channelModule.createWsChannel((e) => events.push(checkEvent(e)), () => sub);
  channel.start();
  return { channel, events };
}

test('calls made before the socket opens wait for it, and come back with their own events', async () => {
  const { channel, events } = newChannel();
  const [info, imported] = await Promise.all([
    channel.call('p-1', 'info', {}),
    channel.call('p-2', 'importPaths', { paths: [sharedData('gaitpdb', 'GaCo01_01.txt.gz')] }),
  ]);
  assert.equal(checkResponse('info', info).mode, 'browser');
  assert.equal(checkResponse('importPaths', imported).trialsAdded, 1);
  assert.ok(events.length >= 2 && events.every((e) => e.topic === 'call' && e.callId === 'p-2'));
  await assert.rejects(channel.call('p-3', 'listSubjects', { limit: 0 }), (e: unknown) => e instanceof envelope.ApiError && e.code === 'bad-request');
});

test('cancel stops a real import between files over the socket; the call rejects as cancelled', async () => {
  const { channel, events } = newChannel();
  const importing = channel.call('big', 'importPaths', { paths: [sharedData('gaitpdb')] });
  while (events.length < 4) await new Promise((r) => setTimeout(r, 10));
  channel.cancel('big');
  await assert.rejects(importing, (e: unknown) => envelope.isCancelled(e));
  const trials = checkResponse('info', await channel.call('after', 'info', {})).counts.trials;
  assert.ok(trials > 1 && trials < 306, `${trials}`);
  assert.equal(assertWholeTrials(join(dir, 'ws.db')).trials, trials);
});

test('the page subscription is sent when the socket opens, and changes as the page subscribes', async () => {
  const sub: Subscription = { topics: [], jobIds: ['j1'] };
  const { channel, events } = newChannel(sub);
  await channel.call('open', 'info', {});
  const state = (jobId: string): JobStateEvent => ({
    type: 'job-state', topic: 'jobs', jobId,
    job: { id: jobId, method: 'gp', status: 'done', progress: 1, stage: null, etaS: null, params: {}, error: null, modelId: 'm1', createdAt: '2026-12-06T10:00:00.000Z', startedAt: null, finishedAt: null, heartbeatAt: null, seed: 0, data: { cohort: 'test', session: null }, cancelRequested: false },
  });
  const settle = () => channel.call(`s-${Math.random().toString(36).slice(2)}`, 'info', {}); // a round trip: earlier messages are handled
  ctx.events.publish(state('j1'));
  ctx.events.publish(state('j2'));
  await settle();
  assert.deepEqual(events.filter((e) => e.topic === 'jobs'), [state('j1')]);
  channel.subscribe({ topics: ['jobs'], jobIds: [] });
  await settle();
  ctx.events.publish(state('j2'));
  await settle();
  assert.deepEqual(events.filter((e) => e.topic === 'jobs'), [state('j1'), state('j2')]);
  channel.unsubscribe({ topics: ['jobs'], jobIds: ['j1'] });
  await settle();
  ctx.events.publish(state('j1'));
  await settle();
  assert.equal(events.filter((e) => e.topic === 'jobs').length, 2);
});

test('a refused socket falls back to HTTP, which says the token is stale in words', async () => {
  location.host = `127.0.0.1:${otherSrv.port}`; // a restarted server: this page's token is no longer its token
  try {
    const { channel } = newChannel();
    await assert.rejects(channel.call('stale', 'info', {}), (e: unknown) => e instanceof envelope.ApiError && e.status === 401 && e.message === httpCall.STALE_TOKEN_MESSAGE);
  } finally {
    location.host = `127.0.0.1:${srv.port}`;
  }
});
