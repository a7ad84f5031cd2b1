/**
 * The paged view of a simulation's outcomes: the filter, search and sort the results view
 * asks for, and what they select. Pure and shared: the language server answers page requests
 * with it (`server/src/lsp/outcomeIndex.ts`), the webview validates its state with it.
 */
import type { ProfileOutcome, SimulationAction, SimulationResult } from './simulationReport';

export type ActionFilter = SimulationAction | 'all';
export type SortKey =
  'index' | 'dedupeValue' | 'action' | 'leadId' | 'partition' | 'changes' | 'reason';
export type SortDirection = 'asc' | 'desc';

export const ACTION_FILTERS: readonly ActionFilter[] = [
  'all',
  'create',
  'update',
  'addToList',
  'removeFromList',
  'skip',
];

export const SORT_KEYS: readonly SortKey[] = [
  'index',
  'dedupeValue',
  'action',
  'leadId',
  'partition',
  'changes',
  'reason',
];

/** The most rows one page request answers with. */
export const MAX_PAGE_ROWS = 1000;
/** The rows the results view shows per page (and the server sends with the result). */
export const PAGE_ROWS = 100;
/** Longer searches are cut to this many characters. */
export const MAX_SEARCH_LENGTH = 500;

export interface OutcomeFilter {
  /** `all` or missing: every action. */
  outcome?: ActionFilter;
  /** Case-insensitive substring of the dedupe value, lead id, partition, reason, lists, fields. */
  search?: string;
  /** Only the rows that carry at least one warning. */
  warningsOnly?: boolean;
}

export interface OutcomeSort {
  column: SortKey;
  direction: SortDirection;
}

export interface OutcomeQuery {
  filter: OutcomeFilter;
  sort: OutcomeSort;
}

export const DEFAULT_QUERY: Readonly<OutcomeQuery> = Object.freeze({
  filter: Object.freeze({}),
  sort: Object.freeze({ column: 'index', direction: 'asc' }),
});

/** One page of the outcomes that pass a filter, in the order of a sort. */
export interface OutcomePage {
  runId: string;
  /** Position in the matching rows of `rows[0]` (0-based). */
  offset: number;
  /** Every outcome of the run. */
  total: number;
  /** The outcomes that pass the filter. */
  matching: number;
  rows: ProfileOutcome[];
}

/** A simulation result without its outcomes: what the results view needs before any page. */
export type SimulationOverview = Omit<SimulationResult, 'outcomes'> & {
  /** Outcomes that carry at least one warning. */
  rowsWithWarnings: number;
  /**
   * When every profile is skipped, one sentence saying why (from the most common skip
   * reason); null otherwise.
   */
  allSkippedBecause: string | null;
};

export function isActionFilter(value: unknown): value is ActionFilter {
  return typeof value === 'string' && (ACTION_FILTERS as readonly string[]).includes(value);
}

export function isSortKey(value: unknown): value is SortKey {
  return typeof value === 'string' && (SORT_KEYS as readonly string[]).includes(value);
}

/**
 * Whether an outcome is shown under an action filter. `addToList` and `removeFromList` are
 * what happens to lists, whatever else happens to the lead (their summary cards count leads
 * added to or removed from lists in every sync type).
 */
export function matchesAction(outcome: ProfileOutcome, action: ActionFilter): boolean {
  if (action === 'all') return true;
  if (action === 'addToList') return outcome.lists.length > 0;
  if (action === 'removeFromList') return (outcome.removeFromLists?.length ?? 0) > 0;
  return outcome.action === action;
}

/**
 * The lower-cased text a search looks in: dedupe value, lead id, partition, reason, lists,
 * changed fields, one a line (a search, being one line, matches within one of them).
 */
export function searchText(outcome: ProfileOutcome): string {
  const parts: string[] = [];
  if (outcome.dedupeValue !== null) parts.push(outcome.dedupeValue);
  if (outcome.leadId !== null) parts.push(outcome.leadId);
  if (outcome.partition !== null) parts.push(outcome.partition);
  if (outcome.reason !== null) parts.push(outcome.reason);
  for (const list of outcome.lists) parts.push(list);
  for (const list of outcome.removeFromLists ?? []) parts.push(list);
  for (const change of outcome.changes) parts.push(change.field);
  return parts.join('\n').toLowerCase();
}

/**
 * A query from untrusted JSON (a webview message, a request): every invalid part falls back
 * to the default, the search is cut to `MAX_SEARCH_LENGTH`.
 */
export function sanitizeQuery(raw: unknown): OutcomeQuery {
  const record = (value: unknown): Record<string, unknown> =>
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const filterIn = record(record(raw).filter);
  const sortIn = record(record(raw).sort);
  const filter: OutcomeFilter = {};
  if (isActionFilter(filterIn.outcome) && filterIn.outcome !== 'all') {
    filter.outcome = filterIn.outcome;
  }
  if (typeof filterIn.search === 'string' && filterIn.search.trim()) {
    filter.search = filterIn.search.slice(0, MAX_SEARCH_LENGTH);
  }
  if (filterIn.warningsOnly === true) filter.warningsOnly = true;
  return {
    filter,
    sort: {
      column: isSortKey(sortIn.column) ? sortIn.column : 'index',
      direction: sortIn.direction === 'desc' ? 'desc' : 'asc',
    },
  };
}

/** `1–100 of 9,000 profiles`, `0 of 9,000 profiles`. */
export function pageRangeText(
  offset: number,
  rows: number,
  matching: number,
  total: number,
): string {
  const count = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  if (total === 0) return 'no profiles';
  // An empty filter result: "0 of 0 matching (of 9)" read as a count to decode, not an answer.
  if (matching === 0) return `none of ${count(total)} profiles match`;
  const of = matching === total ? count(total) : `${count(matching)} matching (of ${count(total)})`;
  if (rows === 0) return `0 of ${of} profiles`;
  return `${count(offset + 1)}–${count(offset + rows)} of ${of} profiles`;
}

/** What a column sorts by: one definition for the page's table and the server's index. */
export type SortValue = string | number | null;

const isDigit = (code: number): boolean => code >= 48 && code <= 57;

function folded(code: number): number {
  if (code >= 65 && code <= 90) return code + 32;
  if (code < 128) return code;
  return String.fromCharCode(code).toLowerCase().charCodeAt(0);
}

/**
 * The order of text columns: case-insensitive, runs of digits by their value (`lead 9` before
 * `lead 10`, `007` equal to `7`), otherwise by code unit. Written out rather than an
 * Intl.Collator, whose compare costs a microsecond: sorting ten million dedupe values with it
 * took minutes, and a server's order should not depend on its locale data.
 */
export function compareText(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    if (isDigit(ca) && isDigit(cb)) {
      while (i < n && a.charCodeAt(i) === 48) i++;
      while (j < m && b.charCodeAt(j) === 48) j++;
      let ei = i;
      let ej = j;
      while (ei < n && isDigit(a.charCodeAt(ei))) ei++;
      while (ej < m && isDigit(b.charCodeAt(ej))) ej++;
      if (ei - i !== ej - j) return ei - i - (ej - j);
      for (; i < ei; i++, j++) {
        const d = a.charCodeAt(i) - b.charCodeAt(j);
        if (d) return d;
      }
      continue;
    }
    if (ca !== cb) {
      const d = folded(ca) - folded(cb);
      if (d) return d;
    }
    i++;
    j++;
  }
  return n - i - (m - j);
}

/** Two non-null sort values: numbers by value, text by `compareText`. */
export function compareSortValues(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return compareText(String(a), String(b));
}

export function sortValue(outcome: ProfileOutcome, key: SortKey): SortValue {
  switch (key) {
    case 'index':
      return outcome.index;
    case 'dedupeValue':
      return outcome.dedupeValue;
    case 'action':
      return outcome.action;
    case 'leadId':
      return outcome.leadId;
    case 'partition':
      return outcome.partition;
    case 'changes':
      return outcome.changes.length;
    case 'reason':
      return outcome.reason;
  }
}
