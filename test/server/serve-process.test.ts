// `gaitlab serve` as a user runs it, in a real child process: uploads staged by a run are gone after Ctrl+C
// or SIGTERM, and a run killed outright has its folder removed by the next start (issue 21 item 1); `--open`
// gives the browser opener a one-time 0600 page, never the token (issue 21 item 7).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { openWithHandoff, writeTokenHandoff } from '../../src-main/server/token-handoff';
import { uploadReply } from '../../src-shared/api/transport';
import { REPO, tempDir } from '../helpers';

const dir = tempDir();
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

interface Served { child: ChildProcess; url: string; port: number; token: string; exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }> }

async function serve(db: string, extra: string[] = [], env: Record<string, string> = {}): Promise<Served> {
  const child = spawn(process.execPath, [join(REPO, 'bin', 'gaitlab.cjs'), 'serve', '--db', db, '--json', ...extra], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (c) => (stderr += c));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    void exit.then(({ code }) => reject(new Error(`gaitlab serve exited with ${code}: ${stderr}`)));
  });
  const url = JSON.parse(line).server.url as string;
  const m = /^http:\/\/127\.0\.0\.1:(\d+)\/#token=(.+)$/.exec(url)!;
  return { child, url, port: Number(m[1]), token: m[2], exit };
}

function upload(s: Served, name: string, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: s.port, path: '/upload', method: 'POST', headers: { Host: `127.0.0.1:${s.port}`, 'X-GaitLab-Token': s.token, 'X-File-Name': name } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve(uploadReply.parse(JSON.parse(text).result).path));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const stagingRoot = (db: string) => join(dirname(db), '.gaitlab-staging');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`${signal} stops gaitlab serve cleanly and removes the uploads it staged`, async () => {
    const db = join(dir, signal, 'lab.db');
    mkdirSync(dirname(db), { recursive: true });
    const s = await serve(db);
    const staged = await upload(s, 'GaCo01_01.txt', '0.0\t1\n');
    assert.equal(readFileSync(staged, 'utf8'), '0.0\t1\n');
    const runFolder = join(stagingRoot(db), readdirSync(stagingRoot(db))[0]);
    assert.match(runFolder, new RegExp(`${s.child.pid}-[0-9a-f]+$`), 'the run folder is named with the pid');
    s.child.kill(signal);
    assert.deepEqual(await s.exit, { code: 0, signal: null });
    assert.equal(existsSync(runFolder), false);
  });
}

test('a serve killed outright leaves its staging behind; the next start removes it and keeps serving', async () => {
  const db = join(dir, 'killed', 'lab.db');
  mkdirSync(dirname(db), { recursive: true });
  const first = await serve(db);
  await upload(first, 'a.txt', 'x');
  const [killedRun] = readdirSync(stagingRoot(db));
  first.child.kill('SIGKILL');
  await first.exit;
  assert.equal(existsSync(join(stagingRoot(db), killedRun)), true, 'SIGKILL leaves no chance to clean up');
  const second = await serve(db);
  assert.equal(existsSync(join(stagingRoot(db), killedRun)), false, 'the next start removed the dead run\'s folder');
  second.child.kill('SIGTERM');
  assert.equal((await second.exit).code, 0);
});

test('the hand-over page is 0600 in a 0700 folder, forwards to the URL with the token, and goes on dispose', () => {
  const url = 'http://127.0.0.1:4242/#token=abc_DEF-123';
  const h = writeTokenHandoff(url, dir);
  assert.equal(statSync(h.path).mode & 0o777, 0o600);
  assert.equal(statSync(dirname(h.path)).mode & 0o777, 0o700);
  assert.doesNotMatch(h.fileUrl, /token|abc_DEF/);
  assert.equal(fileURLToPath(h.fileUrl), h.path);
  const html = readFileSync(h.path, 'utf8');
  assert.ok(html.includes(`<meta http-equiv="refresh" content="0;url=${url}">`));
  h.dispose();
  h.dispose();
  assert.equal(existsSync(dirname(h.path)), false);
});

test('openWithHandoff gives an injected opener a file: URL without the token', () => {
  const targets: string[] = [];
  const url = 'http://127.0.0.1:4242/#token=secret-token-value';
  const h = openWithHandoff(url, (t) => targets.push(t));
  try {
    assert.deepEqual(targets, [h.fileUrl]);
    assert.doesNotMatch(targets[0], /secret-token-value/);
    assert.match(readFileSync(fileURLToPath(targets[0]), 'utf8'), /secret-token-value/);
  } finally {
    h.dispose();
  }
});

test('serve --open runs the system opener with a one-time page, not the token; the page goes once the browser connects', async () => {
  // A stand-in xdg-open first on PATH records its argv and what it could read, as a browser would.
  const bin = join(dir, 'bin');
  const out = join(dir, 'opener-out');
  mkdirSync(bin, { recursive: true });
  mkdirSync(out, { recursive: true });
  writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" > "${out}/argv"\nf=$(printf '%s' "$1" | sed 's|^file://||')\nstat -c %a "$f" > "${out}/mode"\ncat "$f" > "${out}/page"\necho "$f" > "${out}/path"\n`);
  chmodSync(join(bin, 'xdg-open'), 0o755);
  const db = join(dir, 'open', 'lab.db');
  mkdirSync(dirname(db), { recursive: true });
  const s = await serve(db, ['--open'], { PATH: `${bin}:${process.env.PATH}`, DISPLAY: ':99' });
  for (let i = 0; i < 200 && !existsSync(join(out, 'path')); i++) await new Promise((r) => setTimeout(r, 25));
  const argv = readFileSync(join(out, 'argv'), 'utf8').trim().split('\n');
  assert.equal(argv.length, 1);
  assert.match(argv[0], /^file:\/\/.*\/gaitlab-open-[^/]+\/open-gaitlab\.html$/);
  assert.ok(!argv[0].includes(s.token), 'no token in the opener\'s argv (visible in ps)');
  assert.equal(readFileSync(join(out, 'mode'), 'utf8').trim(), '600');
  assert.ok(readFileSync(join(out, 'page'), 'utf8').includes(s.url), 'the page forwards to the URL with the token');
  const page = readFileSync(join(out, 'path'), 'utf8').trim();
  assert.equal(existsSync(page), true);

  const ws = new WebSocket(`ws://127.0.0.1:${s.port}/ws?token=${s.token}`);
  await new Promise((resolve) => ws.once('open', resolve));
  for (let i = 0; i < 200 && existsSync(page); i++) await new Promise((r) => setTimeout(r, 25));
  assert.equal(existsSync(page), false, 'the page is removed once the browser has connected');
  ws.close();
  s.child.kill('SIGINT');
  assert.equal((await s.exit).code, 0);
});
