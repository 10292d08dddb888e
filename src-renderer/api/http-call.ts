// Browser mode's fallback path for a call: POST /api/<method>. The page normally calls over its WebSocket;
// this path answers when the socket cannot open, and it says why in words (a stale token, a stopped server).
// Aborting the fetch hangs up, and the server cancels the call.
import type { ApiMethod, ApiRequest } from '../../src-shared/api/schema';
import { browserToken, MISSING_TOKEN_MESSAGE, TOKEN_HEADER } from './browser-session';
import { ApiError, readEnvelope } from './envelope';

export const STALE_TOKEN_MESSAGE =
  'The GaitLab server did not accept this page’s access token (was it restarted?): open the new link that `gaitlab serve` printed.';

export async function callOverHttp<M extends ApiMethod>(method: M, request: ApiRequest<M>, signal?: AbortSignal): Promise<unknown> {
  const token = browserToken();
  if (!token) throw new ApiError(MISSING_TOKEN_MESSAGE, 401);
  let response: Response;
  try {
    response = await fetch(`/api/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', [TOKEN_HEADER]: token },
      body: JSON.stringify(request),
      cache: 'no-store',
      signal,
    });
  } catch {
    if (signal?.aborted) throw new ApiError(`${method} was cancelled`, undefined, 'cancelled');
    throw new ApiError(`Cannot reach the GaitLab server at ${window.location.host}: is \`gaitlab serve\` still running?`);
  }
  if (response.status === 401) throw new ApiError(STALE_TOKEN_MESSAGE, 401);
  return readEnvelope(response, method);
}
