/**
 * The outcomes of a run as columns of typed arrays, built in the simulation worker and moved
 * to the server's thread by transfer: a structured clone of ten million outcome objects takes
 * longer than the run and several GB on both sides, a transfer takes no time and no copy.
 * Per row: numbers in typed arrays, texts as UTF-8 in one byte array per column, the few
 * distinct partitions, reasons, list sets and changed-field sets as ids into dictionaries, and
 * what only the details pane shows (the changes' values, other matches, warnings) in a
 * compact binary record. About 60 bytes a typical outcome, against about 1 kB as objects.
 */
import type {
  FieldChange,
  OtherMatch,
  ProfileOutcome,
  SimulationAction,
  SimulationResult,
} from '../../../common/simulationReport';
import type { SimulationOverview } from '../../../common/outcomePages';
import { NO_REASON, explainSkips } from '../../../common/simulationOverview';
import { ByteReader, ByteWriter, type TextColumn, sharedArray, textAt } from './simulationBytes';

export { type TextColumn, textAt } from './simulationBytes';

/** Action codes in `flags` (its low 3 bits). */
export const ACTIONS: readonly SimulationAction[] = [
  'create',
  'update',
  'addToList',
  'removeFromList',
  'skip',
];
const ACTION_CODES: Partial<Record<string, number>> = Object.fromEntries(
  ACTIONS.map((action, code) => [action, code]),
);
export const ACTION_BITS = 7;
export const HAS_LISTS = 8;
export const HAS_REMOVALS = 16;
export const HAS_WARNINGS = 32;
export const NO_DEDUPE = 64;
export const NO_LEAD = 128;

export interface OutcomeColumns {
  count: number;
  index: Uint32Array;
  line: Uint32Array;
  /** Action code | HAS_* | NO_*. */
  flags: Uint8Array;
  /** Changes per row, for the sort (capped at 65,535). */
  changeCount: Uint16Array;
  dedupe: TextColumn;
  leadId: TextColumn;
  /** 0: none; else 1 + the id in `partitions` / `reasons`. */
  partition: Uint32Array;
  partitions: string[];
  reason: Uint32Array;
  reasons: string[];
  /** Id in `listSets` of the lists added to. */
  lists: Uint32Array;
  /** 0: no `removeFromLists`; else 1 + its id in `listSets`. */
  removals: Uint32Array;
  listSets: string[][];
  /** Id in `fieldSets` of the changed fields, in the changes' order. */
  fields: Uint32Array;
  fieldSets: string[][];
  /** The changes' values, other matches and warnings; empty when a row has none. */
  details: TextColumn;
  /**
   * Counted as the rows come, so the end of the run costs nothing per row: whether `index`
   * strictly increases (the engines' file order), the rows with warnings, the skipped rows,
   * and the rows of each reason (index 0: none, else 1 + its id).
   */
  inFileOrder: boolean;
  withWarnings: number;
  skipped: number;
  reasonCounts: number[];
}

class Dictionary<T> {
  private readonly ids = new Map<string, number>();
  readonly values: T[] = [];
  id(key: string, value: () => T): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value());
      this.ids.set(key, id);
    }
    return id;
  }
}

function grow<A extends Uint8Array | Uint16Array | Uint32Array>(array: A, size: number): A {
  const bigger = sharedArray(array.constructor as Parameters<typeof sharedArray<A>>[0], size);
  bigger.set(array);
  return bigger;
}

const setKey = (values: readonly string[]): string => values.join('\u0000');

/** Takes outcomes one at a time (as an engine decides them), then yields the columns. */
export class OutcomeColumnsBuilder {
  private count = 0;
  private capacity: number;
  private index: Uint32Array;
  private line: Uint32Array;
  private flags: Uint8Array;
  private changeCount: Uint16Array;
  private partition: Uint32Array;
  private reason: Uint32Array;
  private lists: Uint32Array;
  private removals: Uint32Array;
  private fields: Uint32Array;
  private readonly dedupe = new ByteWriter(true);
  private readonly leadId = new ByteWriter(true);
  private readonly details = new ByteWriter(true);
  private dedupeEnds: Uint32Array;
  private leadEnds: Uint32Array;
  private detailEnds: Uint32Array;
  private readonly partitions = new Dictionary<string>();
  private readonly reasons = new Dictionary<string>();
  private readonly listSets = new Dictionary<string[]>();
  private readonly fieldSets = new Dictionary<string[]>();
  private inFileOrder = true;
  private withWarnings = 0;
  private skipped = 0;
  private readonly reasonCounts: number[] = [0];

  constructor(expected = 1024) {
    this.capacity = Math.max(16, expected);
    const n = this.capacity;
    this.index = sharedArray(Uint32Array, n);
    this.line = sharedArray(Uint32Array, n);
    this.flags = sharedArray(Uint8Array, n);
    this.changeCount = sharedArray(Uint16Array, n);
    this.partition = sharedArray(Uint32Array, n);
    this.reason = sharedArray(Uint32Array, n);
    this.lists = sharedArray(Uint32Array, n);
    this.removals = sharedArray(Uint32Array, n);
    this.fields = sharedArray(Uint32Array, n);
    this.dedupeEnds = sharedArray(Uint32Array, n);
    this.leadEnds = sharedArray(Uint32Array, n);
    this.detailEnds = sharedArray(Uint32Array, n);
  }

  private growRows(): void {
    const n = this.capacity * 2;
    this.index = grow(this.index, n);
    this.line = grow(this.line, n);
    this.flags = grow(this.flags, n);
    this.changeCount = grow(this.changeCount, n);
    this.partition = grow(this.partition, n);
    this.reason = grow(this.reason, n);
    this.lists = grow(this.lists, n);
    this.removals = grow(this.removals, n);
    this.fields = grow(this.fields, n);
    this.dedupeEnds = grow(this.dedupeEnds, n);
    this.leadEnds = grow(this.leadEnds, n);
    this.detailEnds = grow(this.detailEnds, n);
    this.capacity = n;
  }

  /**
   * The engines share one frozen array per membership between profiles: those ids are
   * remembered by identity (a few dozen at most), so most rows cost no join.
   */
  private readonly known = new Map<readonly string[], number>();

  private listSet(values: readonly string[]): number {
    let id = this.known.get(values);
    if (id === undefined) {
      id = this.listSets.id(setKey(values), () => [...values]);
      if (Object.isFrozen(values) && this.known.size < 256) this.known.set(values, id);
    }
    return id;
  }

  private fieldSet(changes: readonly FieldChange[]): number {
    let key = '';
    for (let k = 0; k < changes.length; k++) key += (k ? '\u0000' : '') + changes[k]!.field;
    return this.fieldSets.id(key, () => changes.map((c) => c.field));
  }

  add(outcome: ProfileOutcome): void {
    if (this.count === this.capacity) this.growRows();
    const i = this.count++;
    const code = ACTION_CODES[outcome.action];
    if (code === undefined) throw new TypeError(`unknown action ${String(outcome.action)}`);
    const removals = outcome.removeFromLists;
    if (i > 0 && !(this.index[i - 1]! < outcome.index)) this.inFileOrder = false;
    if (outcome.warnings.length) this.withWarnings++;
    if (outcome.action === 'skip') this.skipped++;
    this.index[i] = outcome.index;
    this.line[i] = outcome.line;
    this.flags[i] =
      code |
      (outcome.lists.length ? HAS_LISTS : 0) |
      (removals?.length ? HAS_REMOVALS : 0) |
      (outcome.warnings.length ? HAS_WARNINGS : 0) |
      (outcome.dedupeValue === null ? NO_DEDUPE : 0) |
      (outcome.leadId === null ? NO_LEAD : 0);
    this.changeCount[i] = Math.min(0xffff, outcome.changes.length);
    if (outcome.dedupeValue !== null) this.dedupe.text(outcome.dedupeValue);
    this.dedupeEnds[i] = this.dedupe.length;
    if (outcome.leadId !== null) this.leadId.text(outcome.leadId);
    this.leadEnds[i] = this.leadId.length;
    const { partition, reason } = outcome;
    this.partition[i] = partition === null ? 0 : 1 + this.partitions.id(partition, () => partition);
    const reasonId = reason === null ? 0 : 1 + this.reasons.id(reason, () => reason);
    this.reason[i] = reasonId;
    this.reasonCounts[reasonId] = (this.reasonCounts[reasonId] ?? 0) + 1;
    this.lists[i] = this.listSet(outcome.lists);
    this.removals[i] = removals === undefined ? 0 : 1 + this.listSet(removals);
    this.fields[i] = this.fieldSet(outcome.changes);
    if (outcome.changes.length || outcome.otherMatches.length || outcome.warnings.length) {
      this.writeDetails(outcome);
    }
    this.detailEnds[i] = this.details.length;
  }

  private writeDetails(outcome: ProfileOutcome): void {
    const w = this.details;
    w.count(outcome.changes.length);
    for (const change of outcome.changes) {
      w.optionalString(change.from);
      w.string(change.to);
    }
    w.count(outcome.otherMatches.length);
    for (const match of outcome.otherMatches) {
      w.string(match.leadId);
      w.string(match.partition);
      w.optionalString(match.updatedAt);
    }
    w.count(outcome.warnings.length);
    for (const warning of outcome.warnings) w.string(warning);
  }

  /**
   * The columns, in shared memory: posted to the server's thread they are shared rather than
   * copied, and shared again with the results worker (sorts, filters, searches) at no cost.
   */
  finish(): OutcomeColumns {
    const n = this.count;
    // Views of the shared arrays: the builder takes no rows after `finish`.
    const cut = <A extends Uint8Array | Uint16Array | Uint32Array>(a: A): A =>
      (a.length === n ? a : a.subarray(0, n)) as A;
    return {
      count: n,
      index: cut(this.index),
      line: cut(this.line),
      flags: cut(this.flags),
      changeCount: cut(this.changeCount),
      dedupe: { bytes: this.dedupe.taken(), ends: cut(this.dedupeEnds) },
      leadId: { bytes: this.leadId.taken(), ends: cut(this.leadEnds) },
      partition: cut(this.partition),
      partitions: this.partitions.values,
      reason: cut(this.reason),
      reasons: this.reasons.values,
      lists: cut(this.lists),
      removals: cut(this.removals),
      listSets: this.listSets.values,
      fields: cut(this.fields),
      fieldSets: this.fieldSets.values,
      details: { bytes: this.details.taken(), ends: cut(this.detailEnds) },
      inFileOrder: this.inFileOrder,
      withWarnings: this.withWarnings,
      skipped: this.skipped,
      reasonCounts: [...this.reasonCounts],
    };
  }
}

export function columnsOf(outcomes: readonly ProfileOutcome[]): OutcomeColumns {
  const builder = new OutcomeColumnsBuilder(outcomes.length);
  for (const outcome of outcomes) builder.add(outcome);
  return builder.finish();
}

/** Every buffer of the columns (shared or not), once each. */
export function columnBuffers(columns: OutcomeColumns): ArrayBufferLike[] {
  const arrays = [
    columns.index,
    columns.line,
    columns.flags,
    columns.changeCount,
    columns.dedupe.bytes,
    columns.dedupe.ends,
    columns.leadId.bytes,
    columns.leadId.ends,
    columns.partition,
    columns.reason,
    columns.lists,
    columns.removals,
    columns.fields,
    columns.details.bytes,
    columns.details.ends,
  ];
  return [...new Set(arrays.map((a) => a.buffer))];
}

/** The buffers `postMessage` moves instead of copying (shared ones are shared, not moved). */
export function transferList(columns: OutcomeColumns): ArrayBuffer[] {
  return columnBuffers(columns).filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
}

export function actionAt(columns: OutcomeColumns, i: number): SimulationAction {
  return ACTIONS[columns.flags[i]! & ACTION_BITS]!;
}

/** Row `i` as the outcome the engine decided (keys in the report's order). */
export function outcomeAt(columns: OutcomeColumns, i: number): ProfileOutcome {
  const flags = columns.flags[i]!;
  const names = columns.fieldSets[columns.fields[i]!]!;
  const changes: FieldChange[] = [];
  const otherMatches: OtherMatch[] = [];
  const warnings: string[] = [];
  const { bytes, ends } = columns.details;
  const start = i === 0 ? 0 : ends[i - 1]!;
  if (ends[i]! > start) {
    const r = new ByteReader(bytes, start);
    const changeCount = r.count();
    for (let k = 0; k < changeCount; k++) {
      const from = r.optionalString();
      changes.push({ field: names[k]!, from, to: r.string() });
    }
    const others = r.count();
    for (let k = 0; k < others; k++) {
      const leadId = r.string();
      const partition = r.string();
      otherMatches.push({ leadId, partition, updatedAt: r.optionalString() });
    }
    const warningCount = r.count();
    for (let k = 0; k < warningCount; k++) warnings.push(r.string());
  }
  const partition = columns.partition[i]!;
  const reason = columns.reason[i]!;
  const removals = columns.removals[i]!;
  const outcome: ProfileOutcome = {
    index: columns.index[i]!,
    dedupeValue: flags & NO_DEDUPE ? null : textAt(columns.dedupe, i),
    action: ACTIONS[flags & ACTION_BITS]!,
    leadId: flags & NO_LEAD ? null : textAt(columns.leadId, i),
    partition: partition ? columns.partitions[partition - 1]! : null,
    lists: [...columns.listSets[columns.lists[i]!]!],
    changes,
    otherMatches,
    reason: reason ? columns.reasons[reason - 1]! : null,
    line: columns.line[i]!,
    warnings,
  };
  if (removals) outcome.removeFromLists = [...columns.listSets[removals - 1]!];
  return outcome;
}

/** Every outcome, for the whole reports of Export. */
export function allOutcomes(columns: OutcomeColumns): ProfileOutcome[] {
  const outcomes = new Array<ProfileOutcome>(columns.count);
  for (let i = 0; i < columns.count; i++) outcomes[i] = outcomeAt(columns, i);
  return outcomes;
}

/** A run as the worker hands it over: the result, its outcomes as columns. */
export type ColumnarResult = Omit<SimulationResult, 'outcomes'> & { columns: OutcomeColumns };

export function columnarResult(result: SimulationResult): ColumnarResult {
  const { outcomes, ...rest } = result;
  return { ...rest, columns: columnsOf(outcomes) };
}

/** The whole result again (Export writes every outcome). */
export function materialized(run: ColumnarResult): SimulationResult {
  const { columns, ...rest } = run;
  return { ...rest, outcomes: allOutcomes(columns) };
}

/** What the results view shows before any page, from the columns' counts. */
export function columnarOverview(run: ColumnarResult): SimulationOverview {
  const { columns, ...rest } = run;
  const { count, skipped, reasonCounts } = columns;
  let allSkippedBecause: string | null = null;
  if (count > 0 && skipped === count) {
    const reasons = new Map<string, number>();
    reasonCounts.forEach((n, id) => {
      if (!n) return;
      const reason = id === 0 ? NO_REASON : columns.reasons[id - 1]!;
      reasons.set(reason, (reasons.get(reason) ?? 0) + n);
    });
    allSkippedBecause = explainSkips(count, reasons);
  }
  return { ...rest, rowsWithWarnings: columns.withWarnings, allSkippedBecause };
}
