/**
 * The outcomes of one simulation run, kept by the language server so the results view can ask
 * for pages of them: filter, search and sort run here, over the run's columns
 * (`simulationColumns.ts`), never over an array in the page. Each sort order is a permutation
 * (a Uint32Array of positions), built per column and direction from the ranks of the column's
 * distinct values by a counting sort, stable (ties keep the file order); the last few orders
 * and the rows matching the last filter are kept, so paging through them costs the size of
 * the page. A search marks the rows whose texts hold it: `Buffer.indexOf` over a text column's
 * bytes, and a look at each distinct partition, reason, list set and changed-field set.
 */
import type {
  OutcomePage,
  OutcomeQuery,
  SortDirection,
  SortKey,
} from '../../../common/outcomePages';
import { compareText } from '../../../common/outcomePages';
import type { ProfileOutcome } from '../../../common/simulationReport';
import { type TextColumn, lowerCased, markRowsContaining, utf8 } from './simulationBytes';
import {
  type Checkpoint,
  type TextOrder,
  ascendingTextOrder,
  directedTextOrder,
} from './simulationTextSort';
import {
  ACTIONS,
  ACTION_BITS,
  HAS_LISTS,
  HAS_REMOVALS,
  HAS_WARNINGS,
  NO_DEDUPE,
  NO_LEAD,
  type OutcomeColumns,
  columnsOf,
  outcomeAt,
} from './simulationColumns';

/** Orders kept at once: each is 4 bytes a row (40 MB at ten million). */
const KEPT_ORDERS = 4;
/** Marks a missing value in a rank array: sorted last in both directions. */
const MISSING = 0xffffffff;
/** Rows between two checkpoints of a long loop. */
const CHECK_EVERY = 1 << 16;
const noCheck: Checkpoint = () => {};

/** Ranks of dictionary values (equal under compareText share one), and how many there are. */
function rankValues(values: readonly string[]): { rank: Uint32Array; ranks: number } {
  const ids = values.map((_, id) => id).sort((a, b) => compareText(values[a]!, values[b]!));
  const rank = new Uint32Array(values.length);
  let ranks = 0;
  for (let k = 0; k < ids.length; k++) {
    if (k > 0 && compareText(values[ids[k - 1]!]!, values[ids[k]!]!) !== 0) ranks++;
    rank[ids[k]!] = ranks;
  }
  return { rank, ranks: ids.length ? ranks + 1 : 0 };
}

/** The stable order of rows by rank (MISSING last), ascending or descending. */
function countingOrder(
  rowRank: Uint32Array,
  ranks: number,
  direction: SortDirection,
  checkpoint: Checkpoint,
): Uint32Array {
  const n = rowRank.length;
  const bucket = (i: number): number => {
    const rank = rowRank[i]!;
    if (rank === MISSING) return ranks;
    return direction === 'asc' ? rank : ranks - 1 - rank;
  };
  const starts = new Uint32Array(ranks + 2);
  for (let i = 0; i < n; i++) starts[bucket(i) + 1]!++;
  checkpoint();
  for (let r = 1; r < starts.length; r++) starts[r]! += starts[r - 1]!;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    if ((i & (CHECK_EVERY - 1)) === 0) checkpoint();
    order[starts[bucket(i)]!++] = i;
  }
  return order;
}

/** Values below this rank by a table of the values present rather than a sort. */
const TABLE_RANKS = 1 << 22;

/**
 * Ranks of numbers: their position among the distinct values. Small values (change counts,
 * row indexes up to four million) by a table of which are present; others by a native sort
 * of a copy, which no checkpoint can interrupt.
 */
function numberRanks(
  values: Uint32Array | Uint16Array,
  checkpoint: Checkpoint,
): { rank: Uint32Array; ranks: number } {
  let max = 0;
  for (let i = 0; i < values.length; i++) if (values[i]! > max) max = values[i]!;
  const rank = new Uint32Array(values.length);
  if (max < TABLE_RANKS) {
    const table = new Uint32Array(max + 1);
    for (let i = 0; i < values.length; i++) table[values[i]!] = 1;
    let distinct = 0;
    for (let v = 0; v <= max; v++) if (table[v]) table[v] = distinct++;
    checkpoint();
    for (let i = 0; i < values.length; i++) {
      if ((i & (CHECK_EVERY - 1)) === 0) checkpoint();
      rank[i] = table[values[i]!]!;
    }
    return { rank, ranks: distinct };
  }
  const sorted = Uint32Array.from(values).sort();
  checkpoint();
  let distinct = 0;
  for (let k = 0; k < sorted.length; k++) {
    if (k === 0 || sorted[k] !== sorted[k - 1]) sorted[distinct++] = sorted[k]!;
  }
  for (let i = 0; i < values.length; i++) {
    if ((i & (CHECK_EVERY - 1)) === 0) checkpoint();
    const value = values[i]!;
    let lo = 0;
    let hi = distinct - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! < value) lo = mid + 1;
      else hi = mid;
    }
    rank[i] = lo;
  }
  return { rank, ranks: distinct };
}

/** Ranks of a dictionary column (0: missing, else 1 + the id). */
function dictionaryRanks(
  ids: Uint32Array,
  values: readonly string[],
): { rank: Uint32Array; ranks: number } {
  const { rank: valueRank, ranks } = rankValues(values);
  const rank = new Uint32Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    rank[i] = id === 0 ? MISSING : valueRank[id - 1]!;
  }
  return { rank, ranks };
}

export class OutcomeIndex {
  readonly columns: OutcomeColumns;
  private readonly orders = new Map<string, Uint32Array>();
  /** The ascending orders of the text columns, with their ties: descending is derived. */
  private readonly textOrders = new Map<SortKey, TextOrder>();
  /**
   * Called now and then in every long loop; throws to abandon the work (the results worker
   * sets it per request: a newer request supersedes an older one).
   */
  checkpoint: Checkpoint = noCheck;
  private last: { key: string; rows: Uint32Array } | undefined;
  private lower: { dedupe: TextColumn; leadId: TextColumn } | undefined;
  private hits: Uint8Array | undefined;

  constructor(
    readonly runId: string,
    source: OutcomeColumns | readonly ProfileOutcome[],
  ) {
    this.columns = Array.isArray(source)
      ? columnsOf(source as readonly ProfileOutcome[])
      : (source as OutcomeColumns);
  }

  get size(): number {
    return this.columns.count;
  }

  /**
   * Whether the query is the file order unfiltered (the first page at the end of a run): its
   * pages need no permutation, so no work beyond the page.
   */
  isPlain(query: OutcomeQuery): boolean {
    const { filter, sort } = query;
    return (
      sort.column === 'index' &&
      this.columns.inFileOrder &&
      (filter.outcome ?? 'all') === 'all' &&
      !filter.search?.trim() &&
      !filter.warningsOnly
    );
  }

  /** `limit` rows from `offset` of the outcomes passing the query's filter, in its order. */
  page(query: OutcomeQuery, offset: number, limit: number): OutcomePage {
    return this.pageOf(
      this.isPlain(query) ? undefined : this.matching(query),
      query,
      offset,
      limit,
    );
  }

  /** A page of `rows` (`matching`'s answer; undefined for a plain query). */
  pageOf(
    rows: Uint32Array | undefined,
    query: OutcomeQuery,
    offset: number,
    limit: number,
  ): OutcomePage {
    const n = this.columns.count;
    const matching = rows ? rows.length : n;
    const start = Math.min(Math.max(0, offset), matching);
    const end = Math.min(matching, start + Math.max(0, limit));
    const ascending = query.sort.direction === 'asc';
    const at = (k: number): number => (rows ? rows[k]! : ascending ? k : n - 1 - k);
    const page: ProfileOutcome[] = [];
    for (let k = start; k < end; k++) page.push(outcomeAt(this.columns, at(k)));
    return { runId: this.runId, offset: start, total: n, matching, rows: page };
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
      const flags = this.columns.flags;
      const code = ACTIONS.indexOf(outcome as (typeof ACTIONS)[number]);
      const mask =
        outcome === 'addToList' ? HAS_LISTS : outcome === 'removeFromList' ? HAS_REMOVALS : 0;
      const byAction = outcome !== 'all' && !mask;
      const hits = needle ? this.searchHits(needle) : undefined;
      const kept = new Uint32Array(order.length);
      let count = 0;
      for (let k = 0; k < order.length; k++) {
        if ((k & (CHECK_EVERY - 1)) === 0) this.checkpoint();
        const position = order[k]!;
        const f = flags[position]!;
        if (mask && !(f & mask)) continue;
        if (byAction && (f & ACTION_BITS) !== code) continue;
        if (warningsOnly && !(f & HAS_WARNINGS)) continue;
        if (hits && !hits[position]) continue;
        kept[count++] = position;
      }
      rows = kept.slice(0, count);
    }
    this.last = { key, rows };
    return rows;
  }

  /** 1 for each row whose dedupe value, lead id, partition, reason, lists or fields hold it. */
  private searchHits(needle: string): Uint8Array {
    const c = this.columns;
    const hits = (this.hits ??= new Uint8Array(c.count));
    hits.fill(0);
    this.lower ??= {
      dedupe: lowerCased(c.dedupe, this.checkpoint),
      leadId: lowerCased(c.leadId, this.checkpoint),
    };
    const bytes = utf8(needle);
    markRowsContaining(this.lower.dedupe, bytes, hits, this.checkpoint);
    markRowsContaining(this.lower.leadId, bytes, hits, this.checkpoint);
    const has = (text: string): boolean => text.toLowerCase().includes(needle);
    const inSet = (set: readonly string[]): boolean => set.some(has);
    // Dictionary ids stored plus one (0: none) get a leading `false`.
    const columns: [Uint32Array, boolean[]][] = [
      [c.partition, [false, ...c.partitions.map(has)]],
      [c.reason, [false, ...c.reasons.map(has)]],
      [c.lists, c.listSets.map(inSet)],
      [c.removals, [false, ...c.listSets.map(inSet)]],
      [c.fields, c.fieldSets.map(inSet)],
    ];
    for (const [ids, matches] of columns) {
      if (!matches.includes(true)) continue;
      for (let i = 0; i < ids.length; i++) {
        if ((i & (CHECK_EVERY - 1)) === 0) this.checkpoint();
        if (matches[ids[i]!]) hits[i] = 1;
      }
    }
    return hits;
  }

  private ranks(key: Exclude<SortKey, 'dedupeValue' | 'leadId'>): {
    rank: Uint32Array;
    ranks: number;
  } {
    const c = this.columns;
    switch (key) {
      case 'index':
        return numberRanks(c.index, this.checkpoint);
      case 'changes':
        return numberRanks(c.changeCount, this.checkpoint);
      case 'action': {
        const { rank: actionRank, ranks } = rankValues(ACTIONS);
        const rank = new Uint32Array(c.count);
        for (let i = 0; i < c.count; i++) rank[i] = actionRank[c.flags[i]! & ACTION_BITS]!;
        return { rank, ranks };
      }
      case 'partition':
        return dictionaryRanks(c.partition, c.partitions);
      case 'reason':
        return dictionaryRanks(c.reason, c.reasons);
    }
  }

  private textOrder(key: 'dedupeValue' | 'leadId'): TextOrder {
    let ascending = this.textOrders.get(key);
    if (!ascending) {
      const { flags } = this.columns;
      const missing = key === 'dedupeValue' ? NO_DEDUPE : NO_LEAD;
      const column = key === 'dedupeValue' ? this.columns.dedupe : this.columns.leadId;
      const absent = (i: number): boolean => (flags[i]! & missing) !== 0;
      ascending = ascendingTextOrder(column, absent, this.checkpoint);
      this.textOrders.set(key, ascending);
    }
    return ascending;
  }

  /** The positions sorted by `key`, stably; missing values (null) last in both directions. */
  order(key: SortKey, direction: SortDirection): Uint32Array {
    const cacheKey = `${key}:${direction}`;
    const cached = this.orders.get(cacheKey);
    if (cached) {
      // Most recently used last, so the oldest goes first when the cache is full.
      this.orders.delete(cacheKey);
      this.orders.set(cacheKey, cached);
      return cached;
    }
    const n = this.columns.count;
    let order: Uint32Array;
    if (key === 'index' && this.columns.inFileOrder) {
      // The engine's order: no sort, only the identity (or its reverse).
      order = new Uint32Array(n);
      for (let k = 0; k < n; k++) order[k] = direction === 'asc' ? k : n - 1 - k;
    } else if (key === 'dedupeValue' || key === 'leadId') {
      order = directedTextOrder(this.textOrder(key), direction);
    } else {
      const { rank, ranks } = this.ranks(key);
      order = countingOrder(rank, ranks, direction, this.checkpoint);
    }
    if (this.orders.size >= KEPT_ORDERS) {
      this.orders.delete(this.orders.keys().next().value as string);
    }
    this.orders.set(cacheKey, order);
    return order;
  }
}
