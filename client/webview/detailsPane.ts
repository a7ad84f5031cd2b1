/**
 * The details pane of the Simulate Export results view: one outcome's facts, field changes,
 * other matching leads and warnings. Every value goes into the DOM through `textContent`.
 */
import type { ProfileOutcome, SimulationAction } from '../../common/simulationReport';

export const ACTION_LABELS: Record<SimulationAction, string> = {
  create: 'Create',
  update: 'Update',
  addToList: 'Add to list',
  removeFromList: 'Remove from list',
  skip: 'Skip',
};

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

export function badge(action: SimulationAction): HTMLSpanElement {
  return el('span', `badge badge-${action}`, ACTION_LABELS[action] ?? String(action));
}

/** The profile's line in its file when the outcome carries it, else its 1-based position. */
export function rowNumber(outcome: ProfileOutcome): string {
  return Number.isSafeInteger(outcome.line) && outcome.line > 0
    ? String(outcome.line)
    : `#${outcome.index + 1}`;
}

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

export interface DetailsActions {
  close(): void;
  openLine(line: number): void;
}

/** Fills `details` with `outcome` (or hides it when null). */
export function renderDetails(
  details: HTMLElement,
  outcome: ProfileOutcome | null,
  actions: DetailsActions,
): void {
  details.replaceChildren();
  details.hidden = outcome === null;
  if (outcome === null) return;

  const header = el('div', 'details-header');
  const title = el('h2', undefined, `Profile on line ${rowNumber(outcome)}`);
  title.id = 'details-title';
  const close = el('button', 'icon-button', '×');
  close.type = 'button';
  close.title = 'Close details';
  close.setAttribute('aria-label', 'Close details');
  close.addEventListener('click', () => actions.close());
  header.append(title, close);
  details.setAttribute('aria-labelledby', 'details-title');

  const facts = el('dl', 'facts');
  definition(facts, 'Action', badge(outcome.action));
  definition(facts, 'Line', rowNumber(outcome));
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
    if (Number.isInteger(outcome.line) && outcome.line > 0) actions.openLine(outcome.line);
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
