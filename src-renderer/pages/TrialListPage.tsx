import { useCallback, useEffect, useState } from 'react';
import type { TrialSummary } from '../../src-shared/api/schema';
import { call } from '../api/client';
import { useApp } from '../app-context';
import { ErrorBanner } from '../components/ErrorBanner';
import { baseName, formatCount, formatSeconds } from '../lib/format';
import { useDebounced } from '../lib/hooks';
import { usePagedRows } from '../lib/paged-rows';
import { usePageTitle } from '../lib/page-title';
import { hrefTrial, navigate } from '../lib/route';
import { HEADER_HEIGHT_PX, useVirtualGrid } from '../lib/virtual-grid';

const PAGE_SIZE = 200;

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
  const grid = useVirtualGrid<TrialSummary>({
    total: list.total, rowAt: list.rowAt, ensureRows: list.ensureRows, remembered,
    onOpen: (trial) => navigate(hrefTrial(trial.id)),
    filterKey: debouncedSearch,
  });
  const { scrollRef, virtualizer, items, total, safeActive, setActiveIndex, onKeyDown, onScroll } = grid;

  useEffect(() => {
    remembered.search = search;
  }, [search]);

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
          onChange={(e) => setSearch(e.target.value)}
          onKeyDown={grid.focusFromSearch}
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
        onScroll={onScroll}
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
                  grid.open(item.index);
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
