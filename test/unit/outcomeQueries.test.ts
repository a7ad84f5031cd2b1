// The results view's queries through the query worker (server/src/lsp/outcomeQueries.ts): the
// worker's answers equal the index's on the main thread; while the worker is held in a sort
// (a gate the test opens, no clock), pages of the file order and of answered queries are still
// answered; a newer query supersedes the held one, which stops rather than finishing; a run
// disposed answers `closed`.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { OutcomeQuery } from '../../common/outcomePages';
import type { ProfileOutcome, SimulationAction } from '../../common/simulationReport';
import { OutcomeIndex } from '../../server/src/lsp/outcomeIndex';
import { OutcomeQueries, type PageAnswer } from '../../server/src/lsp/outcomeQueries';
import { columnsOf } from '../../server/src/lsp/simulationColumns';
import { SimulationStore } from '../../server/src/lsp/simulationStore';
import { resultOf } from '../fixtures/simulation/resultOf';

const ACTIONS: readonly SimulationAction[] = ['create', 'update', 'skip', 'addToList'];

function outcomes(count: number): ProfileOutcome[] {
  return Array.from({ length: count }, (_, index) => ({
    index,
    dedupeValue: index % 9 === 0 ? null : `Person${(index * 7919) % 1000}@Example.com`,
    action: ACTIONS[index % ACTIONS.length]!,
    leadId: index % 5 === 0 ? null : String((index * 31) % 700),
    partition: index % 3 ? 'Default' : 'EMEA',
    lists: index % 2 ? ['seg-a'] : [],
    changes: [],
    otherMatches: [],
    reason: null,
    line: index + 2,
    warnings: index % 11 ? [] : ['w'],
  }));
}

const OUTCOMES = outcomes(3000);
const reference = new OutcomeIndex('ref', OUTCOMES);
const query = (
  column: OutcomeQuery['sort']['column'],
  direction: 'asc' | 'desc' = 'asc',
  filter: OutcomeQuery['filter'] = {},
): OutcomeQuery => ({ filter, sort: { column, direction } });

const indexes = (answer: PageAnswer): number[] => {
  assert.equal(answer.kind, 'page');
  return answer.kind === 'page' ? answer.page.rows.map((o) => o.index) : [];
};

const open: OutcomeQueries[] = [];
function queries(options: ConstructorParameters<typeof OutcomeQueries>[2] = {}): OutcomeQueries {
  const made = new OutcomeQueries('run', columnsOf(OUTCOMES), { inlineBelow: 0, ...options });
  open.push(made);
  return made;
}
after(() => open.forEach((q) => q.dispose()));

describe('OutcomeQueries (the query worker)', () => {
  test('answers every sort, filter and search as the index does on the main thread', async () => {
    const q = queries();
    const cases = [
      query('dedupeValue'),
      query('dedupeValue', 'desc'),
      query('leadId', 'desc'),
      query('partition'),
      query('action', 'desc', { outcome: 'update' }),
      query('dedupeValue', 'asc', { search: 'PERSON12', warningsOnly: true }),
      query('changes', 'asc', { outcome: 'addToList' }),
    ];
    for (const c of cases) {
      for (const offset of [0, 1200]) {
        const expected = reference.page(c, offset, 100);
        const answer = await q.page(c, offset, 100);
        assert.deepEqual(
          indexes(answer),
          expected.rows.map((o) => o.index),
          JSON.stringify(c),
        );
        assert.equal(answer.kind === 'page' && answer.page.matching, expected.matching);
      }
    }
  });

  test('keeps answering while a sort runs; a newer query supersedes it', async () => {
    const gate = new Int32Array(new SharedArrayBuffer(8));
    gate[1] = 1;
    const replies: string[] = [];
    let held: () => void = () => {};
    const q = queries({ gate, onReply: (type) => replies.push(type), onHolding: () => held() });
    // An answered query first: its pages then come from the main thread.
    const byAction = query('action');
    const firstRows = reference.page(byAction, 0, 5).rows.map((o) => o.index);
    assert.deepEqual(indexes(await q.page(byAction, 0, 5)), firstRows);
    // Close the gate: the next query's worker waits at its first checkpoint.
    Atomics.store(gate, 1, 0);
    const holding = new Promise<void>((resolve) => (held = resolve));
    const slow = q.page(query('dedupeValue'), 0, 10);
    await holding;
    // The worker is busy: the file order and the answered order are still served.
    assert.deepEqual(indexes(await q.page(query('index'), 100, 3)), [100, 101, 102]);
    const later = reference.page(byAction, 200, 3).rows.map((o) => o.index);
    assert.deepEqual(indexes(await q.page(byAction, 200, 3)), later);
    // A newer sort: the held one answers `superseded` at once.
    const newer = q.page(query('leadId', 'desc'), 0, 10);
    assert.deepEqual(await slow, { kind: 'superseded' });
    Atomics.store(gate, 1, 1);
    Atomics.notify(gate, 1);
    const expected = reference.page(query('leadId', 'desc'), 0, 10).rows.map((o) => o.index);
    assert.deepEqual(indexes(await newer), expected);
    // The held sort stopped at its checkpoint rather than finishing.
    assert.deepEqual(
      replies.filter((r) => r !== 'holding'),
      ['rows', 'superseded', 'rows'],
    );
  });

  test('the same query while it runs waits for the one answer', async () => {
    const replies: string[] = [];
    const q = queries({ onReply: (type) => replies.push(type) });
    const [a, b] = await Promise.all([
      q.page(query('dedupeValue', 'desc'), 0, 4),
      q.page(query('dedupeValue', 'desc'), 4, 4),
    ]);
    const expected = reference.page(query('dedupeValue', 'desc'), 0, 8).rows.map((o) => o.index);
    assert.deepEqual([...indexes(a), ...indexes(b)], expected);
    assert.deepEqual(replies, ['rows']);
  });

  test('a run dropped or replaced ends its worker: its queries answer closed', async () => {
    const gate = new Int32Array(new SharedArrayBuffer(8));
    let held: () => void = () => {};
    const holding = new Promise<void>((resolve) => (held = resolve));
    const store = new SimulationStore({ inlineBelow: 0, gate, onHolding: () => held() });
    const result = resultOf(OUTCOMES);
    const first = store.keep('file:///a.json', result);
    const pending = first.page(query('dedupeValue'), 0, 10);
    await holding;
    const second = store.keep('file:///a.json', result);
    assert.deepEqual(await pending, { kind: 'closed' });
    assert.deepEqual(await first.page(query('index'), 0, 1), { kind: 'closed' });
    assert.deepEqual(indexes(await second.page(query('index'), 0, 2)), [0, 1]);
    store.dropRun('file:///a.json', first.runId);
    assert.equal(store.size, 1, 'a panel of an older run closing keeps the newer run');
    store.dropRun('file:///a.json', second.runId);
    assert.equal(store.size, 0);
    assert.deepEqual(await second.page(query('index'), 0, 1), { kind: 'closed' });
  });
});
