/**
 * The outcomes of one simulation run, kept by the language server so the results view can ask
 * for pages of them: filter, search and sort run here, where the outcomes are, never over an
 * array in the page. Each sort order is a permutation (a Uint32Array of positions) built once
 * per column and direction by a counting sort over the ranks of the column's distinct values,
 * so it is stable (ties keep the file order) and costs one pass over the rows after the
 * distinct values are sorted; the rows matching the last filter are kept too, so paging
 * through them costs the size of the page.
 */
import type {
  OutcomePage,
  OutcomeQuery,
  SortDirection,
  SortKey,
} from '../../../common/outcomePages';
import { searchText, sortValue } from '../../../common/outcomePages';
import type { ProfileOutcome, SimulationAction } from '../../../common/simulationReport';

const ACTION_BITS: Record<SimulationAction, number> = {
  create: 1,
  update: 2,
  addToList: 4,
  removeFromList: 8,
  skip: 16,
};
const HAS_LISTS = 32;
const HAS_REMOVALS = 64;
const HAS_WARNINGS = 128;

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

function compareValues(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(String(a), String(b));
}

export class OutcomeIndex {
  private readonly flags: Uint8Array;
  private texts: string[] | undefined;
  private readonly orders = new Map<string, Uint32Array>();
  private last: { key: string; rows: Uint32Array } | undefined;

  constructor(
    readonly runId: string,
    private readonly outcomes: readonly ProfileOutcome[],
  ) {
    this.flags = new Uint8Array(outcomes.length);
    for (let i = 0; i < outcomes.length; i++) {
      const outcome = outcomes[i]!;
      this.flags[i] =
        (ACTION_BITS[outcome.action] ?? 0) |
        (outcome.lists.length ? HAS_LISTS : 0) |
        (outcome.removeFromLists?.length ? HAS_REMOVALS : 0) |
        (outcome.warnings.length ? HAS_WARNINGS : 0);
    }
  }

  get size(): number {
    return this.outcomes.length;
  }

  /** `limit` rows from `offset` of the outcomes passing the query's filter, in its order. */
  page(query: OutcomeQuery, offset: number, limit: number): OutcomePage {
    const rows = this.matching(query);
    const start = Math.min(Math.max(0, offset), rows.length);
    const end = Math.min(rows.length, start + Math.max(0, limit));
    const page: ProfileOutcome[] = [];
    for (let k = start; k < end; k++) page.push(this.outcomes[rows[k]!]!);
    return {
      runId: this.runId,
      offset: start,
      total: this.outcomes.length,
      matching: rows.length,
      rows: page,
    };
  }

  /** Positions of the outcomes that pass the filter, in the sort's order (the last is cached). */
  matching(query: OutcomeQuery): Uint32Array {
    const key = JSON.stringify(query);
    if (this.last?.key === key) return this.last.rows;
    const order = this.order(query.sort.column, query.sort.direction);
    const { outcome = 'all', search, warningsOnly = false } = query.filter;
    const needle = search?.trim().toLowerCase() ?? '';
    let rows: Uint32Array;
    if (outcome === 'all' && !needle && !warningsOnly) {
      rows = order;
    } else {
      const mask =
        outcome === 'all'
          ? 0
          : outcome === 'addToList'
            ? HAS_LISTS
            : outcome === 'removeFromList'
              ? HAS_REMOVALS
              : ACTION_BITS[outcome];
      const texts = needle ? this.searchTexts() : undefined;
      const kept = new Uint32Array(order.length);
      let count = 0;
      for (let k = 0; k < order.length; k++) {
        const position = order[k]!;
        const flags = this.flags[position]!;
        if (mask && !(flags & mask)) continue;
        if (warningsOnly && !(flags & HAS_WARNINGS)) continue;
        if (texts && !texts[position]!.includes(needle)) continue;
        kept[count++] = position;
      }
      rows = kept.slice(0, count);
    }
    this.last = { key, rows };
    return rows;
  }

  /** Whether the outcomes' `index` strictly increases, as the engine writes them. */
  private inFileOrder(): boolean {
    for (let i = 1; i < this.outcomes.length; i++) {
      if (!(this.outcomes[i - 1]!.index < this.outcomes[i]!.index)) return false;
    }
    return true;
  }

  private searchTexts(): string[] {
    this.texts ??= this.outcomes.map(searchText);
    return this.texts;
  }

  /**
   * The positions sorted by `key`, stably; missing values (null) last in both directions.
   */
  order(key: SortKey, direction: SortDirection): Uint32Array {
    const cacheKey = `${key}:${direction}`;
    const cached = this.orders.get(cacheKey);
    if (cached) return cached;
    const n = this.outcomes.length;
    if (key === 'index' && this.inFileOrder()) {
      // The engine's order: no sort, only the identity (or its reverse).
      const order = new Uint32Array(n);
      for (let k = 0; k < n; k++) order[k] = direction === 'asc' ? k : n - 1 - k;
      this.orders.set(cacheKey, order);
      return order;
    }
    const values = new Map<string | number, number>();
    const distinct: (string | number)[] = [];
    const valueOf = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const value = sortValue(this.outcomes[i]!, key);
      if (value === null) {
        valueOf[i] = -1;
        continue;
      }
      let id = values.get(value);
      if (id === undefined) {
        id = distinct.length;
        distinct.push(value);
        values.set(value, id);
      }
      valueOf[i] = id;
    }
    values.clear();
    // Ranks of the distinct values; values the collator calls equal share one.
    const sorted = distinct
      .map((_, id) => id)
      .sort((a, b) => compareValues(distinct[a]!, distinct[b]!));
    const rankOf = new Uint32Array(distinct.length);
    let ranks = 0;
    for (let k = 0; k < sorted.length; k++) {
      if (k > 0 && compareValues(distinct[sorted[k - 1]!]!, distinct[sorted[k]!]!) !== 0) ranks++;
      rankOf[sorted[k]!] = ranks;
    }
    if (sorted.length) ranks++;
    // Counting sort over the ranks, nulls in a last bucket: stable by construction.
    const bucket = (i: number): number => {
      const id = valueOf[i]!;
      if (id < 0) return ranks;
      const rank = rankOf[id]!;
      return direction === 'asc' ? rank : ranks - 1 - rank;
    };
    const starts = new Uint32Array(ranks + 2);
    for (let i = 0; i < n; i++) starts[bucket(i) + 1]!++;
    for (let r = 1; r < starts.length; r++) starts[r]! += starts[r - 1]!;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[starts[bucket(i)]!++] = i;
    this.orders.set(cacheKey, order);
    return order;
  }
}
