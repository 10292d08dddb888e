// Paged, cached list queries for a virtualised list: pages are fetched as their rows come into view, answers
// to an outdated query (filter or data changed since) are dropped, and the previous query's rows stay on screen
// until the new one answers.
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../api/client';

export interface PageAnswer<T, X> {
  rows: T[];
  total: number;
  /** What else the answer carries (the subject list's groups); kept across queries. */
  extra: X;
}

interface PagesState<T, X> {
  queryKey: string;
  pages: ReadonlyMap<number, T[]>;
  total: number | null;
  extra: X;
  error: string | null;
}

export interface PagedRows<T, X> {
  total: number | null;
  extra: X;
  error: string | null;
  /** False while the rows on screen still belong to the previous query. */
  fresh: boolean;
  rowAt(index: number): T | undefined;
  /** Asks for the pages holding rows first..last (inclusive) that are not loaded or on their way. */
  ensureRows(first: number, last: number): void;
  retry(): void;
}

/** `queryKey` names the query (all its parameters); `fetchRows` answers for the query of the latest render. */
export function usePagedRows<T, X>(
  queryKey: string,
  fetchRows: (offset: number, limit: number) => Promise<PageAnswer<T, X>>,
  pageSize: number,
  initialExtra: X,
): PagedRows<T, X> {
  const [state, setState] = useState<PagesState<T, X>>({ queryKey, pages: new Map(), total: null, extra: initialExtra, error: null });
  const requested = useRef(new Set<string>());
  const currentKey = useRef(queryKey);
  currentKey.current = queryKey;
  const fetchRowsRef = useRef(fetchRows);
  fetchRowsRef.current = fetchRows;

  const fetchPage = useCallback(
    (pageIndex: number) => {
      const requestKey = `${queryKey}#${pageIndex}`;
      if (requested.current.has(requestKey)) return;
      requested.current.add(requestKey);
      fetchRowsRef.current(pageIndex * pageSize, pageSize).then(
        (answer) => {
          if (currentKey.current !== queryKey) return;
          setState((previous) => {
            const base = previous.queryKey === queryKey ? previous.pages : new Map<number, T[]>();
            const pages = new Map(base);
            pages.set(pageIndex, answer.rows);
            return { queryKey, pages, total: answer.total, extra: answer.extra, error: null };
          });
        },
        (error: unknown) => {
          requested.current.delete(requestKey);
          if (currentKey.current !== queryKey) return;
          setState((previous) => ({ ...previous, queryKey, error: errorMessage(error) }));
        },
      );
    },
    [queryKey, pageSize],
  );

  // A new query starts from its first page.
  useEffect(() => {
    requested.current.clear();
    fetchPage(0);
  }, [fetchPage]);

  const fresh = state.queryKey === queryKey;
  // Rows on screen may still be the previous query's: until this query's total is known, only page 0 is asked for.
  const knownTotal = fresh ? state.total : null;

  const ensureRows = useCallback(
    (first: number, lastWanted: number) => {
      if (knownTotal === null) return;
      const last = Math.min(lastWanted, knownTotal - 1);
      if (first > last) return;
      for (let p = Math.floor(first / pageSize); p <= Math.floor(last / pageSize); p++) fetchPage(p);
    },
    [fetchPage, knownTotal, pageSize],
  );

  const rowAt = useCallback(
    (index: number): T | undefined => state.pages.get(Math.floor(index / pageSize))?.[index % pageSize],
    [state.pages, pageSize],
  );

  const retry = useCallback(() => {
    requested.current.clear();
    setState((previous) => ({ ...previous, error: null }));
    fetchPage(0);
  }, [fetchPage]);

  return { total: state.total, extra: state.extra, error: state.error, fresh, rowAt, ensureRows, retry };
}
