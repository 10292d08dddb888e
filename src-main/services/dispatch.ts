// The one entry point of the three faces (Electron IPC, browser mode, CLI): validates the request against
// the method's schema, then calls its handler with a call context (id, cancellation, progress).
import { describeIssue } from '../../src-shared/api/transport';
import { api, isApiMethod, type ApiMethod, type ApiRequest, type ApiResponse } from '../../src-shared/api/schema';
import { InputError } from '../../src-shared/domain/errors';
import { StoreError } from '../store/db';
import { DamagedBlobError } from '../store/sample-codec';
import { ApiError, handlers } from './api-handlers';
import { newCallContext, type CallOptions } from './call-context';
import type { ServiceContext } from './context';

export type { CallOptions };

export type Dispatch = <M extends ApiMethod>(method: M, req: ApiRequest<M>, opts?: CallOptions) => Promise<ApiResponse<M>>;

/** A method name from outside (IPC, HTTP, WebSocket) checked to be one of the API's. */
export function apiMethodOrThrow(name: unknown): ApiMethod {
  if (typeof name !== 'string' || !isApiMethod(name)) throw new ApiError('bad-request', `unknown API method "${String(name).slice(0, 64)}"`);
  return name;
}

export function createDispatcher(ctx: ServiceContext): Dispatch {
  return async <M extends ApiMethod>(method: M, req: ApiRequest<M>, opts: CallOptions = {}): Promise<ApiResponse<M>> => {
    apiMethodOrThrow(method);
    const parsed = api[method].request.safeParse(req ?? {});
    if (!parsed.success) throw new ApiError('bad-request', `${method}: ${describeIssue(parsed.error, '(request)')}`);
    const call = newCallContext(opts);
    if (call.signal.aborted) throw new ApiError('cancelled', `${method} was cancelled`);
    try {
      const handler = handlers[method] as (c: ServiceContext, r: unknown, cc: typeof call) => ApiResponse<M> | Promise<ApiResponse<M>>;
      return await handler(ctx, parsed.data, call);
    } catch (e) {
      if (e instanceof ApiError) throw e;
      if (e instanceof InputError || e instanceof StoreError) throw new ApiError('input', e.message);
      if (e instanceof DamagedBlobError) throw new ApiError('input', `${ctx.dbPath}: ${e.message}`);
      throw new ApiError('internal', `${method} failed: ${(e as Error).message}`);
    }
  };
}
