// Browser mode's security and transport, on a real server bound to loopback.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import WebSocket from 'ws';
import { startBrowserServer, type BrowserServer } from '../../src-main/server/http-server';
import { closeServiceContext, openServiceContext, type ServiceContext } from '../../src-main/services/context';
import { sharedData, tempDir } from '../helpers';

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

function raw(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<{ status: number; headers: Record<string, any>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: srv.port, path, method: opts.method ?? 'GET', headers: { Host: `127.0.0.1:${srv.port}`, ...opts.headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const api = (method: string, payload: unknown, headers: Record<string, string> = {}) =>
  raw(`/api/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-GaitLab-Token': srv.token, ...headers }, body: JSON.stringify(payload) });

test('listens on 127.0.0.1 only, with a random token in the URL fragment', () => {
  assert.equal((srv.server.address() as any).address, '127.0.0.1');
  assert.match(srv.url, new RegExp(`^http://127\\.0\\.0\\.1:${srv.port}/#token=[A-Za-z0-9_-]{32}$`));
});

test('the API refuses requests without the token, with a wrong one, from another origin or Host', async () => {
  assert.equal((await raw('/api/info', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status, 401);
  assert.equal((await api('info', {}, { 'X-GaitLab-Token': 'x'.repeat(32) })).status, 401);
  assert.equal((await api('info', {}, { Origin: 'http://evil.example' })).status, 403);
  assert.equal((await api('info', {}, { Host: `evil.example:${srv.port}` })).status, 421);
  assert.equal((await raw('/api/info', { headers: { 'X-GaitLab-Token': srv.token } })).status, 405);
});

test('payloads are validated against the schema, with the failing field named', async () => {
  const bad = await api('listSubjects', { limit: 'all' });
  assert.equal(bad.status, 400);
  assert.match(JSON.parse(bad.body).error.message, /^listSubjects: field limit: /);
  const extra = await api('listSubjects', { limit: 5, sql: 'DROP TABLE subjects' });
  assert.equal(extra.status, 400);
  const unknown = await api('dropEverything', {});
  assert.equal(JSON.parse(unknown.body).error.message, 'unknown API method "dropEverything"');
  const notJson = await raw('/api/info', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-GaitLab-Token': srv.token }, body: '{not json' });
  assert.equal(notJson.status, 400);
});

test('a valid call returns {ok, result}', async () => {
  const r = await api('info', {});
  assert.equal(r.status, 200);
  const body = JSON.parse(r.body);
  assert.equal(body.ok, true);
  assert.equal(body.result.mode, 'browser');
  assert.equal(body.result.counts.subjects, 0);
});

test('progress of an import reaches a WebSocket holding the token; one without it is refused', async () => {
  const refused = new WebSocket(`ws://127.0.0.1:${srv.port}/ws?token=wrong`);
  await new Promise<void>((resolve) => refused.on('error', () => resolve()));
  const ws = new WebSocket(`ws://127.0.0.1:${srv.port}/ws?token=${srv.token}`);
  await new Promise((resolve) => ws.on('open', resolve));
  const events: any[] = [];
  ws.on('message', (m) => events.push(JSON.parse(String(m))));
  const r = await api('importPaths', { paths: [sharedData('gaitpdb', 'GaCo01_01.txt.gz'), sharedData('gaitpdb', 'GaPt03_01.txt.gz')] });
  assert.equal(JSON.parse(r.body).result.trialsAdded, 2);
  await new Promise((resolve) => setTimeout(resolve, 100));
  ws.close();
  assert.ok(events.length >= 2);
  assert.deepEqual(events.at(-1), { kind: 'progress', task: 'import', stage: 'done', done: events.at(-1).total, total: events.at(-1).total });
  assert.ok(events.some((e) => e.stage === 'importing' && /GaCo01_01/.test(e.detail)));
});

test('uploads are staged under their own name inside the staging folder, never outside it', async () => {
  const bytes = readFileSync(sharedData('gaitpdb', 'SiCo01_01.txt.gz'));
  const up = await raw('/upload', { method: 'POST', headers: { 'X-GaitLab-Token': srv.token, 'X-File-Name': encodeURIComponent('gaitpdb/SiCo01_01.txt.gz') }, body: bytes });
  assert.equal(up.status, 200, up.body);
  const staged = JSON.parse(up.body).result.path as string;
  assert.ok(staged.startsWith(join(dir, 'staging') + sep));
  assert.ok(staged.endsWith(join('gaitpdb', 'SiCo01_01.txt.gz')));
  assert.deepEqual(readFileSync(staged), bytes);
  const sneaky = await raw('/upload', { method: 'POST', headers: { 'X-GaitLab-Token': srv.token, 'X-File-Name': encodeURIComponent('../../../etc/cron.d/x') }, body: 'x' });
  assert.ok(JSON.parse(sneaky.body).result.path.startsWith(join(dir, 'staging') + sep));
  assert.equal((await raw('/upload', { method: 'POST', headers: { 'X-GaitLab-Token': srv.token, 'X-File-Name': '..' }, body: 'x' })).status, 400);
  assert.equal((await raw('/upload', { method: 'POST', headers: { 'X-File-Name': 'a.txt' }, body: 'x' })).status, 401);
  const imported = JSON.parse((await api('importPaths', { paths: [staged] })).body).result;
  assert.equal(imported.trialsAdded, 1);
});

test('static files carry a strict CSP and paths cannot escape the renderer folder', async () => {
  const index = await raw('/');
  if (index.status === 200) {
    assert.match(index.headers['content-security-policy'], /default-src 'self'; script-src 'self'/);
    assert.match(index.body, /<div id="root">/);
  } else {
    assert.equal(index.status, 503); // renderer not built: says how to build it
    assert.match(index.body, /npm run build/);
  }
  assert.equal((await raw('/..%2f..%2fpackage.json')).status, index.status === 200 ? 404 : 503);
});
