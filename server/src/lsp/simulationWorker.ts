/**
 * Runs one simulation off the server's main thread, so diagnostics keep flowing
 * while a large export is simulated, and cancelling is terminating the worker.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SimulationInputError, readLeads, readProfiles, simulate } from '../simulation/simulate';
import type { SimulationConfig } from '../simulation/types';
import type { WorkerMessage, WorkerRequest } from './simulationRunner';
import { columnarResult, transferList } from './simulationColumns';

const request = workerData as WorkerRequest;
const post = (message: WorkerMessage): void => parentPort?.postMessage(message);

try {
  post({ type: 'progress', phase: 'reading', done: 0, total: 0 });
  const encoding = request.encoding === undefined ? {} : { encoding: request.encoding };
  const profiles = readProfiles(request.profilesFile, encoding);
  const leads = readLeads(request.leadsFile, {
    partitionNames: request.partitionNames,
    ...encoding,
    ...(request.leadFields === undefined ? {} : { fields: request.leadFields }),
  });
  const config: SimulationConfig = request.config;
  const result = simulate(config, profiles, leads, {
    onProgress: (done, total) => post({ type: 'progress', phase: 'matching', done, total }),
  });
  // Columns, moved rather than cloned: the server's thread gets them without a copy.
  const columnar = columnarResult(result);
  parentPort?.postMessage(
    { type: 'result', result: columnar } satisfies WorkerMessage,
    transferList(columnar.columns),
  );
} catch (error) {
  if (error instanceof SimulationInputError) {
    post({ type: 'inputError', message: error.message, file: error.file, line: error.line });
  } else {
    post({ type: 'failure', message: error instanceof Error ? error.message : String(error) });
  }
}
