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
import { EventBus } from '../../src-main/services/event-bus';
import { api } from '../../src-shared/api/schema';
import { pickPathsReply } from '../../src-shared/api/transport';
import { checkEvent, checkResponse } from '../api-contract';
import { assertWholeTrials } from '../import-consistency';
import { sharedData } from '../helpers';
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
import type { GaitLabPreloadBridge } from '../../src-main/app/preload';
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
  on(event: string, listener: (...args: unknown[]) => void): void;
  emit(event: string, ...args: unknown[]): void;
}
type Listener = (event: InvokeEvent, ...args: unknown[]) => unknown;

function fakeElectron(pick: OpenDialogReturnValue = { canceled: false, filePaths: ['/data/GaCo01_01.txt'] }) {
  const handlers = new Map<string, Listener>();
  const dialogCalls: { window: unknown; options: OpenDialogOptions }[] = [];
  const contentsListeners = new Map<string, ((...args: unknown[]) => void)[]>();
  const webContents: FakeWebContents = {
    sent: [],
    send(channel, ...args) {
      this.sent.push([channel, args[0]]);
    },
    isDestroyed: () => false,
    on(event, listener) {
      contentsListeners.set(event, [...(contentsListeners.get(event) ?? []), listener]);
    },
    emit(event, ...args) {
      for (const l of contentsListeners.get(event) ?? []) l(...args);
    },
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
  // Like ipcRenderer.invoke: a handler that throws, synchronously or not, rejects the promise.
  const invoke = async (channel: string, event: InvokeEvent, ...args: unknown[]) => {
    const h = handlers.get(channel);
    if (!h) throw new Error(`no handler for ${channel}`);
    return h(event, ...args);
  };
  return { electron, window, webContents, handlers, dialogCalls, fromApp, topFrame, invoke };
}

/** A dispatcher that answers every call with `result` and records what it was given. */
function recordingDispatch(result: unknown, seen: { method: string; req: unknown; callId?: string }[] = []): Dispatch {
  return async (method, req, opts) => {
    seen.push({ method, req, callId: opts?.callId });
    return result as never;
  };
}

const jobSummaryOf = (id: string) => ({
  id, method: 'horst', status: 'running' as const, progress: 0.5, stage: 'fit', etaS: 3, params: {}, error: null, modelId: null,
  createdAt: '2026-12-06T10:00:00.000Z', startedAt: '2026-12-06T10:00:01.000Z', finishedAt: null, heartbeatAt: null, seed: 0, data: { cohort: 'test', session: null }, cancelRequested: false,
});

describe('registerIpcBridge', () => {
  test('passes the call id, method and request to the dispatcher and replies with the result', async () => {
    const f = fakeElectron();
    const seen: { method: string; req: unknown; callId?: string }[] = [];
    registerIpcBridge(f.electron, { window: f.window, appUrl: APP_URL, dispatch: recordingDispatch({ subjects: [], total: 0, groups: [] }, seen), events: new EventBus() });
    const reply = (await f.invoke(CHANNELS.call, f.fromApp, { callId: 'c-1', method: 'listSubjects', request: { limit: 5 } })) as CallReply;
    assert.deepEqual(seen, [{ method: 'listSubjects', req: { limit: 5 }, callId: 'c-1' }]);
    assert.deepEqual(reply, { ok: true, result: { subjects: [], total: 0, groups: [] } });
  });

  test("sends a call's progress to the window on gaitlab:event, carrying the call's id", async () => {
    const f = fakeElectron();
    const progress = { kind: 'progress' as const, task: 'import', stage: 'reading', done: 1, total: 3, detail: 'GaCo01_01.txt' };
    const dispatch: Dispatch = async (_m, _req, opts) => {
      opts?.onEvent?.({ type: 'progress', topic: 'call', callId: opts.callId!, progress });
      // A generic Dispatch cannot name one method's response type: the test dispatcher answers importPaths only.
      return api.importPaths.response.parse({ subjects: 0, subjectsAdded: 0, sessions: 0, trials: 0, trialsAdded: 0, files: 0, skipped: [], errors: [], duplicates: [], warnings: [], visits: [], bytes: 0, seconds: 0 }) as never;
    };
    registerIpcBridge(f.electron, { window: f.window, appUrl: APP_URL, dispatch, events: new EventBus() });
    await f.invoke(CHANNELS.call, f.fromApp, { callId: 'import-7', method: 'importPaths', request: { paths: ['/data'] } });
    assert.deepEqual(f.webContents.sent, [['gaitlab:event', { type: 'progress', topic: 'call', callId: 'import-7', progress }]]);
    checkEvent(f.webContents.sent[0][1]);
  });

  test('maps an ApiError to its code and one-line message', async () => {
    const f = fakeElectron();
    const dispatch: Dispatch = async () => {
      throw new ApiError('not-found', 'no subject s9');
    };
    registerIpcBridge(f.electron, { window: f.window, appUrl: APP_URL, dispatch, events: new EventBus() });
    const reply = await f.invoke(CHANNELS.call, f.fromApp, { callId: 'c1', method: 'getSubject', request: { id: 's9' } });
    assert.deepEqual(reply, { ok: false, error: { code: 'not-found', message: 'no subject s9' } });
  });

  test('refuses every channel from a subframe, another webContents or another page, without dispatching', async () => {
    const f = fakeElectron();
    const seen: { method: string; req: unknown }[] = [];
    const bus = new EventBus();
    registerIpcBridge(f.electron, { window: f.window, appUrl: APP_URL, dispatch: recordingDispatch({}, seen), events: bus });
    const intruders: InvokeEvent[] = [
      { sender: f.webContents, senderFrame: { url: APP_URL, parent: f.topFrame } },
      { sender: { send() {}, isDestroyed: () => false }, senderFrame: { url: APP_URL, parent: null } },
      { sender: f.webContents, senderFrame: { url: 'https://example.org/', parent: null } },
      { sender: f.webContents, senderFrame: null },
    ];
    for (const event of intruders) {
      await assert.rejects(f.invoke(CHANNELS.call, event, { callId: 'x', method: 'info', request: {} }), /refused a message from a frame that is not the GaitLab window/);
      await assert.rejects(f.invoke(CHANNELS.cancel, event, { callId: 'x' }), /refused/);
      await assert.rejects(f.invoke(CHANNELS.subscribe, event, { topics: ['jobs'] }), /refused/);
      await assert.rejects(f.invoke(CHANNELS.unsubscribe, event, { topics: ['jobs'] }), /refused/);
      await assert.rejects(f.invoke(CHANNELS.pickPaths, event, {}), /refused/);
    }
    assert.equal(seen.length, 0);
    assert.equal(bus.size, 0);
    assert.equal(f.dialogCalls.length, 0);
  });

  test('goes through the real dispatcher, which validates the request; a malformed message names its field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gaitlab-ipc-'));
    const ctx = openServiceContext({ dbPath: join(dir, 'ipc.db'), mode: 'electron' });
    try {
      const f = fakeElectron();
      registerIpcBridge(f.electron, { window: f.window, appUrl: APP_URL, dispatch: createDispatcher(ctx), events: ctx.events });
      const info = (await f.invoke(CHANNELS.call, f.fromApp, { callId: 'a', method: 'info', request: {} })) as CallReply;
      assert.equal(info.ok, true);
      assert.equal(info.ok && checkResponse('info', info.result).mode, 'electron');
      const bad = (await f.invoke(CHANNELS.call, f.fromApp, { callId: 'b', method: 'listSubjects', request: { limit: 5, bogus: 1 } })) as CallReply;
      assert.equal(!bad.ok && bad.error.code, 'bad-request');
      const unknown = await f.invoke(CHANNELS.call, f.fromApp, { callId: 'c', method: 'dropTables', request: {} });
      assert.deepEqual(unknown, { ok: false, error: { code: 'bad-request', message: 'unknown API method "dropTables"' } });
      const noId = await f.invoke(CHANNELS.call, f.fromApp, { method: 'info', request: {} });
      assert.deepEqual(noId, { ok: false, error: { code: 'bad-request', message: 'gaitlab:call: field callId: Invalid input: expected string, received undefined' } });
      const oldStyle = (await f.invoke(CHANNELS.call, f.fromApp, 'info', {})) as CallReply;
      assert.equal(!oldStyle.ok && oldStyle.error.code, 'bad-request');
      await assert.rejects(f.invoke(CHANNELS.cancel, f.fromApp, { callId: 'a b' }), /^Error: gaitlab:cancel: field callId: call ids are letters, digits and _.:-$/);
      await assert.rejects(f.invoke(CHANNELS.subscribe, f.fromApp, { topics: ['everything'] }), /^Error: gaitlab:subscribe: field topics\.0: /);
    } finally {
      closeServiceContext(ctx);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('gaitlab:cancel stops a real import between files: the files before are whole, nothing of the rest is stored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gaitlab-ipc-cancel-'));
    const dbPath = join(dir, 'ipc.db');
    const ctx = openServiceContext({ dbPath, mode: 'electron' });
    try {
      const f = fakeElectron();
      registerIpcBridge(f.electron, { window: f.window, appUrl: APP_URL, dispatch: createDispatcher(ctx), events: ctx.events });
      // Cancel once the fourth file is under way, as a user who presses Cancel during an import.
      let cancelled: Promise<unknown> | null = null;
      f.webContents.send = function (channel, event) {
        this.sent.push([channel, event]);
        const e = checkEvent(event);
        if (e.type === 'progress' && e.progress.stage === 'importing' && !cancelled && this.sent.length >= 4) {
          cancelled = f.invoke(CHANNELS.cancel, f.fromApp, { callId: 'imp-1' });
        }
      };
      const reply = (await f.invoke(CHANNELS.call, f.fromApp, { callId: 'imp-1', method: 'importPaths', request: { paths: [sharedData('gaitpdb')] } })) as CallReply;
      assert.equal(await cancelled, true, 'the call was in flight when cancelled');
      assert.deepEqual(reply, { ok: false, error: { code: 'cancelled', message: 'import was cancelled' } });
      assert.ok(f.webContents.sent.every(([, e]) => (e as { callId?: string }).callId === 'imp-1'));
      assert.equal(await f.invoke(CHANNELS.cancel, f.fromApp, { callId: 'imp-1' }), false, 'a finished call cannot be cancelled');
      closeServiceContext(ctx);
      const stored = assertWholeTrials(dbPath);
      assert.ok(stored.trials >= 1 && stored.trials < 306, `some trials, not all: ${stored.trials}`);
    } finally {
      closeServiceContext(ctx);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('job events reach the window only for what it subscribed to, and never after unsubscribe or removal', async () => {
    const f = fakeElectron();
    const bus = new EventBus();
    const remove = registerIpcBridge(f.electron, { window: f.window, appUrl: APP_URL, dispatch: recordingDispatch({}), events: bus });
    const state = (jobId: string) => ({ type: 'job-state' as const, topic: 'jobs' as const, jobId, job: jobSummaryOf(jobId) });
    const log = (jobId: string, line: string) => ({ type: 'job-log' as const, topic: 'jobs' as const, jobId, at: '2026-12-06T10:00:02.000Z', line });
    bus.publish(state('j1'));
    assert.equal(f.webContents.sent.length, 0, 'nothing before a subscription');
    await f.invoke(CHANNELS.subscribe, f.fromApp, { jobIds: ['j2'] });
    bus.publish(state('j1'));
    bus.publish(log('j2', 'epoch 1'));
    assert.deepEqual(f.webContents.sent.map(([, e]) => e), [log('j2', 'epoch 1')]);
    await f.invoke(CHANNELS.subscribe, f.fromApp, { topics: ['jobs'] });
    bus.publish(state('j1'));
    assert.deepEqual(f.webContents.sent.at(-1), ['gaitlab:event', state('j1')]);
    await f.invoke(CHANNELS.unsubscribe, f.fromApp, { topics: ['jobs'], jobIds: ['j2'] });
    const before = f.webContents.sent.length;
    bus.publish(state('j1'));
    bus.publish(log('j2', 'epoch 2'));
    assert.equal(f.webContents.sent.length, before);
    for (const [, e] of f.webContents.sent) checkEvent(e);

    // A reload of the page drops its subscriptions; a hash navigation inside the app does not.
    await f.invoke(CHANNELS.subscribe, f.fromApp, { topics: ['jobs'] });
    f.webContents.emit('did-start-navigation', { isMainFrame: true, isSameDocument: true });
    assert.equal(bus.size, 1);
    f.webContents.emit('did-start-navigation', { isMainFrame: true, isSameDocument: false });
    assert.equal(bus.size, 0);
    await f.invoke(CHANNELS.subscribe, f.fromApp, { topics: ['jobs'] });
    remove();
    assert.equal(bus.size, 0, 'removing the bridge ends its subscription');
  });

  test('pick-paths opens the dialog on the window for files and folders, validates its message, and gives [] when cancelled', async () => {
    const f = fakeElectron();
    registerIpcBridge(f.electron, { window: f.window, appUrl: APP_URL, dispatch: recordingDispatch({}), events: new EventBus() });
    assert.deepEqual(pickPathsReply.parse(await f.invoke(CHANNELS.pickPaths, f.fromApp, {})), { paths: ['/data/GaCo01_01.txt'] });
    assert.equal(f.dialogCalls[0].window, f.window);
    assert.deepEqual(f.dialogCalls[0].options.properties, ['openFile', 'openDirectory', 'multiSelections']);
    await f.invoke(CHANNELS.pickPaths, f.fromApp, { kind: 'folders' });
    assert.deepEqual(f.dialogCalls[1].options.properties, ['openDirectory', 'multiSelections']);
    await assert.rejects(f.invoke(CHANNELS.pickPaths, f.fromApp, { kind: 'anything' }), /^Error: gaitlab:pick-paths: field kind: /);
    await assert.rejects(f.invoke(CHANNELS.pickPaths, f.fromApp, { kind: 'files', extra: 1 }), /gaitlab:pick-paths: field /);

    const cancelled = fakeElectron({ canceled: true, filePaths: [] });
    registerIpcBridge(cancelled.electron, { window: cancelled.window, appUrl: APP_URL, dispatch: recordingDispatch({}), events: new EventBus() });
    assert.deepEqual(await cancelled.invoke(CHANNELS.pickPaths, cancelled.fromApp, {}), { paths: [] });
  });

  test('the returned function removes every handler', () => {
    const f = fakeElectron();
    const remove = registerIpcBridge(f.electron, { window: f.window, appUrl: APP_URL, dispatch: recordingDispatch({}), events: new EventBus() });
    assert.deepEqual([...f.handlers.keys()].sort(), ['gaitlab:call', 'gaitlab:cancel', 'gaitlab:pick-paths', 'gaitlab:subscribe', 'gaitlab:unsubscribe']);
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
        return args[0] === 'gaitlab:pick-paths' ? { paths: ['/data/a.txt'] } : args[0] === 'gaitlab:call' ? fake.reply : args[0] === 'gaitlab:cancel' ? true : undefined;
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
  test('exposes exactly one API, window.gaitlab, with call, cancel, subscribe, unsubscribe, onEvent, pickPaths and platform', () => {
    const fake = loadPreload();
    assert.equal(fake.exposed.length, 1);
    assert.equal(fake.exposed[0].key, 'gaitlab');
    assert.deepEqual(Object.keys(fake.exposed[0].api).sort(), ['call', 'cancel', 'onEvent', 'pickPaths', 'platform', 'subscribe', 'unsubscribe']);
    assert.equal(fake.exposed[0].api.platform, process.platform);
    for (const v of Object.values(fake.exposed[0].api)) assert.notEqual(typeof v, 'object', 'no object (such as ipcRenderer) is exposed');
  });

  test('call sends { callId, method, request } on gaitlab:call and resolves with the envelope main sent', async () => {
    const fake = loadPreload();
    const bridge = fake.exposed[0].api as unknown as GaitLabPreloadBridge;
    assert.deepEqual(await bridge.call('c-1', 'info', {}), { ok: true, result: { version: '0.1.0' } });
    fake.reply = { ok: false, error: { code: 'cancelled', message: 'import was cancelled' } };
    assert.deepEqual(await bridge.call('c-2', 'importPaths', { paths: ['/x'] }), fake.reply, 'the error code survives the bridge');
    assert.deepEqual(fake.invoked, [
      ['gaitlab:call', { callId: 'c-1', method: 'info', request: {} }],
      ['gaitlab:call', { callId: 'c-2', method: 'importPaths', request: { paths: ['/x'] } }],
    ]);
  });

  test('cancel, subscribe and unsubscribe invoke their channels with their messages', async () => {
    const fake = loadPreload();
    const bridge = fake.exposed[0].api as unknown as GaitLabPreloadBridge;
    await bridge.cancel('c-2');
    await bridge.subscribe({ topics: ['jobs'] });
    await bridge.unsubscribe({ jobIds: ['j1'] });
    assert.deepEqual(fake.invoked, [
      [CHANNELS.cancel, { callId: 'c-2' }],
      [CHANNELS.subscribe, { topics: ['jobs'] }],
      [CHANNELS.unsubscribe, { jobIds: ['j1'] }],
    ]);
  });

  test('onEvent hands the page only the payload, never the IPC event, and unsubscribes', () => {
    const fake = loadPreload();
    const api = fake.exposed[0].api as { onEvent: (cb: (...a: unknown[]) => void) => () => void };
    const got: unknown[][] = [];
    const off = api.onEvent((...args) => got.push(args));
    const listeners = fake.listeners.get(CHANNELS.event) ?? [];
    assert.equal(listeners.length, 1);
    const progress = { type: 'progress', topic: 'call', callId: 'c-1', progress: { kind: 'progress', task: 'import', stage: 'reading', done: 2, total: 4 } };
    listeners[0]({ sender: 'the ipcRenderer itself' }, progress);
    assert.deepEqual(got, [[progress]]);
    off();
    assert.equal((fake.listeners.get(CHANNELS.event) ?? []).length, 0);
  });

  test('pickPaths invokes gaitlab:pick-paths with { kind } and resolves with the paths', async () => {
    const fake = loadPreload();
    const bridge = fake.exposed[0].api as unknown as GaitLabPreloadBridge;
    assert.deepEqual(await bridge.pickPaths(), ['/data/a.txt']);
    assert.deepEqual(await bridge.pickPaths('folders'), ['/data/a.txt']);
    assert.deepEqual(fake.invoked, [[CHANNELS.pickPaths, {}], [CHANNELS.pickPaths, { kind: 'folders' }]]);
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
      const reply = (await rec.handlers.get('gaitlab:call')?.({ sender: win.webContents, senderFrame: { url: appUrl, parent: null } }, { callId: 'start-1', method: 'info', request: {} })) as CallReply;
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
