// The Electron face, under plain Node: the sender check, the IPC bridge with fake Electron objects, the
// preload's exposed surface (loaded with a fake `electron` module), the window's security options and the
// native-module check. No Electron binary is needed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import ts from 'typescript';
import type { OpenDialogOptions, OpenDialogReturnValue } from 'electron';
import { CSP } from '../../src-main/server/http-server';
import { closeServiceContext, openServiceContext } from '../../src-main/services/context';
import { createDispatcher, type Dispatch } from '../../src-main/services/dispatch';
import { ApiError } from '../../src-main/services/api-handlers';
import { appPaths, electronCsp, isLocalRequest, main, secureWindowOptions } from '../../src-main/app/electron-main';
import {
  CHANNELS,
  isTrustedSender,
  openDialogOptions,
  registerIpcBridge,
  type BridgeWindow,
  type CallReply,
  type InvokeEvent,
} from '../../src-main/app/ipc-bridge';
import { checkNativeModules, nativeFailureMessage } from '../../src-main/app/native-check';
import { registerDoctor } from '../../src-main/cli/commands/doctor';

const APP_URL = 'file:///opt/GaitLab/resources/app.asar/dist/renderer/index.html';

describe('isTrustedSender', () => {
  test('accepts the app page itself, with or without a #/route fragment', () => {
    assert.equal(isTrustedSender(APP_URL, APP_URL), true);
    assert.equal(isTrustedSender(`${APP_URL}#/subjects/s1`, APP_URL), true);
  });

  test('refuses a query string, another file, another host or a parent-directory escape', () => {
    assert.equal(isTrustedSender(`${APP_URL}?x=1`, APP_URL), false);
    assert.equal(isTrustedSender('file:///opt/GaitLab/resources/app.asar/dist/renderer/other.html', APP_URL), false);
    assert.equal(isTrustedSender('file://evil-host/opt/GaitLab/resources/app.asar/dist/renderer/index.html', APP_URL), false);
    assert.equal(isTrustedSender('file:///opt/GaitLab/resources/app.asar/dist/renderer/index.html/../../evil.html', APP_URL), false);
    assert.equal(isTrustedSender('file:///tmp/index.html', APP_URL), false);
  });

  test('refuses every non-file scheme, even with the same path', () => {
    for (const url of [
      'http://127.0.0.1/opt/GaitLab/resources/app.asar/dist/renderer/index.html',
      'https://example.org/opt/GaitLab/resources/app.asar/dist/renderer/index.html',
      'devtools://devtools/bundled/inspector.html',
      'about:blank',
      'data:text/html,<p>hi</p>',
      'javascript:alert(1)',
    ]) {
      assert.equal(isTrustedSender(url, APP_URL), false, url);
    }
  });

  test('refuses what is not a URL, and an expected URL that is not file:', () => {
    assert.equal(isTrustedSender('', APP_URL), false);
    assert.equal(isTrustedSender('not a url', APP_URL), false);
    assert.equal(isTrustedSender('http://127.0.0.1/index.html', 'http://127.0.0.1/index.html'), false);
  });

  test('compares decoded paths, so spaces and percent-escapes agree', () => {
    const expected = pathToFileURL('/home/ana/Gait Lab/dist/renderer/index.html').href;
    assert.equal(expected, 'file:///home/ana/Gait%20Lab/dist/renderer/index.html');
    assert.equal(isTrustedSender('file:///home/ana/Gait%20Lab/dist/renderer/index.html#/', expected), true);
    assert.equal(isTrustedSender('file:///home/ana/Gait%20Lab/dist/renderer/INDEX.html', expected), false);
  });

  test('ignores the case of Windows paths, which the file system ignores too', () => {
    const expected = 'file:///C:/Program%20Files/GaitLab/resources/app.asar/dist/renderer/index.html';
    assert.equal(isTrustedSender('file:///c:/program%20files/GaitLab/resources/app.asar/dist/renderer/index.html', expected), true);
    assert.equal(isTrustedSender('file:///D:/Program%20Files/GaitLab/resources/app.asar/dist/renderer/index.html', expected), false);
  });
});

interface FakeWebContents {
  sent: [string, unknown][];
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}
type Listener = (event: InvokeEvent, ...args: unknown[]) => unknown;

function fakeElectron(pick: OpenDialogReturnValue = { canceled: false, filePaths: ['/data/GaCo01_01.txt'] }) {
  const handlers = new Map<string, Listener>();
  const dialogCalls: { window: unknown; options: OpenDialogOptions }[] = [];
  const webContents: FakeWebContents = {
    sent: [],
    send(channel, ...args) {
      this.sent.push([channel, args[0]]);
    },
    isDestroyed: () => false,
  };
  const window: BridgeWindow & { webContents: FakeWebContents } = { webContents, isDestroyed: () => false };
  const electron = {
    ipcMain: {
      handle: (channel: string, listener: Listener) => {
        handlers.set(channel, listener);
      },
      removeHandler: (channel: string) => {
        handlers.delete(channel);
      },
    },
    dialog: {
      showOpenDialog: async (w: typeof window, options: OpenDialogOptions) => {
        dialogCalls.push({ window: w, options });
        return pick;
      },
    },
  };
  const topFrame = { url: `${APP_URL}#/import`, parent: null };
  const fromApp: InvokeEvent = { sender: webContents, senderFrame: topFrame };
  const invoke = (channel: string, event: InvokeEvent, ...args: unknown[]) => {
    const h = handlers.get(channel);
    if (!h) throw new Error(`no handler for ${channel}`);
    return Promise.resolve(h(event, ...args));
  };
  return { electron, window, webContents, handlers, dialogCalls, fromApp, topFrame, invoke };
}

describe('registerIpcBridge', () => {
  test('passes method and payload to the dispatcher and replies with the result', async () => {
    const f = fakeElectron();
    const calls: [string, unknown][] = [];
    const dispatch: Dispatch = async (method, payload) => {
      calls.push([method, payload]);
      return { subjects: [], total: 0, groups: [] };
    };
    registerIpcBridge(f.electron, { window: f.window, appUrl: APP_URL, dispatch });
    const reply = (await f.invoke(CHANNELS.call, f.fromApp, 'listSubjects', { limit: 5 })) as CallReply;
    assert.deepEqual(calls, [['listSubjects', { limit: 5 }]]);
    assert.deepEqual(reply, { ok: true, result: { subjects: [], total: 0, groups: [] } });
  });

  test('sends progress events to the window on gaitlab:event', async () => {
    const f = fakeElectron();
    const progress = { kind: 'progress' as const, task: 'import', stage: 'reading', done: 1, total: 3, detail: 'GaCo01_01.txt' };
    const dispatch: Dispatch = async (_m, _p, onProgress) => {
      onProgress?.(progress);
      return {};
    };
    registerIpcBridge(f.electron, { window: f.window, appUrl: APP_URL, dispatch });
    await f.invoke(CHANNELS.call, f.fromApp, 'importPaths', { paths: ['/data'] });
    assert.deepEqual(f.webContents.sent, [['gaitlab:event', progress]]);
  });

  test('maps an ApiError to its code and one-line message', async () => {
    const f = fakeElectron();
    const dispatch: Dispatch = async () => {
      throw new ApiError('not-found', 'no subject s9');
    };
    registerIpcBridge(f.electron, { window: f.window, appUrl: APP_URL, dispatch });
    const reply = await f.invoke(CHANNELS.call, f.fromApp, 'getSubject', { id: 's9' });
    assert.deepEqual(reply, { ok: false, error: { code: 'not-found', message: 'no subject s9' } });
  });

  test('refuses calls from a subframe, another webContents or another page, without dispatching', async () => {
    const f = fakeElectron();
    let dispatched = 0;
    const dispatch: Dispatch = async () => {
      dispatched++;
      return {};
    };
    registerIpcBridge(f.electron, { window: f.window, appUrl: APP_URL, dispatch });
    const intruders: InvokeEvent[] = [
      { sender: f.webContents, senderFrame: { url: APP_URL, parent: f.topFrame } },
      { sender: { send() {}, isDestroyed: () => false }, senderFrame: { url: APP_URL, parent: null } },
      { sender: f.webContents, senderFrame: { url: 'https://example.org/', parent: null } },
      { sender: f.webContents, senderFrame: null },
    ];
    for (const event of intruders) {
      await assert.rejects(f.invoke(CHANNELS.call, event, 'info', {}), /refused a message from a frame that is not the GaitLab window/);
      await assert.rejects(f.invoke(CHANNELS.pickPaths, event), /refused/);
    }
    assert.equal(dispatched, 0);
    assert.equal(f.dialogCalls.length, 0);
  });

  test('goes through the real dispatcher, which validates the payload against the schema', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gaitlab-ipc-'));
    const ctx = openServiceContext({ dbPath: join(dir, 'ipc.db'), mode: 'electron' });
    try {
      const f = fakeElectron();
      registerIpcBridge(f.electron, { window: f.window, appUrl: APP_URL, dispatch: createDispatcher(ctx) });
      const info = (await f.invoke(CHANNELS.call, f.fromApp, 'info', {})) as CallReply;
      assert.equal(info.ok, true);
      assert.equal(info.ok && (info.result as { mode: string }).mode, 'electron');
      const bad = await f.invoke(CHANNELS.call, f.fromApp, 'listSubjects', { limit: 5, bogus: 1 });
      assert.equal((bad as CallReply).ok, false);
      assert.equal((bad as { error: { code: string } }).error.code, 'bad-request');
      const unknown = await f.invoke(CHANNELS.call, f.fromApp, 'dropTables', {});
      assert.deepEqual(unknown, { ok: false, error: { code: 'bad-request', message: 'unknown API method "dropTables"' } });
    } finally {
      closeServiceContext(ctx);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('pick-paths opens the dialog on the window for files and folders, and gives [] when cancelled', async () => {
    const f = fakeElectron();
    registerIpcBridge(f.electron, { window: f.window, appUrl: APP_URL, dispatch: async () => ({}) });
    assert.deepEqual(await f.invoke(CHANNELS.pickPaths, f.fromApp), ['/data/GaCo01_01.txt']);
    assert.equal(f.dialogCalls[0].window, f.window);
    assert.deepEqual(f.dialogCalls[0].options.properties, ['openFile', 'openDirectory', 'multiSelections']);
    await f.invoke(CHANNELS.pickPaths, f.fromApp, 'folders');
    assert.deepEqual(f.dialogCalls[1].options.properties, ['openDirectory', 'multiSelections']);
    await assert.rejects(f.invoke(CHANNELS.pickPaths, f.fromApp, 'anything'), /kind must be "files" or "folders"/);

    const cancelled = fakeElectron({ canceled: true, filePaths: [] });
    registerIpcBridge(cancelled.electron, { window: cancelled.window, appUrl: APP_URL, dispatch: async () => ({}) });
    assert.deepEqual(await cancelled.invoke(CHANNELS.pickPaths, cancelled.fromApp), []);
  });

  test('the returned function removes both handlers', () => {
    const f = fakeElectron();
    const remove = registerIpcBridge(f.electron, { window: f.window, appUrl: APP_URL, dispatch: async () => ({}) });
    assert.deepEqual([...f.handlers.keys()].sort(), ['gaitlab:call', 'gaitlab:pick-paths']);
    remove();
    assert.equal(f.handlers.size, 0);
  });

  test('openDialogOptions picks files, folders, or both', () => {
    assert.deepEqual(openDialogOptions('files').properties, ['openFile', 'multiSelections']);
    assert.deepEqual(openDialogOptions(undefined).properties, ['openFile', 'openDirectory', 'multiSelections']);
  });
});

const PRELOAD = resolve(__dirname, '../../src-main/app/preload.ts');

interface PreloadFake {
  exposed: { key: string; api: Record<string, unknown> }[];
  invoked: unknown[][];
  listeners: Map<string, ((...args: unknown[]) => void)[]>;
  reply: unknown;
}

/** Loads preload.ts with `electron` replaced by a fake; returns what it exposed. */
function loadPreload(): PreloadFake {
  const fake: PreloadFake = { exposed: [], invoked: [], listeners: new Map(), reply: { ok: true, result: { version: '0.1.0' } } };
  const electron = {
    contextBridge: {
      exposeInMainWorld: (key: string, api: Record<string, unknown>) => fake.exposed.push({ key, api }),
    },
    ipcRenderer: {
      invoke: async (...args: unknown[]) => {
        fake.invoked.push(args);
        return args[0] === 'gaitlab:pick-paths' ? ['/data/a.txt'] : fake.reply;
      },
      on: (channel: string, l: (...args: unknown[]) => void) => {
        fake.listeners.set(channel, [...(fake.listeners.get(channel) ?? []), l]);
      },
      removeListener: (channel: string, l: (...args: unknown[]) => void) => {
        fake.listeners.set(channel, (fake.listeners.get(channel) ?? []).filter((x) => x !== l));
      },
    },
  };
  const mod = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
  const original = mod._load;
  mod._load = function (request, parent, isMain) {
    if (request === 'electron') return electron;
    return original.call(this, request, parent, isMain);
  };
  try {
    delete require.cache[require.resolve(PRELOAD)];
    require(PRELOAD);
  } finally {
    mod._load = original;
  }
  return fake;
}

describe('preload', () => {
  test('exposes exactly one API, window.gaitlab, with call, onEvent, pickPaths and platform', () => {
    const fake = loadPreload();
    assert.equal(fake.exposed.length, 1);
    assert.equal(fake.exposed[0].key, 'gaitlab');
    assert.deepEqual(Object.keys(fake.exposed[0].api).sort(), ['call', 'onEvent', 'pickPaths', 'platform']);
    assert.equal(fake.exposed[0].api.platform, process.platform);
    for (const v of Object.values(fake.exposed[0].api)) assert.notEqual(typeof v, 'object', 'no object (such as ipcRenderer) is exposed');
  });

  test('call passes method and payload to ipcRenderer.invoke("gaitlab:call") and resolves with the result', async () => {
    const fake = loadPreload();
    const api = fake.exposed[0].api as { call: (m: string, r: unknown) => Promise<unknown> };
    assert.deepEqual(await api.call('info', {}), { version: '0.1.0' });
    assert.deepEqual(fake.invoked, [['gaitlab:call', 'info', {}]]);
    assert.equal(CHANNELS.call, 'gaitlab:call');
  });

  test('call rejects with an Error carrying the one-line message main sent', async () => {
    const fake = loadPreload();
    fake.reply = { ok: false, error: { code: 'bad-request', message: 'listSubjects: field limit: Too big' } };
    const api = fake.exposed[0].api as { call: (m: string, r: unknown) => Promise<unknown> };
    await assert.rejects(api.call('listSubjects', { limit: 5000 }), (e: Error) => e instanceof Error && e.message === 'listSubjects: field limit: Too big');
  });

  test('onEvent hands the page only the payload, never the IPC event, and unsubscribes', () => {
    const fake = loadPreload();
    const api = fake.exposed[0].api as { onEvent: (cb: (...a: unknown[]) => void) => () => void };
    const got: unknown[][] = [];
    const off = api.onEvent((...args) => got.push(args));
    const listeners = fake.listeners.get(CHANNELS.event) ?? [];
    assert.equal(listeners.length, 1);
    const progress = { kind: 'progress', task: 'import', stage: 'reading', done: 2, total: 4 };
    listeners[0]({ sender: 'the ipcRenderer itself' }, progress);
    assert.deepEqual(got, [[progress]]);
    off();
    assert.equal((fake.listeners.get(CHANNELS.event) ?? []).length, 0);
  });

  test('pickPaths invokes gaitlab:pick-paths', async () => {
    const fake = loadPreload();
    const api = fake.exposed[0].api as { pickPaths: (kind?: string) => Promise<string[]> };
    assert.deepEqual(await api.pickPaths(), ['/data/a.txt']);
    assert.deepEqual(fake.invoked, [[CHANNELS.pickPaths, undefined]]);
  });

  test('compiles to CommonJS that requires nothing but electron (a sandboxed preload can load nothing else)', () => {
    const source = readFileSync(PRELOAD, 'utf8');
    const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
    const requires = [...js.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    assert.deepEqual(requires, ['electron']);
    for (const channel of Object.values(CHANNELS)) assert.ok(source.includes(`'${channel}'`), `preload uses ${channel}`);
  });
});

describe('electron-main', () => {
  test('secureWindowOptions isolates and sandboxes the renderer and loads the given preload', () => {
    const wp = secureWindowOptions('/app/dist/src-main/app/preload.js').webPreferences ?? {};
    assert.equal(wp.preload, '/app/dist/src-main/app/preload.js');
    assert.equal(wp.contextIsolation, true);
    assert.equal(wp.sandbox, true);
    assert.equal(wp.nodeIntegration, false);
    assert.equal(wp.nodeIntegrationInWorker, false);
    assert.equal(wp.nodeIntegrationInSubFrames, false);
    assert.equal(wp.webSecurity, true);
    assert.equal(wp.allowRunningInsecureContent, false);
    assert.equal(wp.webviewTag, false);
    assert.equal(wp.spellcheck, false);
  });

  test('appPaths puts the preload beside electron-main.js and the page at dist/renderer/index.html', () => {
    const p = appPaths('/opt/GaitLab/resources/app.asar/dist/src-main/app');
    assert.equal(p.preload, join('/opt/GaitLab/resources/app.asar/dist/src-main/app', 'preload.js'));
    assert.equal(p.indexHtml, resolve('/opt/GaitLab/resources/app.asar/dist/renderer/index.html'));
    assert.equal(isTrustedSender(p.appUrl, pathToFileURL(p.indexHtml).href), true);
  });

  test("the header CSP is browser mode's without the loopback WebSocket", () => {
    const csp = electronCsp(CSP);
    assert.match(csp, /connect-src 'self';/);
    assert.doesNotMatch(csp, /ws:|http:/);
    assert.match(csp, /script-src 'self';/);
    assert.match(csp, /object-src 'none'/);
  });

  test('only requests for the renderer folder, data:, blob: and devtools: pass', () => {
    const dir = 'file:///opt/GaitLab/resources/app.asar/dist/renderer';
    for (const url of [`${dir}/index.html`, `${dir}/assets/plotly.min-mrPAQhRO.js`, 'data:image/png;base64,AA', 'blob:file:///1234', 'devtools://devtools/x']) {
      assert.equal(isLocalRequest(url, dir), true, url);
    }
    for (const url of [
      'https://example.org/x.js',
      'http://127.0.0.1:8080/',
      'ws://127.0.0.1:1/',
      'ftp://x/',
      'file:///etc/passwd',
      'file:///opt/GaitLab/resources/app.asar/dist/renderer-evil/x.js',
      `${dir}/../src-main/app/preload.js`,
    ]) {
      assert.equal(isLocalRequest(url, dir), false, url);
    }
    assert.equal(isLocalRequest('file:///c:/gaitlab/dist/renderer/index.html', 'file:///C:/GaitLab/dist/renderer/'), true);
  });
});

type Handler = (...args: any[]) => any;

/** Just enough of Electron's main-process API for main() to run under Node, recording what it was asked. */
function fakeElectronMain() {
  const appEvents = new Map<string, Handler[]>();
  const rec = {
    exitCode: null as number | null,
    errorBoxes: [] as [string, string][],
    paths: {} as Record<string, string>,
    name: '',
    sandboxed: false,
    permissionRequest: null as Handler | null,
    permissionCheck: null as Handler | null,
    beforeRequest: null as Handler | null,
    headersReceived: null as Handler | null,
    handlers: new Map<string, Handler>(),
    windows: [] as FakeWindow[],
  };
  class FakeWindow {
    readonly loaded: string[] = [];
    readonly webContents = { send: () => {}, isDestroyed: () => false };
    constructor(readonly options: unknown) {
      rec.windows.push(this);
    }
    once() {}
    show() {}
    isDestroyed() { return false; }
    isMinimized() { return false; }
    restore() {}
    focus() {}
    loadFile(path: string) {
      this.loaded.push(path);
      return Promise.resolve();
    }
  }
  const electron = {
    app: {
      requestSingleInstanceLock: () => true,
      quit: () => {},
      exit: (code: number) => { rec.exitCode = code; },
      enableSandbox: () => { rec.sandboxed = true; },
      setName: (n: string) => { rec.name = n; },
      setPath: (k: string, v: string) => { rec.paths[k] = v; },
      on: (event: string, h: Handler) => { appEvents.set(event, [...(appEvents.get(event) ?? []), h]); },
      whenReady: () => Promise.resolve(),
    },
    dialog: {
      showErrorBox: (title: string, content: string) => { rec.errorBoxes.push([title, content]); },
      showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
    },
    ipcMain: {
      handle: (channel: string, h: Handler) => { rec.handlers.set(channel, h); },
      removeHandler: (channel: string) => { rec.handlers.delete(channel); },
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: Handler) => { rec.permissionRequest = h; },
        setPermissionCheckHandler: (h: Handler) => { rec.permissionCheck = h; },
        setDevicePermissionHandler: () => {},
        webRequest: {
          onBeforeRequest: (h: Handler) => { rec.beforeRequest = h; },
          onHeadersReceived: (h: Handler) => { rec.headersReceived = h; },
        },
      },
    },
    BrowserWindow: FakeWindow,
  };
  const emit = (event: string, ...args: unknown[]) => (appEvents.get(event) ?? []).forEach((h) => h(...args));
  return { electron: electron as unknown as Parameters<typeof main>[0], rec, emit };
}

/** A built layout in a temp folder: dist/src-main/app (where main() thinks it runs) and dist/renderer/index.html. */
function builtLayout(withRenderer: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'gaitlab-main-'));
  const mainDir = join(dir, 'dist', 'src-main', 'app');
  mkdirSync(mainDir, { recursive: true });
  if (withRenderer) {
    mkdirSync(join(dir, 'dist', 'renderer'));
    writeFileSync(join(dir, 'dist', 'renderer', 'index.html'), '<!doctype html><title>GaitLab</title>');
  }
  return { dir, mainDir };
}

describe('electron-main start-up (fake Electron)', () => {
  test('opens the store at GAITLAB_DB, hardens the session, and loads the app page in a secure window', async () => {
    const { dir, mainDir } = builtLayout(true);
    const savedDb = process.env.GAITLAB_DB;
    process.env.GAITLAB_DB = join(dir, 'data', 'gaitlab.db');
    const { electron, rec, emit } = fakeElectronMain();
    try {
      await main(electron, mainDir);
      assert.equal(rec.exitCode, null, JSON.stringify(rec.errorBoxes));
      assert.equal(rec.sandboxed, true);
      assert.equal(rec.name, 'GaitLab');
      assert.ok(rec.paths.userData.endsWith('GaitLab'));

      assert.equal(rec.windows.length, 1);
      const win = rec.windows[0];
      assert.deepEqual(win.options, secureWindowOptions(join(mainDir, 'preload.js')));
      assert.deepEqual(win.loaded, [join(dir, 'dist', 'renderer', 'index.html')]);

      let granted: boolean | null = null;
      rec.permissionRequest?.({}, 'media', (ok: boolean) => { granted = ok; }, {});
      assert.equal(granted, false);
      assert.equal(rec.permissionCheck?.({}, 'clipboard-read'), false);
      let cancelled: boolean | undefined;
      rec.beforeRequest?.({ url: 'https://example.org/x.js' }, (r: { cancel: boolean }) => { cancelled = r.cancel; });
      assert.equal(cancelled, true);
      rec.beforeRequest?.({ url: pathToFileURL(join(dir, 'dist', 'renderer', 'index.html')).href }, (r: { cancel: boolean }) => { cancelled = r.cancel; });
      assert.equal(cancelled, false);
      rec.beforeRequest?.({ url: pathToFileURL(join(dir, 'data', 'gaitlab.db')).href }, (r: { cancel: boolean }) => { cancelled = r.cancel; });
      assert.equal(cancelled, true);
      let headers: Record<string, string[]> = {};
      rec.headersReceived?.({ responseHeaders: { 'X-Other': ['1'] } }, (r: { responseHeaders: Record<string, string[]> }) => { headers = r.responseHeaders; });
      assert.deepEqual(headers, { 'X-Other': ['1'], 'Content-Security-Policy': [electronCsp(CSP)] });

      // The API answers the window's own top frame, from the store GAITLAB_DB names.
      const appUrl = pathToFileURL(join(dir, 'dist', 'renderer', 'index.html')).href;
      const reply = (await rec.handlers.get('gaitlab:call')?.({ sender: win.webContents, senderFrame: { url: appUrl, parent: null } }, 'info', {})) as CallReply;
      assert.equal(reply.ok, true);
      assert.equal(reply.ok && (reply.result as { dbPath: string }).dbPath, join(dir, 'data', 'gaitlab.db'));

      // Every webContents: no popups, no webviews, no navigation away from the app page.
      const contentsEvents = new Map<string, Handler>();
      let openHandler: Handler | null = null;
      emit('web-contents-created', {}, { on: (e: string, h: Handler) => contentsEvents.set(e, h), setWindowOpenHandler: (h: Handler) => { openHandler = h; } });
      assert.deepEqual(openHandler!({ url: 'https://example.org' }), { action: 'deny' });
      const prevented = (event: string, url: string) => {
        let p = false;
        contentsEvents.get(event)?.({ url, preventDefault: () => { p = true; } });
        return p;
      };
      assert.equal(prevented('will-navigate', 'https://example.org/'), true);
      assert.equal(prevented('will-navigate', `${appUrl}#/subjects`), false);
      assert.equal(prevented('will-redirect', 'http://127.0.0.1:1/'), true);
      assert.equal(prevented('will-attach-webview', 'about:blank'), true);
    } finally {
      emit('will-quit');
      if (savedDb === undefined) delete process.env.GAITLAB_DB;
      else process.env.GAITLAB_DB = savedDb;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('without a built renderer it shows an error box naming the missing file and exits with 1', async () => {
    const { dir, mainDir } = builtLayout(false);
    const { electron, rec } = fakeElectronMain();
    const error = console.error;
    console.error = () => {};
    try {
      await main(electron, mainDir);
    } finally {
      console.error = error;
      rmSync(dir, { recursive: true, force: true });
    }
    assert.equal(rec.exitCode, 1);
    assert.equal(rec.windows.length, 0);
    assert.equal(rec.errorBoxes.length, 1);
    assert.match(rec.errorBoxes[0][1], /the user interface is not built: .*dist\/renderer\/index\.html is missing \(run npm run build\)/);
  });
});

describe('native module check', () => {
  test('both native modules load under this Node (the build the CLI and tests use)', () => {
    assert.deepEqual(checkNativeModules(), [
      { name: 'better-sqlite3', ok: true },
      { name: 'serialport', ok: true },
    ]);
  });

  test('a failing module is reported by name, with its error on one line and how to rebuild', () => {
    const abiError =
      "The module '/opt/app/node_modules/better-sqlite3/build/Release/better_sqlite3.node'\n" +
      'was compiled against a different Node.js version using\nNODE_MODULE_VERSION 145. This version of Node.js requires\nNODE_MODULE_VERSION 115.';
    const [abi, missing] = checkNativeModules([
      { name: 'better-sqlite3', probe: () => { throw new Error(abiError); } },
      { name: 'serialport', probe: () => { throw new Error("Cannot find module 'serialport'\nRequire stack:\n- /opt/app/dist/src-main/app/native-check.js"); } },
    ]);
    assert.deepEqual(abi, {
      name: 'better-sqlite3',
      ok: false,
      error:
        "better-sqlite3 failed to load: The module '/opt/app/node_modules/better-sqlite3/build/Release/better_sqlite3.node' was compiled against a different Node.js version using NODE_MODULE_VERSION 145. This version of Node.js requires NODE_MODULE_VERSION 115. (rebuild it for Node with npm rebuild better-sqlite3 @serialport/bindings-cpp)",
    });
    assert.equal(missing.error, "serialport failed to load: Cannot find module 'serialport' (rebuild it for Node with npm rebuild better-sqlite3 @serialport/bindings-cpp)");
    assert.equal(nativeFailureMessage('serialport', 'x'), 'serialport failed to load: x (rebuild it for Node with npm rebuild better-sqlite3 @serialport/bindings-cpp)');
  });

  test('gaitlab doctor --json prints {"native": [...], "tfjs": [...]} and succeeds when every module loads', async () => {
    const program = new Command('gaitlab').exitOverride();
    registerDoctor(program, () => ({ json: true }));
    const chunks: string[] = [];
    const write = process.stdout.write;
    // The doctor awaits the tfjs probe, and meanwhile node's test runner writes its own (binary) events to
    // stdout: keep only the command's text.
    process.stdout.write = ((s: string | Uint8Array, ...rest: unknown[]) =>
      typeof s === 'string' ? chunks.push(s) > 0 : (write as (...a: unknown[]) => boolean).call(process.stdout, s, ...rest)) as typeof process.stdout.write;
    try {
      await program.parseAsync(['doctor'], { from: 'user' });
    } finally {
      process.stdout.write = write;
    }
    const doc = JSON.parse(chunks.join(''));
    assert.deepEqual(doc.native, [{ name: 'better-sqlite3', ok: true }, { name: 'serialport', ok: true }]);
    // One entry per tfjs tier; the optional ones are not installed here and say so in one line.
    assert.deepEqual(doc.tfjs.map((t: { tier: string }) => t.tier), ['tfjs-node-gpu', 'tfjs-node', 'webgpu', 'wasm-blas', 'wasm', 'cpu']);
    assert.deepEqual(doc.tfjs[0], { tier: 'tfjs-node-gpu', available: false, detail: 'not installed (optional)' });
    assert.equal(doc.tfjs[4].available, true);
  });
});
