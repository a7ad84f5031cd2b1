/**
 * The browser script of the Simulate Export results panel. The outcomes stay in the language
 * server: the page embeds the first page (`#data`) and asks the extension, which relays to the
 * server, for every other page (filter by action, warnings only, search and sort run there).
 * A page is at most `PAGE_ROWS` rows in the DOM, with Previous / Next (and the arrow keys past
 * the page's ends) moving through the matching rows, so 10 million outcomes browse as fast as
 * ten. The view state (query, page, selection, scroll) is kept with `vscode.setState`.
 *
 * Every piece of data goes into the DOM through `textContent` (never `innerHTML`).
 */
import { type OutcomePage, PAGE_ROWS, pageRangeText } from '../../common/outcomePages';
import type { ProfileOutcome } from '../../common/simulationReport';
import type { PanelMessage, WebviewMessage } from '../src/simulation/resultsHtml';
import { ACTION_LABELS, renderDetails } from './detailsPane';
import { COLUMNS, createGrid, makeRow } from './outcomeGrid';
import {
  DEFAULT_VIEW_STATE,
  type RowMove,
  type ViewState,
  isActionFilter,
  isSectionId,
  isSortKey,
  moveRow,
  noMatchText,
  pageOffset,
  queryOf,
  sanitizeViewState,
} from './tableModel';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState<T>(state: T): T;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

const SEARCH_DELAY_MS = 150;

function readPage(): OutcomePage | undefined {
  const element = document.getElementById('data');
  if (!element?.textContent) return undefined;
  try {
    const parsed = JSON.parse(element.textContent) as { firstPage?: OutcomePage };
    if (parsed.firstPage && Array.isArray(parsed.firstPage.rows)) return parsed.firstPage;
  } catch {
    // fall through: an empty table rather than a broken page
  }
  return undefined;
}

const firstPage: OutcomePage = readPage() ?? {
  runId: '',
  offset: 0,
  total: 0,
  matching: 0,
  rows: [],
};
let page: OutcomePage = firstPage;
const state: ViewState = sanitizeViewState(vscode.getState(), firstPage.total);
/** Position in `page.rows` of the row with (or that last had) keyboard focus; -1 when none. */
let activeRow = -1;
let selectedOutcome: ProfileOutcome | null = null;

function required<T extends HTMLElement>(id: string, type: { new (): T }): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`results view: #${id} is missing`);
  return element;
}

const tableContainer = required('table', HTMLDivElement);
const details = required('details', HTMLElement);
const actionSelect = required('action-filter', HTMLSelectElement);
const searchInput = required('search', HTMLInputElement);
const warningsOnly = required('warnings-only', HTMLInputElement);
const rowCount = required('row-count', HTMLElement);
const noMatch = required('no-match', HTMLDivElement);
const noMatchLine = required('no-match-text', HTMLParagraphElement);
const pagerButtons = {
  first: required('page-first', HTMLButtonElement),
  prev: required('page-prev', HTMLButtonElement),
  next: required('page-next', HTMLButtonElement),
  last: required('page-last', HTMLButtonElement),
};
const cards = Array.from(document.querySelectorAll<HTMLButtonElement>('button.card[data-action]'));

const { grid, head, viewport, headerCells } = createGrid();
tableContainer.insertBefore(grid, noMatch);

function rowElement(position: number): HTMLElement | undefined {
  return viewport.querySelector<HTMLElement>(`.body-row[data-position="${position}"]`) ?? undefined;
}

/** Shows `page`: its rows, the range, the pager, the empty-filter message, the sort state. */
function render(): void {
  viewport.replaceChildren(
    ...page.rows.map((outcome, k) =>
      makeRow(outcome, k, {
        rowIndex: page.offset + k,
        selected: selectedOutcome?.index === outcome.index,
        active: k === activeRow,
      }),
    ),
  );
  grid.setAttribute('aria-rowcount', String(page.matching + 1));
  rowCount.textContent = pageRangeText(page.offset, page.rows.length, page.matching, page.total);
  const atStart = page.offset === 0;
  const atEnd = page.offset + page.rows.length >= page.matching;
  pagerButtons.first.disabled = pagerButtons.prev.disabled = atStart;
  pagerButtons.next.disabled = pagerButtons.last.disabled = atEnd;
  noMatch.hidden = page.matching > 0;
  grid.hidden = page.matching === 0;
  noMatchLine.textContent = noMatchText(
    state,
    state.action === 'all' ? '' : ACTION_LABELS[state.action],
  );
  for (const column of COLUMNS) {
    const header = headerCells.get(column.key)!;
    const sorted = state.sortKey === column.key;
    const ascending = state.sortDirection === 'asc';
    header.cell.setAttribute(
      'aria-sort',
      sorted ? (ascending ? 'ascending' : 'descending') : 'none',
    );
    header.indicator.textContent = sorted ? (ascending ? '▲' : '▼') : '';
  }
  actionSelect.value = state.action;
  warningsOnly.checked = state.warningsOnly;
  for (const card of cards) {
    card.setAttribute('aria-pressed', card.dataset.action === state.action ? 'true' : 'false');
  }
}

function saveState(): void {
  state.scrollTop = viewport.scrollTop;
  vscode.setState(state);
}

// ---------------------------------------------------------------------------- pages

let nextRequestId = 1;
let pending: { id: number; onPage: () => void } | undefined;

/** Asks for the page at `offset` of the current query; `onPage` runs once it is shown. */
function load(offset: number, onPage: () => void = () => {}): void {
  const id = nextRequestId++;
  pending = { id, onPage };
  tableContainer.setAttribute('aria-busy', 'true');
  vscode.postMessage({ type: 'page', requestId: id, offset, limit: PAGE_ROWS, ...queryOf(state) });
}

window.addEventListener('message', (event: MessageEvent<PanelMessage>) => {
  const message = event.data;
  if (!pending || typeof message !== 'object' || message === null) return;
  if (message.requestId !== pending.id) return; // an older request: a newer one is on its way
  const { onPage } = pending;
  pending = undefined;
  tableContainer.removeAttribute('aria-busy');
  if (message.type === 'pageError') {
    rowCount.textContent = message.message;
    return;
  }
  if (message.type !== 'page') return;
  if (!message.page.rows.length && message.page.matching > 0) {
    // A restored offset past the end (another run): the last page instead.
    load(pageOffset(0, 'last', message.page.matching), onPage);
    return;
  }
  page = message.page;
  state.offset = page.offset;
  activeRow = Math.min(activeRow, page.rows.length - 1);
  render();
  onPage();
  saveState();
});

/** A new filter, search or sort: back to the first page. */
function requery(): void {
  activeRow = -1;
  viewport.scrollTop = 0;
  load(0);
}

function goTo(move: 'first' | 'prev' | 'next' | 'last', focusRow?: 'first' | 'last'): void {
  const offset = pageOffset(page.offset, move, page.matching);
  if (offset === page.offset) return;
  load(offset, () => {
    activeRow = focusRow === 'last' ? page.rows.length - 1 : focusRow === 'first' ? 0 : -1;
    viewport.scrollTop = focusRow === 'last' ? viewport.scrollHeight : 0;
    if (activeRow >= 0) focusActive();
  });
}

// ---------------------------------------------------------------------------- selection

function showDetails(outcome: ProfileOutcome | null): void {
  selectedOutcome = outcome;
  state.selected = outcome?.index ?? null;
  renderDetails(details, outcome, {
    close: () => closeDetails(),
    openLine: (line) => vscode.postMessage({ type: 'openProfile', line }),
  });
}

function focusActive(): void {
  for (const row of Array.from(viewport.querySelectorAll('.body-row.active'))) {
    row.classList.remove('active');
  }
  const row = rowElement(activeRow);
  row?.classList.add('active');
  row?.scrollIntoView({ block: 'nearest' });
  row?.focus({ preventScroll: true });
}

function selectRow(position: number): void {
  const outcome = page.rows[position];
  if (!outcome) return;
  activeRow = position;
  showDetails(outcome);
  render();
  focusActive();
  // Stacked (a narrow panel): bring the pane under the table into view.
  if (details.getBoundingClientRect().top >= grid.getBoundingClientRect().bottom - 1) {
    details.scrollIntoView({ block: 'nearest' });
  }
  saveState();
}

function closeDetails(): void {
  showDetails(null);
  render();
  saveState();
  (rowElement(activeRow) ?? viewport).focus();
}

// ---------------------------------------------------------------------------- events

const KEY_MOVES: Record<string, RowMove> = {
  ArrowUp: 'up',
  ArrowDown: 'down',
  PageUp: 'pageUp',
  PageDown: 'pageDown',
  Home: 'home',
  End: 'end',
};

viewport.addEventListener('keydown', (event) => {
  const move = KEY_MOVES[event.key];
  if (move) {
    event.preventDefault();
    const last = page.rows.length - 1;
    if ((move === 'down' || move === 'pageDown') && activeRow === last)
      return goTo('next', 'first');
    if ((move === 'up' || move === 'pageUp') && activeRow === 0) return goTo('prev', 'last');
    activeRow = moveRow(activeRow, move, page.rows.length, 10);
    if (activeRow >= 0) focusActive();
    return;
  }
  if ((event.key === 'Enter' || event.key === ' ') && activeRow >= 0) {
    event.preventDefault();
    selectRow(activeRow);
  } else if (event.key === 'Escape' && selectedOutcome !== null) {
    event.preventDefault();
    closeDetails();
  }
});

viewport.addEventListener('focus', (event) => {
  if (!page.rows.length) return;
  if (event.relatedTarget instanceof Node && viewport.contains(event.relatedTarget)) return;
  if (activeRow < 0) activeRow = 0;
  focusActive();
});

details.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') {
    event.preventDefault();
    closeDetails();
  }
});

viewport.addEventListener('click', (event) => {
  const target = event.target;
  if (!(target instanceof Element)) return;
  const position = Number(target.closest<HTMLElement>('.body-row')?.dataset.position);
  if (Number.isInteger(position)) selectRow(position);
});

head.addEventListener('click', (event) => {
  const target = event.target;
  if (!(target instanceof Element)) return;
  const key = target.closest<HTMLElement>('button.sort')?.dataset.sort;
  if (!isSortKey(key)) return;
  if (state.sortKey === key) state.sortDirection = state.sortDirection === 'asc' ? 'desc' : 'asc';
  else [state.sortKey, state.sortDirection] = [key, 'asc'];
  requery();
});

function setAction(action: ViewState['action']): void {
  if (state.action === action) return;
  state.action = action;
  requery();
}
actionSelect.addEventListener('change', () => {
  if (isActionFilter(actionSelect.value)) setAction(actionSelect.value);
});
for (const card of cards) {
  card.addEventListener('click', () => {
    const action = card.dataset.action;
    if (isActionFilter(action)) setAction(action);
  });
}
warningsOnly.addEventListener('change', () => {
  state.warningsOnly = warningsOnly.checked;
  requery();
});

let searchTimer: number | undefined;
searchInput.addEventListener('input', () => {
  if (searchTimer !== undefined) window.clearTimeout(searchTimer);
  searchTimer = window.setTimeout(() => {
    searchTimer = undefined;
    if (state.search === searchInput.value) return;
    state.search = searchInput.value;
    requery();
  }, SEARCH_DELAY_MS);
});
searchInput.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' || event.key === 'ArrowDown') {
    event.preventDefault();
    viewport.focus();
  }
});

required('clear-filter', HTMLButtonElement).addEventListener('click', () => {
  state.action = DEFAULT_VIEW_STATE.action;
  state.search = searchInput.value = '';
  state.warningsOnly = false;
  requery();
  searchInput.focus();
});
pagerButtons.first.addEventListener('click', () => goTo('first'));
pagerButtons.prev.addEventListener('click', () => goTo('prev'));
pagerButtons.next.addEventListener('click', () => goTo('next'));
pagerButtons.last.addEventListener('click', () => goTo('last'));

for (const button of Array.from(
  document.querySelectorAll<HTMLButtonElement>('button[data-export]'),
)) {
  button.addEventListener('click', () => {
    const format = button.dataset.export;
    if (format === 'json' || format === 'csv' || format === 'markdown') {
      vscode.postMessage({ type: 'export', format });
    }
  });
}

document.getElementById('rerun')?.addEventListener('click', () => {
  saveState();
  vscode.postMessage({ type: 'rerun' });
});

// The sections above the table stay as the user left them (the page reloads when the panel is
// hidden and shown again).
for (const section of Array.from(document.querySelectorAll<HTMLDetailsElement>('details[id]'))) {
  const id = section.id;
  if (!isSectionId(id)) continue;
  section.open = state.openSections.includes(id);
  section.addEventListener('toggle', () => {
    const others = state.openSections.filter((open) => open !== id);
    state.openSections = section.open ? [...others, id] : others;
    saveState();
  });
}

let scrollTimer: number | undefined;
viewport.addEventListener('scroll', () => {
  if (scrollTimer !== undefined) window.clearTimeout(scrollTimer);
  scrollTimer = window.setTimeout(saveState, 200);
});

// ---------------------------------------------------------------------------- start

searchInput.value = state.search;
const restoredScroll = state.scrollTop;
const restoredSelection = state.selected;
const isFirstPage =
  state.offset === 0 &&
  JSON.stringify(queryOf(state)) === JSON.stringify(queryOf(DEFAULT_VIEW_STATE));
const restore = (): void => {
  viewport.scrollTop = restoredScroll;
  const selected = page.rows.find((outcome) => outcome.index === restoredSelection) ?? null;
  showDetails(selected);
  render();
};
render();
if (isFirstPage || !firstPage.runId) restore();
else load(state.offset, restore);
saveState();
