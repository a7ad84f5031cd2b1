/**
 * The browser script of the Simulate Export results panel. It reads the outcomes the
 * page embeds (`#data`), and renders them as a virtualised, sortable, filterable table
 * (only the rows in view plus a small overscan are in the DOM, so 100,000 profiles stay
 * smooth) with a details pane. The view state (filter, search, sort, selection, scroll)
 * is kept with `vscode.setState`, so it survives the panel being hidden.
 *
 * Every piece of data goes into the DOM through `textContent` (never `innerHTML`).
 */
import type { ProfileOutcome, SimulationAction } from '../../common/simulationReport';
import type { WebviewMessage } from '../src/simulation/resultsHtml';
import {
  type ActionFilter,
  type RowMove,
  type SortKey,
  type ViewState,
  SearchIndex,
  isActionFilter,
  isSortKey,
  moveRow,
  rowWindow,
  sanitizeViewState,
  scrollToShow,
  visibleRows,
} from './tableModel';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState<T>(state: T): T;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

const ACTION_LABELS: Record<SimulationAction, string> = {
  create: 'Create',
  update: 'Update',
  addToList: 'Add to list',
  removeFromList: 'Remove from list',
  skip: 'Skip',
};

interface Column {
  key: SortKey;
  label: string;
  className: string;
}

const COLUMNS: readonly Column[] = [
  { key: 'index', label: '#', className: 'col-index num' },
  { key: 'dedupeValue', label: 'Dedupe value', className: 'col-dedupe' },
  { key: 'action', label: 'Action', className: 'col-action' },
  { key: 'leadId', label: 'Lead id', className: 'col-lead' },
  { key: 'partition', label: 'Partition', className: 'col-partition' },
  { key: 'changes', label: 'Changes', className: 'col-changes num' },
  { key: 'reason', label: 'Reason', className: 'col-reason' },
];

const OVERSCAN = 8;
const SEARCH_DELAY_MS = 150;

// ---------------------------------------------------------------------------- data

function readOutcomes(): ProfileOutcome[] {
  const element = document.getElementById('data');
  if (!element?.textContent) return [];
  try {
    const parsed: unknown = JSON.parse(element.textContent);
    if (typeof parsed === 'object' && parsed !== null && 'outcomes' in parsed) {
      const outcomes = parsed.outcomes;
      if (Array.isArray(outcomes)) return outcomes as ProfileOutcome[];
    }
  } catch {
    // fall through: an empty table rather than a broken page
  }
  return [];
}

const outcomes = readOutcomes();
const searchIndex = new SearchIndex(outcomes);
const state: ViewState = sanitizeViewState(vscode.getState(), outcomes.length);
let rows: number[] = [];
/** Position in `rows` of the row that has (or last had) keyboard focus; -1 when none. */
let activeRow = -1;

// ---------------------------------------------------------------------------- DOM helpers

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

function required<T extends HTMLElement>(id: string, type: { new (): T }): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`results view: #${id} is missing`);
  return element;
}

function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function badge(action: SimulationAction): HTMLSpanElement {
  return el('span', `badge badge-${action}`, ACTION_LABELS[action] ?? String(action));
}

function readRowHeight(): number {
  const value = parseFloat(
    getComputedStyle(document.documentElement).getPropertyValue('--row-height'),
  );
  return Number.isFinite(value) && value > 0 ? value : 26;
}

/** Cached: read from the CSS once, and again when the viewport resizes (zoom). */
let rowHeight = readRowHeight();

// ---------------------------------------------------------------------------- elements

const tableContainer = required('table', HTMLDivElement);
const details = required('details', HTMLElement);
const actionSelect = required('action-filter', HTMLSelectElement);
const searchInput = required('search', HTMLInputElement);
const rowCount = required('row-count', HTMLElement);
const cards = Array.from(document.querySelectorAll<HTMLButtonElement>('button.card[data-action]'));

const grid = el('div', 'grid');
grid.setAttribute('role', 'grid');
grid.setAttribute('aria-label', 'Profile outcomes');
grid.setAttribute('aria-colcount', String(COLUMNS.length));

const head = el('div', 'grid-head');
head.setAttribute('role', 'rowgroup');
const headRow = el('div', 'row head-row');
headRow.setAttribute('role', 'row');
headRow.setAttribute('aria-rowindex', '1');
const headerCells = new Map<SortKey, { cell: HTMLDivElement; indicator: HTMLSpanElement }>();
for (const column of COLUMNS) {
  const cell = el('div', `cell ${column.className}`);
  cell.setAttribute('role', 'columnheader');
  const button = el('button', 'sort');
  button.type = 'button';
  button.dataset.sort = column.key;
  button.title = `Sort by ${column.label.toLowerCase()}`;
  const label = el('span', 'sort-label', column.label);
  const indicator = el('span', 'sort-indicator');
  indicator.setAttribute('aria-hidden', 'true');
  button.append(label, indicator);
  cell.append(button);
  headRow.append(cell);
  headerCells.set(column.key, { cell, indicator });
}
head.append(headRow);

const viewport = el('div', 'viewport');
viewport.setAttribute('role', 'rowgroup');
viewport.tabIndex = 0;
viewport.setAttribute('aria-label', 'Rows: arrow keys move, Enter opens details');
const spacer = el('div', 'spacer');
const rowLayer = el('div', 'row-layer');
spacer.append(rowLayer);
viewport.append(spacer);

const empty = el('div', 'empty', 'No profile matches the filter.');
empty.hidden = true;

grid.append(head, viewport);
tableContainer.append(grid, empty);

// ---------------------------------------------------------------------------- rows (pooled)

interface RowElements {
  row: HTMLDivElement;
  cells: HTMLDivElement[];
}
const pool: RowElements[] = [];

function makeRow(): RowElements {
  const row = el('div', 'row body-row');
  row.setAttribute('role', 'row');
  row.tabIndex = -1;
  const cells = COLUMNS.map((column) => {
    const cell = el('div', `cell ${column.className}`);
    cell.setAttribute('role', 'gridcell');
    row.append(cell);
    return cell;
  });
  return { row, cells };
}

function fillRow(elements: RowElements, position: number): void {
  const outcome = outcomes[rows[position]!]!;
  const { row, cells } = elements;
  row.dataset.position = String(position);
  row.setAttribute('aria-rowindex', String(position + 2));
  const selected = state.selected === rows[position];
  row.setAttribute('aria-selected', selected ? 'true' : 'false');
  row.classList.toggle('selected', selected);
  row.classList.toggle('active', position === activeRow);
  const [index, dedupe, action, lead, partition, changes, reason] = cells;
  index!.textContent = String(outcome.index);
  setText(dedupe!, outcome.dedupeValue);
  action!.replaceChildren(badge(outcome.action));
  setText(lead!, outcome.leadId);
  setText(partition!, outcome.partition);
  changes!.textContent = outcome.changes.length ? String(outcome.changes.length) : '';
  setText(reason!, outcome.reason);
}

function setText(cell: HTMLElement, value: string | null): void {
  cell.textContent = value ?? '—';
  cell.classList.toggle('missing', value === null);
  cell.title = value ?? '';
}

let renderQueued = false;

function render(): void {
  renderQueued = false;
  const height = rowHeight;
  const view = rowWindow(viewport.scrollTop, viewport.clientHeight, height, rows.length, OVERSCAN);
  // CSSOM writes (not style attributes): allowed by the page's CSP.
  spacer.style.height = `${view.totalHeight}px`;
  rowLayer.style.transform = `translateY(${view.offsetTop}px)`;
  const count = view.end - view.start;
  while (pool.length < count) pool.push(makeRow());
  for (let k = 0; k < count; k++) {
    const elements = pool[k]!;
    fillRow(elements, view.start + k);
    if (elements.row.parentElement !== rowLayer || rowLayer.children[k] !== elements.row) {
      rowLayer.insertBefore(elements.row, rowLayer.children[k] ?? null);
    }
  }
  while (rowLayer.children.length > count) rowLayer.lastElementChild?.remove();
  // A pooled row that has focus may now show another row: keep focus on the active one.
  const focused = document.activeElement;
  if (
    focused instanceof HTMLElement &&
    focused.parentElement === rowLayer &&
    focused.dataset.position !== String(activeRow)
  ) {
    (rowElement(activeRow) ?? viewport).focus({ preventScroll: true });
  }
}

function queueRender(): void {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(render);
}

function rowElement(position: number): HTMLDivElement | undefined {
  for (const child of Array.from(rowLayer.children)) {
    if (child instanceof HTMLDivElement && child.dataset.position === String(position)) {
      return child;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------- state

let saveTimer: number | undefined;

function saveState(): void {
  state.scrollTop = viewport.scrollTop;
  vscode.setState(state);
}

function saveStateSoon(): void {
  if (saveTimer !== undefined) window.clearTimeout(saveTimer);
  saveTimer = window.setTimeout(() => {
    saveTimer = undefined;
    saveState();
  }, 200);
}

/** Recomputes the visible rows after a filter, search or sort change. */
function refresh(resetScroll: boolean): void {
  rows = visibleRows(outcomes, state, searchIndex);
  activeRow = state.selected === null ? -1 : rows.indexOf(state.selected);
  grid.setAttribute('aria-rowcount', String(rows.length + 1));
  empty.hidden = rows.length > 0;
  rowCount.textContent =
    rows.length === outcomes.length
      ? `${formatCount(outcomes.length)} profiles`
      : `${formatCount(rows.length)} of ${formatCount(outcomes.length)} profiles`;
  for (const column of COLUMNS) {
    const header = headerCells.get(column.key)!;
    const sorted = state.sortKey === column.key;
    header.cell.setAttribute(
      'aria-sort',
      sorted ? (state.sortDirection === 'asc' ? 'ascending' : 'descending') : 'none',
    );
    header.indicator.textContent = sorted ? (state.sortDirection === 'asc' ? '▲' : '▼') : '';
  }
  actionSelect.value = state.action;
  for (const card of cards) {
    card.setAttribute('aria-pressed', card.dataset.action === state.action ? 'true' : 'false');
  }
  if (resetScroll) viewport.scrollTop = 0;
  render();
  saveState();
}

function setAction(action: ActionFilter): void {
  if (state.action === action) return;
  state.action = action;
  refresh(true);
}

function setSort(key: SortKey): void {
  if (state.sortKey === key) {
    state.sortDirection = state.sortDirection === 'asc' ? 'desc' : 'asc';
  } else {
    state.sortKey = key;
    state.sortDirection = 'asc';
  }
  refresh(false);
  if (activeRow >= 0) revealRow(activeRow, false);
}

// ---------------------------------------------------------------------------- details pane

/** A table with a header row of column headings (`scope="col"` for screen readers). */
function headedTable(
  className: string,
  labels: readonly string[],
  rows: readonly HTMLTableCellElement[][],
): HTMLTableElement {
  const table = el('table', className);
  const headRow = el('tr');
  for (const label of labels) {
    const th = el('th', undefined, label);
    th.scope = 'col';
    headRow.append(th);
  }
  const thead = el('thead');
  thead.append(headRow);
  const body = el('tbody');
  for (const cells of rows) {
    const tr = el('tr');
    tr.append(...cells);
    body.append(tr);
  }
  table.append(thead, body);
  return table;
}

function section(title: string, ...content: Node[]): HTMLElement {
  const element = el('section', 'details-section');
  element.append(el('h3', undefined, title), ...content);
  return element;
}

function definition(list: HTMLDListElement, term: string, value: string | Node | null): void {
  const dd = el('dd');
  if (value === null) {
    dd.textContent = '—';
    dd.className = 'missing';
  } else if (typeof value === 'string') {
    dd.textContent = value;
  } else {
    dd.append(value);
  }
  list.append(el('dt', undefined, term), dd);
}

function showDetails(position: number | null): void {
  state.selected = position;
  details.replaceChildren();
  if (position === null || !outcomes[position]) {
    details.hidden = true;
    state.selected = null;
    return;
  }
  const outcome = outcomes[position];
  details.hidden = false;

  const header = el('div', 'details-header');
  const title = el('h2', undefined, `Profile #${outcome.index}`);
  title.id = 'details-title';
  const close = el('button', 'icon-button', '×');
  close.type = 'button';
  close.title = 'Close details';
  close.setAttribute('aria-label', 'Close details');
  close.addEventListener('click', () => closeDetails());
  header.append(title, close);
  details.setAttribute('aria-labelledby', 'details-title');

  const facts = el('dl', 'facts');
  definition(facts, 'Action', badge(outcome.action));
  definition(facts, 'Line', String(outcome.line));
  definition(facts, 'Dedupe value', outcome.dedupeValue);
  definition(facts, 'Lead id', outcome.leadId);
  definition(facts, 'Partition', outcome.partition);
  definition(facts, 'Lists', outcome.lists.length ? outcome.lists.join(', ') : null);
  definition(
    facts,
    'Removed from lists',
    outcome.removeFromLists?.length ? outcome.removeFromLists.join(', ') : null,
  );
  definition(facts, 'Reason', outcome.reason);

  const open = el('button', 'open-line', 'Open profile line');
  open.type = 'button';
  open.addEventListener('click', () => {
    if (Number.isInteger(outcome.line) && outcome.line > 0) {
      vscode.postMessage({ type: 'openProfile', line: outcome.line });
    }
  });

  const parts: Node[] = [header, facts, open];

  if (outcome.changes.length) {
    const table = headedTable(
      'changes',
      ['Field', 'From', '', 'To'],
      outcome.changes.map((change) => {
        const arrow = el('td', 'arrow', '→');
        arrow.setAttribute('aria-label', 'becomes');
        return [
          el('td', 'field mono', change.field),
          el('td', change.from === null ? 'from missing' : 'from', change.from ?? '(empty)'),
          arrow,
          el('td', 'to', change.to),
        ];
      }),
    );
    parts.push(section(`Changes (${outcome.changes.length})`, table));
  } else {
    parts.push(section('Changes', el('p', 'missing', 'No field changes.')));
  }

  if (outcome.otherMatches.length) {
    const table = headedTable(
      'matches',
      ['Lead id', 'Partition', 'Updated at'],
      outcome.otherMatches.map((match) => [
        el('td', 'mono', match.leadId),
        el('td', undefined, match.partition),
        el('td', match.updatedAt === null ? 'missing' : undefined, match.updatedAt ?? '—'),
      ]),
    );
    parts.push(
      section(
        `Other matches (${outcome.otherMatches.length})`,
        el('p', 'hint', 'These leads matched too; only the most recently updated lead is used.'),
        table,
      ),
    );
  }

  if (outcome.warnings.length) {
    const list = el('ul', 'warnings');
    for (const warning of outcome.warnings) list.append(el('li', undefined, warning));
    parts.push(section(`Warnings (${outcome.warnings.length})`, list));
  }

  details.append(...parts);
}

function selectRow(position: number): void {
  const outcomePosition = rows[position];
  if (outcomePosition === undefined) return;
  activeRow = position;
  showDetails(outcomePosition);
  render();
  saveState();
}

function closeDetails(): void {
  showDetails(null);
  render();
  saveState();
  const row = activeRow >= 0 ? rowElement(activeRow) : undefined;
  (row ?? viewport).focus();
}

// ---------------------------------------------------------------------------- keyboard

function revealRow(position: number, focus: boolean): void {
  const height = rowHeight;
  const top = scrollToShow(position, viewport.scrollTop, viewport.clientHeight, height);
  if (top !== viewport.scrollTop) viewport.scrollTop = top;
  render();
  if (focus) rowElement(position)?.focus({ preventScroll: true });
}

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
    const page = Math.max(1, Math.floor(viewport.clientHeight / rowHeight) - 1);
    activeRow = moveRow(activeRow, move, rows.length, page);
    if (activeRow >= 0) revealRow(activeRow, true);
    saveStateSoon();
    return;
  }
  if ((event.key === 'Enter' || event.key === ' ') && activeRow >= 0) {
    event.preventDefault();
    selectRow(activeRow);
    rowElement(activeRow)?.focus({ preventScroll: true });
    return;
  }
  if (event.key === 'Escape' && state.selected !== null) {
    event.preventDefault();
    closeDetails();
  }
});

viewport.addEventListener('focus', (event) => {
  // Tabbing into the table lands on the active row (or the first one in view); focus
  // coming back from one of its own rows stays on the viewport.
  if (rows.length === 0) return;
  if (event.relatedTarget instanceof Node && viewport.contains(event.relatedTarget)) return;
  if (activeRow < 0) {
    activeRow = Math.min(rows.length - 1, Math.floor(viewport.scrollTop / rowHeight));
  }
  revealRow(activeRow, true);
});

details.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') {
    event.preventDefault();
    closeDetails();
  }
});

// ---------------------------------------------------------------------------- events

viewport.addEventListener('scroll', () => {
  queueRender();
  saveStateSoon();
});

rowLayer.addEventListener('click', (event) => {
  const target = event.target;
  if (!(target instanceof Element)) return;
  const row = target.closest<HTMLElement>('.body-row');
  if (!row?.dataset.position) return;
  const position = Number(row.dataset.position);
  if (!Number.isInteger(position)) return;
  selectRow(position);
  rowElement(position)?.focus({ preventScroll: true });
});

head.addEventListener('click', (event) => {
  const target = event.target;
  if (!(target instanceof Element)) return;
  const key = target.closest<HTMLElement>('button.sort')?.dataset.sort;
  if (isSortKey(key)) setSort(key);
});

actionSelect.addEventListener('change', () => {
  if (isActionFilter(actionSelect.value)) setAction(actionSelect.value);
});

for (const card of cards) {
  card.addEventListener('click', () => {
    const action = card.dataset.action;
    if (isActionFilter(action)) setAction(action);
  });
}

let searchTimer: number | undefined;
searchInput.addEventListener('input', () => {
  if (searchTimer !== undefined) window.clearTimeout(searchTimer);
  searchTimer = window.setTimeout(() => {
    searchTimer = undefined;
    if (state.search === searchInput.value) return;
    state.search = searchInput.value;
    refresh(true);
  }, SEARCH_DELAY_MS);
});
searchInput.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' || event.key === 'ArrowDown') {
    event.preventDefault();
    viewport.focus();
  }
});

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

new ResizeObserver(() => {
  rowHeight = readRowHeight();
  queueRender();
}).observe(viewport);

// ---------------------------------------------------------------------------- start

searchInput.value = state.search;
const restoredScroll = state.scrollTop;
refresh(false);
viewport.scrollTop = restoredScroll;
showDetails(state.selected);
render();
saveState();
