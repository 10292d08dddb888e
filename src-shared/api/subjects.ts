// Subjects and their sessions.
import { z } from 'zod';
import { attributeValue, id, page } from './common';
import { trialSummary } from './trials';

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

export const subjectsApi = {
  listSubjects: {
    request: z.object({ search: z.string().max(200).optional(), group: z.string().max(64).optional(), cohort: z.string().max(64).optional(), ...page }).strict(),
    response: z.object({ subjects: z.array(subjectSummary), total: z.number(), groups: z.array(z.string()) }),
  },
  getSubject: {
    request: z.object({ id }).strict(),
    response: z.object({ subject: subjectSummary, identity: z.record(z.string(), z.string().nullable()), sessions: z.array(sessionSummary) }),
  },
} as const;
