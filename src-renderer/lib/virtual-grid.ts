// The behaviour the virtualised list pages share: rows fetched as they scroll into view, keyboard movement
// (arrows, PageUp/PageDown, Home/End, Enter), the list's place remembered across navigation, and a new filter
// starting from the top.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState, type KeyboardEvent, type UIEvent } from 'react';

export const ROW_HEIGHT_PX = 36;
export const HEADER_HEIGHT_PX = 34;

/** Kept by each page in a module-level object, so coming back shows the same rows and selection. */
export interface RememberedPlace { activeIndex: number; scrollOffset: number }

export interface VirtualGridOptions<T> {
  /** Rows in the list; null until the first answer. */
  total: number | null;
  rowAt(index: number): T | undefined;
  ensureRows(first: number, last: number): void;
  onOpen(row: T): void;
  remembered: RememberedPlace;
  /** Changes whenever the filter does; a new value scrolls back to the first row. */
  filterKey: string;
}

export function useVirtualGrid<T>(o: VirtualGridOptions<T>) {
  const [activeIndex, setActiveIndex] = useState(o.remembered.activeIndex);
  const scrollRef = useRef<HTMLDivElement>(null);
  const total = o.total ?? 0;
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT_PX,
    overscan: 12,
    // The sticky header row sits inside the scroll element, above the first row.
    paddingStart: HEADER_HEIGHT_PX,
    scrollPaddingStart: HEADER_HEIGHT_PX,
  });
  const items = virtualizer.getVirtualItems();
  const firstVisible = items.length ? items[0].index : 0;
  const lastVisible = items.length ? items[items.length - 1].index : -1;
  const { ensureRows, remembered } = o;

  useEffect(() => {
    ensureRows(firstVisible, lastVisible);
  }, [ensureRows, firstVisible, lastVisible]);

  useEffect(() => {
    remembered.activeIndex = activeIndex;
  }, [remembered, activeIndex]);

  // Coming back: the rows have a height only once the total is known, so scroll back only then.
  const pendingRestore = useRef(remembered.scrollOffset);
  useEffect(() => {
    if (o.total === null || pendingRestore.current === 0) return;
    virtualizer.scrollToOffset(pendingRestore.current);
    pendingRestore.current = 0;
  }, [o.total, virtualizer]);

  const previousFilter = useRef(o.filterKey);
  useEffect(() => {
    if (previousFilter.current === o.filterKey) return;
    previousFilter.current = o.filterKey;
    setActiveIndex(0);
    virtualizer.scrollToOffset(0);
  }, [o.filterKey, virtualizer]);

  const safeActive = Math.min(activeIndex, Math.max(0, total - 1));

  function moveTo(index: number) {
    if (total === 0) return;
    const next = Math.max(0, Math.min(total - 1, index));
    setActiveIndex(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  }

  function open(index: number) {
    const row = o.rowAt(index);
    if (row) o.onOpen(row);
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
      open(safeActive);
    }
  }

  function onScroll(e: UIEvent<HTMLDivElement>) {
    if (pendingRestore.current === 0) remembered.scrollOffset = e.currentTarget.scrollTop;
  }

  /** From a search box: ArrowDown moves into the list. */
  function focusFromSearch(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key !== 'ArrowDown') return;
    e.preventDefault();
    scrollRef.current?.focus();
    moveTo(safeActive);
  }

  return { scrollRef, virtualizer, items, total, safeActive, setActiveIndex, moveTo, open, onKeyDown, onScroll, focusFromSearch };
}
