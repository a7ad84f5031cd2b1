import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SimulationConfig } from '../simulation/types';
import type { SimulationProgress } from '../../../common/protocol';
import type { ColumnarResult } from './simulationColumns';

export interface WorkerRequest {
  config: SimulationConfig;
  profilesFile: string;
  leadsFile: string;
  /** Partition id → name (`marketoPartitions`); a Map survives the worker's structured clone. */
  partitionNames?: ReadonlyMap<string, string>;
  /** `simulation.encoding`, for sample files that have no BOM and are not UTF-8. */
  encoding?: string;
  /** The catalog's fields, to resolve a UI lead export's display-name headers. */
  leadFields?: { name: string; displayName: string }[];
}

export type WorkerMessage =
  | { type: 'progress'; phase: SimulationProgress['phase']; done: number; total: number }
  | { type: 'result'; result: ColumnarResult }
  | { type: 'inputError'; message: string; file: string; line: number }
  | { type: 'failure'; message: string };

export type RunOutcome =
  | { type: 'result'; result: ColumnarResult }
  | { type: 'inputError'; message: string; file: string; line: number }
  | { type: 'cancelled' };

/**
 * The worker: the bundle's sibling `simulationWorker.js` (or, from the CLI bundle
 * `dist/cli/aep-dest.js`, `dist/server/simulationWorker.js`), or, when the server runs
 * from its TypeScript sources (tests), the source loaded through tsx's require hook.
 */
function startWorker(request: WorkerRequest): Worker {
  const bundled = [
    path.join(__dirname, 'simulationWorker.js'),
    path.join(__dirname, '..', 'server', 'simulationWorker.js'),
  ].find((file) => fs.existsSync(file));
  if (bundled) return new Worker(bundled, { workerData: request });
  const source = JSON.stringify(path.join(__dirname, 'simulationWorker.ts'));
  return new Worker(`require('tsx/cjs'); require(${source});`, { eval: true, workerData: request });
}

/**
 * Simulates in a worker thread. Resolves with the result or an input error;
 * `cancel()` terminates the worker and resolves with `cancelled`; a crash rejects.
 */
export function runSimulation(
  request: WorkerRequest,
  onProgress: (phase: SimulationProgress['phase'], done: number, total: number) => void,
): { done: Promise<RunOutcome>; cancel: () => void } {
  const worker = startWorker(request);
  let settled = false;
  let cancel = (): void => {};
  const done = new Promise<RunOutcome>((resolve, reject) => {
    const finish = (outcome: RunOutcome | Error): void => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    cancel = () => finish({ type: 'cancelled' });
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') onProgress(message.phase, message.done, message.total);
      else if (message.type === 'failure') finish(new Error(message.message));
      else finish(message);
    });
    worker.on('error', (error) => finish(error));
    worker.on('exit', (code) =>
      finish(new Error(`the simulation worker stopped (exit code ${code})`)),
    );
  });
  return { done, cancel: () => cancel() };
}
