// The server-side page index of the results view on 100,000 generated outcomes: filter, search,
// sort, offsets, totals, stability of ties, 1-based lines, and agreement with the in-memory
// reference (tableModel's visibleRows) on every filter and sort.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { visibleRows } from '../../client/webview/tableModel';
import {
  ACTION_FILTERS,
  type OutcomeQuery,
  SORT_KEYS,
  pageRangeText,
  sanitizeQuery,
} from '../../common/outcomePages';
import type { ProfileOutcome, SimulationAction } from '../../common/simulationReport';
import { OutcomeIndex } from '../../server/src/lsp/outcomeIndex';
import { SimulationStore } from '../../server/src/lsp/simulationStore';
import { resultOf } from '../fixtures/simulation/resultOf';

const ACTIONS: readonly SimulationAction[] = [
  'create',
  'update',
  'addToList',
  'skip',
  'removeFromList',
];
const N = 100_000;

/** Actions cycle; every 7th has no lead id, every 11th a warning, a few carry searchable values. */
function manyOutcomes(count = N): ProfileOutcome[] {
  return Array.from({ length: count }, (_, index) => {
    const action = ACTIONS[index % ACTIONS.length]!;
    return {
      index,
      dedupeValue: index % 13 === 0 ? null : `person${index}@Example.com`,
      action,
      leadId: index % 7 === 0 || action === 'create' ? null : String(1_000 + (index % 500)),
      partition: index % 3 === 0 ? 'EMEA' : 'Default',
      lists: action === 'skip' || action === 'removeFromList' ? [] : ['aud-Spring'],
      changes: index % 5 === 0 ? [{ field: 'jobTitle', from: 'A', to: 'B' }] : [],
      otherMatches: [],
      reason: action === 'skip' ? (index % 2 ? 'No matching lead' : 'no value') : null,
      line: index + 2,
      warnings: index % 11 === 0 ? [`duplicate ${index}`] : [],
      ...(action === 'removeFromList' ? { removeFromLists: ['aud-Old'] } : {}),
    };
  });
}

const outcomes = manyOutcomes();
const index = new OutcomeIndex('run', outcomes);
const query = (
  filter: OutcomeQuery['filter'],
  column: OutcomeQuery['sort']['column'] = 'index',
  direction: 'asc' | 'desc' = 'asc',
): OutcomeQuery => ({
  filter,
  sort: { column, direction },
});

describe('OutcomeIndex pages', () => {
  test('pages through every outcome in file order, with totals and clamped offsets', () => {
    const first = index.page(query({}), 0, 100);
    assert.deepEqual(
      [first.offset, first.total, first.matching, first.rows.length],
      [0, N, N, 100],
    );
    assert.equal(first.runId, 'run');
    assert.deepEqual(
      first.rows.slice(0, 3).map((o) => o.line),
      [2, 3, 4],
      '1-based file lines',
    );
    const last = index.page(query({}), N - 40, 100);
    assert.deepEqual([last.offset, last.rows.length, last.rows.at(-1)!.index], [N - 40, 40, N - 1]);
    const past = index.page(query({}), N + 5, 100);
    assert.deepEqual([past.offset, past.rows.length, past.matching], [N, 0, N]);
    assert.equal(index.page(query({}), -3, 2).offset, 0);
    assert.equal(index.page(query({}), 0, 0).rows.length, 0);
  });

  test('filters by action, by lists, by warnings, and searches case-insensitively', () => {
    assert.equal(index.page(query({ outcome: 'skip' }), 0, 10).matching, N / 5);
    const lists = index.page(query({ outcome: 'addToList' }), 0, 10);
    assert.equal(lists.matching, (N * 3) / 5, 'every row that adds to a list');
    assert.equal(index.page(query({ outcome: 'removeFromList' }), 0, 1).matching, N / 5);
    const warned = index.page(query({ warningsOnly: true }), 0, 1000);
    assert.equal(warned.matching, Math.ceil(N / 11));
    assert.ok(warned.rows.every((o) => o.warnings.length > 0));
    const found = index.page(query({ search: '  PERSON4242@EXAMPLE.COM ' }), 0, 10);
    assert.deepEqual(
      found.rows.map((o) => o.index),
      [4242],
    );
    const both = index.page(
      query({ outcome: 'update', search: 'emea', warningsOnly: true }),
      0,
      1000,
    );
    assert.ok(both.matching > 0);
    assert.ok(
      both.rows.every((o) => o.action === 'update' && o.partition === 'EMEA' && o.warnings.length),
    );
    const none = index.page(query({ search: 'nobody' }), 0, 10);
    assert.deepEqual([none.matching, none.total, none.rows.length], [0, N, 0]);
  });

  test('sorts stably: ties keep file order in both directions, nulls last', () => {
    for (const direction of ['asc', 'desc'] as const) {
      const order = index.order('leadId', direction);
      assert.equal(order.length, N);
      let firstNull = -1;
      for (let k = 1; k < N; k++) {
        const a = outcomes[order[k - 1]!]!;
        const b = outcomes[order[k]!]!;
        if (b.leadId === null && firstNull < 0) firstNull = k;
        if (a.leadId === b.leadId) assert.ok(a.index < b.index, `${direction} tie at ${k}`);
        else if (a.leadId !== null && b.leadId !== null) {
          const sign = direction === 'asc' ? 1 : -1;
          assert.ok(sign * (Number(a.leadId) - Number(b.leadId)) < 0, `${direction} at ${k}`);
        }
      }
      assert.ok(firstNull > 0);
      for (let k = firstNull; k < N; k++) assert.equal(outcomes[order[k]!]!.leadId, null);
    }
    const desc = index.page(query({}, 'dedupeValue', 'desc'), 0, 2);
    assert.deepEqual(
      desc.rows.map((o) => o.dedupeValue),
      ['person99999@Example.com', 'person99998@Example.com'],
    );
  });

  test('builds each order once and keeps the last filter, so paging reuses them', () => {
    const fresh = new OutcomeIndex('r', outcomes);
    const q = query({ outcome: 'update' }, 'reason', 'desc');
    const rows = fresh.matching(q);
    assert.equal(fresh.matching(sanitizeQuery(q)), rows);
    assert.equal(fresh.order('reason', 'desc'), fresh.order('reason', 'desc'));
  });

  test('agrees with the in-memory reference on every filter and sort', () => {
    const sample = outcomes.slice(0, 5000);
    const small = new OutcomeIndex('s', sample);
    for (const action of ACTION_FILTERS) {
      for (const sortKey of SORT_KEYS) {
        for (const sortDirection of ['asc', 'desc'] as const) {
          for (const search of ['', 'emea', 'person12']) {
            const expected = visibleRows(sample, { action, search, sortKey, sortDirection });
            const actual = small.matching(
              query({ outcome: action, search }, sortKey, sortDirection),
            );
            assert.deepEqual(
              Array.from(actual),
              expected,
              `${action} ${search} ${sortKey} ${sortDirection}`,
            );
          }
        }
      }
    }
  });

  test('pageRangeText names the rows shown, the matching and the total', () => {
    assert.equal(pageRangeText(0, 100, N, N), '1–100 of 100,000 profiles');
    assert.equal(pageRangeText(100, 20, 120, N), '101–120 of 120 matching (of 100,000) profiles');
    assert.equal(pageRangeText(0, 0, 0, N), 'none of 100,000 profiles match');
    assert.equal(pageRangeText(0, 0, 0, 0), 'no profiles');
  });
});

describe('SimulationStore', () => {
  test('holds one run per config: a re-run replaces it, drop forgets it', () => {
    const store = new SimulationStore();
    const result = resultOf(outcomes.slice(0, 1), { summary: { skip: 1 } });
    const a = store.keep('file:///a', result);
    assert.equal(store.get('file:///a', a.runId)?.index, a);
    const b = store.keep('file:///a', result);
    assert.equal(store.get('file:///a', a.runId), undefined);
    assert.equal(store.size, 1);
    assert.equal(store.get('file:///b', b.runId), undefined);
    store.drop('file:///a');
    assert.equal(store.size, 0);
  });
});
