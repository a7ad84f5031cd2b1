/**
 * The last simulation's outcomes per config, for the results view's page requests: one run
 * per URI (a re-run replaces it), dropped when the config or its results panel is closed, so
 * memory holds at most one result per open config, as columns (`simulationColumns.ts`). A run
 * dropped ends its query worker (`outcomeQueries.ts`) and the orders it held.
 */
import { randomUUID } from 'node:crypto';
import type { SimulationResult } from '../../../common/simulationReport';
import { OutcomeQueries, type QueryOptions } from './outcomeQueries';
import { type ColumnarResult, columnarResult, materialized } from './simulationColumns';

export class StoredRun {
  constructor(
    readonly index: OutcomeQueries,
    private readonly run: ColumnarResult,
  ) {}

  /** The whole result, outcomes as objects: only Export needs them, so they are made then. */
  get result(): SimulationResult {
    return materialized(this.run);
  }
}

export class SimulationStore {
  private readonly runs = new Map<string, StoredRun>();

  constructor(private readonly options: QueryOptions = {}) {}

  /** Keeps `run` as the run of `uri`, replacing the one before; answers its index. */
  keep(uri: string, run: ColumnarResult | SimulationResult): OutcomeQueries {
    this.drop(uri);
    const columnar = 'columns' in run ? run : columnarResult(run);
    const index = new OutcomeQueries(randomUUID(), columnar.columns, this.options);
    this.runs.set(uri, new StoredRun(index, columnar));
    return index;
  }

  /** The run `runId` of `uri`, if it is still the one kept. */
  get(uri: string, runId: string): StoredRun | undefined {
    const run = this.runs.get(uri);
    return run?.index.runId === runId ? run : undefined;
  }

  drop(uri: string): void {
    this.runs.get(uri)?.index.dispose();
    this.runs.delete(uri);
  }

  /** Drops the run of `uri` if it is still `runId` (its panel closed; a newer run stays). */
  dropRun(uri: string, runId: string): void {
    if (this.get(uri, runId)) this.drop(uri);
  }

  get size(): number {
    return this.runs.size;
  }
}
