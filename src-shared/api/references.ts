// Normative reference sets, the Gait Profile Score against one, and the gait graph's data (issue 22).
import { z } from 'zod';
import { id } from './common';

const referenceName = z.string().min(1).max(100).regex(/^[^\x00-\x1f]+$/, 'names are printable text');
/** A reference by id, or by name (its latest version unless one is given). */
const referenceKey = { id: id.optional(), name: referenceName.optional(), version: z.number().int().min(1).optional() };

export const referenceSummary = z.object({
  id: z.string(), name: z.string(), version: z.number(), method: z.string(), methodVersion: z.string(),
  params: z.record(z.string(), z.unknown()), origin: z.enum(['built', 'imported']), sourceFile: z.string().nullable(),
  nSubjects: z.number(), nCycles: z.number(), channels: z.number(), createdAt: z.string(), actor: z.string(),
});
export type ReferenceSummaryDto = z.infer<typeof referenceSummary>;

export const referenceCurve = z.object({
  channel: z.string(), unit: z.string(), nCycles: z.number(), nSubjects: z.number(), mean: z.array(z.number()), sd: z.array(z.number()),
});

const gvsEntry = z.object({ variable: z.string(), label: z.string(), side: z.enum(['left', 'right']), gvs: z.number(), channel: z.string(), cycles: z.number() });
export const gpsResult = z.object({
  reference: referenceSummary,
  trials: z.array(z.string()),
  /** Trials in scope whose cycles are not extracted (or stale): extractCycles first, then ask again. */
  unextracted: z.array(z.string()),
  unit: z.string(),
  map: z.array(gvsEntry),
  gps: z.object({ left: z.number().nullable(), right: z.number().nullable() }),
  overall: z.number().nullable(),
  missing: z.array(z.string()),
});
export type GpsResultDto = z.infer<typeof gpsResult>;

const sideCurves = z.object({
  channel: z.string(),
  mean: z.array(z.number()),
  sd: z.array(z.number()),
  n: z.number(),
  /** Mean foot-off of this side's cycles, % of the cycle; null where no foot-off falls inside them. */
  footOffPct: z.number().nullable(),
  cycles: z.array(z.array(z.number())).optional(),
});
const panel = z.object({
  row: z.string(),
  column: z.string(),
  title: z.string(),
  unit: z.string(),
  /** Why the values are or are not per kg (kinetics only). */
  unitNote: z.string().nullable(),
  channels: z.object({ left: z.string(), right: z.string() }),
  left: sideCurves.nullable(),
  right: sideCurves.nullable(),
  reference: z.object({ left: referenceCurve.nullable(), right: referenceCurve.nullable() }),
});
export type GaitGraphPanel = z.infer<typeof panel>;

export const gaitGraph = z.object({
  trials: z.array(z.string()),
  unextracted: z.array(z.string()),
  bodyMassKg: z.number().nullable(),
  reference: referenceSummary.nullable(),
  sheets: z.array(z.object({ key: z.string(), label: z.string(), columns: z.array(z.string()), rows: z.array(z.object({ key: z.string(), label: z.string() })), panels: z.array(panel) })),
  gps: gpsResult.omit({ reference: true, trials: true, unextracted: true }).nullable(),
});
export type GaitGraphDto = z.infer<typeof gaitGraph>;

const scope = { trialId: id.optional(), subjectId: id.optional(), sessionId: id.optional() };

export const referencesApi = {
  /** Builds a reference set from the gait cycles of a group of subjects; the same name again makes its next version. */
  createReference: {
    request: z.object({
      name: referenceName,
      group: z.string().min(1).max(64).optional(),
      cohort: z.string().min(1).max(64).optional(),
      subjectIds: z.array(id).max(10_000).optional(),
      channels: z.array(z.string().min(1).max(128)).max(1000).optional(),
      pooling: z.enum(['subjects', 'cycles']).optional(),
    }).strict(),
    response: referenceSummary,
  },
  listReferences: { request: z.object({}).strict(), response: z.object({ references: z.array(referenceSummary) }) },
  getReference: {
    request: z.object(referenceKey).strict(),
    response: referenceSummary.extend({ members: z.array(z.object({ subjectId: z.string(), trialId: z.string().nullable(), contentSha256: z.string().nullable() })), curves: z.array(referenceCurve) }),
  },
  /** The set as a small file to share: JSON, or CSV (a mean and an SD row per channel). */
  exportReference: {
    request: z.object({ ...referenceKey, format: z.enum(['json', 'csv']).default('json') }).strict(),
    response: z.object({ fileName: z.string(), content: z.string() }),
  },
  /** Reads a shared file (a path on this machine, or its content); stored as the next version of its name. */
  importReference: {
    request: z.object({ path: z.string().min(1).max(4096).optional(), fileName: z.string().min(1).max(255).optional(), content: z.string().max(20_000_000).optional(), name: referenceName.optional() }).strict(),
    response: referenceSummary,
  },
  deleteReference: { request: z.object(referenceKey).strict(), response: z.object({ deleted: z.string() }) },
  /** GVS per variable and side, GPS per side and overall (Baker 2009) of a trial, session or subject. Reads only. */
  gaitProfileScore: {
    request: z.object({ ...scope, reference: z.object(referenceKey).strict() }).strict(),
    response: gpsResult,
  },
  /** Everything the gait graph page draws, in one call: panels per sheet, reference bands, foot-off, MAP/GPS. Reads only. */
  gaitGraph: {
    request: z.object({ ...scope, reference: z.object(referenceKey).strict().optional(), individualCycles: z.boolean().optional() }).strict(),
    response: gaitGraph,
  },
} as const;
