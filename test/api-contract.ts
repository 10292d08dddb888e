// Checks what the real faces answer against the API's own schemas: every response against
// api[method].response, every event against apiEvent. Tests use it instead of casting answers.
import assert from 'node:assert/strict';
import { api, apiEvent, type ApiEvent, type ApiMethod, type ApiResponse } from '../src-shared/api/schema';
import type { CallOptions, Dispatch } from '../src-main/services/dispatch';

/** `value` as the response of `method`, or a failed assertion naming the method and the first bad field. */
export function checkResponse<M extends ApiMethod>(method: M, value: unknown): ApiResponse<M> {
  const r = api[method].response.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    assert.fail(`${method}: the response does not match its schema at ${issue.path.join('.') || '(response)'}: ${issue.message}`);
  }
  return value as ApiResponse<M>;
}

/** `value` as an ApiEvent, or a failed assertion naming the first bad field. */
export function checkEvent(value: unknown): ApiEvent {
  const r = apiEvent.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    assert.fail(`event does not match apiEvent at ${issue.path.join('.') || '(event)'}: ${issue.message}: ${JSON.stringify(value).slice(0, 200)}`);
  }
  return value as ApiEvent;
}

/** The dispatcher, with every response and every event checked against its schema; `events` keeps the events. */
export function checkedDispatch(dispatch: Dispatch): Dispatch & { events: ApiEvent[] } {
  const events: ApiEvent[] = [];
  const checked = async <M extends ApiMethod>(method: M, req: Parameters<Dispatch>[1] & object, opts: CallOptions = {}) => {
    const result = await dispatch(method, req as never, {
      ...opts,
      onEvent: (e) => {
        events.push(checkEvent(e));
        opts.onEvent?.(e);
      },
    });
    return checkResponse(method, result);
  };
  return Object.assign(checked as Dispatch, { events });
}
