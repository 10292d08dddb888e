// The Electron face of the typed API: the renderer's `window.gaitlab.call` arrives here over IPC and goes
// to the same dispatcher (and schema validation) as the CLI and browser mode. Electron is injected, so this
// module runs under plain Node in tests.
import type { OpenDialogOptions, OpenDialogReturnValue } from 'electron';
import type { ApiEvent, ApiRequest } from '../../src-shared/api/schema';
import { apiMethodOrThrow, type Dispatch } from '../services/dispatch';

/** The channel names; preload.ts repeats them because a sandboxed preload cannot import this file. */
export const CHANNELS = {
  call: 'gaitlab:call',
  event: 'gaitlab:event',
  pickPaths: 'gaitlab:pick-paths',
} as const;

/** What the preload unwraps: the same envelope as browser mode's /api/*. */
export type CallReply = { ok: true; result: unknown } | { ok: false; error: { code: string; message: string } };

export type PickKind = 'files' | 'folders';

/**
 * True when `url` is the app's own page: a file: URL with the same path as `expectedUrl`. The fragment is
 * ignored (the renderer routes with #/…); a query, another host or another scheme is not the app.
 */
export function isTrustedSender(url: string, expectedUrl: string): boolean {
  let got: URL;
  let want: URL;
  try {
    got = new URL(url);
    want = new URL(expectedUrl);
  } catch {
    return false;
  }
  if (got.protocol !== 'file:' || want.protocol !== 'file:') return false;
  if (got.host !== want.host || got.search !== '' || got.username !== '' || got.password !== '') return false;
  let gotPath: string;
  let wantPath: string;
  try {
    gotPath = decodeURIComponent(got.pathname);
    wantPath = decodeURIComponent(want.pathname);
  } catch {
    return false;
  }
  // Windows paths are case-insensitive and Chromium may report the drive letter in either case.
  if (/^\/[A-Za-z]:\//.test(wantPath)) return gotPath.toLowerCase() === wantPath.toLowerCase();
  return gotPath === wantPath;
}

/** The parts of Electron's objects the bridge uses; Electron's own types satisfy them. */
export interface SenderFrame {
  readonly url: string;
  readonly parent: unknown;
}
export interface InvokeEvent {
  readonly sender: unknown;
  readonly senderFrame: SenderFrame | null;
}
export interface BridgeWebContents {
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}
export interface BridgeWindow {
  readonly webContents: BridgeWebContents;
  isDestroyed(): boolean;
}
export interface BridgeElectron<W extends BridgeWindow> {
  ipcMain: {
    handle(channel: string, listener: (event: InvokeEvent, ...args: unknown[]) => unknown): void;
    removeHandler(channel: string): void;
  };
  dialog: {
    showOpenDialog(window: W, options: OpenDialogOptions): Promise<OpenDialogReturnValue>;
  };
}

export interface BridgeOptions<W extends BridgeWindow> {
  window: W;
  /** The file: URL the window was loaded from (see isTrustedSender). */
  appUrl: string;
  dispatch: Dispatch;
}

/** Only the main window's top frame showing the app's own page may call the API. */
function fromAppFrame(event: InvokeEvent, options: BridgeOptions<BridgeWindow>): boolean {
  const frame = event.senderFrame;
  return (
    !options.window.isDestroyed() &&
    event.sender === options.window.webContents &&
    frame !== null &&
    frame.parent === null &&
    isTrustedSender(frame.url, options.appUrl)
  );
}

function untrusted(channel: string): Error {
  return new Error(`${channel}: refused a message from a frame that is not the GaitLab window`);
}

/** An ApiError (or anything else) as the plain code and one-line message the renderer shows. */
function toReplyError(e: unknown): { code: string; message: string } {
  const code = typeof (e as { code?: unknown })?.code === 'string' ? (e as { code: string }).code : 'internal';
  const message = e instanceof Error ? e.message : String(e);
  return { code, message: message.split('\n')[0] };
}

export function openDialogOptions(kind: PickKind | undefined): OpenDialogOptions {
  // On Windows and Linux a dialog cannot pick files and folders at once: with both flags it picks folders.
  // `kind` lets the renderer offer both; without it the dialog is the combined one.
  const properties: OpenDialogOptions['properties'] =
    kind === 'files' ? ['openFile', 'multiSelections'] : kind === 'folders' ? ['openDirectory', 'multiSelections'] : ['openFile', 'openDirectory', 'multiSelections'];
  return { title: 'Import into GaitLab', properties };
}

/** Installs the handlers; returns the function that removes them. */
export function registerIpcBridge<W extends BridgeWindow>(electron: BridgeElectron<W>, options: BridgeOptions<W>): () => void {
  const { ipcMain, dialog } = electron;
  const sendEvent = (e: ApiEvent) => {
    const wc = options.window.webContents;
    if (!options.window.isDestroyed() && !wc.isDestroyed()) wc.send(CHANNELS.event, e);
  };

  ipcMain.handle(CHANNELS.call, async (event, method, payload): Promise<CallReply> => {
    if (!fromAppFrame(event, options)) throw untrusted(CHANNELS.call);
    if (typeof method !== 'string') return { ok: false, error: { code: 'bad-request', message: 'the API method name must be a string' } };
    try {
      const m = apiMethodOrThrow(method);
      return { ok: true, result: await options.dispatch(m, payload as ApiRequest<typeof m>, { onEvent: sendEvent }) };
    } catch (e) {
      const error = toReplyError(e);
      if (error.code === 'internal') console.error(`gaitlab: ${method}:`, e);
      return { ok: false, error };
    }
  });

  ipcMain.handle(CHANNELS.pickPaths, async (event, kind): Promise<string[]> => {
    if (!fromAppFrame(event, options)) throw untrusted(CHANNELS.pickPaths);
    if (kind !== undefined && kind !== 'files' && kind !== 'folders') throw new Error(`${CHANNELS.pickPaths}: kind must be "files" or "folders"`);
    const picked = await dialog.showOpenDialog(options.window, openDialogOptions(kind));
    return picked.canceled ? [] : picked.filePaths;
  });

  return () => {
    ipcMain.removeHandler(CHANNELS.call);
    ipcMain.removeHandler(CHANNELS.pickPaths);
  };
}
