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
 *   --worker F  the query worker's bundle (dist/server/outcomeQueryWorker.js)
 *   --clone 1   also time the structured clone of the outcomes as objects (the old message)
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import {
  DEFAULT_QUERY,
  type OutcomePage,
  type OutcomeQuery,
  PAGE_ROWS,
} from '../../common/outcomePages';
import type { ProfileOutcome } from '../../common/simulationReport';
import { OutcomeIndex } from '../../server/src/lsp/outcomeIndex';
import { OutcomeQueries, type PageAnswer } from '../../server/src/lsp/outcomeQueries';
import {
  type ColumnarResult,
  type OutcomeColumns,
  OutcomeColumnsBuilder,
  columnarOverview,
  transferList,
} from '../../server/src/lsp/simulationColumns';
import { noApiCalls } from '../../test/fixtures/simulation/resultOf';
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

// The run: the worker builds the columns as the outcomes are decided.
const built = timed(() => {
  const builder = new OutcomeColumnsBuilder(count);
  for (let i = 0; i < count; i++) builder.add(outcomeOf(i));
  return builder.finish();
});
const bytes = columnBytes(built.value);
// The builder's own arrays are garbage now. In the server they die with the simulation worker;
// here the builder ran on this thread, and the columns it copied them into are shared memory,
// which does not make V8 collect: collect them as the worker's exit would.
(globalThis as { gc?: () => void }).gc?.();
const run: ColumnarResult = {
  summary: { profiles: count, create: 0, update: 0, addToList: 0, skip: 0 },
  apiPlan: noApiCalls(),
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
  const index = new OutcomeQueries(
    'bench',
    received.columns,
    opts.worker ? { workerFile: opts.worker } : {},
  );
  const response = {
    kind: 'result',
    runId: index.runId,
    result: columnarOverview(received),
    // The file order: made on this thread, as the server's answer makes it.
    firstPage: index.index.page(DEFAULT_QUERY, 0, PAGE_ROWS),
  };
  return { index, json: JSON.stringify(response) };
});
const { index } = opened.value;

interface Step {
  what: string;
  ms: number;
  /** Process CPU (every thread: the server's and the query worker's). */
  cpuMs: number;
  /** The server's main thread: busy time (event-loop utilisation) and its longest block. */
  mainBusyMs: number;
  blockMs: number;
  matching: number;
  first: string;
  sort: boolean;
}

const query = (filter: OutcomeQuery['filter'], column = 'index', direction = 'asc'): OutcomeQuery =>
  ({ filter, sort: { column, direction } }) as OutcomeQuery;

// The longest time the main thread could not run a 5 ms timer: what completion, hover and
// diagnostics would have waited for, at most, during a request.
const delay = monitorEventLoopDelay({ resolution: 5 });

function pageOf(answer: PageAnswer): OutcomePage {
  if (answer.kind !== 'page') throw new Error(`the bench's query answered ${answer.kind}`);
  return answer.page;
}

type Answer = PageAnswer | Promise<PageAnswer>;

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 10));

async function step(what: string, run: () => Answer): Promise<Step> {
  delay.enable();
  delay.reset();
  // Two timer turns first: the histogram measures a block from the turn before it (and a
  // reset forgets that turn).
  await tick();
  await tick();
  const elu = performance.eventLoopUtilization();
  const c0 = cpuMs();
  const t0 = performance.now();
  const page = pageOf(await run());
  const wall = performance.now() - t0;
  const cpu = cpuMs() - c0;
  const busy = performance.eventLoopUtilization(elu).active;
  // One more timer turn, so a block at the very end is counted too.
  await tick();
  delay.disable();
  const first = page.rows[0];
  return {
    what,
    ms: wall,
    cpuMs: cpu,
    mainBusyMs: busy,
    blockMs: delay.max / 1e6,
    matching: page.matching,
    first: first ? `${first.index}:${first.dedupeValue ?? ''}` : '',
    sort: /^(sort|filter|search)/.test(what),
  };
}

const needle = outcomeOf(count - 7).dedupeValue!.toUpperCase();
const emeaUpdates = query({ search: 'emea', outcome: 'update' }, 'dedupeValue');
const plan: [string, OutcomeQuery, number?][] = [
  ['next page (rows 101–200)', query({}), PAGE_ROWS],
  ['last page', query({}), count - (count % PAGE_ROWS || PAGE_ROWS)],
  ['sort by action', query({}, 'action')],
  ['sort by partition, descending', query({}, 'partition', 'desc')],
  ['sort by changes', query({}, 'changes')],
  ['sort by lead id', query({}, 'leadId')],
  ['sort by dedupe value', query({}, 'dedupeValue')],
  ['sort by dedupe value, descending', query({}, 'dedupeValue', 'desc')],
  ['page 50,000 of the dedupe value order', query({}, 'dedupeValue'), 50_000 * PAGE_ROWS],
  ['filter: updates', query({ outcome: 'update' })],
  ['filter: with warnings', query({ warningsOnly: true })],
  ['search one address (in capitals)', query({ search: needle })],
  ['search "fabrikam" (one row in seven)', query({ search: 'fabrikam' })],
  ['search "emea", updates, by dedupe value', emeaUpdates],
];

async function main(): Promise<void> {
  // V8 frees the collected buffers on a background thread: a moment for it, then the memory.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const afterOpen = process.memoryUsage();
  const steps: Step[] = [];
  for (const [what, q, offset] of plan) {
    steps.push(await step(what, () => index.page(q, offset ?? 0, PAGE_ROWS)));
  }
  // While a query runs in the worker: a page of an answered query (the view paging on), then
  // a newer sort that supersedes it (the older stops; its answer says so). The older one is a
  // search of every row: a sort by a column of a few values is over before the page is asked.
  const running = index.page(query({ search: '.example' }, 'dedupeValue', 'desc'), 0, PAGE_ROWS);
  steps.push(
    await step('a page of the last answered query while a search of every row runs', () =>
      index.page(emeaUpdates, PAGE_ROWS, PAGE_ROWS),
    ),
  );
  const newer = step('sort by reason, descending (supersedes the search)', () =>
    index.page(query({}, 'reason', 'desc'), 0, PAGE_ROWS),
  );
  const superseded = (await running).kind;
  steps.push(await newer);
  const afterSteps = process.memoryUsage();
  index.dispose();

  // The same sorts on the main thread, as the server ran them before the worker: the longest
  // block they would cause. A fresh index, so nothing is cached.
  const inline = new OutcomeIndex('inline', received.columns);
  const onMain = (q: OutcomeQuery) => (): PageAnswer => ({
    kind: 'page',
    page: inline.page(q, 0, PAGE_ROWS),
  });
  const inlineSteps = [
    await step('on the main thread: sort by lead id', onMain(query({}, 'leadId'))),
    await step('on the main thread: sort by dedupe value', onMain(query({}, 'dedupeValue'))),
  ];

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
    inlineSteps,
    superseded,
    clone,
  });
}

void main();
