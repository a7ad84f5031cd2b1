/**
 * UTF-8 in growable byte arrays, for the outcome columns (`simulationColumns.ts`): a text
 * column is one byte array and the end of each row's text in it, so ten million dedupe values
 * are two allocations rather than ten million strings, and a search is `Buffer.indexOf` over
 * the bytes (native, a few hundred MB a second) rather than a loop over strings.
 */

/** Row `i`'s text is `bytes[ends[i - 1] .. ends[i])` (from 0 for the first row). */
export interface TextColumn {
  bytes: Uint8Array;
  ends: Uint32Array;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

type Column = Uint8Array | Uint16Array | Uint32Array;
type ColumnType<A extends Column> = {
  new (buffer: SharedArrayBuffer): A;
  BYTES_PER_ELEMENT: number;
};

/**
 * A zeroed array of `n` in shared memory. The columns are built in it from the start: posted to
 * the server's thread they are shared, not copied nor moved, and shared again with the results
 * worker (sorts, filters, searches), so no copy of ten million rows is ever made at the end of a
 * run. Pages of it that are never written take no memory.
 */
export function sharedArray<A extends Column>(Type: ColumnType<A>, n: number): A {
  return new Type(new SharedArrayBuffer(n * Type.BYTES_PER_ELEMENT));
}

export class ByteWriter {
  private buffer: Uint8Array;
  length = 0;

  /** `shared`: the bytes are in shared memory (`sharedArray`), for a column. */
  constructor(private readonly shared = false) {
    this.buffer = this.allocate(1 << 16);
  }

  private allocate(size: number): Uint8Array {
    return this.shared ? sharedArray(Uint8Array, size) : new Uint8Array(size);
  }

  private ensure(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.buffer.length) return;
    if (needed > 0xffffffff) throw new RangeError('an outcome column is over 4 GB');
    let size = this.buffer.length * 2;
    while (size < needed) size *= 2;
    const bigger = this.allocate(Math.min(size, 0xffffffff));
    bigger.set(this.buffer.subarray(0, this.length));
    this.buffer = bigger;
  }

  /** Room for `extra` more bytes: the buffer to write them to from `length` (then set it). */
  reserve(extra: number): Uint8Array {
    this.ensure(extra);
    return this.buffer;
  }

  /** The UTF-8 of `value`, no length: a text column's ends say where it stops. */
  text(value: string): void {
    this.ensure(value.length * 3);
    const buffer = this.buffer;
    let at = this.length;
    // ASCII byte by byte: faster than encodeInto's call for the short values of a row.
    for (let k = 0; k < value.length; k++) {
      const code = value.charCodeAt(k);
      if (code >= 0x80) {
        at += encoder.encodeInto(value.slice(k), buffer.subarray(at)).written;
        break;
      }
      buffer[at++] = code;
    }
    this.length = at;
  }

  count(value: number): void {
    this.ensure(5);
    let rest = value >>> 0;
    while (rest >= 0x80) {
      this.buffer[this.length++] = (rest & 0x7f) | 0x80;
      rest >>>= 7;
    }
    this.buffer[this.length++] = rest;
  }

  /** Length-prefixed UTF-8. */
  string(value: string): void {
    this.prefixed(value, 0);
  }

  /** `string`, or a 0 for null (lengths are then stored plus one). */
  optionalString(value: string | null): void {
    if (value === null) this.count(0);
    else this.prefixed(value, 1);
  }

  private prefixed(value: string, plus: number): void {
    let ascii = true;
    for (let k = 0; k < value.length && ascii; k++) ascii = value.charCodeAt(k) < 0x80;
    if (ascii) {
      this.count(value.length + plus);
      this.text(value);
      return;
    }
    const encoded = encoder.encode(value);
    this.count(encoded.length + plus);
    this.ensure(encoded.length);
    this.buffer.set(encoded, this.length);
    this.length += encoded.length;
  }

  /** A copy of exactly the bytes written. */
  bytes(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  /**
   * The bytes written, as a view of the buffer rather than a copy, for a writer that is done:
   * at the end of a run of ten million rows the copy would take a second.
   */
  taken(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }
}

/**
 * A copy of `array` in a SharedArrayBuffer: a column posted to another thread is then shared,
 * not copied nor moved, so the results worker sorts the very bytes the server pages from.
 */
export function sharedCopy<A extends Column>(array: A): A {
  const copy = sharedArray(array.constructor as ColumnType<A>, array.length);
  copy.set(array);
  return copy;
}

/** `array` itself when its memory is shared already, else `sharedCopy(array)`. */
export function shared<A extends Column>(array: A): A {
  return array.buffer instanceof SharedArrayBuffer ? array : sharedCopy(array);
}

export class ByteReader {
  constructor(
    private readonly buffer: Uint8Array,
    public at: number,
  ) {}

  count(): number {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = this.buffer[this.at++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
      shift += 7;
    }
  }

  private bytes(length: number): string {
    const text = decoder.decode(this.buffer.subarray(this.at, this.at + length));
    this.at += length;
    return text;
  }

  string(): string {
    return this.bytes(this.count());
  }

  optionalString(): string | null {
    const length = this.count();
    return length === 0 ? null : this.bytes(length - 1);
  }
}

export function startOf(column: TextColumn, i: number): number {
  return i === 0 ? 0 : column.ends[i - 1]!;
}

export function textAt(column: TextColumn, i: number): string {
  return decoder.decode(column.bytes.subarray(startOf(column, i), column.ends[i]));
}

export function isAscii(bytes: Uint8Array): boolean {
  for (let k = 0; k < bytes.length; k++) if (bytes[k]! >= 0x80) return false;
  return true;
}

/**
 * The column lower-cased, for searches: the column itself when it has no capital and no
 * byte outside ASCII (emails, lead ids: the usual case), else a copy (row by row where
 * lower-casing may change the length).
 */
export function lowerCased(column: TextColumn, checkpoint: () => void = () => {}): TextColumn {
  const { bytes } = column;
  let upper = false;
  let ascii = true;
  for (let k = 0; k < bytes.length; k++) {
    if ((k & 0xfffff) === 0) checkpoint();
    const b = bytes[k]!;
    if (b >= 0x80) {
      ascii = false;
      break;
    }
    if (b >= 65 && b <= 90) upper = true;
  }
  if (ascii && !upper) return column;
  if (ascii) {
    const lower = new Uint8Array(bytes.length);
    for (let k = 0; k < bytes.length; k++) {
      if ((k & 0xfffff) === 0) checkpoint();
      const b = bytes[k]!;
      lower[k] = b >= 65 && b <= 90 ? b + 32 : b;
    }
    return { bytes: lower, ends: column.ends };
  }
  const writer = new ByteWriter();
  const ends = new Uint32Array(column.ends.length);
  for (let i = 0; i < ends.length; i++) {
    if ((i & 0xffff) === 0) checkpoint();
    writer.text(textAt(column, i).toLowerCase());
    ends[i] = writer.length;
  }
  return { bytes: writer.bytes(), ends };
}

/** Sets `hits[i] = 1` for every row whose text holds `needle` (UTF-8). */
export function markRowsContaining(
  column: TextColumn,
  needle: Uint8Array,
  hits: Uint8Array,
  checkpoint: () => void = () => {},
): void {
  if (!needle.length) return;
  let found = 0;
  const haystack = Buffer.from(column.bytes.buffer, column.bytes.byteOffset, column.bytes.length);
  const { ends } = column;
  let row = 0;
  let from = 0;
  for (;;) {
    if ((++found & 0xffff) === 0) checkpoint();
    const at = haystack.indexOf(needle, from);
    if (at < 0) return;
    // The row holding byte `at`: the first whose end is past it (hits only move forward).
    let lo = row;
    let hi = ends.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ends[mid]! > at) hi = mid;
      else lo = mid + 1;
    }
    row = lo;
    if (at + needle.length <= ends[row]!) {
      hits[row] = 1;
      from = ends[row]!;
      row++;
      if (row >= ends.length) return;
    } else {
      from = at + 1;
    }
  }
}

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}
