// The one entry point of the three faces (Electron IPC, browser-mode HTTP, CLI): validates the
// payload against the method's schema, then calls its handler.
import { api, isApiMethod } from '../../src-shared/api/schema';
import { InputError } from '../../src-shared/domain/errors';
import { StoreError } from '../store/db';
import { ApiError, handlers } from './api-handlers';
import type { ProgressSink, ServiceContext } from './context';

export type Dispatch = (method: string, payload: unknown, onProgress?: ProgressSink) => Promise<unknown>;

export function createDispatcher(ctx: ServiceContext): Dispatch {
  return async (method, payload, onProgress) => {
    if (!isApiMethod(method)) throw new ApiError('bad-request', `unknown API method "${String(method).slice(0, 64)}"`);
    const parsed = api[method].request.safeParse(payload ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ApiError('bad-request', `${method}: field ${issue.path.join('.') || '(request)'}: ${issue.message}`);
    }
    try {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      return await (handlers[method] as any)(ctx, parsed.data, onProgress);
    } catch (e) {
      if (e instanceof ApiError) throw e;
      if (e instanceof InputError || e instanceof StoreError) throw new ApiError('input', e.message);
      throw new ApiError('internal', `${method} failed: ${(e as Error).message}`);
    }
  };
}
