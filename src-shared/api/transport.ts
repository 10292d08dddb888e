// The messages that carry the API between a client (renderer, script) and main: the reply envelope of every
// face, the WebSocket protocol of browser mode, the IPC messages of the Electron bridge, the upload reply and
// path picking. Main validates every message it receives against these schemas (VS Code's channel style:
// a call has an id, can be cancelled by it, and its events carry it).
import { z } from 'zod';
import { apiEvent, subscription } from './events';

/** The first issue of a failed parse as "field a.b: message", the way every face names a bad field. */
export function describeIssue(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }, whole = '(message)'): string {
  const issue = error.issues[0];
  return `field ${issue.path.map(String).join('.') || whole}: ${issue.message}`;
}

/** Ids that clients choose for their calls, so that they can cancel them and match their events. */
export const callId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'call ids are letters, digits and _.:-');

export const apiErrorBody = z.object({ code: z.string(), message: z.string() });
export type ApiErrorBody = z.infer<typeof apiErrorBody>;

/** The reply of every face: HTTP POST /api/*, /upload, IPC and the WebSocket's result message. */
export const callReply = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({ ok: z.literal(false), error: apiErrorBody }),
]);
export type CallReply = z.infer<typeof callReply>;

// ---- browser mode: one WebSocket per page ----------------------------------------------------------------

/** A call of `method` with `request` (validated against the method's own schema by the dispatcher). */
export const wsCallMessage = z.object({ type: z.literal('call'), callId, method: z.string().min(1).max(64), request: z.unknown() }).strict();
export const wsCancelMessage = z.object({ type: z.literal('cancel'), callId }).strict();
export const wsSubscribeMessage = z.object({ type: z.literal('subscribe'), topics: subscription.shape.topics, jobIds: subscription.shape.jobIds }).strict();
export const wsUnsubscribeMessage = z.object({ type: z.literal('unsubscribe'), topics: subscription.shape.topics, jobIds: subscription.shape.jobIds }).strict();

export const wsClientMessage = z.discriminatedUnion('type', [wsCallMessage, wsCancelMessage, wsSubscribeMessage, wsUnsubscribeMessage]);
export type WsClientMessage = z.input<typeof wsClientMessage>;

export const wsResultMessage = z.union([
  z.object({ type: z.literal('result'), callId, ok: z.literal(true), result: z.unknown() }),
  z.object({ type: z.literal('result'), callId, ok: z.literal(false), error: apiErrorBody }),
]);
export const wsEventMessage = z.object({ type: z.literal('event'), event: apiEvent });
/** A client message that cannot be answered as a result (not JSON, no valid call id): said once, then ignored. */
export const wsErrorMessage = z.object({ type: z.literal('error'), error: apiErrorBody });

export const wsServerMessage = z.union([wsResultMessage, wsEventMessage, wsErrorMessage]);
export type WsServerMessage = z.infer<typeof wsServerMessage>;

// ---- Electron: IPC between the preload and main ----------------------------------------------------------

export const ipcCallMessage = z.object({ callId, method: z.string().min(1).max(64), request: z.unknown() }).strict();
export type IpcCallMessage = z.infer<typeof ipcCallMessage>;
export const ipcCancelMessage = z.object({ callId }).strict();

// ---- outside the API's methods: upload (browser mode) and the native path dialog (Electron) ---------------

/** POST /upload answers `{ ok: true, result: uploadReply }`: where the server staged the file. */
export const uploadReply = z.object({ path: z.string().min(1) }).strict();
export type UploadReply = z.infer<typeof uploadReply>;

export const pickKind = z.enum(['files', 'folders']);
export type PickKind = z.infer<typeof pickKind>;
/** Without `kind` the dialog is the combined files-and-folders one, which only macOS offers. */
export const pickPathsRequest = z.object({ kind: pickKind.optional() }).strict();
export type PickPathsRequest = z.infer<typeof pickPathsRequest>;
/** The chosen paths, [] when the dialog was cancelled. */
export const pickPathsReply = z.object({ paths: z.array(z.string()) }).strict();
export type PickPathsReply = z.infer<typeof pickPathsReply>;
