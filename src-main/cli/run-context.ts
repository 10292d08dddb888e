import { closeServiceContext, openServiceContext, type ServiceContext } from '../services/context';
import { createDispatcher, type Dispatch } from '../services/dispatch';
import { resolveDbPath } from './data-dir';

export interface GlobalOptions { db?: string; json?: boolean }

/** Opens the store for one CLI command, hands the command the dispatcher, and always closes it. */
export async function withApi<T>(opts: GlobalOptions, fn: (call: Dispatch, ctx: ServiceContext) => Promise<T>, readonly = false): Promise<T> {
  const ctx = openServiceContext({ dbPath: resolveDbPath(opts.db), mode: 'cli', readonly });
  try {
    return await fn(createDispatcher(ctx), ctx);
  } finally {
    closeServiceContext(ctx);
  }
}
