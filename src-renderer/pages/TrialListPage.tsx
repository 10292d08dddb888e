import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { TrialSummary } from '../../src-shared/api/schema';
import { call } from '../api/client';
import { useApp } from '../app-context';
import { ErrorBanner } from '../components/ErrorBanner';
import { baseName, formatCount, formatSeconds } from '../lib/format';
import { useDebounced } from '../lib/hooks';
import { usePagedRows } from '../lib/paged-rows';
import { usePageTitle } from '../lib/page-title';
import { hrefTrial, navigate } from '../lib/route';

const PAGE_SIZE = 200;
const ROW_HEIGHT_PX = 36;
const HEADER_HEIGHT_PX = 34;

/** Where the list was, so coming back from a trial shows the same rows and selection. */
const remembered = { search: '', activeIndex: 0, scrollOffset: 0 };
const SEARCH_DEBOUNCE_MS = 250;

const COLUMNS: { key: string; label: string; numeric?: boolean }[] = [
  { key: 'subject', label: 'Subject' },
  { key: 'key', label: 'Key' },
  { key: 'label', label: 'Label' },
  { key: 'duration', label: 'Duration', numeric: true },
  { key: 'channels', label: 'Channels', numeric: true },
  { key: 'source', label: 'Source file' },
];

/** Every trial of the database in one virtualised grid, fetched 200 rows at a time as they scroll into view. */
export function TrialListPage() {
  const { dataVersion, info, openImport } = useApp();
  usePageTitle('Trials · GaitLab');
  const [search, setSearch] = useState(remembered.search);
  const debouncedSearch = useDebounced(search.trim(), SEARCH_DEBOUNCE_MS);
  const fetchRows = useCallback(
    (offset: number, limit: number) =>
      call('listTrials', { offset, limit, search: debouncedSearch || undefined }).then((a) => ({ rows: a.trials, total: a.total, extra: null })),
    [debouncedSearch],
  );
  const list = usePagedRows<TrialSummary, null>(`${dataVersion}|${debouncedSearch}`, fetchRows, PAGE_SIZE, null);
  const [activeIndex, setActiveIndex] = useState(remembered.activeIndex);
  const scrollRef = useRef<HTMLDivElement>(null);
  const total = list.total ?? 0;

  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT_PX,
    overscan: 12,
    paddingStart: HEADER_HEIGHT_PX,
    scrollPaddingStart: HEADER_HEIGHT_PX,
  });
  const items = virtualizer.getVirtualItems();
  const firstVisible = items.length ? items[0].index : 0;
  const lastVisible = items.length ? items[items.length - 1].index : -1;

  useEffect(() => {
    list.ensureRows(firstVisible, lastVisible);
  }, [list.ensureRows, firstVisible, lastVisible]);

  useEffect(() => {
    remembered.activeIndex = activeIndex;
    remembered.search = search;
  }, [activeIndex, search]);

  // Coming back: the rows have a height only once the total is known, so scroll back only then.
  const pendingRestore = useRef(remembered.scrollOffset);
  useEffect(() => {
    if (list.total === null || pendingRestore.current === 0) return;
    virtualizer.scrollToOffset(pendingRestore.current);
    pendingRestore.current = 0;
  }, [list.total, virtualizer]);

  const safeActive = Math.min(activeIndex, Math.max(0, total - 1));

  function open(trial: TrialSummary | undefined) {
    if (trial) navigate(hrefTrial(trial.id));
  }

  function moveTo(index: number) {
    if (total === 0) return;
    const next = Math.max(0, Math.min(total - 1, index));
    setActiveIndex(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const pageRows = Math.max(1, Math.floor(((scrollRef.current?.clientHeight ?? 400) - HEADER_HEIGHT_PX) / ROW_HEIGHT_PX) - 1);
    const moves: Record<string, number> = {
      ArrowDown: safeActive + 1,
      ArrowUp: safeActive - 1,
      PageDown: safeActive + pageRows,
      PageUp: safeActive - pageRows,
      Home: 0,
      End: total - 1,
    };
    if (e.key in moves) {
      e.preventDefault();
      moveTo(moves[e.key]);
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      open(list.rowAt(safeActive));
    }
  }

  const empty = list.total === 0 || info?.counts.trials === 0;

  return (
    <section className="page list-page" aria-labelledby="trials-title" data-testid="trial-list-page">
      <div className="list-toolbar">
        <h1 id="trials-title">Trials</h1>
        <input
          type="search"
          className="text-input search-input"
          placeholder="Search subject, trial or file…"
          aria-label="Search trials"
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
            setActiveIndex(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              scrollRef.current?.focus();
              moveTo(safeActive);
            }
          }}
          data-testid="trial-search"
        />
        <div className="list-count" aria-live="polite" data-testid="trial-count">
          {list.total === null ? (list.error ? '' : 'Loading…') : `${formatCount(list.total)} ${list.total === 1 ? 'trial' : 'trials'}`}
        </div>
      </div>

      {list.error && <ErrorBanner message={list.error} action={{ label: 'Retry', onClick: list.retry }} />}

      <div
        ref={scrollRef}
        className="grid-table trial-table"
        role="grid"
        aria-label="Trials"
        aria-rowcount={total + 1}
        aria-colcount={COLUMNS.length}
        aria-activedescendant={total > 0 ? `trial-row-${safeActive}` : undefined}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onScroll={(e) => {
          if (pendingRestore.current === 0) remembered.scrollOffset = e.currentTarget.scrollTop;
        }}
        data-testid="trial-list"
      >
        <div className="grid-head" role="row" aria-rowindex={1} style={{ height: HEADER_HEIGHT_PX }}>
          {COLUMNS.map((c) => (
            <div key={c.key} role="columnheader" className={c.numeric ? 'cell numeric' : 'cell'}>
              {c.label}
            </div>
          ))}
        </div>
        {empty && (
          <div className="grid-empty">
            <p>No trials in this database yet.</p>
            <button type="button" className="button small" onClick={openImport}>
              Import…
            </button>
          </div>
        )}
        {list.total === null && !list.error && <p className="grid-empty">Loading the trials…</p>}
        <div className="grid-rows" role="rowgroup" style={{ height: Math.max(0, virtualizer.getTotalSize() - HEADER_HEIGHT_PX) }}>
          {items.map((item) => {
            const trial = list.rowAt(item.index);
            const style = { transform: `translateY(${item.start - HEADER_HEIGHT_PX}px)`, height: item.size };
            if (!trial) {
              return (
                <div key={item.key} className="grid-row placeholder" style={style} role="row" aria-rowindex={item.index + 2} aria-busy="true">
                  <div className="cell" role="gridcell">
                    <span className="skeleton" />
                  </div>
                </div>
              );
            }
            const active = item.index === safeActive;
            return (
              <div
                key={item.key}
                id={`trial-row-${item.index}`}
                className={active ? 'grid-row active' : 'grid-row'}
                style={style}
                role="row"
                aria-rowindex={item.index + 2}
                aria-selected={active}
                data-testid="trial-row"
                data-trial-id={trial.id}
                data-index={item.index}
                onClick={() => {
                  setActiveIndex(item.index);
                  open(trial);
                }}
              >
                <div className="cell code" role="gridcell">
                  <a href={hrefTrial(trial.id)} tabIndex={-1} onClick={(e) => e.preventDefault()}>
                    {trial.subjectCode}
                  </a>
                </div>
                <div className="cell mono-cell" role="gridcell">
                  {trial.key}
                </div>
                <div className="cell" role="gridcell">
                  {trial.label}
                </div>
                <div className="cell numeric" role="gridcell">
                  {formatSeconds(trial.durationS)}
                </div>
                <div className="cell numeric" role="gridcell">
                  {formatCount(trial.channels)}
                </div>
                <div className="cell" role="gridcell" title={trial.sourceFile ?? undefined}>
                  {trial.sourceFile ? baseName(trial.sourceFile) : <span className="muted">—</span>}
                  {trial.sourceFormat && <span className="tag">{trial.sourceFormat}</span>}
                </div>
              </div>
            );
          })}
        </div>
      </div>
      <p className="list-hint muted small">↑ ↓ to move, Enter to open, PgUp/PgDn/Home/End to jump.</p>
    </section>
  );
}
