/** An API failure with a user-facing one-line message; `code` maps to HTTP status and CLI exit codes. */
export class ApiError extends Error {
  constructor(readonly code: 'bad-request' | 'not-found' | 'input' | 'internal', message: string) {
    super(message);
    this.name = 'ApiError';
  }
}
