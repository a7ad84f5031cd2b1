import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_VIEW_STATE,
  SearchIndex,
  filterRows,
  moveRow,
  noMatchText,
  pageOffset,
  queryOf,
  rowWindow,
  sanitizeViewState,
  scrollToShow,
  searchText,
  sortRows,
  visibleRows,
} from '../../client/webview/tableModel';
import type { ProfileOutcome, SimulationAction } from '../../common/simulationReport';
import { UPDATES_BY_LEAD_ID } from '../fixtures/largeInputs';

const ACTIONS: readonly SimulationAction[] = ['create', 'update', 'addToList', 'skip'];
const N = 100_000;

/** 100,000 outcomes: actions cycle, every 7th has no lead id, a few carry searchable values. */
function manyOutcomes(count = N): ProfileOutcome[] {
  return Array.from({ length: count }, (_, index) => {
    const action = ACTIONS[index % ACTIONS.length]!;
    return {
      index,
      dedupeValue: `person${index}@Example.com`,
      action,
      leadId: index % 7 === 0 || action === 'create' ? null : String(1_000_000 - index),
      partition: index % 3 === 0 ? 'EMEA' : 'Default',
      lists: action === 'skip' ? [] : ['aud-Spring'],
      changes:
        index % 5 === 0
          ? [
              { field: 'firstName', from: null, to: 'Ann' },
              { field: 'jobTitle', from: 'A', to: 'B' },
            ]
          : [],
      otherMatches: [],
      reason: action === 'skip' ? 'No matching lead (update existing only)' : null,
      line: index + 2,
      warnings: [],
    };
  });
}

const outcomes = manyOutcomes();

describe('rowWindow', () => {
  const rowHeight = 26;
  const viewport = 600;
  const overscan = 8;
  const inView = Math.ceil(viewport / rowHeight) + 1;

  test('renders at most the rows in view plus the overscan, for any scroll offset', () => {
    const offsets = [-50, 0, 13, 26 * 500, 1_234_567, 26 * (N - 10), 26 * N, 10 ** 9];
    for (const scrollTop of offsets) {
      const w = rowWindow(scrollTop, viewport, rowHeight, N, overscan);
      assert.ok(w.end - w.start <= inView + 2 * overscan, `window at ${scrollTop}`);
      assert.ok(w.end - w.start > 0);
      assert.ok(w.start >= 0 && w.end <= N);
      assert.equal(w.offsetTop, w.start * rowHeight);
      assert.equal(w.totalHeight, N * rowHeight);
      // the rows actually in view are all inside the window
      const top = Math.min(Math.max(0, scrollTop), N * rowHeight - viewport);
      const first = Math.floor(top / rowHeight);
      const last = Math.min(N - 1, Math.floor((top + viewport - 1) / rowHeight));
      assert.ok(w.start <= first && last < w.end, `rows ${first}..${last} in ${w.start}..${w.end}`);
    }
  });

  test('clamps at both ends and handles short and empty lists', () => {
    assert.equal(rowWindow(0, viewport, rowHeight, N, overscan).start, 0);
    assert.equal(rowWindow(10 ** 9, viewport, rowHeight, N, overscan).end, N);
    assert.deepEqual(rowWindow(0, viewport, rowHeight, 5, overscan), {
      start: 0,
      end: 5,
      offsetTop: 0,
      totalHeight: 130,
    });
    assert.deepEqual(rowWindow(400, viewport, rowHeight, 0, overscan), {
      start: 0,
      end: 0,
      offsetTop: 0,
      totalHeight: 0,
    });
  });

  test('a hidden (zero-height) viewport still renders only a handful of rows', () => {
    const w = rowWindow(0, 0, rowHeight, N, overscan);
    assert.ok(w.end - w.start <= 1 + overscan + 1);
  });
});

describe('scrollToShow and moveRow', () => {
  test('scrollToShow scrolls only when the row is out of view', () => {
    assert.equal(scrollToShow(10, 0, 260, 26), 26);
    assert.equal(scrollToShow(5, 0, 260, 26), 0);
    assert.equal(scrollToShow(2, 260, 260, 26), 52);
    assert.equal(scrollToShow(50, 0, 260, 26), 26 * 51 - 260);
  });

  test('moveRow moves and clamps', () => {
    assert.equal(moveRow(-1, 'down', 10, 5), 0);
    assert.equal(moveRow(-1, 'up', 10, 5), 0);
    assert.equal(moveRow(0, 'up', 10, 5), 0);
    assert.equal(moveRow(3, 'down', 10, 5), 4);
    assert.equal(moveRow(9, 'down', 10, 5), 9);
    assert.equal(moveRow(3, 'pageDown', 10, 5), 8);
    assert.equal(moveRow(8, 'pageDown', 10, 5), 9);
    assert.equal(moveRow(3, 'pageUp', 10, 5), 0);
    assert.equal(moveRow(5, 'home', 10, 5), 0);
    assert.equal(moveRow(5, 'end', 10, 5), 9);
    assert.equal(moveRow(0, 'down', 0, 5), -1);
  });
});

describe('filterRows and search', () => {
  test('filters by action', () => {
    const rows = filterRows(outcomes, 'skip', '');
    assert.equal(rows.length, N / 4);
    assert.ok(rows.every((position) => outcomes[position]!.action === 'skip'));
    assert.equal(filterRows(outcomes, 'all', '').length, N);
  });

  test('search is case-insensitive and trims', () => {
    const lower = filterRows(outcomes, 'all', 'person4242@example.com');
    const upper = filterRows(outcomes, 'all', '  PERSON4242@EXAMPLE.COM ');
    assert.deepEqual(lower, [4242]);
    assert.deepEqual(upper, [4242]);
  });

  test('search looks in lead id, partition, reason, lists and changed fields', () => {
    const index = new SearchIndex(outcomes);
    assert.deepEqual(filterRows(outcomes, 'all', String(1_000_000 - 4243), index), [4243]);
    assert.equal(filterRows(outcomes, 'all', 'emea', index).length, Math.ceil(N / 3));
    assert.equal(filterRows(outcomes, 'all', 'UPDATE EXISTING ONLY', index).length, N / 4);
    assert.equal(filterRows(outcomes, 'all', 'aud-spring', index).length, (N * 3) / 4);
    assert.equal(filterRows(outcomes, 'all', 'JOBTITLE', index).length, N / 5);
    // values of changes are not searched, only the field names
    assert.equal(filterRows(outcomes, 'all', 'Ann', index).length, 0);
  });

  test('action filter and search combine', () => {
    const rows = filterRows(outcomes, 'update', 'emea');
    assert.ok(rows.length > 0);
    assert.ok(
      rows.every((p) => outcomes[p]!.action === 'update' && outcomes[p]!.partition === 'EMEA'),
    );
  });

  test('searchText skips nulls', () => {
    const text = searchText({
      ...outcomes[0]!,
      dedupeValue: null,
      leadId: null,
      partition: null,
      reason: null,
    });
    assert.equal(text.includes('null'), false);
  });
});

describe('sortRows', () => {
  const all = outcomes.map((_, i) => i);

  test('is stable: equal keys keep file order, in both directions', () => {
    for (const direction of ['asc', 'desc'] as const) {
      const sorted = sortRows(outcomes, all, 'action', direction);
      assert.equal(sorted.length, N);
      for (let k = 1; k < sorted.length; k++) {
        const a = outcomes[sorted[k - 1]!]!;
        const b = outcomes[sorted[k]!]!;
        if (a.action === b.action) assert.ok(a.index < b.index, `${direction} at ${k}`);
      }
    }
    const asc = sortRows(outcomes, all, 'action', 'asc').map((p) => outcomes[p]!.action);
    assert.deepEqual([...new Set(asc)], ['addToList', 'create', 'skip', 'update']);
    const desc = sortRows(outcomes, all, 'action', 'desc').map((p) => outcomes[p]!.action);
    assert.deepEqual([...new Set(desc)], ['update', 'skip', 'create', 'addToList']);
  });

  test('sorts numbers numerically and by change count', () => {
    const byIndex = sortRows(outcomes, [10, 2, 100, 1], 'index', 'asc');
    assert.deepEqual(byIndex, [1, 2, 10, 100]);
    assert.deepEqual(sortRows(outcomes, [10, 2, 100, 1], 'index', 'desc'), [100, 10, 2, 1]);
    const byChanges = sortRows(outcomes, all, 'changes', 'desc');
    assert.equal(outcomes[byChanges[0]!]!.changes.length, 2);
    assert.equal(byChanges[0], 0);
    assert.equal(outcomes[byChanges[N - 1]!]!.changes.length, 0);
  });

  test('compares strings numerically-aware ("person2" before "person10")', () => {
    assert.deepEqual(sortRows(outcomes, [10, 2, 1], 'dedupeValue', 'asc'), [1, 2, 10]);
  });

  test('missing values come last in both directions', () => {
    for (const direction of ['asc', 'desc'] as const) {
      const sorted = sortRows(outcomes, all, 'leadId', direction);
      const firstNull = sorted.findIndex((p) => outcomes[p]!.leadId === null);
      assert.ok(firstNull > 0);
      assert.ok(
        sorted.slice(firstNull).every((p) => outcomes[p]!.leadId === null),
        direction,
      );
    }
  });

  test('visibleRows filters, searches and sorts 100,000 rows, making each search text once', () => {
    const state = UPDATES_BY_LEAD_ID;
    const rows = visibleRows(outcomes, state);
    const matching = outcomes.filter(
      (o) => o.action === 'update' && searchText(o).includes('default'),
    );
    assert.ok(rows.length > 0);
    assert.equal(rows.length, matching.length);
    const ids = rows.map((p) => outcomes[p]!.leadId).filter((id): id is string => id !== null);
    for (let k = 1; k < ids.length; k++) assert.ok(Number(ids[k - 1]) >= Number(ids[k]));
    // What keeps a keystroke cheap: the next search reuses the texts the first one made.
    let reads = 0;
    const watched = outcomes.map((o) => ({
      ...o,
      get dedupeValue() {
        reads++;
        return o.dedupeValue;
      },
    }));
    const index = new SearchIndex(watched);
    visibleRows(watched, state, index);
    const afterFirst = reads;
    assert.ok(afterFirst >= N, `${afterFirst} reads for ${N} rows`);
    visibleRows(watched, { ...state, search: 'emea' }, index);
    assert.equal(reads, afterFirst);
  });
});

describe('sanitizeViewState', () => {
  test('falls back to the defaults for anything invalid', () => {
    assert.deepEqual(sanitizeViewState(undefined, 10), DEFAULT_VIEW_STATE);
    assert.deepEqual(sanitizeViewState('x', 10), DEFAULT_VIEW_STATE);
    assert.deepEqual(
      sanitizeViewState(
        {
          action: 'delete',
          search: 5,
          sortKey: 'constructor',
          sortDirection: 'up',
          selected: 10,
          scrollTop: -1,
          openSections: ['__proto__', 7],
        },
        10,
      ),
      DEFAULT_VIEW_STATE,
    );
  });

  test('keeps a valid state', () => {
    const state = {
      action: 'skip',
      search: 'acme',
      warningsOnly: true,
      sortKey: 'reason',
      sortDirection: 'desc',
      offset: 0,
      selected: 9,
      scrollTop: 260,
      openSections: ['plan-section', 'warnings-section'],
    } as const;
    assert.deepEqual(sanitizeViewState(state, 10), state);
    // Known sections only, once each, whatever the stored order.
    assert.deepEqual(
      sanitizeViewState({ openSections: ['warnings-section', 'x', 'inputs-section', 'x'] }, 1)
        .openSections,
      ['inputs-section', 'warnings-section'],
    );
    // An offset is a page boundary inside the run.
    assert.equal(sanitizeViewState({ offset: 250 }, 1000).offset, 200);
    assert.equal(sanitizeViewState({ offset: 2000 }, 1000).offset, 0);
  });
});

describe('pages of the view', () => {
  test('pageOffset moves by pages and clamps to the last one', () => {
    assert.equal(pageOffset(0, 'next', 250), 100);
    assert.equal(pageOffset(200, 'next', 250), 200);
    assert.equal(pageOffset(100, 'prev', 250), 0);
    assert.equal(pageOffset(0, 'prev', 250), 0);
    assert.equal(pageOffset(0, 'last', 250), 200);
    assert.equal(pageOffset(0, 'last', 200), 100);
    assert.equal(pageOffset(0, 'last', 0), 0);
    assert.equal(pageOffset(200, 'first', 250), 0);
  });

  test('queryOf leaves out the filters not set', () => {
    assert.deepEqual(queryOf(DEFAULT_VIEW_STATE), {
      filter: {},
      sort: { column: 'index', direction: 'asc' },
    });
    assert.deepEqual(
      queryOf({ ...DEFAULT_VIEW_STATE, action: 'skip', search: ' x ', warningsOnly: true }),
      {
        filter: { outcome: 'skip', search: ' x ', warningsOnly: true },
        sort: { column: 'index', direction: 'asc' },
      },
    );
  });

  test('noMatchText names the filters that matched nothing', () => {
    assert.equal(
      noMatchText({ ...DEFAULT_VIEW_STATE, action: 'skip', search: ' acme ' }, 'Skip'),
      'No profile matches the action Skip, the search "acme".',
    );
    assert.equal(noMatchText(DEFAULT_VIEW_STATE, ''), 'No profile in this simulation.');
  });
});
