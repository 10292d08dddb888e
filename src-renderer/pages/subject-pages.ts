// Paged listSubjects queries for the virtualised subject list: pages of 200, fetched as rows come into view.
import { useCallback } from 'react';
import type { SubjectSummary } from '../../src-shared/api/schema';
import { call } from '../api/client';
import { usePagedRows } from '../lib/paged-rows';

export const SUBJECT_PAGE_SIZE = 200;

export interface SubjectQuery {
  search: string;
  group: string;
}

export function useSubjectPages(query: SubjectQuery, dataVersion: number) {
  const queryKey = JSON.stringify([query.search, query.group, dataVersion]);
  const { search, group } = query;
  const fetchRows = useCallback(
    (offset: number, limit: number) =>
      call('listSubjects', { search: search || undefined, group: group || undefined, offset, limit }).then((answer) => ({
        rows: answer.subjects,
        total: answer.total,
        extra: answer.groups,
      })),
    [search, group],
  );
  const list = usePagedRows<SubjectSummary, string[]>(queryKey, fetchRows, SUBJECT_PAGE_SIZE, []);
  return { ...list, groups: list.extra };
}
