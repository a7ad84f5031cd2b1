/**
 * The index of existing leads by dedupe value, built once per simulation, and the
 * rules that decide which of several matching leads the destination uses.
 *
 * Dedupe values are trimmed; `email` compares case-insensitively, every other field
 * case-sensitively. Matching spans all partitions. When several leads share a value,
 * the most recently updated one wins; a tie on `updatedAt` goes to the higher numeric id
 * (the most recently created lead) and is named as a tie in the warning.
 * Also here: the counter of dedupe values shared by several profiles of one export.
 */
import type { OtherMatch } from '../../../common/simulationReport';
import type { LeadSource } from './types';

/** Whether the dedupe field compares case-insensitively (Marketo's email lookups do). */
export function isCaseInsensitiveField(dedupeField: string): boolean {
  return dedupeField.trim().toLowerCase() === 'email';
}

/** The lookup key of a trimmed dedupe value. */
export function dedupeKey(trimmedValue: string, caseInsensitive: boolean): string {
  return caseInsensitive ? trimmedValue.toLowerCase() : trimmedValue;
}

const NO_OTHERS: readonly number[] = Object.freeze([]);

/** FNV-1a over the UTF-16 code units of a string. */
function hashKey(key: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h;
}

/**
 * A string → int32 hash table with a fixed number of entries, open addressing over
 * typed arrays. About twice as fast as a Map for a million keys (no rehashing, no
 * per-entry objects), which matters here: every lead is inserted, every profile looked up.
 */
class KeyTable {
  private readonly slots: Int32Array;
  private readonly mask: number;
  private readonly hashes: Int32Array;
  private readonly keys: string[];
  readonly values: Int32Array;
  private size = 0;

  /** Number of keys added. */
  get count(): number {
    return this.size;
  }

  /** The key of an entry. */
  keyAt(entry: number): string {
    return this.keys[entry] as string;
  }

  constructor(maxEntries: number) {
    let capacity = 16;
    while (capacity < maxEntries * 2) capacity *= 2;
    this.slots = new Int32Array(capacity).fill(-1);
    this.mask = capacity - 1;
    this.hashes = new Int32Array(Math.max(1, maxEntries));
    this.values = new Int32Array(Math.max(1, maxEntries));
    this.keys = new Array<string>(maxEntries);
  }

  /** The entry of `key`, or -1. */
  find(key: string): number {
    const h = hashKey(key);
    for (let s = h & this.mask; ; s = (s + 1) & this.mask) {
      const e = this.slots[s] as number;
      if (e === -1) return -1;
      if (this.hashes[e] === h && this.keys[e] === key) return e;
    }
  }

  /** The entry of `key`, added with `value` when missing; `added` tells which. */
  findOrAdd(key: string, value: number): { entry: number; added: boolean } {
    const h = hashKey(key);
    for (let s = h & this.mask; ; s = (s + 1) & this.mask) {
      const e = this.slots[s] as number;
      if (e === -1) {
        const entry = this.size++;
        this.slots[s] = entry;
        this.hashes[entry] = h;
        this.keys[entry] = key;
        this.values[entry] = value;
        return { entry, added: true };
      }
      if (this.hashes[e] === h && this.keys[e] === key) return { entry: e, added: false };
    }
  }
}

export class LeadIndex {
  /** Key → lead index, or -1-g for `groups[g]`, the leads sharing the key (winner first). */
  private readonly byKey: KeyTable;
  private readonly groups: number[][] = [];
  /** Leads whose dedupe field is empty or missing. */
  readonly leadsWithoutValue: number;

  constructor(
    private readonly leads: LeadSource,
    readonly dedupeField: string,
  ) {
    const caseInsensitive = isCaseInsensitiveField(dedupeField);
    const read = leads.reader(dedupeField);
    const table = new KeyTable(leads.count);
    this.byKey = table;
    const groups = this.groups;
    let without = 0;
    for (let i = 0; i < leads.count; i++) {
      const raw = read(i);
      const value = raw === undefined ? '' : raw.trim();
      if (value.length === 0) {
        without++;
        continue;
      }
      const key = caseInsensitive ? value.toLowerCase() : value;
      const { entry, added } = table.findOrAdd(key, i);
      if (added) continue;
      const existing = table.values[entry] as number;
      if (existing >= 0) {
        groups.push([existing, i]);
        table.values[entry] = -groups.length;
      } else {
        (groups[-1 - existing] as number[]).push(i);
      }
    }
    const compare = leadPrecedence(leads);
    for (const group of groups) group.sort(compare);
    this.leadsWithoutValue = without;
  }

  /** Number of dedupe values shared by several leads. */
  get sharedValues(): number {
    return this.groups.length;
  }

  /**
   * The index entry of a lookup key, or undefined when no lead has it. An entry is a
   * number (nothing is allocated): read it with `winnerOf` and `othersOf`.
   */
  lookup(key: string): number | undefined {
    const entry = this.byKey.find(key);
    return entry === -1 ? undefined : this.byKey.values[entry];
  }

  /** The lead the destination uses: the most recently updated of the matching leads. */
  winnerOf(entry: number): number {
    return entry >= 0 ? entry : ((this.groups[-1 - entry] as number[])[0] as number);
  }

  /** The other matching leads, most recently updated first. */
  othersOf(entry: number): readonly number[] {
    return entry >= 0 ? NO_OTHERS : (this.groups[-1 - entry] as number[]).slice(1);
  }

  /** The other matches as reported in an outcome. */
  describeOthers(others: readonly number[]): OtherMatch[] {
    return others.map((j) => ({
      leadId: this.leads.id(j),
      partition: this.leads.partition(j),
      updatedAt: this.leads.updatedAtText(j),
    }));
  }
}

/** Sort order of leads sharing a dedupe value: latest `updatedAt` first, then the higher id. */
export function leadPrecedence(leads: LeadSource): (a: number, b: number) => number {
  return (a, b) => {
    const ta = leads.updatedAtMs(a);
    const tb = leads.updatedAtMs(b);
    if (ta !== tb) return tb > ta ? 1 : -1;
    return compareIdsDescending(leads.id(a), leads.id(b));
  };
}

/** Higher numeric id first; non-numeric ids after numeric ones, in descending text order. */
export function compareIdsDescending(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  const aNumeric = a.length > 0 && Number.isFinite(na);
  const bNumeric = b.length > 0 && Number.isFinite(nb);
  if (aNumeric && bNumeric) {
    if (na !== nb) return nb - na;
  } else if (aNumeric !== bNumeric) {
    return aNumeric ? -1 : 1;
  }
  if (a === b) return 0;
  return a < b ? 1 : -1;
}

/**
 * The leads of `others` (most recently updated first) tied with `winner` on `updatedAt`:
 * the destination's documented rule ("the most recently updated lead") does not decide
 * between them.
 */
export function tiedWith(leads: LeadSource, winner: number, others: readonly number[]): number[] {
  const at = leads.updatedAtMs(winner);
  const tied: number[] = [];
  for (const j of others) {
    if (leads.updatedAtMs(j) !== at) break;
    tied.push(j);
  }
  return tied;
}

/**
 * The per-profile warning for several matching leads. With `tie` (the ids of the leads
 * tied with the winner on `updatedAt`, and its text), says it is a tie and why the higher id
 * is the one: Marketo assigns lead ids in ascending order, so it is the most recently created
 * lead, and the choice does not depend on file order.
 */
export function multipleMatchWarning(
  count: number,
  dedupeField: string,
  dedupeValue: string,
  winnerId: string,
  winnerPartition: string,
  tie?: { ids: readonly string[]; updatedAt: string | null },
): string {
  const rest =
    'the raw Marketo REST API would refuse such an update with reason 1007 (multiple leads match the lookup criteria)';
  if (tie && tie.ids.length > 0) {
    const when = tie.updatedAt === null ? 'none has an updatedAt' : `updatedAt ${tie.updatedAt}`;
    return (
      `${count} leads match ${dedupeField} ${JSON.stringify(dedupeValue)} and lead ${winnerId} is tied ` +
      `with lead ${tie.ids.join(', lead ')} on the most recent update (${when}): the documented rule ` +
      `(the most recently updated lead) does not decide a tie, so the simulation uses the higher id, ` +
      `lead ${winnerId} in partition ${winnerPartition} (Marketo assigns ids in ascending order: the ` +
      `most recently created; the same choice whatever the file order); ${rest}`
    );
  }
  return (
    `${count} leads match ${dedupeField} ${JSON.stringify(dedupeValue)}: the destination uses the most ` +
    `recently updated one (lead ${winnerId} in partition ${winnerPartition}); ${rest}`
  );
}

/** Shared dedupe values listed one by one in the warnings; the rest are counted. */
const MAX_SHARED_VALUE_WARNINGS = 20;

/**
 * Counts the profiles of an export per dedupe value, to warn about values several
 * profiles share. Profiles that match a lead are counted per lead in typed arrays
 * (no map insert); only unmatched values go through a Map.
 */
export class SharedValueCounter {
  private readonly hits: Int32Array;
  /** Per lead: the first profile that matched it, and that profile's lookup key. */
  private readonly firstProfile: Int32Array;
  private readonly keys: string[];
  /** Values no lead has: key → number of profiles (table created on first use). */
  private unmatched: KeyTable | undefined;
  private unmatchedFirst: Int32Array | undefined;

  constructor(
    leadCount: number,
    private readonly profileCount: number,
  ) {
    this.hits = new Int32Array(leadCount);
    this.firstProfile = new Int32Array(leadCount);
    this.keys = new Array<string>(leadCount);
  }

  countMatched(lead: number, key: string, profile: number): void {
    const hits = this.hits[lead] ?? 0;
    this.hits[lead] = hits + 1;
    if (hits === 0) {
      this.firstProfile[lead] = profile;
      this.keys[lead] = key;
    }
  }

  /**
   * Counts a profile whose value no lead has; returns the first profile counted with that
   * value (the one whose create makes the lead), or -1 when this profile is the first.
   */
  countUnmatched(key: string, profile: number): number {
    const table = (this.unmatched ??= new KeyTable(this.profileCount));
    const { entry, added } = table.findOrAdd(key, 1);
    const first = (this.unmatchedFirst ??= new Int32Array(this.profileCount));
    if (added) {
      first[entry] = profile;
      return -1;
    }
    (table.values[entry] as number)++;
    return first[entry] as number;
  }

  /** "3 profiles share the dedupe value a@x.com", in order of first appearance. */
  warnings(): string[] {
    const shared: { key: string; count: number; first: number }[] = [];
    for (let lead = 0; lead < this.hits.length; lead++) {
      const count = this.hits[lead] as number;
      if (count > 1) {
        shared.push({
          key: this.keys[lead] as string,
          count,
          first: this.firstProfile[lead] as number,
        });
      }
    }
    const table = this.unmatched;
    const first = this.unmatchedFirst;
    if (table && first) {
      for (let entry = 0; entry < table.count; entry++) {
        const count = table.values[entry] as number;
        if (count > 1)
          shared.push({ key: table.keyAt(entry), count, first: first[entry] as number });
      }
    }
    shared.sort((a, b) => a.first - b.first);
    const warnings = shared
      .slice(0, MAX_SHARED_VALUE_WARNINGS)
      .map((s) => `${s.count} profiles share the dedupe value ${s.key}`);
    const more = shared.length - MAX_SHARED_VALUE_WARNINGS;
    if (more > 0) warnings.push(`… and ${more} more dedupe values are shared by several profiles`);
    return warnings;
  }
}
