// The text columns' sort (server/src/lsp/simulationTextSort.ts, simulationKeySort.ts) against
// compareText on generated columns: long shared prefixes (segments sorted eight key bytes at a
// time, several levels deep), ties, digit runs with leading zeros, case, characters outside
// ASCII, control characters, empty values and rows without a value (last in both directions).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compareText } from '../../common/outcomePages';
import { ByteWriter, type TextColumn } from '../../server/src/lsp/simulationBytes';
import { textOrder } from '../../server/src/lsp/simulationTextSort';

function columnOf(values: readonly (string | null)[]): TextColumn {
  const writer = new ByteWriter();
  const ends = new Uint32Array(values.length);
  values.forEach((value, i) => {
    if (value !== null) writer.text(value);
    ends[i] = writer.length;
  });
  return { bytes: writer.bytes(), ends };
}

/** compareText's order, stably, the rows without a value last in file order. */
function expectedOrder(values: readonly (string | null)[], direction: 'asc' | 'desc'): number[] {
  const sign = direction === 'asc' ? 1 : -1;
  const rows = values.map((_, i) => i);
  const present = rows.filter((i) => values[i] !== null);
  present.sort((a, b) => sign * compareText(values[a]!, values[b]!) || a - b);
  return [...present, ...rows.filter((i) => values[i] === null)];
}

function check(values: readonly (string | null)[], what: string): void {
  const column = columnOf(values);
  for (const direction of ['asc', 'desc'] as const) {
    const order = Array.from(textOrder(column, (i) => values[i] === null, direction));
    const expected = expectedOrder(values, direction);
    const at = order.findIndex((row, k) => row !== expected[k]);
    assert.equal(
      at,
      -1,
      `${what} ${direction} at ${at}: ${JSON.stringify(values[order[at]!])}, expected ${JSON.stringify(values[expected[at]!])}`,
    );
  }
}

function generator(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
}

const PIECES = ['a', 'B', 'z', '0', '00', '007', '7', '10', '9', '.', '@', '-', ' ', 'é', 'É', 'ß'];
const WIDE = ['技', '😀', 'İ', 'K', '\u0000', '\u0001', '\u0002', 'Ω'];

describe('text column sort', () => {
  test('orders as compareText: long shared prefixes, ties, digits, empty and missing values', () => {
    const next = generator(99);
    const prefixes = ['', 'person.', 'person.andersson.', 'PERSON.ANDERSSON.0000'];
    const values = Array.from({ length: 6000 }, (_, i): string | null => {
      if (i % 13 === 0) return null;
      if (i % 17 === 0) return '';
      const prefix = prefixes[next(prefixes.length)]!;
      const tail = Array.from({ length: next(6) }, () => PIECES[next(PIECES.length)]).join('');
      return `${prefix}${tail}${next(4) === 0 ? '@example.com' : ''}`;
    });
    check(values, 'ASCII and Latin-1');
  });

  test('orders values outside the Basic Multilingual Plane and control characters', () => {
    const next = generator(7);
    const pieces = [...PIECES, ...WIDE];
    const values = Array.from({ length: 4000 }, (_, i): string | null =>
      i % 29 === 0
        ? null
        : 'shared-prefix-' +
          Array.from({ length: next(7) }, () => pieces[next(pieces.length)]).join(''),
    );
    check(values, 'wide');
  });

  test('keeps the file order of equal values (case and leading zeros) in both directions', () => {
    const values = Array.from(
      { length: 500 },
      (_, i) => [`Lead 007-${i % 3}`, `lead 7-${i % 3}`, `LEAD 0007-${i % 3}`][i % 3]!,
    );
    check(values, 'ties');
    check(['', null, '', 'a', null, ''], 'empties');
    check([], 'no rows');
  });

  test('tells a value from a longer one that shares its first eight key bytes', () => {
    // A zero digit run or a NUL at the eighth key byte, then more: never a tie of whole keys.
    const ends = ['abcdef0', 'abcdef0g', 'abcdef00', 'abcdef0a', 'abcdefg\u0000', 'abcdefg\u0000x'];
    const values = Array.from({ length: 600 }, (_, i) => ends[(i * 5) % ends.length]!);
    check(values, 'eighth byte');
  });

  test('orders digit-only lead ids by value, one digit run of any length', () => {
    const next = generator(3);
    const values = Array.from({ length: 5000 }, () =>
      String(next(100_000_000)).padStart(next(3) * 4, '0'),
    );
    check(values, 'lead ids');
  });
});
