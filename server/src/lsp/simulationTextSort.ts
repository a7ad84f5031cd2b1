/**
 * The order of a text column by `compareText` (common/outcomePages.ts) at ten million rows. A
 * comparison sort calls the comparator n·log n times, a quarter of a billion at ten million
 * rows, which took half a minute; here each value becomes sort-key bytes whose plain byte
 * order is compareText's order (lower-cased; a run of digits as a marker, its length and its
 * digits without leading zeros), and a most-significant-byte radix sort orders the rows by
 * them, reading each key byte about once. Stable: equal keys keep the file order.
 */
import type { SortDirection } from '../../../common/outcomePages';
import { ByteWriter, type TextColumn, isAscii, startOf, textAt } from './simulationBytes';

/** Segments at most this long are finished by insertion sort. */
const SMALL = 32;
const DIGIT_RUN = 48;

function foldedCode(code: number): number {
  if (code >= 65 && code <= 90) return code + 32;
  if (code < 128) return code;
  return String.fromCharCode(code).toLowerCase().charCodeAt(0);
}

/** Appends the sort key of `value`: its byte order is compareText's order. */
function writeKey(out: ByteWriter, value: string): void {
  // At most three key bytes a code unit (a digit run: marker and length, then its digits).
  const buffer = out.reserve(value.length * 3);
  let at = out.length;
  const n = value.length;
  let i = 0;
  while (i < n) {
    const code = value.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      while (i < n && value.charCodeAt(i) === 48) i++;
      const start = i;
      while (i < n && value.charCodeAt(i) >= 48 && value.charCodeAt(i) <= 57) i++;
      buffer[at++] = DIGIT_RUN;
      buffer[at++] = Math.min(255, i - start);
      for (let k = start; k < i; k++) buffer[at++] = value.charCodeAt(k);
      continue;
    }
    const folded = foldedCode(code);
    // Code units by value: one byte below 0x80, else UTF-8 of the code unit (order-preserving).
    if (folded < 0x80) buffer[at++] = folded;
    else if (folded < 0x800) {
      buffer[at++] = 0xc0 | (folded >> 6);
      buffer[at++] = 0x80 | (folded & 63);
    } else {
      buffer[at++] = 0xe0 | (folded >> 12);
      buffer[at++] = 0x80 | ((folded >> 6) & 63);
      buffer[at++] = 0x80 | (folded & 63);
    }
    i++;
  }
  out.length = at;
}

/** `writeKey` of an ASCII value read from its bytes, without making a string. */
function writeAsciiKey(out: ByteWriter, bytes: Uint8Array, from: number, to: number): void {
  const buffer = out.reserve((to - from) * 3);
  let at = out.length;
  let i = from;
  while (i < to) {
    const code = bytes[i]!;
    if (code >= 48 && code <= 57) {
      while (i < to && bytes[i] === 48) i++;
      const start = i;
      while (i < to && bytes[i]! >= 48 && bytes[i]! <= 57) i++;
      buffer[at++] = DIGIT_RUN;
      buffer[at++] = Math.min(255, i - start);
      for (let k = start; k < i; k++) buffer[at++] = bytes[k]!;
      continue;
    }
    buffer[at++] = code >= 65 && code <= 90 ? code + 32 : code;
    i++;
  }
  out.length = at;
}

interface Keys {
  bytes: Uint8Array;
  start: Uint32Array;
  end: Uint32Array;
}

/** Key byte `depth` of `row` plus one; 0 past its end (a shorter key sorts first). */
function keyByte(keys: Keys, row: number, depth: number): number {
  const at = keys.start[row]! + depth;
  return at < keys.end[row]! ? keys.bytes[at]! + 1 : 0;
}

/** Byte order of two keys from `depth`, then the row (file order). */
function compareKeys(keys: Keys, a: number, b: number, depth: number): number {
  const { bytes, start, end } = keys;
  let i = start[a]! + depth;
  let j = start[b]! + depth;
  const ei = end[a]!;
  const ej = end[b]!;
  while (i < ei && j < ej) {
    const d = bytes[i++]! - bytes[j++]!;
    if (d) return d;
  }
  return ei - i - (ej - j) || a - b;
}

function sameKey(keys: Keys, a: number, b: number): boolean {
  const la = keys.end[a]! - keys.start[a]!;
  if (la !== keys.end[b]! - keys.start[b]!) return false;
  for (let k = 0; k < la; k++) {
    if (keys.bytes[keys.start[a]! + k] !== keys.bytes[keys.start[b]! + k]) return false;
  }
  return true;
}

/** Sorts `rows` (in file order) by key, stably, in place. */
function radixSort(keys: Keys, rows: Uint32Array): void {
  const scratch = new Uint32Array(rows.length);
  const counts = new Uint32Array(258);
  const stack: number[] = [0, rows.length, 0];
  while (stack.length) {
    const depth = stack.pop()!;
    const hi = stack.pop()!;
    const lo = stack.pop()!;
    if (hi - lo <= SMALL) {
      for (let k = lo + 1; k < hi; k++) {
        const row = rows[k]!;
        let at = k;
        while (at > lo && compareKeys(keys, rows[at - 1]!, row, depth) > 0) {
          rows[at] = rows[at - 1]!;
          at--;
        }
        rows[at] = row;
      }
      continue;
    }
    // Only the range of bytes the segment holds is counted and walked: a segment of 40 rows
    // of digits walks 10 buckets, not 257 (that walk was most of the sort's time).
    let min = 257;
    let max = 0;
    for (let k = lo; k < hi; k++) {
      const b = keyByte(keys, rows[k]!, depth);
      counts[b + 1]!++;
      if (b < min) min = b;
      if (b > max) max = b;
    }
    if (min === max) {
      counts[min + 1] = 0;
      // Every key ended (equal, in file order), or all share this byte: nothing to move.
      if (min > 0) stack.push(lo, hi, depth + 1);
      continue;
    }
    // counts[b + 1] holds bucket b's size (counts[min] is 0): make counts[b] its start.
    for (let b = min + 1; b <= max + 1; b++) counts[b]! += counts[b - 1]!;
    for (let k = lo; k < hi; k++) {
      const row = rows[k]!;
      scratch[lo + counts[keyByte(keys, row, depth)]!++] = row;
    }
    rows.set(scratch.subarray(lo, hi), lo);
    // counts[b] is now the end of bucket b; bucket 0 (keys that ended) is done.
    let from = min === 0 ? lo + counts[0]! : lo;
    for (let b = Math.max(1, min); b <= max; b++) {
      const to = lo + counts[b]!;
      if (to - from > 1) stack.push(from, to, depth + 1);
      from = to;
    }
    counts.fill(0, min, max + 2);
  }
}

/**
 * The rows sorted by the column's text, stably; rows `missing(i)` (no value) last in both
 * directions, in file order.
 */
export function textOrder(
  column: TextColumn,
  missing: (row: number) => boolean,
  direction: SortDirection,
): Uint32Array {
  const n = column.ends.length;
  const ascii = isAscii(column.bytes);
  const writer = new ByteWriter();
  const start = new Uint32Array(n);
  const end = new Uint32Array(n);
  let present = 0;
  for (let i = 0; i < n; i++) {
    start[i] = writer.length;
    if (!missing(i)) {
      if (ascii) writeAsciiKey(writer, column.bytes, startOf(column, i), column.ends[i]!);
      else writeKey(writer, textAt(column, i));
      present++;
    }
    end[i] = writer.length;
  }
  const keys: Keys = { bytes: writer.bytes(), start, end };
  const rows = new Uint32Array(present);
  const absent = new Uint32Array(n - present);
  for (let i = 0, p = 0, a = 0; i < n; i++) {
    if (missing(i)) absent[a++] = i;
    else rows[p++] = i;
  }
  radixSort(keys, rows);
  const order = new Uint32Array(n);
  if (direction === 'asc') {
    order.set(rows);
  } else {
    // Groups of equal keys in reverse, each still in file order.
    let out = 0;
    let groupEnd = rows.length;
    while (groupEnd > 0) {
      let groupStart = groupEnd - 1;
      while (groupStart > 0 && sameKey(keys, rows[groupStart - 1]!, rows[groupEnd - 1]!)) {
        groupStart--;
      }
      for (let k = groupStart; k < groupEnd; k++) order[out++] = rows[k]!;
      groupEnd = groupStart;
    }
  }
  order.set(absent, present);
  return order;
}
