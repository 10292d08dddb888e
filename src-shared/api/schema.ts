// The one typed API that the Electron preload, the browser-mode server and the CLI all call.
// Every request is validated against its schema in main before it reaches a service.
import { z } from 'zod';
import { jobsApi } from './jobs';
import { modelsApi } from './models';
import { recordsApi } from './records';

const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'ids are letters, digits and _.:-');
const page = { offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(1000).default(100) };

export const attributeValue = z.object({ value: z.union([z.number(), z.string(), z.null()]), unit: z.string().optional() });

export const subjectSummary = z.object({
  id: z.string(),
  code: z.string(),
  cohort: z.string(),
  group: z.string().nullable(),
  sex: z.string().nullable(),
  sessions: z.number(),
  trials: z.number(),
  attributes: z.record(z.string(), attributeValue),
});
export type SubjectSummary = z.infer<typeof subjectSummary>;

export const trialSummary = z.object({
  id: z.string(),
  subjectId: z.string(),
  subjectCode: z.string(),
  sessionId: z.string(),
  session: z.string(),
  key: z.string(),
  label: z.string(),
  sourceFile: z.string().nullable(),
  sourceFormat: z.string().nullable(),
  contentSha256: z.string().nullable(),
  durationS: z.number().nullable(),
  channels: z.number(),
  attributes: z.record(z.string(), attributeValue),
});
export type TrialSummary = z.infer<typeof trialSummary>;

export const sessionSummary = z.object({
  id: z.string(),
  key: z.string(),
  label: z.string(),
  date: z.string().nullable(),
  condition: z.string().nullable(),
  attributes: z.record(z.string(), attributeValue),
  trials: z.array(trialSummary),
});
export type SessionSummary = z.infer<typeof sessionSummary>;

export const channelData = z.object({
  name: z.string(),
  unit: z.string(),
  rateHz: z.number().nullable(),
  domain: z.enum(['time', 'stance', 'cycle']),
  side: z.string().nullable(),
  samples: z.number(),
  /** Present unless the request asked for metadata only; decimated when maxPoints < samples. */
  values: z.array(z.number()).optional(),
  /** x of each value: seconds (time domain) or percent (stance/cycle). */
  x: z.array(z.number()).optional(),
  decimated: z.boolean().optional(),
});
export type ChannelData = z.infer<typeof channelData>;

export const importSummary = z.object({
  subjects: z.number(),
  subjectsAdded: z.number(),
  sessions: z.number(),
  trials: z.number(),
  trialsAdded: z.number(),
  files: z.number(),
  skipped: z.array(z.object({ file: z.string(), reason: z.string() })),
  errors: z.array(z.object({ file: z.string(), message: z.string() })),
  duplicates: z.array(z.object({ sha256: z.string(), trials: z.array(z.object({ trialId: z.string(), subject: z.string(), key: z.string(), file: z.string() })) })),
  warnings: z.array(z.string()),
  bytes: z.number(),
  seconds: z.number(),
});
export type ImportSummary = z.infer<typeof importSummary>;

export const auditVerifyResult = z.object({
  ok: z.boolean(),
  rows: z.number(),
  firstBadSeq: z.number().nullable(),
  reason: z.string().nullable(),
  entities: z.object({ checked: z.number(), unverifiable: z.number() }),
  // Every entity whose rows no longer match the audit log's last word on it.
  findings: z.array(z.object({
    kind: z.enum(['changed', 'missing', 'unaudited', 'resurrected']),
    entity: z.string(),
    id: z.string(),
    label: z.string().nullable(),
    auditSeq: z.number().nullable(),
    message: z.string(),
  })),
  // The log's head against the anchor beside the database; failed: cut short, rewritten or the anchor forged.
  anchor: z.object({ status: z.string(), failed: z.boolean(), anchoredSeq: z.number().nullable(), logSeq: z.number(), message: z.string() }),
});

export const appInfo = z.object({
  version: z.string(),
  dbPath: z.string(),
  schemaVersion: z.number(),
  counts: z.object({ subjects: z.number(), sessions: z.number(), trials: z.number(), signals: z.number() }),
  demoAvailable: z.boolean(),
  mode: z.enum(['electron', 'browser', 'cli']),
});
export type AppInfo = z.infer<typeof appInfo>;

export const gaitEvent = z.object({
  id: z.string(),
  trialId: z.string(),
  label: z.string(),
  side: z.string().nullable(),
  timeS: z.number(),
  source: z.string(),
  threshold: z.object({ value: z.number(), unit: z.string() }).nullable(),
  confidence: z.number().nullable(),
  manual: z.boolean(),
  params: z.record(z.string(), z.unknown()).nullable(),
  /** The detector run that produced the event; null for the file's own events and manual ones. */
  runId: z.string().nullable(),
});
export type GaitEventDto = z.infer<typeof gaitEvent>;

export const cycle = z.object({
  id: z.string(),
  trialId: z.string(),
  channel: z.string(),
  side: z.string().nullable(),
  kind: z.enum(['stance', 'gait_cycle']),
  startS: z.number(),
  endS: z.number(),
  unit: z.string(),
  /** Why the cycle is not a clean one ('incomplete', 'implausible-duration', …); empty when it is. */
  flags: z.array(z.string()),
  /** 101 points over 0–100 % of the cycle. */
  curve: z.array(z.number()),
});
export type CycleDto = z.infer<typeof cycle>;

const measured = z.object({ value: z.number().nullable(), unit: z.string() });

/** One spatiotemporal parameter per side, summarised over the strides of a trial or a subject. */
export const parameterSummary = z.object({
  name: z.string(),
  side: z.string().nullable(),
  mean: measured,
  sd: measured,
  cv: measured,
  n: z.number(),
});

export const symmetrySummary = z.object({
  name: z.string(),
  left: measured,
  right: measured,
  symmetryIndex: measured,
  symmetryAngle: measured,
});

export const gaitParameters = z.object({
  trials: z.array(z.string()),
  detector: z.string().nullable(),
  /** Trials a detector fits but none has run on: their strides are missing until detectEvents (or extractCycles) runs. */
  pendingDetection: z.array(z.string()),
  strides: z.object({ left: z.number(), right: z.number(), flagged: z.number() }),
  parameters: z.array(parameterSummary),
  symmetry: z.array(symmetrySummary),
  /** Curve-wise normalised symmetry index over the gait cycle, per channel pair. */
  curveSymmetry: z.array(z.object({ channel: z.string(), meanAbsNsi: measured, nsi: z.array(z.number()) })),
});
export type GaitParameters = z.infer<typeof gaitParameters>;

/** A method's parameters as a request sends them; the method itself checks names and ranges. */
const methodParams = z.record(z.string().max(64), z.union([z.number(), z.string(), z.boolean(), z.null()]));

/** A detector run: the method, its version and every parameter it ran with (from the run's row). */
export const detectorRun = z.object({ name: z.string(), version: z.string(), runId: z.string(), ranAt: z.string(), params: z.record(z.string(), z.unknown()) });

export const trialEvents = z.object({
  events: z.array(gaitEvent),
  detector: detectorRun.nullable(),
  /** The detector that fits the trial's channels while none has run: what detectEvents would run. */
  pendingDetector: z.string().nullable(),
});

const eventLabel = z.string().min(1).max(64).regex(/^[a-z_]+$/, 'labels are lower-case words joined by _');
const sideValue = z.enum(['left', 'right', 'both']).nullable();

/** Every API method: its request schema and its response schema. */
export const api = {
  info: { request: z.object({}).strict(), response: appInfo },
  listSubjects: {
    request: z.object({ search: z.string().max(200).optional(), group: z.string().max(64).optional(), cohort: z.string().max(64).optional(), ...page }).strict(),
    response: z.object({ subjects: z.array(subjectSummary), total: z.number(), groups: z.array(z.string()) }),
  },
  getSubject: {
    request: z.object({ id }).strict(),
    response: z.object({ subject: subjectSummary, identity: z.record(z.string(), z.string().nullable()), sessions: z.array(sessionSummary) }),
  },
  listTrials: {
    request: z.object({ subjectId: id.optional(), search: z.string().max(200).optional(), ...page }).strict(),
    response: z.object({ trials: z.array(trialSummary), total: z.number() }),
  },
  getSignals: {
    request: z.object({ trialId: id, channels: z.array(z.string().max(128)).max(256).optional(), maxPoints: z.number().int().min(2).max(10_000_000).optional(), valuesIncluded: z.boolean().default(true) }).strict(),
    response: z.object({ trial: trialSummary, channels: z.array(channelData) }),
  },
  importPaths: {
    request: z.object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(10_000), maxFileMb: z.number().int().min(1).max(1 << 20).optional() }).strict(),
    response: importSummary,
  },
  loadDemo: { request: z.object({}).strict(), response: importSummary },
  auditVerify: { request: z.object({}).strict(), response: auditVerifyResult },
  /** The trial's stored events and the detector run they came from. Reads only: detection is detectEvents. */
  getEvents: {
    request: z.object({ trialId: id }).strict(),
    response: trialEvents,
  },
  /**
   * Runs a detector (the named one, else the one the channels fit), storing a run row; its own earlier events are
   * replaced, manual ones stay. With onlyIfPending, runs only when no detector has run on the trial (a first view).
   */
  detectEvents: {
    request: z.object({ trialId: id, detector: z.string().max(64).optional(), params: methodParams.optional(), onlyIfPending: z.boolean().optional() }).strict(),
    response: trialEvents,
  },
  /** A technician's correction: moves (or relabels) one event; it becomes manual and the change is audited. */
  correctEvent: {
    request: z.object({ eventId: z.string().regex(/^\d+$/), timeS: z.number().finite().min(0).optional(), label: eventLabel.optional(), side: sideValue.optional() }).strict(),
    response: z.object({ event: gaitEvent }),
  },
  addEvent: {
    request: z.object({ trialId: id, label: eventLabel, side: sideValue, timeS: z.number().finite().min(0) }).strict(),
    response: z.object({ event: gaitEvent }),
  },
  deleteEvent: {
    request: z.object({ eventId: z.string().regex(/^\d+$/) }).strict(),
    response: z.object({ deleted: z.string() }),
  },
  /** Stored time-normalised cycles of a trial or of every trial of a subject. Reads only: trials not (or no longer) extracted are listed. */
  getCycles: {
    request: z.object({ trialId: id.optional(), subjectId: id.optional(), kind: z.enum(['stance', 'gait_cycle']).optional(), channel: z.string().max(128).optional() }).strict(),
    response: z.object({ cycles: z.array(cycle), unextracted: z.array(z.string()) }),
  },
  /**
   * Extracts cycles (a run of GaitCycleSegmentation, or PlateStances on force plates) where missing or stale, or
   * everywhere with params or force; detects events first where no detector has run.
   */
  extractCycles: {
    request: z.object({ trialId: id.optional(), subjectId: id.optional(), params: methodParams.optional(), force: z.boolean().optional() }).strict(),
    response: z.object({
      cycles: z.array(cycle),
      runs: z.array(z.object({ trialId: z.string(), runId: z.string(), method: z.string(), params: z.record(z.string(), z.unknown()) })),
    }),
  },
  /** Spatiotemporal parameters and symmetry of a trial or of all a subject's trials. */
  getParams: {
    request: z.object({ trialId: id.optional(), subjectId: id.optional() }).strict(),
    response: gaitParameters,
  },
  ...jobsApi,
  ...modelsApi,
  ...recordsApi,
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
