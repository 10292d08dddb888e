// The Electron face of the typed API: the renderer's `window.gaitlab.call` arrives here over IPC and goes
// to the same dispatcher (and schema validation) as the CLI and browser mode. Each call carries the id the
// renderer chose, so it can be cancelled and its progress goes to this window only; topic events (jobs) reach
// the window only for what it subscribed to. Electron is injected, so this module runs under plain Node in tests.
import type { OpenDialogOptions, OpenDialogReturnValue } from 'electron';
import { subscription } from '../../src-shared/api/events';
import { describeIssue, ipcCallMessage, ipcCancelMessage, pickPathsReply, pickPathsRequest, type CallReply, type PickKind, type PickPathsReply } from '../../src-shared/api/transport';
import { ClientSession } from '../services/client-session';
import type { Dispatch } from '../services/dispatch';
import type { EventBus } from '../services/event-bus';

/** The channel names; preload.ts repeats them because a sandboxed preload cannot import this file. */
export const CHANNELS = {
  call: 'gaitlab:call',
  cancel: 'gaitlab:cancel',
  subscribe: 'gaitlab:subscribe',
  unsubscribe: 'gaitlab:unsubscribe',
  event: 'gaitlab:event',
  pickPaths: 'gaitlab:pick-paths',
} as const;

export type { CallReply, PickKind };

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
  /** Electron's webContents events: a navigation (reload) resets the page's calls and subscriptions. */
  on?(event: 'did-start-navigation' | 'destroyed', listener: (...args: unknown[]) => void): unknown;
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
  /** Topic events (ctx.events) the window can subscribe to. */
  events: EventBus;
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

/** The first schema issue of an IPC message, as one line naming the channel and the field. */
function badMessage(channel: string, error: Parameters<typeof describeIssue>[0]): Error {
  return new Error(`${channel}: ${describeIssue(error)}`);
}

export function openDialogOptions(kind: PickKind | undefined): OpenDialogOptions {
  // On Windows and Linux a dialog cannot pick files and folders at once: with both flags it picks folders.
  // `kind` lets the renderer offer both; without it the dialog is the combined one.
  const properties: OpenDialogOptions['properties'] =
    kind === 'files' ? ['openFile', 'multiSelections'] : kind === 'folders' ? ['openDirectory', 'multiSelections'] : ['openFile', 'openDirectory', 'multiSelections'];
  return { title: 'Import into GaitLab', properties };
}

/** Installs the handlers; returns the function that removes them (and cancels the window's calls). */
export function registerIpcBridge<W extends BridgeWindow>(electron: BridgeElectron<W>, options: BridgeOptions<W>): () => void {
  const { ipcMain, dialog } = electron;
  const session = new ClientSession(options.dispatch, options.events, (e) => {
    const wc = options.window.webContents;
    if (!options.window.isDestroyed() && !wc.isDestroyed()) wc.send(CHANNELS.event, e);
  });

  ipcMain.handle(CHANNELS.call, async (event, message): Promise<CallReply> => {
    if (!fromAppFrame(event, options)) throw untrusted(CHANNELS.call);
    const m = ipcCallMessage.safeParse(message);
    if (!m.success) return { ok: false, error: { code: 'bad-request', message: badMessage(CHANNELS.call, m.error).message } };
    return session.call(m.data.callId, m.data.method, m.data.request);
  });

  ipcMain.handle(CHANNELS.cancel, (event, message): boolean => {
    if (!fromAppFrame(event, options)) throw untrusted(CHANNELS.cancel);
    const m = ipcCancelMessage.safeParse(message);
    if (!m.success) throw badMessage(CHANNELS.cancel, m.error);
    return session.cancel(m.data.callId);
  });

  for (const [channel, apply] of [
    [CHANNELS.subscribe, (s: typeof subscription._output) => session.subscribe(s)],
    [CHANNELS.unsubscribe, (s: typeof subscription._output) => session.unsubscribe(s)],
  ] as const) {
    ipcMain.handle(channel, (event, message): void => {
      if (!fromAppFrame(event, options)) throw untrusted(channel);
      const m = subscription.safeParse(message);
      if (!m.success) throw badMessage(channel, m.error);
      apply(m.data);
    });
  }

  ipcMain.handle(CHANNELS.pickPaths, async (event, message): Promise<PickPathsReply> => {
    if (!fromAppFrame(event, options)) throw untrusted(CHANNELS.pickPaths);
    const m = pickPathsRequest.safeParse(message ?? {});
    if (!m.success) throw badMessage(CHANNELS.pickPaths, m.error);
    const picked = await dialog.showOpenDialog(options.window, openDialogOptions(m.data.kind));
    return pickPathsReply.parse({ paths: picked.canceled ? [] : picked.filePaths });
  });

  // A reload starts a new page that has asked for nothing yet; a destroyed window asks for nothing more.
  const wc = options.window.webContents;
  wc.on?.('did-start-navigation', (...args: unknown[]) => {
    const details = args[0] as { isMainFrame?: boolean; isSameDocument?: boolean } | undefined;
    if (details?.isMainFrame !== false && details?.isSameDocument !== true) session.reset();
  });
  wc.on?.('destroyed', () => session.close());

  return () => {
    for (const channel of [CHANNELS.call, CHANNELS.cancel, CHANNELS.subscribe, CHANNELS.unsubscribe, CHANNELS.pickPaths]) ipcMain.removeHandler(channel);
    session.close();
  };
}
