/**
 * The outcome table of the results view: its header (sort buttons) and the rows of one page.
 * Every value goes into the DOM through `textContent`.
 */
import type { ProfileOutcome } from '../../common/simulationReport';
import { badge, el, rowNumber } from './detailsPane';
import type { SortKey } from './tableModel';

export interface Column {
  key: SortKey;
  label: string;
  className: string;
}

export const COLUMNS: readonly Column[] = [
  { key: 'index', label: 'Line', className: 'col-index num' },
  { key: 'dedupeValue', label: 'Dedupe value', className: 'col-dedupe' },
  { key: 'action', label: 'Action', className: 'col-action' },
  { key: 'leadId', label: 'Lead id', className: 'col-lead' },
  { key: 'partition', label: 'Partition', className: 'col-partition' },
  { key: 'changes', label: 'Changes', className: 'col-changes num' },
  { key: 'reason', label: 'Reason', className: 'col-reason' },
];

export interface OutcomeGrid {
  grid: HTMLDivElement;
  head: HTMLDivElement;
  viewport: HTMLDivElement;
  headerCells: Map<SortKey, { cell: HTMLDivElement; indicator: HTMLSpanElement }>;
}

/** The grid with its header row and an empty viewport for the rows. */
export function createGrid(): OutcomeGrid {
  const grid = el('div', 'grid');
  grid.setAttribute('role', 'grid');
  grid.setAttribute('aria-label', 'Profile outcomes');
  grid.setAttribute('aria-colcount', String(COLUMNS.length));
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
    button.title =
      column.key === 'index'
        ? "Sort by the profile's line in the sample file"
        : `Sort by ${column.label.toLowerCase()}`;
    const indicator = el('span', 'sort-indicator');
    indicator.setAttribute('aria-hidden', 'true');
    button.append(el('span', 'sort-label', column.label), indicator);
    cell.append(button);
    headRow.append(cell);
    headerCells.set(column.key, { cell, indicator });
  }
  const head = el('div', 'grid-head');
  head.setAttribute('role', 'rowgroup');
  head.append(headRow);
  const viewport = el('div', 'viewport');
  viewport.setAttribute('role', 'rowgroup');
  viewport.tabIndex = 0;
  viewport.setAttribute(
    'aria-label',
    'Rows: arrow keys move (past the ends: other pages), Enter opens details',
  );
  grid.append(head, viewport);
  return { grid, head, viewport, headerCells };
}

/** How a row is shown: its position in the matching rows, selected, active. */
export interface RowState {
  rowIndex: number;
  selected: boolean;
  active: boolean;
}

function setText(cell: HTMLElement, value: string | null): void {
  cell.textContent = value ?? '—';
  cell.classList.toggle('missing', value === null);
  cell.title = value ?? '';
}

export function makeRow(
  outcome: ProfileOutcome,
  position: number,
  shown: RowState,
): HTMLDivElement {
  const row = el('div', 'row body-row');
  row.setAttribute('role', 'row');
  row.tabIndex = -1;
  row.dataset.position = String(position);
  row.setAttribute('aria-rowindex', String(shown.rowIndex + 2));
  const { selected } = shown;
  row.setAttribute('aria-selected', selected ? 'true' : 'false');
  row.classList.toggle('selected', selected);
  row.classList.toggle('active', shown.active);
  const cells = COLUMNS.map((column) => {
    const cell = el('div', `cell ${column.className}`);
    cell.setAttribute('role', 'gridcell');
    row.append(cell);
    return cell;
  });
  const [line, dedupe, action, lead, partition, changes, reason] = cells;
  line!.append(el('span', 'line-number', rowNumber(outcome)));
  if (outcome.warnings.length) {
    row.classList.add('has-warnings');
    const mark = el('span', 'warning-mark', '⚠');
    const label = `${outcome.warnings.length} warning${outcome.warnings.length === 1 ? '' : 's'}`;
    mark.setAttribute('role', 'img');
    mark.setAttribute('aria-label', label);
    mark.title = label;
    line!.prepend(mark);
  }
  setText(dedupe!, outcome.dedupeValue);
  action!.replaceChildren(badge(outcome.action));
  setText(lead!, outcome.leadId);
  setText(partition!, outcome.partition);
  changes!.textContent = outcome.changes.length ? String(outcome.changes.length) : '';
  setText(reason!, outcome.reason);
  return row;
}
