/**
 * Runs one simulation off the server's main thread, so diagnostics keep flowing while a large
 * export is simulated. The engine is chosen as the CLI's `--engine auto` chooses
 * (`engineChoice.ts`): the TypeScript one, stopped by terminating the worker, or DuckDB for
 * full databases, stopped by a `cancel` message first (its query interrupted, its files
 * removed). Either way the outcomes reach the server's thread as columns, moved, not copied.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { EngineResourceError, UnsupportedInput } from '../simulation/duckdb/engine';
import { EngineChoiceError, SETTING_KNOB, chooseEngine } from '../simulation/duckdb/engineChoice';
import {
  SimulationCancelled,
  SimulationInputError,
  readLeads,
  readProfiles,
  simulate,
} from '../simulation/simulate';
import type { CancelMessage, WorkerMessage, WorkerRequest } from './simulationRunner';
import { type ColumnarResult, columnarResult, transferList } from './simulationColumns';
import { openDuckDbColumns } from './duckDbColumns';

const request = workerData as WorkerRequest;
const post = (message: WorkerMessage): void => parentPort?.postMessage(message);
const controller = new AbortController();
parentPort?.on('message', (message: CancelMessage) => {
  if (message.type === 'cancel') controller.abort();
});
// The listener must not keep the worker alive once the run is over.
parentPort?.unref();

function typescriptRun(): ColumnarResult {
  const encoding = request.encoding === undefined ? {} : { encoding: request.encoding };
  const profiles = readProfiles(request.profilesFile, encoding);
  const leads = readLeads(request.leadsFile, {
    partitionNames: request.partitionNames,
    ...encoding,
    ...(request.leadFields === undefined ? {} : { fields: request.leadFields }),
  });
  const result = simulate(request.config, profiles, leads, {
    onProgress: (done, total) => post({ type: 'progress', phase: 'matching', done, total }),
  });
  return columnarResult(result);
}

async function run(): Promise<void> {
  post({ type: 'progress', phase: 'reading', done: 0, total: 0 });
  const notes: string[] = [];
  const engine = await chooseEngine(
    request.engine ?? 'auto',
    { profiles: request.profilesFile, leads: request.leadsFile },
    request.encoding,
    (line) => notes.push(line),
    { knob: SETTING_KNOB },
  );
  post({ type: 'engine', engine });
  if (engine === 'typescript') return deliver(typescriptRun(), notes);
  const duck = await openDuckDbColumns(request, {
    signal: controller.signal,
    onProgress: (phase, done, total) => post({ type: 'progress', phase, done, total }),
  });
  // The panel opens on the result; DuckDB's database is closed (and its files removed) after.
  deliver(duck.result, notes);
  duck.close();
}

function deliver(columnar: ColumnarResult, notes: readonly string[]): void {
  // Why the engine is not the one asked for: shown with the run's own warnings.
  if (notes.length) columnar.warnings = [...notes, ...columnar.warnings];
  // Columns, moved rather than cloned: the server's thread gets them without a copy.
  parentPort?.postMessage(
    { type: 'result', result: columnar } satisfies WorkerMessage,
    transferList(columnar.columns),
  );
}

run().catch((error: unknown) => {
  if (error instanceof SimulationCancelled) return;
  if (error instanceof SimulationInputError) {
    post({ type: 'inputError', message: error.message, file: error.file, line: error.line });
  } else if (
    error instanceof EngineChoiceError ||
    error instanceof EngineResourceError ||
    error instanceof UnsupportedInput
  ) {
    post({ type: 'refused', message: error.message });
  } else {
    post({ type: 'failure', message: error instanceof Error ? error.message : String(error) });
  }
});
