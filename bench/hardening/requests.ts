// Part 4: hostile requests to browser mode over raw TCP on 127.0.0.1. `gaitlab serve --json` runs in a child
// process; K seeded requests (malformed request-targets with and without a WebSocket upgrade, bad methods,
// huge headers, missing or wrong token, bad Host and Origin, path traversal in upload names, bad JSON,
// oversize and broken bodies, and well-formed ones in between) are sent one at a time and their status
// codes counted. The server must still answer `/` afterwards, every staged upload must have stayed inside
// the staging folder, and that folder must be gone after SIGTERM.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join, sep } from 'node:path';
import { createInterface } from 'node:readline';
import { BIN, bump, sleep, tally, type Battery, type Row } from './cli';

interface Target { port: number; token: string }
interface Answer { status: string; body: string }
type Request = { category: string; bytes: Buffer; expect: string[] };

const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)];

/** Sends raw bytes on a fresh connection and reads until the server closes it (every request says Connection: close) or 5 s pass. */
function rawRequest(port: number, bytes: Buffer, timeoutMs = 5000): Promise<Answer> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: m ? m[1] : why, body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    };
    const timer = setTimeout(() => finish('no answer in 5 s'), timeoutMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => finish('closed unanswered'));
    socket.on('close', () => finish('closed unanswered'));
    // A server that answers before reading an oversize body resets the rest: what it answered still counts.
    socket.on('error', () => finish('reset unanswered'));
    // Written, not ended: a client that half-closes gets no answer to a request the server finishes later.
    socket.write(bytes);
  });
}

function http(method: string, target: string, headers: [string, string][], body: Buffer | string = ''): Buffer {
  const b = Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1');
  const lines = [`${method} ${target} HTTP/1.1`, ...headers.map(([k, v]) => `${k}: ${v}`)];
  if (b.length && !headers.some(([k]) => /^(content-length|transfer-encoding)$/i.test(k))) lines.push(`Content-Length: ${b.length}`);
  lines.push('Connection: close');
  return Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'), b]);
}

const BAD_TARGETS = ['http://[', 'http://[::1', 'http://[/ws', 'ws://[', 'http://%zz/', 'http://a b/', 'http://127.0.0.1:99999/', 'http://:@/'];
const UPLOAD_NAMES = ['../../escape.txt', '..%2F..%2Fescape.txt', '/etc/passwd', '%2e%2e/%2e%2e/escape.txt', '..\\..\\escape.txt', 'a/../../../escape.txt',
  'GaCo01_01.txt%00.c3d', 'C:escape.txt', '.hidden', '%E0%A4%A', '', '....//....//escape.txt', 'sub/../GaCo01_01.txt'];

/** One seeded request of each category in turn; `expect` lists the statuses a sound server gives. */
function makeRequest(random: () => number, i: number, t: Target): Request {
  const host: [string, string] = ['Host', `127.0.0.1:${t.port}`];
  const json: [string, string] = ['Content-Type', 'application/json'];
  const token: [string, string] = ['X-GaitLab-Token', t.token];
  const upgrade: [string, string][] = [['Upgrade', 'websocket'], ['Connection', 'Upgrade'], ['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ=='], ['Sec-WebSocket-Version', '13']];
  const categories = ['malformed target + Upgrade: websocket', 'malformed target', 'bad method', 'huge headers', 'missing/wrong token', 'bad Host/Origin',
    'path traversal in upload name', 'bad JSON / content type / method name', 'oversize or broken body', 'well-formed (control)'] as const;
  const category = categories[i % categories.length];
  switch (category) {
    case 'malformed target + Upgrade: websocket': {
      const raw = `GET ${pick(random, BAD_TARGETS)} HTTP/1.1\r\nHost: 127.0.0.1:${t.port}\r\n${upgrade.map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`;
      return { category, bytes: Buffer.from(raw, 'latin1'), expect: ['400'] };
    }
    case 'malformed target':
      return { category, bytes: http(pick(random, ['GET', 'POST', 'HEAD']), pick(random, [...BAD_TARGETS, '*', '%', '/api/%zz']), [host, json, token], '{}'), expect: ['400', '404', '405'] };
    case 'bad method': {
      const m = pick(random, ['FOO', 'G@T', 'DELETE', 'PUT', 'PATCH', 'PROPFIND', 'TRACE', 'get', 'OPTIONS', 'CONNECT']);
      // Node's HTTP server closes a CONNECT without a word when nothing listens for it: a refusal, not a crash.
      return { category, bytes: http(m, pick(random, ['/', '/api/info', '/upload', '/ws']), [host, token]), expect: m === 'CONNECT' ? ['closed unanswered'] : ['400', '405'] };
    }
    case 'huge headers': {
      // Past Node's 16 KiB header limit, as one header or as many.
      const kb = 17 + Math.floor(random() * 200);
      const many = random() < 0.5;
      const headers: [string, string][] = many ? Array.from({ length: kb * 20 }, (_, k) => [`X-H${k}`, 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa']) : [['X-Big', 'a'.repeat(kb * 1024)]];
      return { category, bytes: http('GET', '/', [host, ...headers]), expect: ['400', '431'] };
    }
    case 'missing/wrong token': {
      const way = pick(random, ['none', 'wrong', 'shorter', 'longer', 'empty', 'ws query'] as const);
      if (way === 'ws query') {
        const raw = `GET /ws?token=${pick(random, ['', 'x', t.token.slice(1), t.token + 'a'])} HTTP/1.1\r\nHost: 127.0.0.1:${t.port}\r\n${upgrade.map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`;
        return { category, bytes: Buffer.from(raw, 'latin1'), expect: ['401'] };
      }
      const value = { none: null, wrong: t.token.replace(/./g, 'A'), shorter: t.token.slice(1), longer: t.token + 'A', empty: '' }[way];
      const headers: [string, string][] = value === null ? [host, json] : [host, json, ['X-GaitLab-Token', value]];
      return { category, bytes: http('POST', pick(random, ['/api/info', '/upload', '/api/importPaths']), headers, '{}'), expect: ['401'] };
    }
    case 'bad Host/Origin': {
      const way = pick(random, ['host', 'no host', 'origin', 'ws origin'] as const);
      if (way === 'host') return { category, bytes: http('POST', '/api/info', [['Host', pick(random, ['evil.example', `127.0.0.1:${t.port + 1}`, `localhost.evil:${t.port}`, '[::1]'])], json, token], '{}'), expect: ['421'] };
      if (way === 'no host') return { category, bytes: Buffer.from(`GET / HTTP/1.0\r\n\r\n`, 'latin1'), expect: ['421'] };
      if (way === 'origin') return { category, bytes: http('POST', '/api/info', [host, ['Origin', pick(random, ['http://evil.example', 'null', `http://127.0.0.1:${t.port + 1}`])], json, token], '{}'), expect: ['403'] };
      const raw = `GET /ws?token=${t.token} HTTP/1.1\r\nHost: 127.0.0.1:${t.port}\r\nOrigin: http://evil.example\r\n${upgrade.map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`;
      return { category, bytes: Buffer.from(raw, 'latin1'), expect: ['401'] };
    }
    case 'path traversal in upload name':
      return { category, bytes: http('POST', '/upload', [host, token, ['X-File-Name', pick(random, UPLOAD_NAMES)]], '0.0\t1\n'), expect: ['200', '400'] };
    case 'bad JSON / content type / method name': {
      const way = pick(random, ['json', 'type', 'method', 'params'] as const);
      if (way === 'type') return { category, bytes: http('POST', '/api/info', [host, token, ['Content-Type', pick(random, ['text/plain', 'application/x-www-form-urlencoded'])]], '{}'), expect: ['415'] };
      if (way === 'method') return { category, bytes: http('POST', `/api/${pick(random, ['nope', '__proto__', 'constructor', 'info/../x', '%00'])}`, [host, json, token], '{}'), expect: ['400', '404'] };
      if (way === 'params') return { category, bytes: http('POST', '/api/getSignals', [host, json, token], pick(random, ['{"trialId": 5}', '[]', 'null', '{"trialId": "no-such-trial"}'])), expect: ['400', '404'] };
      return { category, bytes: http('POST', '/api/info', [host, json, token], pick(random, ['{not json', '[', '{"a":', '\u0000', '\uFEFF{}', '{"a":1}}'])), expect: ['400'] };
    }
    case 'oversize or broken body': {
      const way = pick(random, ['oversize', 'chunked', 'two lengths', 'negative length'] as const);
      if (way === 'oversize') {
        const mb = 1.2 + random() * 2;
        return { category, bytes: http('POST', '/api/info', [host, json, token], `{"pad":"${'x'.repeat(Math.round(mb * 1048576))}"}`), expect: ['400', '413'] };
      }
      if (way === 'chunked') return { category, bytes: Buffer.from(`POST /api/info HTTP/1.1\r\nHost: 127.0.0.1:${t.port}\r\nContent-Type: application/json\r\nX-GaitLab-Token: ${t.token}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`, 'latin1'), expect: ['400'] };
      if (way === 'two lengths') return { category, bytes: http('POST', '/api/info', [host, json, token, ['Content-Length', '2'], ['Content-Length', '5']], '{}'), expect: ['400'] };
      return { category, bytes: http('POST', '/api/info', [host, json, token, ['Content-Length', '-1']], '{}'), expect: ['400'] };
    }
    case 'well-formed (control)':
      return random() < 0.5
        ? { category, bytes: http('GET', '/', [host]), expect: ['200'] }
        : { category, bytes: http('POST', '/api/info', [host, json, token], '{}'), expect: ['200'] };
  }
}

export async function requestBattery(b: Battery, count: number): Promise<Row[]> {
  const db = join(b.work, 'serve', 'lab.db');
  const child = spawn(process.execPath, [BIN, 'serve', '--db', db, '--json'], { env: b.env, stdio: ['ignore', 'pipe', 'pipe'] });
  b.children.add(child);
  let serverStderr = '';
  child.stderr!.setEncoding('utf8').on('data', (s: string) => { serverStderr += s; });
  const exit = new Promise<{ code: number | null; signal: string | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  const line = await Promise.race([
    new Promise<string>((r) => createInterface({ input: child.stdout! }).once('line', r)),
    exit.then(({ code }) => { throw new Error(`gaitlab serve exited with ${code}: ${serverStderr.trim()}`); }),
    sleep(60_000).then(() => { throw new Error('gaitlab serve printed no line in 60 s'); }),
  ]);
  const url = (JSON.parse(line) as { server: { url: string } }).server.url;
  const m = /^http:\/\/127\.0\.0\.1:(\d+)\/#token=(.+)$/.exec(url);
  if (!m) throw new Error(`unexpected server URL ${url}`);
  const t: Target = { port: Number(m[1]), token: m[2] };
  const staging = join(dirname(db), '.gaitlab-staging');

  try {
    const byCategory = new Map<string, { sent: number; statuses: Map<string, number>; unexpected: number }>();
    const all = new Map<string, number>();
    let escaped = 0;
    let staged = 0;
    const failures: string[] = [];
    for (let i = 0; i < count && child.exitCode === null; i++) {
      const req = makeRequest(b.random, i, t);
      if (process.env.HARDENING_TRACE) console.error(`  > ${i} ${req.category}: ${JSON.stringify(req.bytes.subarray(0, 80).toString('latin1'))}`);
      const a = await rawRequest(t.port, req.bytes);
      const c = byCategory.get(req.category) ?? { sent: 0, statuses: new Map(), unexpected: 0 };
      byCategory.set(req.category, c);
      c.sent++;
      bump(c.statuses, a.status);
      bump(all, a.status);
      if (!req.expect.includes(a.status)) {
        c.unexpected++;
        failures.push(`${req.category}: ${a.status} for ${JSON.stringify(req.bytes.subarray(0, 120).toString('latin1'))}`);
      }
      // A staged upload's path must lie inside this run's staging folder, whatever name it was sent under.
      if (req.category === 'path traversal in upload name' && a.status === '200') {
        staged++;
        // The body may come chunked: the reply is the one JSON object in it.
        let path = '';
        try { path = (JSON.parse(a.body.slice(a.body.indexOf('{'), a.body.lastIndexOf('}') + 1)) as { result: { path: string } }).result.path; } catch { path = `(no path in ${JSON.stringify(a.body.slice(0, 80))})`; }
        if (!path.startsWith(staging + sep)) { escaped++; failures.push(`upload stored outside staging: ${path}`); }
      }
    }
    const sent = [...byCategory.values()].reduce((s, c) => s + c.sent, 0);
    const aliveAfter = child.exitCode === null;
    const home = aliveAfter ? await rawRequest(t.port, http('GET', '/', [['Host', `127.0.0.1:${t.port}`]])) : { status: 'server gone', body: '' };
    const runFolders = existsSync(staging) ? readdirSync(staging) : [];
    child.kill('SIGTERM');
    const ended = await Promise.race([exit, sleep(15_000).then(() => null)]);
    if (!ended) child.kill('SIGKILL');
    b.children.delete(child);
    const leftAfter = runFolders.filter((f) => existsSync(join(staging, f)));
    const escapedFiles = existsSync(join(b.work, 'escape.txt')) || existsSync(join(dirname(db), 'escape.txt'));
    const stackTraces = (serverStderr.match(/^\s+at /gm) ?? []).length;

    for (const f of failures.slice(0, 8)) console.error(`  ! ${f}`);
    return [
      ...[...byCategory].map(([category, c]) => ({ section: 'requests', what: category, count: String(c.sent), outcome: tally(c.statuses) + (c.unexpected ? ` (${c.unexpected} unexpected)` : ''), ok: c.unexpected === 0 })),
      { section: 'requests', what: 'all requests sent (raw TCP, 127.0.0.1)', count: String(sent), outcome: tally(all), ok: !all.has('500') && [...byCategory.values()].every((c) => c.unexpected === 0) },
      { section: 'requests', what: 'uploads under hostile names stored inside staging', count: `${staged - escaped}/${staged}`, outcome: escaped || escapedFiles ? 'a file escaped the staging folder' : 'none escaped', ok: escaped === 0 && !escapedFiles },
      { section: 'requests', what: 'server alive after the requests; GET / answered', count: aliveAfter ? '1/1' : '0/1', outcome: `GET / → ${home.status}; ${stackTraces} stack-trace lines on its stderr`, ok: aliveAfter && home.status === '200' && stackTraces === 0 },
      { section: 'requests', what: 'staging folder gone after SIGTERM', count: `${runFolders.length - leftAfter.length}/${runFolders.length} run folders`, outcome: `exit ${ended ? (ended.code ?? ended.signal) : 'none in 15 s (killed)'}; ${leftAfter.length ? `left: ${leftAfter.join(', ')}` : 'removed'}`, ok: ended?.code === 0 && leftAfter.length === 0 && runFolders.length > 0 },
    ];
  } finally {
    // However the part ends, the server does not outlive it.
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    b.children.delete(child);
  }
}
