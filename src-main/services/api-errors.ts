/** An API failure with a user-facing one-line message; `code` maps to HTTP status and CLI exit codes. */
export class ApiError extends Error {
  constructor(readonly code: ApiErrorCode, message: string) {
    super(message);
    this.name = 'ApiError';
  }
}

export type ApiErrorCode = 'bad-request' | 'not-found' | 'input' | 'internal' | 'cancelled' | 'conflict';

/** HTTP status of each error code (browser mode). */
export function httpStatus(code: string): number {
  switch (code) {
    case 'not-found': return 404;
    case 'internal': return 500;
    case 'cancelled': return 499;
    case 'conflict': return 409;
    default: return 400;
  }
}
