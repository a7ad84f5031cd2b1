/**
 * The pure model behind the Simulate Export results table: the persisted view state (the
 * query the server pages with, the page offset, the selection), the row window and keyboard
 * moves within a page. Filter, search and sort run in the language server
 * (`server/src/lsp/outcomeIndex.ts`). DOM-free, so the unit tests (and the root tsconfig,
 * which has no DOM lib) can use it; the webview script bundles it.
 */
import {
  type ActionFilter,
  type OutcomeQuery,
  PAGE_ROWS,
  type SortDirection,
  type SortKey,
  isActionFilter,
  isSortKey,
  MAX_SEARCH_LENGTH,
  matchesAction,
  searchText,
  compareSortValues,
  sortValue,
} from '../../common/outcomePages';
import type { ProfileOutcome } from '../../common/simulationReport';

export type { ActionFilter, SortDirection, SortKey };
export { isActionFilter, isSortKey, matchesAction, searchText };

/** What the webview keeps with `vscode.setState` so it survives the panel being hidden. */
export interface ViewState {
  action: ActionFilter;
  search: string;
  warningsOnly: boolean;
  sortKey: SortKey;
  sortDirection: SortDirection;
  /** Position in the matching rows of the first row of the page shown (a multiple of the page size). */
  offset: number;
  /** `index` of the outcome whose details are open, or null. */
  selected: number | null;
  scrollTop: number;
  /** Ids of the closed-by-default sections above the table (inputs, API plan, warnings) the user opened. */
  openSections: SectionId[];
}

/** The `<details>` above the table, closed on opening so the table's first rows are in view. */
export const SECTION_IDS = ['inputs-section', 'plan-section', 'warnings-section'] as const;
export type SectionId = (typeof SECTION_IDS)[number];

export function isSectionId(value: unknown): value is SectionId {
  return (SECTION_IDS as readonly unknown[]).includes(value);
}

export const DEFAULT_VIEW_STATE: Readonly<ViewState> = Object.freeze({
  action: 'all',
  search: '',
  warningsOnly: false,
  sortKey: 'index',
  sortDirection: 'asc',
  offset: 0,
  selected: null,
  scrollTop: 0,
  openSections: [],
});

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/**
 * A view state from whatever `getState()` returned (an older version, another run with
 * fewer rows, or nothing): every invalid part falls back to the default.
 */
export function sanitizeViewState(raw: unknown, rowCount: number): ViewState {
  const state: ViewState = { ...DEFAULT_VIEW_STATE };
  if (typeof raw !== 'object' || raw === null) return state;
  const r = raw as Record<string, unknown>;
  if (isActionFilter(r.action)) state.action = r.action;
  if (typeof r.search === 'string') state.search = r.search.slice(0, MAX_SEARCH_LENGTH);
  if (r.warningsOnly === true) state.warningsOnly = true;
  if (isSortKey(r.sortKey)) state.sortKey = r.sortKey;
  if (r.sortDirection === 'asc' || r.sortDirection === 'desc') {
    state.sortDirection = r.sortDirection;
  }
  if (isCount(r.offset) && r.offset < rowCount) {
    state.offset = r.offset - (r.offset % PAGE_ROWS);
  }
  if (isCount(r.selected) && r.selected < rowCount) state.selected = r.selected;
  if (typeof r.scrollTop === 'number' && Number.isFinite(r.scrollTop) && r.scrollTop >= 0) {
    state.scrollTop = r.scrollTop;
  }
  // Always a new array: the default's is shared.
  state.openSections = Array.isArray(r.openSections)
    ? SECTION_IDS.filter((id) => (r.openSections as unknown[]).includes(id))
    : [];
  return state;
}

/** The query the server pages with for a view state. */
export function queryOf(state: ViewState): OutcomeQuery {
  return {
    filter: {
      ...(state.action === 'all' ? {} : { outcome: state.action }),
      ...(state.search.trim() ? { search: state.search } : {}),
      ...(state.warningsOnly ? { warningsOnly: true } : {}),
    },
    sort: { column: state.sortKey, direction: state.sortDirection },
  };
}

/** Offset of the page `move` leads to from `offset`, over `matching` rows. */
export function pageOffset(
  offset: number,
  move: 'first' | 'prev' | 'next' | 'last',
  matching: number,
  pageSize = PAGE_ROWS,
): number {
  const last = Math.max(0, Math.ceil(matching / pageSize) - 1) * pageSize;
  switch (move) {
    case 'first':
      return 0;
    case 'prev':
      return Math.max(0, offset - pageSize);
    case 'next':
      return Math.min(last, offset + pageSize);
    case 'last':
      return last;
  }
}

/** What the empty table says: which filter matched nothing. */
export function noMatchText(state: ViewState, actionLabel: string): string {
  const parts: string[] = [];
  if (state.action !== 'all') parts.push(`the action ${actionLabel}`);
  if (state.search.trim()) parts.push(`the search "${state.search.trim()}"`);
  if (state.warningsOnly) parts.push('with warnings');
  return parts.length
    ? `No profile matches ${parts.join(', ')}.`
    : 'No profile in this simulation.';
}

// ---------------------------------------------------------------------------- in memory
/*
 * Filter, search and sort over an array in memory: the reference the server's OutcomeIndex
 * is tested against (test/unit/outcomeIndex.test.ts) and bench/cases/limits.ts times. The
 * results view itself asks the server for pages.
 */

/**
 * Search texts computed once per outcome, on the first search (100,000 rows are
 * searched on every keystroke otherwise).
 */
export class SearchIndex {
  private texts: string[] | undefined;
  constructor(private readonly outcomes: readonly ProfileOutcome[]) {}
  text(position: number): string {
    if (!this.texts) this.texts = this.outcomes.map(searchText);
    return this.texts[position] ?? '';
  }
}

/**
 * Positions (in `outcomes`) of the rows that pass the action filter and contain the
 * search text (case-insensitive; blank search matches everything), in file order.
 */
export function filterRows(
  outcomes: readonly ProfileOutcome[],
  action: ActionFilter,
  search: string,
  index: SearchIndex = new SearchIndex(outcomes),
): number[] {
  const needle = search.trim().toLowerCase();
  const rows: number[] = [];
  for (let i = 0; i < outcomes.length; i++) {
    const outcome = outcomes[i]!;
    if (!matchesAction(outcome, action)) continue;
    if (needle && !index.text(i).includes(needle)) continue;
    rows.push(i);
  }
  return rows;
}

/**
 * The rows sorted by `key`, stably (equal keys keep their order in `rows`). Missing
 * values (null) come last in both directions.
 */
export function sortRows(
  outcomes: readonly ProfileOutcome[],
  rows: readonly number[],
  key: SortKey,
  direction: SortDirection,
): number[] {
  const sign = direction === 'asc' ? 1 : -1;
  const values = rows.map((position) => sortValue(outcomes[position]!, key));
  const order = rows.map((_, i) => i);
  order.sort((i, j) => {
    const a = values[i]!;
    const b = values[j]!;
    if (a === null || b === null) {
      if (a === b) return i - j;
      return a === null ? 1 : -1;
    }
    return sign * compareSortValues(a, b) || i - j;
  });
  return order.map((i) => rows[i]!);
}

/** Filter, search and sort in one go: the row positions the table shows, in order. */
export function visibleRows(
  outcomes: readonly ProfileOutcome[],
  state: Pick<ViewState, 'action' | 'search' | 'sortKey' | 'sortDirection'>,
  index?: SearchIndex,
): number[] {
  const rows = filterRows(outcomes, state.action, state.search, index);
  if (state.sortKey === 'index' && state.sortDirection === 'asc') return rows;
  return sortRows(outcomes, rows, state.sortKey, state.sortDirection);
}

export interface RowWindow {
  /** First row (in the visible order) to render. */
  start: number;
  /** One past the last row to render. */
  end: number;
  /** Pixel offset of row `start` from the top of the scroll content. */
  offsetTop: number;
  /** Height of the whole scroll content. */
  totalHeight: number;
}

/**
 * The rows a fixed-row-height virtual list renders at a scroll offset: those in view
 * plus `overscan` rows above and below, clamped to the list.
 */
export function rowWindow(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  rowCount: number,
  overscan = 8,
): RowWindow {
  const height = Math.max(1, rowHeight);
  const totalHeight = rowCount * height;
  const maxScroll = Math.max(0, totalHeight - Math.max(0, viewportHeight));
  const top = Math.min(Math.max(0, scrollTop), maxScroll);
  const firstInView = Math.floor(top / height);
  const inView = Math.ceil(Math.max(0, viewportHeight) / height) + 1;
  const start = Math.max(0, firstInView - overscan);
  const end = Math.min(rowCount, firstInView + inView + overscan);
  return { start, end: Math.max(start, end), offsetTop: start * height, totalHeight };
}

/** The scroll offset that brings row `row` into view (unchanged when it is already). */
export function scrollToShow(
  row: number,
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
): number {
  const top = row * rowHeight;
  if (top < scrollTop) return top;
  const bottom = top + rowHeight;
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return scrollTop;
}

export type RowMove = 'up' | 'down' | 'pageUp' | 'pageDown' | 'home' | 'end';

/** The row focus moves to from `current` (-1 when none), clamped to the list. */
export function moveRow(
  current: number,
  move: RowMove,
  rowCount: number,
  pageSize: number,
): number {
  if (rowCount === 0) return -1;
  const page = Math.max(1, pageSize);
  let next: number;
  switch (move) {
    case 'up':
      next = current - 1;
      break;
    case 'down':
      next = current + 1;
      break;
    case 'pageUp':
      next = current - page;
      break;
    case 'pageDown':
      next = current + page;
      break;
    case 'home':
      next = 0;
      break;
    case 'end':
      next = rowCount - 1;
      break;
  }
  if (current < 0 && (move === 'up' || move === 'down')) next = 0;
  return Math.min(rowCount - 1, Math.max(0, next));
}
