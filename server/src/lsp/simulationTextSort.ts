/**
 * The order of a text column by `compareText` (common/outcomePages.ts) at ten million rows. A
 * comparison sort calls the comparator n·log n times, a quarter of a billion at ten million
 * rows, which took half a minute; here each value becomes sort-key bytes whose plain byte
 * order is compareText's order (lower-cased; a run of digits as a marker, its length and its
 * digits without leading zeros), and the rows are sorted by eight key bytes at a time
 * (`simulationKeySort.ts`). Stable: equal keys keep the file order. The ascending order is
 * made once with where its ties are; the descending order is derived from it.
 */
import type { SortDirection } from '../../../common/outcomePages';
import { type TextColumn, startOf, textAt } from './simulationBytes';
import { type Checkpoint, type SortKeys, sortByKeys } from './simulationKeySort';

export type { Checkpoint } from './simulationKeySort';

const DIGIT_RUN = 48;
/** Rows between two checkpoints while the keys are built. */
const ROWS_PER_CHECK = 1 << 16;

function foldedCode(code: number): number {
  if (code >= 65 && code <= 90) return code + 32;
  if (code < 128) return code;
  return String.fromCharCode(code).toLowerCase().charCodeAt(0);
}

/**
 * Key bytes are never 0, so a key shorter than another sorts first when both are read past
 * their ends as 0 (the packed prefixes of simulationKeySort.ts): code units 0 and 1 become
 * two bytes each (1 1, 1 2), a digit run's length is stored plus one.
 */
function putCode(buffer: Uint8Array, at: number, folded: number): number {
  if (folded < 2) {
    buffer[at++] = 1;
    buffer[at++] = folded + 1;
  } else if (folded < 0x80) buffer[at++] = folded;
  else if (folded < 0x800) {
    buffer[at++] = 0xc0 | (folded >> 6);
    buffer[at++] = 0x80 | (folded & 63);
  } else {
    // Code units by value: UTF-8 of the code unit (order-preserving; surrogates included).
    buffer[at++] = 0xe0 | (folded >> 12);
    buffer[at++] = 0x80 | ((folded >> 6) & 63);
    buffer[at++] = 0x80 | (folded & 63);
  }
  return at;
}

/** Writes the sort key of `value` at `at`; answers where it ends. */
function writeKey(buffer: Uint8Array, at: number, value: string): number {
  const n = value.length;
  let i = 0;
  while (i < n) {
    const code = value.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      while (i < n && value.charCodeAt(i) === 48) i++;
      const start = i;
      while (i < n && value.charCodeAt(i) >= 48 && value.charCodeAt(i) <= 57) i++;
      buffer[at++] = DIGIT_RUN;
      buffer[at++] = Math.min(255, i - start + 1);
      for (let k = start; k < i; k++) buffer[at++] = value.charCodeAt(k);
      continue;
    }
    at = putCode(buffer, at, foldedCode(code));
    i++;
  }
  return at;
}

/**
 * Per byte of ASCII: its key byte (lower-cased), or 0 when it needs more than a copy (a
 * digit, code units 0 and 1, a byte outside ASCII). One look-up instead of four tests a byte.
 */
const PLAIN = new Uint8Array(256);
for (let b = 2; b < 0x80; b++) PLAIN[b] = b >= 65 && b <= 90 ? b + 32 : b;
for (let b = 48; b <= 57; b++) PLAIN[b] = 0;

/**
 * `writeKey` of an ASCII value read straight from the column's bytes (no string made):
 * answers where the key ends, or -1 when the value is not ASCII (then `writeKey` does it).
 */
function writeAsciiKey(
  buffer: Uint8Array,
  at: number,
  bytes: Uint8Array,
  from: number,
  to: number,
): number {
  let i = from;
  while (i < to) {
    const code = bytes[i]!;
    const plain = PLAIN[code]!;
    if (plain) {
      buffer[at++] = plain;
      i++;
      continue;
    }
    if (code >= 0x80) return -1;
    if (code >= 48 && code <= 57) {
      while (i < to && bytes[i] === 48) i++;
      const start = i;
      while (i < to && bytes[i]! >= 48 && bytes[i]! <= 57) i++;
      buffer[at++] = DIGIT_RUN;
      buffer[at++] = Math.min(255, i - start + 1);
      for (let k = start; k < i; k++) buffer[at++] = bytes[k]!;
      continue;
    }
    buffer[at++] = 1;
    buffer[at++] = code + 1;
    i++;
  }
  return at;
}

function grown(buffer: Uint8Array, needed: number): Uint8Array {
  let size = buffer.length * 2;
  while (size < needed) size *= 2;
  const bigger = new Uint8Array(size);
  bigger.set(buffer);
  return bigger;
}

/** The keys of the rows that have a value; `absent`: the others, in file order. */
function buildKeys(
  column: TextColumn,
  missing: (row: number) => boolean,
  checkpoint: Checkpoint,
): { keys: SortKeys; present: Uint32Array; absent: Uint32Array } {
  const { bytes: text, ends: textEnds } = column;
  const n = textEnds.length;
  // A digit run of one zero grows from one byte to two; most values hold few of those.
  let buffer: Uint8Array = new Uint8Array(text.length + (text.length >> 2) + 64);
  const ends = new Uint32Array(n);
  const present = new Uint32Array(n);
  const absent: number[] = [];
  let count = 0;
  let at = 0;
  for (let i = 0; i < n; i++) {
    if ((i & (ROWS_PER_CHECK - 1)) === 0) checkpoint();
    if (missing(i)) {
      absent.push(i);
    } else {
      const from = startOf(column, i);
      const to = textEnds[i]!;
      // At most three key bytes a byte of UTF-8 (two for ASCII).
      if (at + 3 * (to - from) + 2 > buffer.length)
        buffer = grown(buffer, at + 3 * (to - from) + 2);
      const end = writeAsciiKey(buffer, at, text, from, to);
      at = end >= 0 ? end : writeKey(buffer, at, textAt(column, i));
      present[count++] = i;
    }
    ends[i] = at;
  }
  return {
    keys: { bytes: buffer, ends },
    present: present.slice(0, count),
    absent: Uint32Array.from(absent),
  };
}

/**
 * The ascending order of a text column: the rows with a value by key, stably, then the rows
 * without one in file order; `ties[k]` is 1 when row `order[k]`'s key equals the one before.
 */
export interface TextOrder {
  order: Uint32Array;
  ties: Uint8Array;
  /** How many rows have a value (the first `present` of `order`). */
  present: number;
}

export function ascendingTextOrder(
  column: TextColumn,
  missing: (row: number) => boolean,
  checkpoint: Checkpoint = () => {},
): TextOrder {
  const { keys, present, absent } = buildKeys(column, missing, checkpoint);
  const ties = sortByKeys(keys, present, checkpoint);
  const order = new Uint32Array(column.ends.length);
  order.set(present);
  order.set(absent, present.length);
  return { order, ties, present: present.length };
}

/** `ascending` in `direction`: descending reverses the groups of equal keys, not their rows. */
export function directedTextOrder(ascending: TextOrder, direction: SortDirection): Uint32Array {
  if (direction === 'asc') return ascending.order;
  const { order: rows, ties, present } = ascending;
  const order = new Uint32Array(rows.length);
  let out = 0;
  let groupEnd = present;
  while (groupEnd > 0) {
    let groupStart = groupEnd - 1;
    while (groupStart > 0 && ties[groupStart]) groupStart--;
    order.set(rows.subarray(groupStart, groupEnd), out);
    out += groupEnd - groupStart;
    groupEnd = groupStart;
  }
  order.set(rows.subarray(present), present);
  return order;
}

/**
 * The rows sorted by the column's text, stably; rows `missing(i)` (no value) last in both
 * directions, in file order.
 */
export function textOrder(
  column: TextColumn,
  missing: (row: number) => boolean,
  direction: SortDirection,
  checkpoint?: Checkpoint,
): Uint32Array {
  return directedTextOrder(ascendingTextOrder(column, missing, checkpoint), direction);
}
