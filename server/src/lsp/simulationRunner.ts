import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EngineChoice } from '../simulation/duckdb/engineChoice';
import type { SimulationConfig } from '../simulation/types';
import { makeOwnedTempDir } from '../simulation/tempDirs';
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
  /** `aepDestination.simulation.engine` (default auto: as the CLI's `--engine auto`). */
  engine?: EngineChoice;
  /** Where DuckDB spills: a directory of the runner's, removed when the worker is gone. */
  spillDir?: string;
}

export type WorkerMessage =
  | { type: 'progress'; phase: SimulationProgress['phase']; done: number; total: number }
  /** The engine chosen: the DuckDB one is stopped by a message, not only by terminating. */
  | { type: 'engine'; engine: 'duckdb' | 'typescript' }
  | { type: 'result'; result: ColumnarResult }
  | { type: 'inputError'; message: string; file: string; line: number }
  /** One line for the user without a file position: the engine refused or ran out of memory. */
  | { type: 'refused'; message: string }
  | { type: 'failure'; message: string };

/** Server → worker: stop (DuckDB interrupts its query, closes and removes its files). */
export interface CancelMessage {
  type: 'cancel';
}

export type RunOutcome =
  | { type: 'result'; result: ColumnarResult }
  | { type: 'inputError'; message: string; file?: string; line?: number }
  | { type: 'cancelled' };

/**
 * How long a DuckDB worker may take to end by itself once its run is over or cancelled
 * (interrupt, close, remove its spill files) before it is terminated anyway.
 */
const DUCKDB_STOP_MS = 3000;

/**
 * The spill directories of the workers still running. A server that exits (the editor's
 * `exit`) takes its workers with it before they report their own exit: it removes these then.
 */
const liveDirs = new Set<string>();
let removesAtExit = false;

function spillDirectory(): string {
  const dir = makeOwnedTempDir(os.tmpdir(), 'aep-dest-simulation-');
  liveDirs.add(dir);
  if (!removesAtExit) {
    removesAtExit = true;
    process.once('exit', () => {
      for (const live of liveDirs) fs.rmSync(live, { recursive: true, force: true });
    });
  }
  return dir;
}

function removeSpillDirectory(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  liveDirs.delete(dir);
}

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
 * `cancel()` resolves with `cancelled` at once and stops the worker (a DuckDB run is asked to
 * stop first, then terminated); a crash rejects. The spill directory goes with the worker.
 */
export function runSimulation(
  request: WorkerRequest,
  onProgress: (phase: SimulationProgress['phase'], done: number, total: number) => void,
): { done: Promise<RunOutcome>; cancel: () => void } {
  const spillDir = spillDirectory();
  const worker = startWorker({ ...request, spillDir });
  worker.once('exit', () => removeSpillDirectory(spillDir));
  let engine: 'duckdb' | 'typescript' | undefined;
  let settled = false;
  let cancel = (): void => {};
  const done = new Promise<RunOutcome>((resolve, reject) => {
    const finish = (outcome: RunOutcome | Error): void => {
      if (settled) return;
      settled = true;
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    let stopping = false;
    /** Ends the worker: a DuckDB one first closes its database (or interrupts its query). */
    const stop = (): void => {
      if (stopping) return;
      stopping = true;
      if (engine !== 'duckdb') return void worker.terminate();
      // Terminating a worker mid-query leaves DuckDB's threads and files to chance.
      worker.postMessage({ type: 'cancel' } satisfies CancelMessage);
      const timer = setTimeout(() => void worker.terminate(), DUCKDB_STOP_MS);
      worker.once('exit', () => clearTimeout(timer));
    };
    cancel = () => {
      if (settled) return;
      finish({ type: 'cancelled' });
      stop();
    };
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') {
        if (!settled) onProgress(message.phase, message.done, message.total);
        return;
      }
      if (message.type === 'engine') {
        engine = message.engine;
        return;
      }
      if (message.type === 'failure') finish(new Error(message.message));
      else if (message.type === 'refused') finish({ type: 'inputError', message: message.message });
      else finish(message);
      stop();
    });
    worker.on('error', (error) => {
      finish(error);
      stop();
    });
    worker.on('exit', (code) =>
      finish(new Error(`the simulation worker stopped (exit code ${code})`)),
    );
  });
  return { done, cancel: () => cancel() };
}
