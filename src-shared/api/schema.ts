// The one typed API that the Electron preload, the browser-mode server and the CLI all call, merged from one
// schema file per area. Every request is validated against its schema in main before it reaches a service.
import type { z } from 'zod';
import { appApi } from './app';
import { auditApi } from './audit';
import { gaitApi } from './gait';
import { gpApi } from './gp';
import { horstApi } from './horst';
import { sincpdApi } from './sincpd';
import { importsApi } from './imports';
import { jobsApi } from './jobs';
import { modelsApi } from './models';
import { saeApi } from './sae';
import { formatsApi } from './formats';
import { exportsApi } from './exports';
import { reportsApi } from './reports';
import { recordsApi } from './records';
import { referencesApi } from './references';
import { recordingApi } from './recording';
import { subjectsApi } from './subjects';
import { trialsApi } from './trials';

export * from './app';
export * from './audit';
export * from './common';
export * from './gait';
export * from './imports';
export * from './jobs';
export * from './models';
export * from './subjects';
export * from './trials';

/** Every API method: its request schema and its response schema. */
export const api = {
  ...appApi,
  ...subjectsApi,
  ...trialsApi,
  ...importsApi,
  ...auditApi,
  ...gaitApi,
  ...jobsApi,
  ...modelsApi,
  ...saeApi,
  ...formatsApi,
  ...recordsApi,
  ...horstApi,
  ...exportsApi,
  ...reportsApi,
  ...sincpdApi,
  ...gpApi,
  ...referencesApi,
  ...recordingApi,
} as const;

export type Api = typeof api;
export type ApiMethod = keyof Api;
export type ApiRequest<M extends ApiMethod> = z.input<Api[M]['request']>;
export type ApiResponse<M extends ApiMethod> = z.infer<Api[M]['response']>;

export { progressEvent, apiEvent, subscription, matchesSubscription } from './events';
export type { ProgressEvent, ApiEvent, EventTopic, Subscription, CallProgressEvent, JobStateEvent, JobLogEvent } from './events';

export function isApiMethod(name: string): name is ApiMethod {
  return Object.prototype.hasOwnProperty.call(api, name);
}
