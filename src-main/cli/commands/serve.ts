import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { startBrowserServer } from '../../server/http-server';
import { openWithHandoff, systemOpener, type BrowserOpener, type TokenHandoff } from '../../server/token-handoff';
import { closeServiceContext, openServiceContext } from '../../services/context';
import { resolveDbPath } from '../data-dir';
import { int } from '../parse';
import type { GlobalOptions } from '../run-context';

/** Path of the Electron binary when one is installed; null where it could not be downloaded. */
export function electronBinary(): string | null {
  try {
    // The electron package exports the path of its binary, and throws when the download was skipped.
    const p = require('electron') as unknown;
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

/**
 * Browser mode until SIGINT, SIGTERM or SIGHUP. With `open`, the browser gets a one-time local page, never
 * the URL with the token (issue 21 item 7). Uploads staged by this run are removed on every way out: a
 * signal, a crash (the 'exit' handler), and, for a run killed outright, by the next start.
 */
export async function serve(g: GlobalOptions, opts: { port?: number; open: boolean }, opener: BrowserOpener = systemOpener): Promise<void> {
  const ctx = openServiceContext({ dbPath: resolveDbPath(g.db), mode: 'browser' });
  let handoff: TokenHandoff | null = null;
  const srv = await startBrowserServer(ctx, { port: opts.port, onPageConnected: () => handoff?.dispose() });
  const onExit = () => {
    rmSync(srv.stagingDir, { recursive: true, force: true });
    handoff?.dispose();
  };
  process.on('exit', onExit);
  // Listen for signals before the URL is out: whoever reads it may stop the server at once.
  const stopped = new Promise<void>((done) => {
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    const stop = () => {
      for (const sig of signals) process.off(sig, stop);
      void srv.close().then(() => {
        closeServiceContext(ctx);
        onExit();
        process.off('exit', onExit);
        done();
      });
    };
    for (const sig of signals) process.on(sig, stop);
  });
  if (g.json) process.stdout.write(JSON.stringify({ server: { url: srv.url, port: srv.port, db: ctx.dbPath } }) + '\n');
  else console.log(`GaitLab (browser mode) on ${srv.url}\ndatabase ${ctx.dbPath}\nPress Ctrl+C to stop.`);
  if (opts.open) handoff = openWithHandoff(srv.url, opener);
  await stopped;
}

export function registerServe(program: Command, global: () => GlobalOptions): void {
  program
    .command('serve')
    .description('browser mode: serve the GaitLab UI on 127.0.0.1 with a per-run token')
    .option('--port <n>', 'port (default: any free port)', int)
    .option('--open', 'open the URL in the default browser', false)
    .action((o: { port?: number; open: boolean }) => serve(global(), o));

  program
    .command('start')
    .description('open the desktop app; falls back to browser mode where no Electron binary exists')
    .option('--port <n>', 'port for the browser-mode fallback', int)
    .option('--no-open', 'do not open a browser in the fallback')
    .action(async (o: { port?: number; open: boolean }) => {
      const g = global();
      const electron = electronBinary();
      const main = resolve(__dirname, '../../app/electron-main.js');
      if (electron && existsSync(main)) {
        const args = [resolve(__dirname, '../../../..')];
        const env = { ...process.env, ...(g.db ? { GAITLAB_DB: resolveDbPath(g.db) } : {}) };
        const child = spawn(electron, args, { stdio: 'inherit', env });
        await new Promise<void>((done) => child.on('exit', () => done()));
        return;
      }
      console.error('No Electron binary here: starting browser mode instead.');
      await serve(g, { port: o.port, open: o.open });
    });
}
