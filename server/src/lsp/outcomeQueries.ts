/**
 * The results view's queries of one run, as the server's main thread sees them: a page of
 * the file order is made here (the first page, the pager), and so is a page of an order or a
 * filter already answered; anything else (a sort, a filter, a search: seconds at ten million
 * outcomes) is asked of the run's query worker (`outcomeQueryWorker.ts`), so the main thread
 * keeps answering completion, hover, diagnostics and pages meanwhile. One query runs at a
 * time: a newer one supersedes it (it stops, its request answers `superseded`). Disposing
 * (a new run, the config or the panel closed) ends the worker and frees what it held.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { Worker } from 'node:worker_threads';
import type { OutcomePage, OutcomeQuery } from '../../../common/outcomePages';
import { OutcomeIndex } from './outcomeIndex';
import { shared } from './simulationBytes';
import type { OutcomeColumns } from './simulationColumns';

/** Runs smaller than this are queried on the main thread: every query takes a few ms. */
export const INLINE_ROWS = 50_000;
/** Answered queries whose rows the main thread keeps, so their pages cost only the page. */
const KEPT_ANSWERS = 2;

export interface QueryWorkerData {
  columns: OutcomeColumns;
  /** [0]: the generation of the newest query; an older one stops at its next checkpoint. */
  control: Int32Array;
  /** Tests only: while [1] is 0 the worker waits at its checkpoints (after saying so). */
  gate?: Int32Array;
}

export interface QueryWorkerRequest {
  id: number;
  generation: number;
  query: OutcomeQuery;
}

export type QueryWorkerReply =
  | { type: 'rows'; id: number; rows: Uint32Array }
  | { type: 'superseded'; id: number }
  | { type: 'holding'; id: number }
  | { type: 'failure'; id: number; message: string };

export type PageAnswer =
  | { kind: 'page'; page: OutcomePage }
  /** A newer query of the same run came before this one was done. */
  | { kind: 'superseded' }
  /** The run was disposed meanwhile. */
  | { kind: 'closed' };

type RowsAnswer = Uint32Array | 'superseded' | 'closed' | Error;

export interface QueryOptions {
  /** Runs with fewer rows are queried on the main thread (default INLINE_ROWS). */
  inlineBelow?: number;
  /** The worker's script, when not beside this module's (the benchmarks: dist/'s bundle). */
  workerFile?: string;
  /** Tests: the gate of `QueryWorkerData`, and a call each time the worker waits at it. */
  gate?: Int32Array;
  onHolding?: () => void;
  /** Tests: each answer of the worker, as it comes (a superseded query says so). */
  onReply?: (reply: QueryWorkerReply['type']) => void;
}

/**
 * The columns the worker reads, in shared memory: the builder's already are (no copy); others
 * (outcomes given as objects, another reader's columns) are copied once. Line numbers and
 * details are only for pages, which the main thread makes: the worker gets none.
 */
function workerColumns(c: OutcomeColumns): OutcomeColumns {
  const none = new Uint32Array(0);
  return {
    ...c,
    index: shared(c.index),
    line: none,
    flags: shared(c.flags),
    changeCount: shared(c.changeCount),
    dedupe: { bytes: shared(c.dedupe.bytes), ends: shared(c.dedupe.ends) },
    leadId: { bytes: shared(c.leadId.bytes), ends: shared(c.leadId.ends) },
    partition: shared(c.partition),
    reason: shared(c.reason),
    lists: shared(c.lists),
    removals: shared(c.removals),
    fields: shared(c.fields),
    details: { bytes: new Uint8Array(0), ends: none },
  };
}

/**
 * The query worker: the bundle's sibling `outcomeQueryWorker.js` (or, from the CLI bundle,
 * `dist/server/`'s), or, when the server runs from its TypeScript sources (tests), the source
 * through tsx's require hook; or `file` when given (the benchmarks run dist/'s bundle).
 */
function startWorker(workerData: QueryWorkerData, file?: string): Worker {
  if (file) return new Worker(file, { workerData });
  const name = 'outcomeQueryWorker';
  const bundled = [
    path.join(__dirname, `${name}.js`),
    path.join(__dirname, '..', 'server', `${name}.js`),
  ].find((candidate) => fs.existsSync(candidate));
  if (bundled) return new Worker(bundled, { workerData });
  const source = JSON.stringify(path.join(__dirname, `${name}.ts`));
  return new Worker(`require('tsx/cjs'); require(${source});`, { eval: true, workerData });
}

let fullCollection: (() => void) | null | undefined;

/**
 * Frees the shared memory of a dropped run. V8 does not count SharedArrayBuffers as memory
 * to collect: a dropped run's columns (940 MB at 10M outcomes) stayed until some full
 * collection, and a re-run or two held several GB. So the server asks for one itself once a
 * run is dropped (`--expose-gc` set at run time; tens of ms for its heap, once per run).
 */
function collectSharedMemory(): void {
  if (fullCollection === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      const gc: unknown = vm.runInNewContext('gc');
      fullCollection = typeof gc === 'function' ? (gc as () => void) : null;
    } catch {
      fullCollection = null;
    }
  }
  fullCollection?.();
}

export class OutcomeQueries {
  /** The main thread's view of the columns: pages, and the file order's queries. */
  readonly index: OutcomeIndex;
  private worker: Worker | undefined;
  private readonly control = new Int32Array(new SharedArrayBuffer(4));
  private generation = 0;
  private nextId = 1;
  private readonly answered = new Map<string, Uint32Array>();
  private running: { key: string; id: number; answer: Promise<RowsAnswer> } | undefined;
  private readonly waiting = new Map<number, (answer: RowsAnswer) => void>();
  private disposed = false;

  constructor(
    readonly runId: string,
    columns: OutcomeColumns,
    private readonly options: QueryOptions = {},
  ) {
    this.index = new OutcomeIndex(runId, columns);
  }

  get size(): number {
    return this.index.size;
  }

  /** `limit` rows from `offset` of the outcomes passing the query's filter, in its order. */
  async page(query: OutcomeQuery, offset: number, limit: number): Promise<PageAnswer> {
    if (this.disposed) return { kind: 'closed' };
    const inline = this.index.size < (this.options.inlineBelow ?? INLINE_ROWS);
    if (inline || this.index.isPlain(query)) {
      return { kind: 'page', page: this.index.page(query, offset, limit) };
    }
    const rows = await this.rows(query);
    if (rows instanceof Error) throw rows;
    if (typeof rows === 'string') return { kind: rows };
    return { kind: 'page', page: this.index.pageOf(rows, query, offset, limit) };
  }

  /** The rows matching `query`, in its order: kept, running, or asked of the worker. */
  private rows(query: OutcomeQuery): Promise<RowsAnswer> {
    const key = JSON.stringify(query);
    const kept = this.answered.get(key);
    if (kept) {
      this.answered.delete(key);
      this.answered.set(key, kept);
      return Promise.resolve(kept);
    }
    if (this.running?.key === key) return this.running.answer;
    if (this.running) this.settle(this.running.id, 'superseded');
    const id = this.nextId++;
    const generation = ++this.generation;
    Atomics.store(this.control, 0, generation);
    const answer = new Promise<RowsAnswer>((resolve) => this.waiting.set(id, resolve));
    this.running = { key, id, answer };
    this.ensureWorker().postMessage({ id, generation, query } satisfies QueryWorkerRequest);
    void answer.then((rows) => {
      if (this.running?.id === id) this.running = undefined;
      if (!(rows instanceof Uint32Array) || this.disposed) return;
      this.answered.set(key, rows);
      if (this.answered.size > KEPT_ANSWERS) {
        this.answered.delete(this.answered.keys().next().value as string);
      }
    });
    return answer;
  }

  private settle(id: number, answer: RowsAnswer): void {
    const resolve = this.waiting.get(id);
    this.waiting.delete(id);
    resolve?.(answer);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const { gate, onHolding, onReply } = this.options;
    const data: QueryWorkerData = {
      columns: workerColumns(this.index.columns),
      control: this.control,
      ...(gate ? { gate } : {}),
    };
    const worker = startWorker(data, this.options.workerFile);
    worker.on('message', (reply: QueryWorkerReply) => {
      onReply?.(reply.type);
      if (reply.type === 'holding') onHolding?.();
      else if (reply.type === 'rows') this.settle(reply.id, reply.rows);
      else if (reply.type === 'superseded') this.settle(reply.id, 'superseded');
      else this.settle(reply.id, new Error(`the results query failed: ${reply.message}`));
    });
    const lost = (why: string): void => {
      if (this.worker !== worker) return;
      // The next query starts a new worker; the ones waiting fail (one line, no stack).
      this.worker = undefined;
      for (const id of [...this.waiting.keys()]) this.settle(id, new Error(why));
    };
    worker.on('error', (error) => lost(`the results worker failed: ${error.message}`));
    worker.on('exit', (code) => lost(`the results worker stopped (exit code ${code})`));
    this.worker = worker;
    return worker;
  }

  /** Ends the worker and forgets every answer; pending queries answer `closed`. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const worker = this.worker;
    this.worker = undefined;
    for (const id of [...this.waiting.keys()]) this.settle(id, 'closed');
    this.answered.clear();
    this.running = undefined;
    // Once the worker is gone and the store has let go of the run, collect its columns.
    const collect = (): void => void setImmediate(collectSharedMemory);
    if (worker) void worker.terminate().then(collect, collect);
    else collect();
  }
}
