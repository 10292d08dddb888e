// Errors a user can act on, shared by every layer that reads what users give (files, requests).

/** A user-actionable input error: names file, line and field. */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly field: string | null,
    readonly reason: string,
  ) {
    super(`${file}${line != null ? ` line ${line}` : ''}${field ? ` field ${field}` : ''}: ${reason}`);
    this.name = 'InputError';
  }
}
