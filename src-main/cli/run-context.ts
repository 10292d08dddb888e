import { existsSync } from 'node:fs';
import { closeServiceContext, openServiceContext, type ServiceContext } from '../services/context';
import { createDispatcher, type Dispatch } from '../services/dispatch';
import type { DbAccess } from '../store/db';
import { escapeControl } from '../../src-shared/text/escape';
import { resolveDbPath } from './data-dir';

export interface GlobalOptions { db?: string; json?: boolean }

/**
 * Opens the store for one CLI command, hands the command the dispatcher, and always closes it.
 * `access`: true or 'read' for commands that only read, 'existing' for those that read and may migrate
 * (info), false or 'create' for commands that write: only these create a database, and they say so.
 */
export async function withApi<T>(opts: GlobalOptions, fn: (call: Dispatch, ctx: ServiceContext) => Promise<T>, access: boolean | DbAccess = false): Promise<T> {
  const mode: DbAccess = access === true ? 'read' : access === false ? 'create' : access;
  const dbPath = resolveDbPath(opts.db);
  const isNew = mode === 'create' && !existsSync(dbPath);
  const ctx = openServiceContext({ dbPath, mode: 'cli', access: mode });
  if (isNew) process.stderr.write(`gaitlab: created a new database ${escapeControl(ctx.dbPath)}\n`);
  try {
    return await fn(createDispatcher(ctx), ctx);
  } finally {
    closeServiceContext(ctx);
  }
}
