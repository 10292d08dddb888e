// The renderer's API client (src-renderer/api/client.ts) under Node, over a stand-in for the preload whose
// other side is the real ClientSession and dispatcher of main: typed calls, per-call events, AbortSignal →
// cancel, and subscribe() with topics and jobs, told to main only when the page's union changes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { ApiEvent, JobStateEvent, Subscription } from '../../src-shared/api/events';
import { subscription } from '../../src-shared/api/events';
import { ClientSession } from '../../src-main/services/client-session';
import { closeServiceContext, openServiceContext, type ServiceContext } from '../../src-main/services/context';
import { createDispatcher } from '../../src-main/services/dispatch';
import type { GaitLabBridge } from '../../src-renderer/types/gaitlab-bridge';
import { checkEvent, checkResponse } from '../api-contract';
import { sharedData, tempDir } from '../helpers';
import { assertWholeTrials } from '../import-consistency';

type Client = typeof import('../../src-renderer/api/client');

const dir = tempDir();
const dbPath = join(dir, 'client.db');
let ctx: ServiceContext;
let client: Client;
const told: [string, Partial<Subscription>][] = [];

before(async () => {
  ctx = openServiceContext({ dbPath, mode: 'electron' });
  const listeners = new Set<(e: ApiEvent) => void>();
  const session = new ClientSession(createDispatcher(ctx), ctx.events, (e) => { for (const l of listeners) l(checkEvent(e)); });
  // What preload + ipc-bridge do, minus Electron: every message is validated as main validates it.
  const bridge: GaitLabBridge = {
    call: (callId, method, request) => session.call(callId, method, request),
    cancel: async (callId) => session.cancel(callId),
    subscribe: async (sub) => { told.push(['subscribe', sub]); session.subscribe(subscription.parse(sub)); },
    unsubscribe: async (sub) => { told.push(['unsubscribe', sub]); session.unsubscribe(subscription.parse(sub)); },
    onEvent: (cb) => { listeners.add(cb); return () => listeners.delete(cb); },
    pickPaths: async () => [],
    platform: 'linux',
  };
  (globalThis as { window?: unknown }).window = { gaitlab: bridge };
  client = await import('../../src-renderer/api/client');
});
after(() => closeServiceContext(ctx));

test('calls are typed end to end; a bad request rejects with its code and the field named', async () => {
  assert.equal(client.transportKind, 'electron');
  const info = await client.call('info', {});
  assert.equal(checkResponse('info', info).mode, 'electron');
  await assert.rejects(client.call('listSubjects', { limit: 0 }), (e: unknown) => e instanceof client.ApiError && e.code === 'bad-request' && /^listSubjects: field limit: /.test(e.message));
});

test("each call's onEvent gets its own progress only; onProgress gets every call's", async () => {
  const a: ApiEvent[] = [];
  const b: ApiEvent[] = [];
  const all: unknown[] = [];
  const off = client.onProgress((p) => all.push(p));
  const [ra, rb] = await Promise.all([
    client.call('importPaths', { paths: [sharedData('gaitpdb', 'GaCo01_01.txt.gz')] }, { onEvent: (e) => a.push(e) }),
    client.call('importPaths', { paths: [sharedData('gaitpdb', 'SiCo01_01.txt.gz')] }, { onEvent: (e) => b.push(e) }),
  ]);
  off();
  assert.equal(ra.trialsAdded + rb.trialsAdded, 2);
  const ids = (events: ApiEvent[]) => new Set(events.map((e) => (e.topic === 'call' ? e.callId : 'jobId' in e ? e.jobId : e.runId)));
  assert.equal(ids(a).size, 1);
  assert.equal(ids(b).size, 1);
  assert.notDeepEqual([...ids(a)], [...ids(b)]);
  assert.ok(a.some((e) => e.type === 'progress' && /GaCo01_01/.test(e.progress.detail ?? '')));
  assert.ok(!a.some((e) => e.type === 'progress' && /SiCo01_01/.test(e.progress.detail ?? '')));
  assert.equal(all.length, a.length + b.length);
});

test('aborting the AbortSignal cancels the import in main: the call rejects as cancelled, stored trials are whole', async () => {
  const abort = new AbortController();
  let seen = 0;
  const before = checkResponse('info', await client.call('info', {})).counts.trials;
  const importing = client.call('importPaths', { paths: [sharedData('gaitpdb')] }, {
    signal: abort.signal,
    onEvent: (e) => { if (e.type === 'progress' && ++seen === 5) abort.abort(); },
  });
  await assert.rejects(importing, (e: unknown) => client.isCancelled(e) && (e as Error).message === 'import was cancelled');
  const after = checkResponse('info', await client.call('info', {})).counts.trials;
  assert.ok(after > before && after < 306, `stopped part-way: ${after - before} new trials`);
  assert.equal(assertWholeTrials(dbPath).trials, after);
  await assert.rejects(client.call('info', {}, { signal: abort.signal }), (e: unknown) => client.isCancelled(e), 'an aborted signal never reaches main');
});

test('subscribe delivers the topic and job events each callback asked for, telling main only of changes', async () => {
  const state = (jobId: string): JobStateEvent => ({
    type: 'job-state', topic: 'jobs', jobId,
    job: { id: jobId, method: 'sae', status: 'queued', progress: 0, stage: null, etaS: null, params: {}, error: null, modelId: null, createdAt: '2026-12-06T10:00:00.000Z', startedAt: null, finishedAt: null, heartbeatAt: null, seed: 0, data: { cohort: 'test', session: null }, cancelRequested: false },
  });
  const flush = () => new Promise((r) => setImmediate(r));
  told.length = 0;
  const panel: ApiEvent[] = [];
  const badge: ApiEvent[] = [];
  const one: ApiEvent[] = [];
  const offPanel = client.subscribe({ topics: ['jobs'] }, (e) => panel.push(e));
  const offBadge = client.subscribe({ topics: ['jobs'] }, (e) => badge.push(e));
  const offOne = client.subscribe({ jobIds: ['j2'] }, (e) => one.push(e));
  await flush();
  assert.deepEqual(told, [['subscribe', { topics: ['jobs'], jobIds: [] }], ['subscribe', { topics: [], jobIds: ['j2'] }]]);
  ctx.events.publish(state('j1'));
  ctx.events.publish(state('j2'));
  assert.deepEqual(panel, [state('j1'), state('j2')]);
  assert.deepEqual(badge, panel);
  assert.deepEqual(one, [state('j2')]);

  offPanel();
  offPanel(); // twice is once
  await flush();
  assert.equal(told.length, 2, 'another callback still wants jobs: main is not told');
  offBadge();
  offOne();
  await flush();
  assert.deepEqual(told.slice(2), [['unsubscribe', { topics: ['jobs'], jobIds: [] }], ['unsubscribe', { topics: [], jobIds: ['j2'] }]]);
  ctx.events.publish(state('j3'));
  assert.equal(panel.length + badge.length + one.length, 5);
  assert.equal(ctx.events.size, 0, 'main holds no subscription for the page any more');
});
