// Electron main: one window, sandboxed and context-isolated, showing only the app's own file:// page, talking
// to main through the typed API (ipc-bridge.ts). Nothing remote is ever loaded.
//
// Electron and the services are required inside functions: the services open better-sqlite3, which must pass
// the native check first, and the pure parts (window options, URL policy) are tested under plain Node.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserWindow, BrowserWindowConstructorOptions, Session } from 'electron';
import { resolveDbPath, userDataDir } from '../cli/data-dir';
import type { ServiceContext } from '../services/context';
import { registerIpcBridge, isTrustedSender } from './ipc-bridge';
import { checkNativeModules } from './native-check';

type Electron = typeof import('electron');

/** Compiled layout: dist/src-main/app/{electron-main,preload}.js beside dist/renderer/index.html. */
export function appPaths(mainDir: string = __dirname): { preload: string; indexHtml: string; appUrl: string } {
  const indexHtml = resolve(mainDir, '../../renderer/index.html');
  return { preload: join(mainDir, 'preload.js'), indexHtml, appUrl: pathToFileURL(indexHtml).href };
}

export function secureWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    title: 'GaitLab',
    width: 1360,
    height: 860,
    minWidth: 960,
    minHeight: 600,
    show: false,
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
    },
  };
}

/**
 * The header CSP: browser mode's policy without its loopback WebSocket, since in Electron the API goes over IPC.
 * index.html carries its own meta CSP; where both apply, Chromium enforces both.
 */
export function electronCsp(browserCsp: string): string {
  return browserCsp.replace(/connect-src [^;]*/, "connect-src 'self'");
}

/**
 * Requests the app may make: files of its own renderer folder, in-memory data and DevTools. Anything with a
 * network scheme, and any other file on disk, is cancelled.
 */
export function isLocalRequest(url: string, rendererDirUrl: string): boolean {
  if (/^(data|blob|devtools):/i.test(url)) return true;
  if (!/^file:/i.test(url)) return false;
  let path: string;
  let dir: string;
  try {
    path = decodeURIComponent(new URL(url).pathname);
    dir = decodeURIComponent(new URL(rendererDirUrl).pathname).replace(/\/?$/, '/');
  } catch {
    return false;
  }
  if (/^\/[A-Za-z]:\//.test(dir)) return path.toLowerCase().startsWith(dir.toLowerCase());
  return path.startsWith(dir);
}

function hardenSession(session: Session, csp: string, rendererDirUrl: string): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isLocalRequest(details.url, rendererDirUrl) }));
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
}

/** Every webContents (the window and anything it might try to create): no navigation away, no popups, no webviews. */
function hardenWebContents(electron: Electron, appUrl: string): void {
  electron.app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    const stayOnApp = (e: { preventDefault: () => void; url: string }) => {
      if (!isTrustedSender(e.url, appUrl)) e.preventDefault();
    };
    contents.on('will-navigate', stayOnApp);
    contents.on('will-redirect', stayOnApp);
  });
}

function fail(electron: Electron, title: string, message: string): void {
  console.error(`gaitlab: ${message}`);
  electron.dialog.showErrorBox(title, message);
  electron.app.exit(1);
}

interface Running {
  ctx: ServiceContext;
  window: BrowserWindow;
  indexHtml: string;
}

/** Checks, opens the store and creates the window; null when start-up failed (the app is then exiting). */
function start(electron: Electron, mainDir: string): Running | null {
  const { BrowserWindow, dialog, ipcMain, session } = electron;
  const failed = checkNativeModules().filter((m) => !m.ok);
  if (failed.length) {
    fail(electron, 'GaitLab cannot start', failed.map((m) => m.error).join('\n\n'));
    return null;
  }
  const paths = appPaths(mainDir);
  if (!existsSync(paths.indexHtml)) {
    fail(electron, 'GaitLab cannot start', `the user interface is not built: ${paths.indexHtml} is missing (run npm run build)`);
    return null;
  }

  // Loaded only now: opening the store loads better-sqlite3, which has just been checked.
  const { openServiceContext } = require('../services/context') as typeof import('../services/context');
  const { createDispatcher } = require('../services/dispatch') as typeof import('../services/dispatch');
  const { CSP } = require('../server/http-server') as typeof import('../server/http-server');

  let ctx: ServiceContext;
  try {
    ctx = openServiceContext({ dbPath: resolveDbPath(undefined), mode: 'electron' });
  } catch (e) {
    fail(electron, 'GaitLab cannot open its database', (e as Error).message);
    return null;
  }

  hardenSession(session.defaultSession, electronCsp(CSP), pathToFileURL(dirname(paths.indexHtml)).href);
  const window = new BrowserWindow(secureWindowOptions(paths.preload));
  registerIpcBridge<BrowserWindow>({ ipcMain, dialog }, { window, appUrl: paths.appUrl, dispatch: createDispatcher(ctx), events: ctx.events });
  window.once('ready-to-show', () => window.show());
  return { ctx, window, indexHtml: paths.indexHtml };
}

/** Starts the app; resolves once the window has loaded (or start-up has failed and the app is exiting). */
export function main(electron: Electron = require('electron') as Electron, mainDir: string = __dirname): Promise<void> {
  const { app } = electron;
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return Promise.resolve();
  }
  app.enableSandbox();
  // The same per-user folder as the CLI's default database (src-main/cli/data-dir.ts), in dev and packaged alike.
  app.setName('GaitLab');
  app.setPath('userData', userDataDir());
  hardenWebContents(electron, appPaths(mainDir).appUrl);

  let running: Running | null = null;
  app.on('second-instance', () => {
    const w = running?.window;
    if (!w || w.isDestroyed()) return;
    if (w.isMinimized()) w.restore();
    w.focus();
  });
  app.on('window-all-closed', () => app.quit());
  const closeStore = () => {
    if (!running) return;
    const { closeServiceContext } = require('../services/context') as typeof import('../services/context');
    closeServiceContext(running.ctx);
    running = null;
  };
  app.on('will-quit', closeStore);
  return app
    .whenReady()
    .then(async () => {
      running = start(electron, mainDir);
      if (running) await running.window.loadFile(running.indexHtml);
    })
    .catch((e: unknown) => {
      closeStore();
      fail(electron, 'GaitLab failed to start', (e as Error)?.stack ?? String(e));
    });
}

// Only inside Electron's main process; importing this file under Node (tests) has no side effects.
if ((process as { type?: string }).type === 'browser' && process.versions.electron) void main();
