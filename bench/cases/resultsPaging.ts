/**
 * Child: the results view's server side at `--count` outcomes (10,000,000 in the bench). The
 * outcomes are generated (a run of the engines at that size takes minutes and is the
 * simulation suites' subject), shaped as the engines decide them, and go the way a run's do:
 * into the columns, as the worker builds them; moved to another thread by transfer, as the
 * worker posts them; then what the server does at the end of the run before the panel can
 * open (the index, the overview, the first page, the response as JSON), and the requests
 * the view sends: sorts, filters, searches, a page at the end of a sorted order.
 *
 *   --count N   outcomes (default 10,000,000)
 *   --clone 1   also time the structured clone of the outcomes as objects (the old message)
 */
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { DEFAULT_QUERY, type OutcomeQuery, PAGE_ROWS } from '../../common/outcomePages';
import type { ProfileOutcome, SimulationResult } from '../../common/simulationReport';
import { OutcomeIndex } from '../../server/src/lsp/outcomeIndex';
import {
  type ColumnarResult,
  type OutcomeColumns,
  OutcomeColumnsBuilder,
  columnarOverview,
  transferList,
} from '../../server/src/lsp/simulationColumns';
import { args, cpuMs, finish } from '../lib/child';

const opts = args();
const count = Number(opts.count || 10_000_000);

const FIRST = ['ann', 'bob', 'carl', 'dora', 'erik', 'fatima', 'gus', 'hanna', 'ivan', 'jo'];
const LAST = ['andersson', 'berg', 'carlsson', 'dahl', 'ek', 'farah', 'holm', 'lee', 'ng'];
const COMPANIES = ['acme', 'contoso', 'fabrikam', 'northwind', 'tailspin', 'lumen', 'litware'];
const PARTITIONS = ['Default', 'EMEA', 'APAC'];
const TITLES = ['CTO', 'VP Marketing', 'Buyer', 'Head of Sales', 'Director of Operations'];
const ONE_LIST = Object.freeze(['seg-winback']);
const TWO_LISTS = Object.freeze(['seg-winback', 'seg-newsletter']);
const NONE = Object.freeze([]) as readonly never[];
const NOT_A_MEMBER = 'not a member of any audience of this destination';
const NO_VALUE = 'no value for the dedupe field (source identityMap.Email)';

/** Profile `i`: 40% update, 30% create, 20% skip, 5% add to list, 5% remove from list. */
function outcomeOf(i: number): ProfileOutcome {
  const roll = (i * 2654435761) % 20;
  const email = `${FIRST[i % 10]}.${LAST[(i >> 3) % 9]}.${i}@${COMPANIES[i % 7]}.example`;
  const title = TITLES[i % 5]!;
  const base = { index: i, line: i + 2, otherMatches: NONE, warnings: NONE };
  const warnings = i % 53 === 0 ? [`2 leads match email "${email}": the destination uses …`] : NONE;
  if (roll < 8) {
    return {
      ...base,
      dedupeValue: email,
      action: 'update',
      leadId: String(1 + ((i * 7919) % count)),
      partition: PARTITIONS[i % 3]!,
      lists: i % 2 ? ONE_LIST : TWO_LISTS,
      changes: i % 3 ? [{ field: 'title', from: TITLES[(i + 1) % 5]!, to: title }] : NONE,
      otherMatches:
        i % 53 === 0 ? [{ leadId: String(i), partition: 'APAC', updatedAt: null }] : NONE,
      reason: null,
      warnings,
    };
  }
  if (roll < 14) {
    return {
      ...base,
      dedupeValue: email,
      action: 'create',
      leadId: null,
      partition: 'EMEA',
      lists: ONE_LIST,
      changes: [
        { field: 'firstName', from: null, to: FIRST[i % 10]! },
        { field: 'lastName', from: null, to: LAST[(i >> 3) % 9]! },
        { field: 'company', from: null, to: COMPANIES[i % 7]! },
        { field: 'title', from: null, to: title },
      ],
      reason: null,
    };
  }
  if (roll < 18) {
    const noValue = roll === 14;
    return {
      ...base,
      dedupeValue: noValue ? null : email,
      action: 'skip',
      leadId: null,
      partition: null,
      lists: NONE,
      changes: NONE,
      reason: noValue ? NO_VALUE : NOT_A_MEMBER,
    };
  }
  const removal = roll === 19;
  return {
    ...base,
    dedupeValue: email,
    action: removal ? 'removeFromList' : 'addToList',
    leadId: String(1 + ((i * 104729) % count)),
    partition: PARTITIONS[i % 3]!,
    lists: removal ? NONE : ONE_LIST,
    changes: NONE,
    reason: null,
    ...(removal ? { removeFromLists: ['seg-newsletter'] } : {}),
  };
}

function timed<T>(work: () => T): { value: T; ms: number; cpuMs: number } {
  const c0 = cpuMs();
  const t0 = performance.now();
  const value = work();
  return { value, ms: performance.now() - t0, cpuMs: cpuMs() - c0 };
}

const mib = (bytes: number): number => Math.round(bytes / 1024 / 1024);

/**
 * The bytes the columns hold: their arrays' lengths, not their buffers' (the text columns are
 * views of their writers' buffers, whose unwritten tails are never touched, so never resident).
 */
function columnBytes(c: OutcomeColumns): number {
  const arrays = [c.index, c.line, c.flags, c.changeCount, c.partition, c.reason, c.lists];
  arrays.push(c.removals, c.fields, c.dedupe.ends, c.leadId.ends, c.details.ends);
  const texts = c.dedupe.bytes.length + c.leadId.bytes.length + c.details.bytes.length;
  return arrays.reduce((sum, a) => sum + a.byteLength, texts);
}

const API_PLAN: SimulationResult['apiPlan'] = {
  syncLeadCalls: 0,
  addToListCalls: 0,
  totalCalls: 0,
  dailyQuotaShare: 0,
  minimumSeconds: 0,
  perList: [],
};

// The run: the worker builds the columns as the outcomes are decided.
const built = timed(() => {
  const builder = new OutcomeColumnsBuilder(count);
  for (let i = 0; i < count; i++) builder.add(outcomeOf(i));
  return builder.finish();
});
const bytes = columnBytes(built.value);
const run: ColumnarResult = {
  summary: { profiles: count, create: 0, update: 0, addToList: 0, skip: 0 },
  apiPlan: API_PLAN,
  warnings: [],
  columns: built.value,
};

// The end of the run: the worker posts the result, the server's thread takes it.
const { port1, port2 } = new MessageChannel();
const moved = timed(() => {
  port1.postMessage({ type: 'result', result: run }, transferList(run.columns));
  return (receiveMessageOnPort(port2)?.message as { result: ColumnarResult }).result;
});
port1.close();
port2.close();
const received = moved.value;

// What the server does before it answers Simulate Export: the panel opens on that answer.
const opened = timed(() => {
  const index = new OutcomeIndex('bench', received.columns);
  const response = {
    kind: 'result',
    runId: index.runId,
    result: columnarOverview(received),
    firstPage: index.page(DEFAULT_QUERY, 0, PAGE_ROWS),
  };
  return { index, json: JSON.stringify(response) };
});
const { index } = opened.value;
const afterOpen = process.memoryUsage();

interface Step {
  what: string;
  ms: number;
  cpuMs: number;
  matching: number;
  first: string;
}

const query = (filter: OutcomeQuery['filter'], column = 'index', direction = 'asc'): OutcomeQuery =>
  ({ filter, sort: { column, direction } }) as OutcomeQuery;

function step(what: string, q: OutcomeQuery, offset = 0): Step {
  const t = timed(() => index.page(q, offset, PAGE_ROWS));
  const first = t.value.rows[0];
  return {
    what,
    ms: t.ms,
    cpuMs: t.cpuMs,
    matching: t.value.matching,
    first: first ? `${first.index}:${first.dedupeValue ?? ''}` : '',
  };
}

const needle = outcomeOf(count - 7).dedupeValue!.toUpperCase();
const steps: Step[] = [
  step('next page (rows 101–200)', query({}), PAGE_ROWS),
  step('last page', query({}), count - (count % PAGE_ROWS || PAGE_ROWS)),
  step('sort by action', query({}, 'action')),
  step('sort by partition, descending', query({}, 'partition', 'desc')),
  step('sort by changes', query({}, 'changes')),
  step('sort by lead id', query({}, 'leadId')),
  step('sort by dedupe value', query({}, 'dedupeValue')),
  step('sort by dedupe value, descending', query({}, 'dedupeValue', 'desc')),
  step('page 50,000 of the dedupe value order', query({}, 'dedupeValue'), 50_000 * PAGE_ROWS),
  step('filter: updates', query({ outcome: 'update' })),
  step('filter: with warnings', query({ warningsOnly: true })),
  step('search one address (in capitals)', query({ search: needle })),
  step('search "fabrikam" (one row in seven)', query({ search: 'fabrikam' })),
  step(
    'search "emea", updates, by dedupe value',
    query({ search: 'emea', outcome: 'update' }, 'dedupeValue'),
  ),
];
const afterSteps = process.memoryUsage();

let clone: { ms: number; count: number } | undefined;
if (opts.clone === '1') {
  const outcomes = Array.from({ length: count }, (_, i) => outcomeOf(i));
  const channel = new MessageChannel();
  const t = timed(() => {
    channel.port1.postMessage({ type: 'result', result: { outcomes } });
    return receiveMessageOnPort(channel.port2)?.message as unknown;
  });
  channel.port1.close();
  channel.port2.close();
  clone = { ms: t.ms, count };
}

finish({
  count,
  buildMs: built.ms,
  buildCpuMs: built.cpuMs,
  columnMiB: mib(bytes),
  bytesPerOutcome: bytes / count,
  transferMs: moved.ms,
  openMs: opened.ms,
  openCpuMs: opened.cpuMs,
  responseKiB: Math.round(opened.value.json.length / 1024),
  rssAfterOpenMiB: mib(afterOpen.rss),
  heapAfterOpenMiB: mib(afterOpen.heapUsed),
  arrayBuffersAfterOpenMiB: mib(afterOpen.arrayBuffers),
  rssAfterStepsMiB: mib(afterSteps.rss),
  steps,
  clone,
});
