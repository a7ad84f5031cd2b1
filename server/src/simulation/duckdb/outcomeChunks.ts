/**
 * The decided rows of a DuckDB simulation as outcomes, a chunk at a time (DuckDB's vectors of
 * 2,048 rows), in file order: a reader that keeps something smaller per row (the editor's
 * columns) holds one chunk of ProfileOutcome objects at most, never ten million of them.
 * Each row is the JSON report's outcome object DuckDB formats (`rows.ts`), which the
 * differential tests hold to the TypeScript engine's outcome byte for byte.
 */
import type { ProfileOutcome } from '../../../../common/simulationReport';
import { SimulationCancelled } from '../types';
import type { DuckDbSimulation } from './engine';

export interface ChunkOptions {
  /** Rows read so far, after each chunk, of `sim.run.summary.profiles`. */
  onRows?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/** Yields every outcome of `sim` in file order, chunk by chunk. */
export async function* outcomeChunks(
  sim: DuckDbSimulation,
  options: ChunkOptions = {},
): AsyncGenerator<ProfileOutcome[]> {
  const total = sim.run.summary.profiles;
  let done = 0;
  options.onRows?.(0, total);
  const result = await sim.streamOutcomeJson();
  for (;;) {
    if (options.signal?.aborted) throw new SimulationCancelled(done);
    let chunk;
    try {
      chunk = await result.fetchChunk();
    } catch (error) {
      // An interrupted query fails with DuckDB's own message: the run was cancelled.
      if (options.signal?.aborted) throw new SimulationCancelled(done);
      throw error;
    }
    if (!chunk || chunk.rowCount === 0) break;
    const texts = chunk.getColumnValues(0);
    const outcomes = new Array<ProfileOutcome>(texts.length);
    for (let i = 0; i < texts.length; i++)
      outcomes[i] = JSON.parse(String(texts[i])) as ProfileOutcome;
    done += outcomes.length;
    yield outcomes;
    options.onRows?.(done, total);
  }
  if (done !== total)
    throw new Error(`DuckDB returned ${done} outcomes where the simulation decided ${total}`);
}
