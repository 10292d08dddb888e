// Opening browser mode without putting its token in the process list (issue 21 item 7): the browser opener
// gets the path of a one-time local page, readable by this user only (mode 0600, in a private 0700 folder),
// that sends the browser on to the URL with the token. The page is removed once the browser has connected,
// after a minute at the latest, and at exit.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** How long the hand-over page may wait for a browser that is slow to start. */
export const HANDOFF_LIFETIME_MS = 60_000;

/** Opens `target` (a file: URL) in the user's browser. Injected in tests. */
export type BrowserOpener = (target: string) => void;

export interface TokenHandoff {
  /** The file: URL to give the opener: it holds no token. */
  readonly fileUrl: string;
  readonly path: string;
  /** Removes the page and its folder; safe to call more than once. */
  dispose(): void;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Writes the one-time page that forwards to `url` (which carries the token in its fragment). */
export function writeTokenHandoff(url: string, dir: string = tmpdir()): TokenHandoff {
  const folder = mkdtempSync(join(dir, 'gaitlab-open-')); // mkdtemp creates it 0700
  const path = join(folder, 'open-gaitlab.html');
  const href = escapeHtml(url);
  const html = `<!doctype html>
<html><head><meta charset="utf-8"><meta name="referrer" content="no-referrer">
<meta http-equiv="refresh" content="0;url=${href}">
<title>Opening GaitLab…</title></head>
<body><p>Opening GaitLab… If nothing happens, <a href="${href}">continue to GaitLab</a>.</p></body></html>
`;
  writeFileSync(path, html, { mode: 0o600, flag: 'wx' });
  let disposed = false;
  return {
    fileUrl: pathToFileURL(path).href,
    path,
    dispose: () => {
      if (disposed) return;
      disposed = true;
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** The platform's opener (open, explorer, xdg-open); nothing where Linux has no display. */
export const systemOpener: BrowserOpener = (target) => {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return;
  const child = spawn(cmd, [target], { stdio: 'ignore', detached: true });
  child.on('error', () => { /* no opener: the URL is printed */ });
  child.unref();
};

/**
 * Opens `url` through a hand-over page, so the opener's argv holds no token. Returns the hand-over, which
 * removes itself after HANDOFF_LIFETIME_MS; call dispose() sooner when the page has connected, and at exit.
 */
export function openWithHandoff(url: string, opener: BrowserOpener = systemOpener): TokenHandoff {
  const handoff = writeTokenHandoff(url);
  setTimeout(() => handoff.dispose(), HANDOFF_LIFETIME_MS).unref();
  try {
    opener(handoff.fileUrl);
  } catch {
    handoff.dispose(); // no opener: the URL is printed
  }
  return handoff;
}
