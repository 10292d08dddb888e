// Browser mode's security and transport, on a real server bound to loopback: HTTP for scripts, the WebSocket
// channel the page uses (calls, cancel, per-call events, subscriptions), and requests no server may die of.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import WebSocket from 'ws';
import { startBrowserServer, type BrowserServer } from '../../src-main/server/http-server';
import { closeServiceContext, openServiceContext, type ServiceContext } from '../../src-main/services/context';
import { uploadReply } from '../../src-shared/api/transport';
import type { JobStateEvent } from '../../src-shared/api/events';
import { checkResponse } from '../api-contract';
import { sharedData, tempDir } from '../helpers';
import { assertWholeTrials } from '../import-consistency';
import { WsTestClient } from './ws-client';

const dir = tempDir();
let ctx: ServiceContext;
let srv: BrowserServer;

before(async () => {
  ctx = openServiceContext({ dbPath: join(dir, 'srv.db'), mode: 'browser', stagingDir: join(dir, 'staging') });
  srv = await startBrowserServer(ctx);
});
after(async () => {
  await srv.close();
  closeServiceContext(ctx);
});

interface RawResponse { status: number; headers: Record<string, string | string[] | undefined>; body: string }

function raw(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer; port?: number } = {}): Promise<RawResponse> {
  const port = opts.port ?? srv.port;
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: { Host: `127.0.0.1:${port}`, ...opts.headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const apiCall = (method: string, payload: unknown, headers: Record<string, string> = {}, s: BrowserServer = srv) =>
  raw(`/api/${method}`, { method: 'POST', port: s.port, headers: { 'Content-Type': 'application/json', 'X-GaitLab-Token': s.token, ...headers }, body: JSON.stringify(payload) });

/** Bytes written on a bare TCP connection, and everything the server answers before it closes. */
function rawTcp(payload: string | Buffer, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(srv.port, '127.0.0.1');
    let got = '';
    const timer = setTimeout(() => { socket.destroy(); resolve(got); }, timeoutMs);
    socket.on('data', (c) => {
      got += c.toString('latin1');
      // The status line and headers are the answer; a keep-alive connection need not be waited out.
      if (got.includes('\r\n\r\n')) { clearTimeout(timer); socket.destroy(); resolve(got); }
    });
    socket.on('close', () => { clearTimeout(timer); resolve(got); });
    socket.on('error', (e) => { clearTimeout(timer); if (got) resolve(got); else reject(e); });
    socket.write(payload);
  });
}

/** A second server on its own database, for tests that cancel imports. */
async function withOwnServer(name: string, fn: (s: BrowserServer, c: ServiceContext, dbPath: string) => Promise<void>): Promise<void> {
  const dbPath = join(dir, `${name}.db`);
  const c = openServiceContext({ dbPath, mode: 'browser', stagingDir: join(dir, `${name}-staging`) });
  const s = await startBrowserServer(c);
  try {
    await fn(s, c, dbPath);
  } finally {
    await s.close();
    closeServiceContext(c);
  }
}

const trialCount = (c: ServiceContext) => (c.db.prepare('SELECT COUNT(*) AS n FROM trials').get() as { n: number }).n;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('listens on 127.0.0.1 only, with a random token in the URL fragment', () => {
  assert.equal((srv.server.address() as { address: string }).address, '127.0.0.1');
  assert.match(srv.url, new RegExp(`^http://127\\.0\\.0\\.1:${srv.port}/#token=[A-Za-z0-9_-]{32}$`));
});

test('the API refuses requests without the token, with a wrong one, from another origin or Host', async () => {
  assert.equal((await raw('/api/info', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status, 401);
  assert.equal((await apiCall('info', {}, { 'X-GaitLab-Token': 'x'.repeat(32) })).status, 401);
  assert.equal((await apiCall('info', {}, { Origin: 'http://evil.example' })).status, 403);
  assert.equal((await apiCall('info', {}, { Host: `evil.example:${srv.port}` })).status, 421);
  assert.equal((await raw('/api/info', { headers: { 'X-GaitLab-Token': srv.token } })).status, 405);
});

test('payloads are validated against the schema, with the failing field named', async () => {
  const bad = await apiCall('listSubjects', { limit: 'all' });
  assert.equal(bad.status, 400);
  assert.match(JSON.parse(bad.body).error.message, /^listSubjects: field limit: /);
  const extra = await apiCall('listSubjects', { limit: 5, sql: 'DROP TABLE subjects' });
  assert.equal(extra.status, 400);
  const unknown = await apiCall('dropEverything', {});
  assert.equal(JSON.parse(unknown.body).error.message, 'unknown API method "dropEverything"');
  const notJson = await raw('/api/info', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-GaitLab-Token': srv.token }, body: '{not json' });
  assert.equal(notJson.status, 400);
});

test('a valid HTTP call returns {ok, result}, the result matching its schema', async () => {
  const r = await apiCall('info', {});
  assert.equal(r.status, 200);
  const body = JSON.parse(r.body);
  assert.equal(body.ok, true);
  const info = checkResponse('info', body.result);
  assert.equal(info.mode, 'browser');
  assert.equal(info.counts.subjects, 0);
});

test("a call over the WebSocket answers with its result; its progress goes to that socket only, an HTTP call's to none", async () => {
  const caller = await WsTestClient.open(srv.port, srv.token);
  const other = await WsTestClient.open(srv.port, srv.token);
  other.send({ type: 'subscribe', topics: ['jobs'], jobIds: [] });
  const paths = [sharedData('gaitpdb', 'GaCo01_01.txt.gz'), sharedData('gaitpdb', 'GaPt03_01.txt.gz')];
  const reply = await caller.call('imp-1', 'importPaths', { paths });
  assert.equal(reply.ok, true);
  assert.equal(reply.ok && checkResponse('importPaths', reply.result).trialsAdded, 2);
  const progress = caller.events().flatMap((e) => (e.type === 'progress' ? [e] : []));
  assert.ok(progress.length >= 3);
  assert.ok(progress.every((e) => e.callId === 'imp-1' && e.topic === 'call'));
  assert.deepEqual(progress.at(-1)!.progress, { kind: 'progress', task: 'import', stage: 'done', done: progress.at(-1)!.progress.total, total: progress.at(-1)!.progress.total });
  assert.ok(progress.some((e) => e.progress.stage === 'importing' && /GaCo01_01/.test(e.progress.detail ?? '')));

  const overHttp = JSON.parse((await apiCall('importPaths', { paths: [sharedData('gaitpdb', 'JuCo01_01.txt.gz')] })).body);
  assert.equal(checkResponse('importPaths', overHttp.result).trialsAdded, 1);
  await sleep(100);
  assert.deepEqual(other.received, [], 'the other socket received nothing: not the call events, not the HTTP call events');
  assert.equal(caller.events().length, progress.length, 'the HTTP call sent nothing to the WebSocket');
  await caller.close();
  await other.close();
});

test('topic events reach only the sockets subscribed to them, until they unsubscribe or close', async () => {
  const jobs = await WsTestClient.open(srv.port, srv.token);
  const oneJob = await WsTestClient.open(srv.port, srv.token);
  const none = await WsTestClient.open(srv.port, srv.token);
  const baseline = ctx.events.size;
  jobs.send({ type: 'subscribe', topics: ['jobs'] });
  oneJob.send({ type: 'subscribe', jobIds: ['j2'] });
  await sleep(50);
  assert.equal(ctx.events.size, baseline + 2);
  const state = (jobId: string): JobStateEvent => ({
    type: 'job-state', topic: 'jobs', jobId,
    job: { id: jobId, method: 'horst', status: 'running', progress: 0.25, stage: 'fit', etaS: 12, params: {}, error: null, modelId: null, createdAt: '2026-12-06T10:00:00.000Z', startedAt: null, finishedAt: null, heartbeatAt: null, seed: 0, data: { cohort: 'test', session: null }, cancelRequested: false },
  });
  ctx.events.publish(state('j1'));
  ctx.events.publish(state('j2'));
  await jobs.next((m) => m.type === 'event' && m.event.topic === 'jobs' && m.event.jobId === 'j2');
  await oneJob.next((m) => m.type === 'event');
  await sleep(50);
  assert.deepEqual(jobs.events(), [state('j1'), state('j2')]);
  assert.deepEqual(oneJob.events(), [state('j2')]);
  assert.deepEqual(none.received, []);

  jobs.send({ type: 'unsubscribe', topics: ['jobs'] });
  await sleep(50);
  ctx.events.publish(state('j2'));
  await oneJob.next((m) => m.type === 'event' && oneJob.events().length === 2);
  await sleep(50);
  assert.equal(jobs.events().length, 2, 'nothing after unsubscribe');
  await oneJob.close();
  await jobs.close();
  await none.close();
  await sleep(50);
  assert.equal(ctx.events.size, baseline, 'a closed socket ends its subscriptions');
});

test('every malformed WebSocket message gets one line naming what is wrong, and the socket keeps serving', async () => {
  const ws = await WsTestClient.open(srv.port, srv.token);
  ws.ws.send('{not json');
  assert.deepEqual(await ws.next((m) => m.type === 'error'), { type: 'error', error: { code: 'bad-request', message: 'WebSocket message: not valid JSON' } });
  ws.ws.send(Buffer.from([1, 2, 3]));
  await ws.next((m) => m.type === 'error' && /binary/.test(m.error.message));
  ws.send({ type: 'launch' });
  await ws.next((m) => m.type === 'error' && /^WebSocket message: field type: /.test(m.error.message));
  ws.send({ type: 'subscribe', topics: ['everything'] });
  await ws.next((m) => m.type === 'error' && /^WebSocket message: field topics\.0: /.test(m.error.message));
  ws.send({ type: 'call', callId: 'no spaces allowed', method: 'info', request: {} });
  await ws.next((m) => m.type === 'error' && /field callId: call ids are letters/.test(m.error.message));
  ws.send({ type: 'call', callId: 'c1', method: 'info', request: {}, extra: true });
  assert.deepEqual(await ws.next((m) => m.type === 'result' && m.callId === 'c1'), { type: 'result', callId: 'c1', ok: false, error: { code: 'bad-request', message: 'WebSocket message: field (message): Unrecognized key: "extra"' } });
  assert.deepEqual(await ws.call('c2', 'dropTables' as 'info', {}), { type: 'result', callId: 'c2', ok: false, error: { code: 'bad-request', message: 'unknown API method "dropTables"' } });
  const bad = await ws.call('c3', 'listSubjects', { limit: 'all' as unknown as number });
  assert.match(!bad.ok ? bad.error.message : '', /^listSubjects: field limit: /);
  const ok = await ws.call('c4', 'info', {});
  assert.equal(ok.ok && checkResponse('info', ok.result).mode, 'browser');
  await ws.close();
});

test('a WebSocket cancel stops a real import between files: whole trials stay, the rest is not stored', async () => {
  await withOwnServer('ws-cancel', async (s, c, dbPath) => {
    const ws = await WsTestClient.open(s.port, s.token);
    ws.send({ type: 'call', callId: 'big', method: 'importPaths', request: { paths: [sharedData('gaitpdb')] } });
    await ws.next((m) => m.type === 'event' && m.event.type === 'progress' && ws.events().length >= 4);
    ws.send({ type: 'cancel', callId: 'big' });
    const reply = await ws.next((m) => m.type === 'result' && m.callId === 'big');
    assert.deepEqual(reply, { type: 'result', callId: 'big', ok: false, error: { code: 'cancelled', message: 'import was cancelled' } });
    ws.send({ type: 'cancel', callId: 'big' }); // finished: nothing to cancel, no answer, no harm
    const stored = trialCount(c);
    assert.ok(stored >= 1 && stored < 306, `some trials, not all: ${stored}`);
    const again = await ws.call('after', 'info', {});
    assert.equal(again.ok && checkResponse('info', again.result).counts.trials, stored);
    await ws.close();
    await s.close();
    closeServiceContext(c);
    assertWholeTrials(dbPath);
  });
});

test('closing the socket cancels its calls in flight', async () => {
  await withOwnServer('ws-close', async (s, c, dbPath) => {
    const ws = await WsTestClient.open(s.port, s.token);
    ws.send({ type: 'call', callId: 'big', method: 'importPaths', request: { paths: [sharedData('gaitpdb')] } });
    await ws.next((m) => m.type === 'event' && ws.events().length >= 3);
    ws.ws.terminate();
    let last = -1;
    for (let n = trialCount(c); n !== last; n = trialCount(c)) { last = n; await sleep(700); }
    assert.ok(last >= 1 && last < 306, `the import stopped: ${last} trials`);
    await s.close();
    closeServiceContext(c);
    assertWholeTrials(dbPath);
  });
});

test('an HTTP client that hangs up cancels its call: the import stops between files', async () => {
  await withOwnServer('http-cancel', async (s, c, dbPath) => {
    const req = request({ host: '127.0.0.1', port: s.port, path: '/api/importPaths', method: 'POST', headers: { Host: `127.0.0.1:${s.port}`, 'Content-Type': 'application/json', 'X-GaitLab-Token': s.token } });
    req.on('error', () => { /* we hang up ourselves */ });
    req.end(JSON.stringify({ paths: [sharedData('gaitpdb')] }));
    while (trialCount(c) < 2) await sleep(20);
    req.destroy();
    let last = -1;
    for (let n = trialCount(c); n !== last; n = trialCount(c)) { last = n; await sleep(700); }
    assert.ok(last >= 2 && last < 306, `the import stopped: ${last} trials`);
    const info = JSON.parse((await apiCall('info', {}, {}, s)).body);
    assert.equal(checkResponse('info', info.result).counts.trials, last);
    await s.close();
    closeServiceContext(c);
    assertWholeTrials(dbPath);
  });
});

test('uploads are staged under their own name inside this run\'s staging folder, never outside it', async () => {
  const bytes = readFileSync(sharedData('gaitpdb', 'SiCo01_01.txt.gz'));
  const up = await raw('/upload', { method: 'POST', headers: { 'X-GaitLab-Token': srv.token, 'X-File-Name': encodeURIComponent('gaitpdb/SiCo01_01.txt.gz') }, body: bytes });
  assert.equal(up.status, 200, up.body);
  const staged = uploadReply.parse(JSON.parse(up.body).result).path;
  assert.ok(srv.stagingDir.startsWith(join(dir, 'staging', `${process.pid}-`)));
  assert.ok(staged.startsWith(srv.stagingDir + sep));
  assert.ok(staged.endsWith(join('gaitpdb', 'SiCo01_01.txt.gz')));
  assert.deepEqual(readFileSync(staged), bytes);
  const sneaky = await raw('/upload', { method: 'POST', headers: { 'X-GaitLab-Token': srv.token, 'X-File-Name': encodeURIComponent('../../../etc/cron.d/x') }, body: 'x' });
  assert.ok(uploadReply.parse(JSON.parse(sneaky.body).result).path.startsWith(srv.stagingDir + sep));
  assert.equal((await raw('/upload', { method: 'POST', headers: { 'X-GaitLab-Token': srv.token, 'X-File-Name': '..' }, body: 'x' })).status, 400);
  assert.equal((await raw('/upload', { method: 'POST', headers: { 'X-File-Name': 'a.txt' }, body: 'x' })).status, 401);
  const imported = checkResponse('importPaths', JSON.parse((await apiCall('importPaths', { paths: [staged] })).body).result);
  assert.equal(imported.trialsAdded, 1);
});

test('static files carry a strict CSP and paths cannot escape the renderer folder', async () => {
  const index = await raw('/');
  if (index.status === 200) {
    assert.match(String(index.headers['content-security-policy']), /default-src 'self'; script-src 'self'/);
    assert.match(index.body, /<div id="root">/);
  } else {
    assert.equal(index.status, 503); // renderer not built: says how to build it
    assert.match(index.body, /npm run build/);
  }
  assert.equal((await raw('/..%2f..%2fpackage.json')).status, index.status === 200 ? 404 : 503);
});

test('no request ends the server: malformed targets, bad methods, absurd and huge headers get a 400 (issue 21 item 1)', async () => {
  const host = `Host: 127.0.0.1:${srv.port}\r\n`;
  const upgrade = 'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n';
  const cases: [string, string][] = [
    ['WebSocket upgrade to a malformed target', `GET http://[ HTTP/1.1\r\n${host}${upgrade}\r\n`],
    ['WebSocket upgrade to a malformed target, no Host', `GET http://[ HTTP/1.1\r\n${upgrade}\r\n`],
    ['plain GET of a malformed target', `GET http://[ HTTP/1.1\r\n${host}\r\n`],
    ['POST to a malformed target', `POST http://[/api/info HTTP/1.1\r\n${host}Content-Length: 0\r\n\r\n`],
    ['a method that does not exist', `FROB / HTTP/1.1\r\n${host}\r\n`],
    ['a header name with a space', `GET / HTTP/1.1\r\n${host}Bad Header: 1\r\n\r\n`],
    ['a control character in a header value', `GET / HTTP/1.1\r\n${host}X-A: a\x01b\r\n\r\n`],
    ['two different Content-Lengths', `POST /api/info HTTP/1.1\r\n${host}Content-Length: 1\r\nContent-Length: 2\r\n\r\n{}`],
    ['a header of 100 kB', `GET / HTTP/1.1\r\n${host}X-Big: ${'a'.repeat(100_000)}\r\n\r\n`],
    ['not HTTP at all', '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage\r\n\r\n'],
  ];
  for (const [what, payload] of cases) {
    const answer = await rawTcp(payload);
    assert.match(answer, /^HTTP\/1\.1 400 /, `${what}: ${JSON.stringify(answer.slice(0, 80))}`);
    const info = await apiCall('info', {});
    assert.equal(info.status, 200, `the server still answers after: ${what}`);
  }
  // A proxy tunnel request is answered too (Node alone would close the socket without a word).
  assert.match(await rawTcp(`CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n\r\n`), /^HTTP\/1\.1 405 /);
  assert.equal((await apiCall('info', {})).status, 200, 'the server still answers after CONNECT');
  const ws = await WsTestClient.open(srv.port, srv.token);
  assert.equal((await ws.call('still', 'info', {})).ok, true);
  await ws.close();
  const refused = new WebSocket(`ws://127.0.0.1:${srv.port}/ws?token=wrong`);
  await new Promise<void>((resolve) => refused.on('error', () => resolve()));
});

test('staging: closing removes this run\'s folder; a start removes the folders of dead runs and keeps live ones', async () => {
  const root = join(dir, 'stale-staging');
  // A pid that surely belongs to no process: a child that has already exited.
  const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!;
  const dead = join(root, `${deadPid}-0badc0de`);
  const live = join(root, `${process.ppid}-600dcafe`);
  const other = join(root, 'notes');
  for (const d of [dead, live, other]) mkdirSync(join(d, 'gaitpdb'), { recursive: true });
  const c = openServiceContext({ dbPath: join(dir, 'stale.db'), mode: 'browser', stagingDir: root });
  const s = await startBrowserServer(c);
  try {
    assert.equal(existsSync(dead), false, 'the folder of a dead run is removed');
    assert.equal(existsSync(live), true, 'the folder of a live run is kept');
    assert.equal(existsSync(other), true, 'what is not a run folder is kept');
    const up = await raw('/upload', { method: 'POST', port: s.port, headers: { 'X-GaitLab-Token': s.token, 'X-File-Name': 'a.txt' }, body: 'x' });
    assert.equal(up.status, 200);
    assert.equal(existsSync(s.stagingDir), true);
  } finally {
    await s.close();
    closeServiceContext(c);
  }
  assert.equal(existsSync(s.stagingDir), false, 'close removes this run\'s folder');
});
