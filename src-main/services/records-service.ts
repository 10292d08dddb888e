// The lab's own records (src-shared/api/records.ts): subjects, visits and trial exclusion, over the store's
// audited writers. Bad values arrive here as InputError (one line naming the field and range) and change nothing.
import type { SubjectRecordDto } from '../../src-shared/api/records';
import type { ApiRequest, ApiResponse } from '../../src-shared/api/schema';
import { ageYears } from '../../src-shared/domain/subject-fields';
import { InputError } from '../../src-shared/domain/errors';
import { createSession, editSession, setTrialExclusion } from '../store/session-records';
import {
  createSubject, deleteSubjectOnRequest, editSubject, findSubjects, mergeSubjects, moveSession, moveTrial, planSubjectDeletion,
  readSubjectRecord, type SubjectInput,
} from '../store/subject-records';
import { subjectSessions } from '../store/session-records';
import { ApiError } from './api-errors';
import type { ServiceContext } from './context';

function record(ctx: ServiceContext, id: string): SubjectRecordDto {
  const r = readSubjectRecord(ctx.db, id);
  if (!r) throw new ApiError('not-found', `no subject ${id}`);
  const birth = r.identity.birth_date;
  const sessions = subjectSessions(ctx.db, id).map((s) => ({ ...s, ageYears: birth && s.date ? ageYears(birth, s.date) : null }));
  return { ...r, sessions };
}

type SubjectRequest = ApiRequest<'createSubject'>;

function toInput(req: SubjectRequest): SubjectInput {
  const { code, cohort, group, sex, identity, attributes } = req;
  return { code, cohort, group, sex, identity, attributes };
}

export function create(ctx: ServiceContext, req: SubjectRequest): ApiResponse<'createSubject'> {
  return { subject: record(ctx, createSubject(ctx.db, ctx.actor, toInput(req))) };
}

export function edit(ctx: ServiceContext, req: ApiRequest<'editSubject'>): ApiResponse<'editSubject'> {
  if (!readSubjectRecord(ctx.db, req.id)) throw new ApiError('not-found', `no subject ${req.id}`);
  const changed = editSubject(ctx.db, ctx.actor, req.id, toInput(req));
  return { subject: record(ctx, req.id), changed };
}

export const get = (ctx: ServiceContext, req: { id: string }): ApiResponse<'getSubjectRecord'> => ({ subject: record(ctx, req.id) });

export function find(ctx: ServiceContext, req: ApiRequest<'findSubjects'>): ApiResponse<'findSubjects'> {
  if (!req.recordNumber && !req.name) throw new ApiError('bad-request', 'findSubjects: give recordNumber or name');
  return { subjects: findSubjects(ctx.db, req) };
}

export function merge(ctx: ServiceContext, req: ApiRequest<'mergeSubjects'>): ApiResponse<'mergeSubjects'> {
  return mergeSubjects(ctx.db, ctx.actor, req.sourceId, req.targetId, req.take ?? {}, req.dryRun ?? false);
}

export function moveSessionTo(ctx: ServiceContext, req: ApiRequest<'moveSession'>): ApiResponse<'moveSession'> {
  moveSession(ctx.db, ctx.actor, req.sessionId, req.subjectId);
  return { sessionId: req.sessionId, subjectId: req.subjectId };
}

export function moveTrialTo(ctx: ServiceContext, req: ApiRequest<'moveTrial'>): ApiResponse<'moveTrial'> {
  moveTrial(ctx.db, ctx.actor, req.trialId, req.sessionId);
  return { trialId: req.trialId, sessionId: req.sessionId };
}

export function remove(ctx: ServiceContext, req: ApiRequest<'deleteSubject'>): ApiResponse<'deleteSubject'> {
  if (req.dryRun) {
    const plan = planSubjectDeletion(ctx.db, req.id, req.scope);
    if (!plan) throw new ApiError('not-found', `no subject ${req.id}`);
    return { plan, deleted: false };
  }
  if (!readSubjectRecord(ctx.db, req.id)) throw new ApiError('not-found', `no subject ${req.id}`);
  return { plan: deleteSubjectOnRequest(ctx.db, ctx.actor, req.id, req.scope), deleted: true };
}

export function newSession(ctx: ServiceContext, req: ApiRequest<'createSession'>): ApiResponse<'createSession'> {
  const { subjectId, ...input } = req;
  return { sessionId: createSession(ctx.db, ctx.actor, subjectId, input) };
}

export function changeSession(ctx: ServiceContext, req: ApiRequest<'editSession'>): ApiResponse<'editSession'> {
  const { id, ...input } = req;
  return { sessionId: id, changed: editSession(ctx.db, ctx.actor, id, input) };
}

export function exclude(ctx: ServiceContext, req: ApiRequest<'excludeTrial'>): ApiResponse<'excludeTrial'> {
  try {
    return { trialId: req.trialId, excluded: req.reason === null ? null : req.reason.trim(), changed: setTrialExclusion(ctx.db, ctx.actor, req.trialId, req.reason) };
  } catch (e) {
    if (e instanceof InputError && e.reason === 'no such trial') throw new ApiError('not-found', `no trial ${req.trialId}`);
    throw e;
  }
}
