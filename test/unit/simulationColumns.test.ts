// The outcomes as the server keeps them (server/src/lsp/simulationColumns.ts): every outcome
// comes back as it went in, across a real transfer between threads; the overview counted from
// the columns is the one counted from the objects; searches see capitals and non-ASCII text.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { compareText } from '../../common/outcomePages';
import { overviewOf } from '../../common/simulationOverview';
import type { ProfileOutcome } from '../../common/simulationReport';
import { OutcomeIndex } from '../../server/src/lsp/outcomeIndex';
import {
  type OutcomeColumns,
  NO_LEAD,
  OutcomeColumnsBuilder,
  allOutcomes,
  columnarOverview,
  columnarResult,
  columnsOf,
  transferList,
} from '../../server/src/lsp/simulationColumns';
import { resultOf } from '../fixtures/simulation/resultOf';

function outcome(index: number, extra: Partial<ProfileOutcome> = {}): ProfileOutcome {
  return {
    index,
    dedupeValue: `p${index}@example.com`,
    action: 'update',
    leadId: String(100 + index),
    partition: 'Default',
    lists: ['seg-a'],
    changes: [],
    otherMatches: [],
    reason: null,
    line: index + 2,
    warnings: [],
    ...extra,
  };
}

const OUTCOMES: ProfileOutcome[] = [
  outcome(0),
  outcome(1, {
    dedupeValue: 'Zoë.Ørsted@Exämple.com',
    changes: [
      { field: 'lastName', from: 'Ørsted', to: 'Örsted' },
      { field: 'title', from: null, to: 'CTO — 技術' },
    ],
    otherMatches: [{ leadId: '7', partition: 'APAC', updatedAt: null }],
    warnings: ['2 leads match "zoë"', 'x'.repeat(300)],
  }),
  outcome(2, {
    action: 'skip',
    dedupeValue: null,
    leadId: null,
    partition: null,
    lists: [],
    reason: 'no value for the dedupe field (source identityMap.Email)',
  }),
  outcome(3, { action: 'create', leadId: null, partition: 'EMEA', lists: ['seg-a', 'seg-b'] }),
  outcome(4, { action: 'removeFromList', lists: [], removeFromLists: ['seg-old'] }),
  outcome(5, { action: 'addToList', removeFromLists: [] }),
  outcome(6, { line: 70_000, index: 6, leadId: '' }),
];

/** The columns after a postMessage that transfers their buffers, as the worker sends them. */
function transferred(columns: OutcomeColumns): OutcomeColumns {
  const { port1, port2 } = new MessageChannel();
  port1.postMessage(columns, transferList(columns));
  const received = receiveMessageOnPort(port2)?.message as OutcomeColumns;
  port1.close();
  port2.close();
  return received;
}

describe('outcome columns', () => {
  test('give back every outcome as it was, after a transfer between threads', () => {
    const columns = columnsOf(OUTCOMES);
    const moved = transferred(columns);
    assert.deepEqual(allOutcomes(moved), OUTCOMES);
    // Shared, not copied: a byte changed on one side is seen on the other.
    moved.flags[0] = moved.flags[0]! ^ NO_LEAD;
    assert.equal(columns.flags[0], moved.flags[0], 'the flags are shared');
    moved.dedupe.bytes[0] = 0x5a;
    assert.equal(columns.dedupe.bytes[0], 0x5a, 'the text bytes are shared');
  });

  test('moves the buffers that are not shared', () => {
    const columns = columnsOf(OUTCOMES);
    const own = {
      ...columns,
      details: { ...columns.details, bytes: columns.details.bytes.slice() },
    };
    const moved = transferred(own);
    assert.equal(own.details.bytes.byteLength, 0, 'moved, not copied');
    assert.deepEqual(allOutcomes(moved), OUTCOMES);
  });

  test('grow past their first capacity', () => {
    const builder = new OutcomeColumnsBuilder(1);
    const many = Array.from({ length: 5000 }, (_, i) =>
      outcome(i, { warnings: i % 3 ? [] : [`w${i}`] }),
    );
    for (const o of many) builder.add(o);
    assert.deepEqual(allOutcomes(builder.finish()), many);
  });

  test('count the overview the objects would give', () => {
    const result = resultOf(OUTCOMES, { warnings: ['w'] });
    assert.deepEqual(columnarOverview(columnarResult(result)), overviewOf(result));
    const skipped = resultOf(
      [
        OUTCOMES[2]!,
        { ...OUTCOMES[2]!, index: 1, reason: 'not a member of any audience of this destination' },
        { ...OUTCOMES[2]!, index: 2, reason: null },
        { ...OUTCOMES[2]!, index: 3 },
      ],
      { warnings: ['w'] },
    );
    const overview = columnarOverview(columnarResult(skipped));
    assert.match(overview.allSkippedBecause ?? '', /dedupe source column identityMap\.Email/);
    assert.deepEqual(overview, overviewOf(skipped));
  });

  test('pages outcomes not in file order by their index (the engine order is not assumed)', () => {
    const shuffled = [outcome(5), outcome(1), outcome(9), outcome(3)];
    const index = new OutcomeIndex('r', shuffled);
    assert.equal(index.columns.inFileOrder, false);
    const page = (direction: 'asc' | 'desc'): number[] =>
      index
        .page({ filter: {}, sort: { column: 'index', direction } }, 0, 10)
        .rows.map((o) => o.index);
    assert.deepEqual(page('asc'), [1, 3, 5, 9]);
    assert.deepEqual(page('desc'), [9, 5, 3, 1]);
    const inOrder = new OutcomeIndex('s', OUTCOMES);
    assert.equal(inOrder.columns.inFileOrder, true);
    const last = inOrder.page({ filter: {}, sort: { column: 'index', direction: 'desc' } }, 5, 10);
    assert.deepEqual([last.matching, last.offset, last.rows.map((o) => o.index)], [7, 5, [1, 0]]);
  });

  test('search ignores case in and outside ASCII, in every searched column', () => {
    const index = new OutcomeIndex('r', OUTCOMES);
    const found = (search: string): number[] =>
      Array.from(
        index.matching({ filter: { search }, sort: { column: 'index', direction: 'asc' } }),
      );
    assert.deepEqual(found('ZOË.ØRSTED'), [1]);
    assert.deepEqual(found('exämple'), [1]);
    assert.deepEqual(found('P3@EXAMPLE'), [3]);
    assert.deepEqual(found('emea'), [3]);
    assert.deepEqual(found('seg-b'), [3]);
    assert.deepEqual(found('SEG-OLD'), [4]);
    assert.deepEqual(found('title'), [1], 'a changed field');
    assert.deepEqual(found('identitymap'), [2], 'a reason');
    assert.deepEqual(found('105'), [5], 'a lead id');
    assert.deepEqual(found('.com'), [0, 1, 3, 4, 5, 6]);
    assert.deepEqual(found('cto'), [], 'a change value is not searched');
  });
});

describe('compareText', () => {
  test('orders case-insensitively, digit runs by value', () => {
    const sorted = ['lead 10', 'Lead 9', 'lead 010b', 'alpha', 'Beta', 'lead 10a'].sort(
      compareText,
    );
    assert.deepEqual(sorted, ['alpha', 'Beta', 'Lead 9', 'lead 10', 'lead 10a', 'lead 010b']);
    assert.equal(compareText('ABC', 'abc'), 0);
    assert.equal(compareText('007', '7'), 0);
    assert.ok(compareText('a', 'ab') < 0);
    assert.ok(compareText('é', 'f') > 0, 'outside ASCII by code unit, after the letters');
  });

  test("the index's radix sort of a text column gives compareText's order, stably", () => {
    // Values built from pieces that meet at every rule: case, digit runs and leading zeros,
    // prefixes, characters outside ASCII (one, two and three UTF-8 bytes), duplicates.
    const all = ['a', 'A', 'b', '0', '007', '7', '10', '9', '.', '@', 'é', 'É', 'ß', '技', 'z'];
    // Only ASCII, then not: the index reads ASCII keys from the bytes, the others from strings.
    for (const pieces of [all.filter((p) => /^[ -~]*$/.test(p)), all]) {
      let seed = 12345;
      const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648);
      const values = Array.from({ length: 3000 }, () =>
        Array.from({ length: next() % 5 }, () => pieces[next() % pieces.length]).join(''),
      );
      const outcomes = values.map((dedupeValue, i) =>
        outcome(i, { dedupeValue: i % 17 === 0 ? null : dedupeValue }),
      );
      const index = new OutcomeIndex('r', outcomes);
      for (const direction of ['asc', 'desc'] as const) {
        const sign = direction === 'asc' ? 1 : -1;
        const expected = outcomes
          .map((_, i) => i)
          .sort((a, b) => {
            const va = outcomes[a]!.dedupeValue;
            const vb = outcomes[b]!.dedupeValue;
            if (va === null || vb === null) return va === vb ? a - b : va === null ? 1 : -1;
            return sign * compareText(va, vb) || a - b;
          });
        assert.deepEqual(Array.from(index.order('dedupeValue', direction)), expected, direction);
      }
    }
  });
});
