import { useEffect, useState } from 'react';
import type { SubjectSummary } from '../../src-shared/api/schema';
import { useApp } from '../app-context';
import { ErrorBanner } from '../components/ErrorBanner';
import { findAttribute, formatAttribute, formatCount } from '../lib/format';
import { useDebounced } from '../lib/hooks';
import { hrefSubject, navigate } from '../lib/route';
import { HEADER_HEIGHT_PX, useVirtualGrid } from '../lib/virtual-grid';
import { useSubjectPages } from './subject-pages';
import { PatientFinder } from '../components/records/PatientFinder';
import { SubjectForm } from '../components/records/SubjectForm';

const SEARCH_DEBOUNCE_MS = 250;

/** Where the list was, so coming back from a subject shows the same rows, filter and selection. */
const remembered = { search: '', group: '', activeIndex: 0, scrollOffset: 0 };

const COLUMNS: { key: string; label: string; numeric?: boolean }[] = [
  { key: 'code', label: 'Code' },
  { key: 'cohort', label: 'Cohort' },
  { key: 'group', label: 'Group' },
  { key: 'sex', label: 'Sex' },
  { key: 'age', label: 'Age', numeric: true },
  { key: 'sessions', label: 'Sessions', numeric: true },
  { key: 'trials', label: 'Trials', numeric: true },
];

export function SubjectListPage() {
  const { dataVersion } = useApp();
  const [search, setSearch] = useState(remembered.search);
  const [group, setGroup] = useState(remembered.group);
  const [creating, setCreating] = useState(false);
  const debouncedSearch = useDebounced(search.trim(), SEARCH_DEBOUNCE_MS);
  const list = useSubjectPages({ search: debouncedSearch, group }, dataVersion);
  const grid = useVirtualGrid<SubjectSummary>({
    total: list.total, rowAt: list.rowAt, ensureRows: list.ensureRows, remembered,
    onOpen: (subject) => navigate(hrefSubject(subject.id)),
    filterKey: `${debouncedSearch}\u0000${group}`,
  });
  const { scrollRef, virtualizer, items, total, safeActive, setActiveIndex, onKeyDown, onScroll } = grid;

  useEffect(() => {
    remembered.search = search;
    remembered.group = group;
  }, [search, group]);

  const groupOptions = list.groups.includes(group) || group === '' ? list.groups : [...list.groups, group];

  const activeRowId = total > 0 ? `subject-row-${safeActive}` : undefined;

  return (
    <section className="page list-page" aria-labelledby="subjects-title">
      <div className="list-toolbar">
        <h1 id="subjects-title">Subjects</h1>
        <input
          type="search"
          className="text-input search-input"
          placeholder="Search code or cohort…"
          aria-label="Search subjects"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          onKeyDown={grid.focusFromSearch}
          data-testid="subject-search"
        />
        <label className="select-label">
          Group
          <select className="select" value={group} onChange={(e) => setGroup(e.target.value)} data-testid="group-filter">
            <option value="">All</option>
            {groupOptions.map((g) => (
              <option key={g} value={g}>
                {g}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="button small" onClick={() => setCreating(true)} data-testid="new-subject">New subject…</button>
        <div className="list-count" aria-live="polite" data-testid="subject-count">
          {list.total === null ? 'Loading…' : `${formatCount(list.total)} ${list.total === 1 ? 'subject' : 'subjects'}`}
          {list.total !== null && (debouncedSearch || group) ? <span className="muted"> match</span> : null}
        </div>
      </div>

      <PatientFinder />
      {creating && <SubjectForm subject={null} onClose={() => setCreating(false)} />}
      {list.error && <ErrorBanner message={list.error} action={{ label: 'Retry', onClick: list.retry }} />}

      {/* One focusable, scrolling grid: the header row sticks at its top, the rows are virtualised below it. */}
      <div
        ref={scrollRef}
        className={list.fresh ? 'grid-table subject-table' : 'grid-table subject-table stale'}
        role="grid"
        aria-label="Subjects"
        aria-rowcount={total + 1}
        aria-colcount={COLUMNS.length}
        aria-activedescendant={activeRowId}
        tabIndex={0}
        onKeyDown={onKeyDown}
        // Kept as it changes: once the page is gone, a detached element reports scrollTop 0.
        onScroll={onScroll}
        data-testid="subject-list"
      >
        <div className="grid-head" role="row" aria-rowindex={1} style={{ height: HEADER_HEIGHT_PX }}>
          {COLUMNS.map((c) => (
            <div key={c.key} role="columnheader" className={c.numeric ? 'cell numeric' : 'cell'}>
              {c.label}
            </div>
          ))}
        </div>
        {list.total === 0 && (
          <p className="grid-empty">
            No subject matches{debouncedSearch ? ` “${debouncedSearch}”` : ''}
            {group ? ` in group ${group}` : ''}.
          </p>
        )}
        <div className="grid-rows" role="rowgroup" style={{ height: virtualizer.getTotalSize() - HEADER_HEIGHT_PX }}>
          {items.map((item) => {
            const subject = list.rowAt(item.index);
            const active = item.index === safeActive;
            const style = { transform: `translateY(${item.start - HEADER_HEIGHT_PX}px)`, height: item.size };
            if (!subject) {
              return (
                <div key={item.key} className="grid-row placeholder" style={style} role="row" aria-rowindex={item.index + 2} aria-busy="true">
                  <div className="cell" role="gridcell">
                    <span className="skeleton" />
                  </div>
                </div>
              );
            }
            return (
              <div
                key={item.key}
                id={`subject-row-${item.index}`}
                className={active ? 'grid-row active' : 'grid-row'}
                style={style}
                role="row"
                aria-rowindex={item.index + 2}
                aria-selected={active}
                data-testid="subject-row"
                data-subject-id={subject.id}
                onClick={() => {
                  setActiveIndex(item.index);
                  grid.open(item.index);
                }}
              >
                <div className="cell code" role="gridcell">
                  <a href={hrefSubject(subject.id)} tabIndex={-1} onClick={(e) => e.preventDefault()}>
                    {subject.code}
                  </a>
                </div>
                <div className="cell" role="gridcell">
                  {subject.cohort}
                </div>
                <div className="cell" role="gridcell">
                  {subject.group ?? <span className="muted">—</span>}
                </div>
                <div className="cell" role="gridcell">
                  {subject.sex ?? <span className="muted">—</span>}
                </div>
                <div className="cell numeric" role="gridcell">
                  {formatAttribute(findAttribute(subject.attributes, 'age'))}
                </div>
                <div className="cell numeric" role="gridcell">
                  {formatCount(subject.sessions)}
                </div>
                <div className="cell numeric" role="gridcell">
                  {formatCount(subject.trials)}
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
