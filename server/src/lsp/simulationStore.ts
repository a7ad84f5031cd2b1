/**
 * The last simulation's outcomes per config, for the results view's page requests: one run
 * per URI (a re-run replaces it), dropped when the config is closed, so memory holds at most
 * one result per open config, as columns (`simulationColumns.ts`).
 */
import { randomUUID } from 'node:crypto';
import type { SimulationResult } from '../../../common/simulationReport';
import { OutcomeIndex } from './outcomeIndex';
import { type ColumnarResult, columnarResult, materialized } from './simulationColumns';

export class StoredRun {
  constructor(
    readonly index: OutcomeIndex,
    private readonly run: ColumnarResult,
  ) {}

  /** The whole result, outcomes as objects: only Export needs them, so they are made then. */
  get result(): SimulationResult {
    return materialized(this.run);
  }
}

export class SimulationStore {
  private readonly runs = new Map<string, StoredRun>();

  /** Keeps `run` as the run of `uri`, replacing the one before; answers its index. */
  keep(uri: string, run: ColumnarResult | SimulationResult): OutcomeIndex {
    this.runs.delete(uri);
    const columnar = 'columns' in run ? run : columnarResult(run);
    const index = new OutcomeIndex(randomUUID(), columnar.columns);
    this.runs.set(uri, new StoredRun(index, columnar));
    return index;
  }

  /** The run `runId` of `uri`, if it is still the one kept. */
  get(uri: string, runId: string): StoredRun | undefined {
    const run = this.runs.get(uri);
    return run?.index.runId === runId ? run : undefined;
  }

  drop(uri: string): void {
    this.runs.delete(uri);
  }

  get size(): number {
    return this.runs.size;
  }
}
