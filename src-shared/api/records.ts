// The lab's own records: subjects registered and edited by hand, merged, moved and deleted on request;
// visits created and edited; trials excluded. Identity fields appear only in these responses and getSubject.
import { z } from 'zod';
import { IDENTITY_FIELDS } from '../domain/subject-fields';
// schema.ts spreads this file's methods into `api`: its own schemas are read lazily, once both are loaded.
import { importSummary } from './imports';

const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'ids are letters, digits and _.:-');
const fieldValue = z.union([z.number(), z.string().max(2000), z.null()]);
const identityInput = z.object(Object.fromEntries(IDENTITY_FIELDS.map((f) => [f, z.string().max(2000).nullable().optional()])) as Record<(typeof IDENTITY_FIELDS)[number], z.ZodOptional<z.ZodNullable<z.ZodString>>>).strict();
const attributeInput = z.object({ value: fieldValue, unit: z.string().max(32).nullable().optional(), takenOn: z.string().max(10).nullable().optional() }).strict();

const subjectInput = {
  code: z.string().max(200).optional(),
  cohort: z.string().max(200).optional(),
  group: z.string().max(200).nullable().optional(),
  sex: z.enum(['male', 'female']).nullable().optional(),
  identity: identityInput.optional(),
  /** null removes an attribute. */
  attributes: z.record(z.string().max(64), attributeInput.nullable()).optional(),
};

export const subjectRecord = z.object({
  id: z.string(),
  code: z.string(),
  cohort: z.string(),
  group: z.string().nullable(),
  sex: z.string().nullable(),
  identity: z.record(z.string(), z.string().nullable()),
  attributes: z.record(z.string(), z.object({ value: z.union([z.number(), z.string(), z.null()]), unit: z.string().nullable(), takenOn: z.string().nullable() })),
  /** Each visit with the subject's age on its date (whole years) where the birth date and the date are known. */
  sessions: z.array(z.object({ id: z.string(), key: z.string(), label: z.string(), date: z.string().nullable(), ageYears: z.number().nullable(), trials: z.number() })),
});
export type SubjectRecordDto = z.infer<typeof subjectRecord>;

const sessionInput = {
  key: z.string().max(200).optional(),
  label: z.string().max(400).optional(),
  date: z.string().max(32).nullable().optional(),
  condition: z.string().max(400).nullable().optional(),
  fields: z.record(z.string().max(64), fieldValue).optional(),
  tags: z.array(z.string().max(200)).max(50).optional(),
};

const mergeConflict = z.object({ field: z.string(), source: z.string().nullable(), target: z.string().nullable(), chosen: z.enum(['source', 'target']).nullable(), identity: z.boolean() });

const deletionPlan = z.object({
  subjectId: z.string(),
  scope: z.enum(['all', 'identity']),
  identityFields: z.array(z.string()),
  sessions: z.number(),
  trials: z.number(),
  signals: z.number(),
  events: z.number(),
  attributes: z.number(),
  cycles: z.number(),
  analysisRuns: z.number(),
  relevanceMaps: z.number(),
  liveRecordings: z.number(),
  reportsUnlinked: z.number(),
  referenceSets: z.number(),
  models: z.number(),
});

export const recordsApi = {
  createSubject: { request: z.object(subjectInput).strict(), response: z.object({ subject: subjectRecord }) },
  editSubject: { request: z.object({ id, ...subjectInput }).strict(), response: z.object({ subject: subjectRecord, changed: z.array(z.string()) }) },
  getSubjectRecord: { request: z.object({ id }).strict(), response: z.object({ subject: subjectRecord }) },
  /** The lab's patient search: by record number (exact) or a part of the name. */
  findSubjects: {
    request: z.object({ recordNumber: z.string().min(1).max(64).optional(), name: z.string().min(1).max(200).optional() }).strict(),
    response: z.object({ subjects: z.array(z.object({ id: z.string(), code: z.string(), cohort: z.string(), displayName: z.string().nullable(), recordNumber: z.string().nullable(), birthDate: z.string().nullable() })) }),
  },
  /** Merges sourceId into targetId; refused while a conflicting field is not chosen in `take`; dryRun lists the conflicts. */
  mergeSubjects: {
    request: z.object({ sourceId: id, targetId: id, take: z.record(z.string().max(64), z.enum(['source', 'target'])).optional(), dryRun: z.boolean().optional() }).strict(),
    response: z.object({ subjectId: z.string(), removed: z.string(), conflicts: z.array(mergeConflict), sessionsMoved: z.number(), merged: z.boolean() }),
  },
  moveSession: { request: z.object({ sessionId: id, subjectId: id }).strict(), response: z.object({ sessionId: z.string(), subjectId: z.string() }) },
  moveTrial: { request: z.object({ trialId: id, sessionId: id }).strict(), response: z.object({ trialId: z.string(), sessionId: z.string() }) },
  /** Deletion on request; with dryRun (or confirm false) it only says exactly what would be removed. */
  deleteSubject: {
    request: z.object({ id, scope: z.enum(['all', 'identity']), dryRun: z.boolean().optional() }).strict(),
    response: z.object({ plan: deletionPlan, deleted: z.boolean() }),
  },
  createSession: { request: z.object({ subjectId: id, ...sessionInput }).strict(), response: z.object({ sessionId: z.string() }) },
  editSession: { request: z.object({ id, ...sessionInput }).strict(), response: z.object({ sessionId: z.string(), changed: z.array(z.string()) }) },
  /**
   * importPaths with the visit rule overridden: every file into the session `session` and/or of the subject
   * `subject` (an existing subject's pseudonym or code, else a new code).
   */
  importVisit: {
    request: z.object({
      paths: z.array(z.string().min(1).max(4096)).min(1).max(10_000),
      session: z.string().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9 _.:()-]*$/, 'a session name is letters, digits, spaces and _.:()-').optional(),
      subject: z.string().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'a subject is a pseudonym or a code: letters, digits and _.:-').optional(),
      maxFileMb: z.number().int().min(1).max(1 << 20).optional(),
    }).strict(),
    response: importSummary,
  },
  /** Excludes a trial with a reason (kept and flagged, left out of parameters); reason null includes it again. */
  excludeTrial: { request: z.object({ trialId: id, reason: z.string().max(1000).nullable() }).strict(), response: z.object({ trialId: z.string(), excluded: z.string().nullable(), changed: z.boolean() }) },
} as const;
