/**
 * Simulate Export on the DuckDB engine, in the simulation worker: DuckDB reads the samples and
 * decides every profile out of core, then the decided rows come back a chunk at a time
 * (`outcomeChunks.ts`) into the results view's columns, so the worker never holds more than
 * one chunk of outcome objects, whatever the size of the database. The columns are the same
 * the TypeScript engine's run makes (`simulationColumns.ts`): the server's pages, sorts and
 * searches cannot tell the engines apart.
 */
import { type DuckDbOptions, openDuckDbSimulation } from '../simulation/duckdb/engine';
import { outcomeChunks } from '../simulation/duckdb/outcomeChunks';
import type { WorkerRequest } from './simulationRunner';
import { type ColumnarResult, OutcomeColumnsBuilder } from './simulationColumns';

export type DuckDbPhase = 'reading' | 'matching' | 'writing';

export interface DuckDbColumnsOptions {
  onProgress?: (phase: DuckDbPhase, done: number, total: number) => void;
  signal?: AbortSignal;
  /** DuckDB's threads (default: every core). */
  threads?: number;
}

/** About as often as the TypeScript engine reports (every 10,000 profiles): not per chunk. */
const ROWS_PER_REPORT = 100_000;

function every(
  rows: number,
  report: NonNullable<DuckDbColumnsOptions['onProgress']>,
): (done: number, total: number) => void {
  let next = 0;
  return (done, total) => {
    if (done < next && done < total) return;
    next = done + rows;
    report('writing', done, total);
  };
}

/**
 * The run of `request` on DuckDB, its outcomes as columns, and `close`, which closes DuckDB and
 * removes its files: the caller hands the result on first (closing a database of ten million
 * rows takes seconds, which the panel need not wait for).
 */
export async function openDuckDbColumns(
  request: WorkerRequest,
  options: DuckDbColumnsOptions = {},
): Promise<{ result: ColumnarResult; close: () => void }> {
  const { onProgress, signal } = options;
  const engineOptions: DuckDbOptions = {
    ...(request.partitionNames ? { partitionNames: request.partitionNames } : {}),
    ...(request.leadFields ? { leadFields: request.leadFields } : {}),
    ...(onProgress ? { onProgress } : {}),
    ...(signal ? { signal } : {}),
    ...(options.threads === undefined ? {} : { threads: options.threads }),
    // The runner's own directory: it removes it even when the worker is terminated.
    ...(request.spillDir ? { spillDir: request.spillDir } : {}),
    // As the CLI: DuckDB's memory cap (default 1GB); beyond it, joins spill to disk.
    ...(process.env.AEP_DEST_DUCKDB_MEMORY
      ? { memoryLimit: process.env.AEP_DEST_DUCKDB_MEMORY }
      : {}),
  };
  const sim = await openDuckDbSimulation(
    request.config,
    { profiles: request.profilesFile, leads: request.leadsFile },
    engineOptions,
  );
  try {
    const builder = new OutcomeColumnsBuilder(sim.run.summary.profiles);
    const rows = outcomeChunks(sim, {
      ...(signal ? { signal } : {}),
      ...(onProgress ? { onRows: every(ROWS_PER_REPORT, onProgress) } : {}),
    });
    for await (const chunk of rows) for (const outcome of chunk) builder.add(outcome);
    const { summary, apiPlan, warnings } = sim.run;
    return {
      result: { summary, apiPlan, warnings, columns: builder.finish() },
      close: () => sim.close(),
    };
  } catch (error) {
    sim.close();
    throw error;
  }
}

/** The run of `request` on DuckDB, its outcomes as columns; DuckDB closed. */
export async function duckDbColumnarResult(
  request: WorkerRequest,
  options: DuckDbColumnsOptions = {},
): Promise<ColumnarResult> {
  const { result, close } = await openDuckDbColumns(request, options);
  close();
  return result;
}
