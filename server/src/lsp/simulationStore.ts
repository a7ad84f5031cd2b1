/**
 * The last simulation's outcomes per config, for the results view's page requests: one run
 * per URI (a re-run replaces it), dropped when the config is closed, so memory holds at most
 * one result per open config.
 */
import { randomUUID } from 'node:crypto';
import type { SimulationResult } from '../../../common/simulationReport';
import { OutcomeIndex } from './outcomeIndex';

export interface StoredRun {
  index: OutcomeIndex;
  result: SimulationResult;
}

export class SimulationStore {
  private readonly runs = new Map<string, StoredRun>();

  /** Keeps `result` as the run of `uri`, replacing the one before; answers its index. */
  keep(uri: string, result: SimulationResult): OutcomeIndex {
    this.runs.delete(uri);
    const index = new OutcomeIndex(randomUUID(), result.outcomes);
    this.runs.set(uri, { index, result });
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
