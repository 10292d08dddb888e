// The reply envelope every face uses ({ ok: true, result } or { ok: false, error: { code, message } }) and the
// error the renderer shows: one line, with the API's error code when the server gave one.

/** An API failure; `message` is the one line to show the user, `code` the API's ('cancelled', 'input', …). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** True for the error of a call that was cancelled (by its AbortSignal, or by the server going away). */
export function isCancelled(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'cancelled';
}

/** Reads `{ ok: true, result }` or `{ ok: false, error: { message } }`, the envelope of /api/* and /upload. */
export async function readEnvelope(response: Response, what: string): Promise<unknown> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(`${what}: the server answered HTTP ${response.status} without a readable result`, response.status);
  }
  return unwrapEnvelope(body, response.status, what);
}

export function unwrapEnvelope(body: unknown, status: number, what: string): unknown {
  if (body && typeof body === 'object') {
    const envelope = body as { ok?: unknown; result?: unknown; error?: { message?: unknown; code?: unknown } };
    if (envelope.ok === true && status < 400) return envelope.result;
    const message = envelope.error?.message;
    const code = typeof envelope.error?.code === 'string' ? envelope.error.code : undefined;
    if (typeof message === 'string' && message) throw new ApiError(message, status, code);
  }
  throw new ApiError(`${what}: the server answered HTTP ${status} without an error message`, status);
}
