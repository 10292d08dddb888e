import { closeServiceContext, openServiceContext, type ServiceContext } from '../services/context';
import { createDispatcher, type Dispatch } from '../services/dispatch';
import { resolveDbPath } from './data-dir';

export interface GlobalOptions { db?: string; json?: boolean }

/**
 * Opens the store for one CLI command, hands the command the dispatcher and a signal that Ctrl+C (SIGINT) or
 * SIGTERM aborts, and always closes the store. A second Ctrl+C exits at once.
 */
export async function withApi<T>(opts: GlobalOptions, fn: (call: Dispatch, ctx: ServiceContext, signal: AbortSignal) => Promise<T>, readonly = false): Promise<T> {
  const ctx = openServiceContext({ dbPath: resolveDbPath(opts.db), mode: 'cli', readonly });
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
  }
}
