// Paged, cached listSubjects queries for a virtualised list: pages of 200 are fetched as rows come into
// view, answers to an outdated query (search, group or data changed since) are dropped.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SubjectSummary } from '../../src-shared/api/schema';
import { call, errorMessage } from '../api/client';

export const SUBJECT_PAGE_SIZE = 200;

export interface SubjectQuery {
  search: string;
  group: string;
}

interface PagesState {
  queryKey: string;
  pages: ReadonlyMap<number, SubjectSummary[]>;
  total: number | null;
  groups: string[];
  error: string | null;
}

export function useSubjectPages(query: SubjectQuery, dataVersion: number) {
  const queryKey = JSON.stringify([query.search, query.group, dataVersion]);
  const [state, setState] = useState<PagesState>({ queryKey, pages: new Map(), total: null, groups: [], error: null });
  const requested = useRef(new Set<string>());
  const currentKey = useRef(queryKey);
  currentKey.current = queryKey;

  const fetchPage = useCallback(
    (pageIndex: number) => {
      const requestKey = `${queryKey}#${pageIndex}`;
      if (requested.current.has(requestKey)) return;
      requested.current.add(requestKey);
      call('listSubjects', {
        search: query.search || undefined,
        group: query.group || undefined,
        offset: pageIndex * SUBJECT_PAGE_SIZE,
        limit: SUBJECT_PAGE_SIZE,
      }).then(
        (answer) => {
          if (currentKey.current !== queryKey) return;
          setState((previous) => {
            const base = previous.queryKey === queryKey ? previous : { queryKey, pages: new Map(), total: null, groups: previous.groups, error: null };
            const pages = new Map(base.pages);
            pages.set(pageIndex, answer.subjects);
            return { queryKey, pages, total: answer.total, groups: answer.groups, error: null };
          });
        },
        (error: unknown) => {
          requested.current.delete(requestKey);
          if (currentKey.current !== queryKey) return;
          setState((previous) => ({ ...previous, queryKey, error: errorMessage(error) }));
        },
      );
    },
    [queryKey, query.search, query.group],
  );

  // A new query starts from its first page; the previous rows stay on screen until it answers.
  useEffect(() => {
    requested.current.clear();
    fetchPage(0);
  }, [fetchPage]);

  const fresh = state.queryKey === queryKey;
  // Rows on screen may still be the previous query's: until this query's total is known, only page 0 is asked for.
  const knownTotal = fresh ? state.total : null;

  /** Asks for the pages holding rows first..last (inclusive) that are not loaded or on their way. */
  const ensureRows = useCallback(
    (first: number, lastWanted: number) => {
      if (knownTotal === null) return;
      const last = Math.min(lastWanted, knownTotal - 1);
      if (first > last) return;
      const firstPage = Math.floor(first / SUBJECT_PAGE_SIZE);
      const lastPage = Math.floor(last / SUBJECT_PAGE_SIZE);
      for (let p = firstPage; p <= lastPage; p++) fetchPage(p);
    },
    [fetchPage, knownTotal],
  );

  const rowAt = useCallback(
    (index: number): SubjectSummary | undefined => {
      const page = state.pages.get(Math.floor(index / SUBJECT_PAGE_SIZE));
      return page?.[index % SUBJECT_PAGE_SIZE];
    },
    [state.pages],
  );

  return {
    total: state.total,
    groups: state.groups,
    error: state.error,
    /** False while the rows on screen still belong to the previous query. */
    fresh,
    rowAt,
    ensureRows,
    retry: () => {
      requested.current.clear();
      setState((previous) => ({ ...previous, error: null }));
      fetchPage(0);
    },
  };
}
