/**
 * The results view's sorts, filters and searches, off the server's main thread: at ten
 * million outcomes a sort takes seconds, and completion, hover and diagnostics of every open
 * config would wait for it. The worker shares the run's columns (SharedArrayBuffers, not a
 * copy), keeps the orders it made, and answers each query with its matching rows. A newer
 * query supersedes the one running: the server bumps the shared generation, and the running
 * one stops at its next checkpoint instead of finishing.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { OutcomeIndex } from './outcomeIndex';
import type { QueryWorkerData, QueryWorkerReply, QueryWorkerRequest } from './outcomeQueries';

const data = workerData as QueryWorkerData;
const index = new OutcomeIndex('worker', data.columns);
const { control, gate } = data;

class Superseded extends Error {}

let generation = 0;
const post = (reply: QueryWorkerReply, transfer: ArrayBuffer[] = []): void =>
  parentPort?.postMessage(reply, transfer);

index.checkpoint = () => {
  // Tests hold the worker here (a sort made as slow as they like, with no clock involved).
  if (gate && Atomics.load(gate, 1) === 0) {
    post({ type: 'holding', id: 0 });
    Atomics.wait(gate, 1, 0);
  }
  if (Atomics.load(control, 0) !== generation) throw new Superseded();
};

parentPort?.on('message', (request: QueryWorkerRequest) => {
  generation = request.generation;
  try {
    // Superseded while it waited behind the one before: not started at all.
    index.checkpoint();
    // A copy moves to the server; the worker keeps its own orders for the next queries.
    const rows = index.matching(request.query).slice();
    post({ type: 'rows', id: request.id, rows }, [rows.buffer]);
  } catch (error) {
    if (error instanceof Superseded) post({ type: 'superseded', id: request.id });
    else post({ type: 'failure', id: request.id, message: String(error) });
  }
});
