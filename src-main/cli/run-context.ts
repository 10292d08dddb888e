import { existsSync } from 'node:fs';
import { closeServiceContext, openServiceContext, type ServiceContext } from '../services/context';
import { createDispatcher, type Dispatch } from '../services/dispatch';
import type { DbAccess } from '../store/db';
import { escapeControl } from '../../src-shared/text/escape';
import { resolveDbPath } from './data-dir';
import { closePdfBrowser } from '../report/render-pdf';

export interface GlobalOptions { db?: string; json?: boolean }

/**
 * Opens the store for one CLI command, hands the command the dispatcher and a signal that Ctrl+C (SIGINT) or
 * SIGTERM aborts, and always closes the store. A second Ctrl+C exits at once.
 * `access`: true or 'read' for commands that only read, 'existing' for those that read and may migrate
 * (info), false or 'create' for commands that write: only these create a database, and they say so.
 */
export async function withApi<T>(opts: GlobalOptions, fn: (call: Dispatch, ctx: ServiceContext, signal: AbortSignal) => Promise<T>, access: boolean | DbAccess = false): Promise<T> {
  const mode: DbAccess = access === true ? 'read' : access === false ? 'create' : access;
  const dbPath = resolveDbPath(opts.db);
  const isNew = mode === 'create' && !existsSync(dbPath);
  const ctx = openServiceContext({ dbPath, mode: 'cli', access: mode });
  if (isNew) process.stderr.write(`gaitlab: created a new database ${escapeControl(ctx.dbPath)}\n`);
  const abort = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    if (abort.signal.aborted) process.exit(130);
    process.stderr.write(`\ngaitlab: ${sig === 'SIGINT' ? 'Ctrl+C' : sig}: cancelling (again to quit at once)\n`);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await fn(createDispatcher(ctx), ctx, abort.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    closeServiceContext(ctx);
    // A PDF written during the command leaves Chromium running for the next one; a command ends here.
    await closePdfBrowser();
  }
}
