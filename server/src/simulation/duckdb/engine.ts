/**
 * The DuckDB engine of Simulate Export, for samples of millions of rows. DuckDB reads the
 * CSV or Parquet files itself, normalises the dedupe key, groups the leads, joins one row
 * per profile, decides it (`decision.ts`, the SQL of `outcome.ts`) and formats its report
 * row (`rows.ts`): no row crosses into JavaScript. `decideRun.ts` reads and counts; this file
 * opens the session and writes the rows. Out of core: memory is capped, big joins
 * spill to a temp directory that is removed afterwards (or by a later run: `../tempDirs.ts`).
 *
 *   const sim = await openDuckDbSimulation(config, { profiles, leads }, {});
 *   try { const { summary, apiPlan, warnings } = sim.run; await sim.writeRows(…); }
 *   finally { sim.close(); }
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ProfileOutcome, SimulationResult } from '../../../../common/simulationReport';
import { markOrdered } from '../../../../common/jsonReport';
import type { SimulationConfig } from '../types';
import { SimulationCancelled } from '../types';
import { makeOwnedTempDir } from '../tempDirs';
import { UnsupportedInput } from './csvLines';
import type * as decision from './decision';
import {
  type DuckDbOptions,
  type DuckDbRun,
  type EnginePhase,
  type RowFormat,
  decide,
} from './decideRun';
import { loadDuckDb } from './load';
import * as rows from './rows';
import { Session } from './session';
import * as sql from './sql';

export { DuckDbUnavailable, loadDuckDb } from './load';
export { UnsupportedInput } from './csvLines';
export { EngineResourceError } from './session';

export type { DuckDbOptions, DuckDbRun, EnginePhase, RowFormat } from './decideRun';

/** Whether a file is one the DuckDB engine reads (CSV, TSV, SSV, Parquet), by extension. */
export function duckDbReads(file: string): boolean {
  return /\.(csv|tsv|ssv|parquet)$/i.test(file);
}

/** What each row format's file is made of: the line end DuckDB writes after every row. */
const ROW_END: Record<RowFormat, string> = { json: ',', csv: '\\r\\n', markdown: '\\n' };

/** From this much input (both files), DuckDB's allocator purges in background threads. */
const BACKGROUND_PURGE_BYTES = 512 * 1024 * 1024;

/** The size of both inputs in bytes (a file that cannot be read counts 0: its reader says why). */
export function inputBytes(files: { profiles: string; leads: string }): number {
  const size = (file: string): number => {
    try {
      return fs.statSync(file).size;
    } catch {
      return 0;
    }
  };
  return size(files.profiles) + size(files.leads);
}

/** A simulation decided in DuckDB: its counts are known, its rows are written on demand. */
export class DuckDbSimulation {
  private constructor(
    private readonly session: Session,
    private readonly plan: decision.DecisionPlan,
    readonly run: DuckDbRun,
    private readonly options: DuckDbOptions,
    private readonly detach: () => void,
  ) {}

  static async open(
    config: SimulationConfig,
    files: { profiles: string; leads: string },
    options: DuckDbOptions,
  ): Promise<DuckDbSimulation> {
    for (const file of [files.profiles, files.leads]) {
      if (!duckDbReads(file))
        throw new UnsupportedInput(`${file}: the DuckDB engine reads CSV and Parquet files only`);
    }
    const duckdb = await loadDuckDb();
    const temp = makeOwnedTempDir(options.spillDir ?? os.tmpdir(), 'aep-dest-duckdb-');
    const settings: Record<string, string> = {
      memory_limit: options.memoryLimit ?? '1GB',
      temp_directory: path.join(temp, 'spill'),
      preserve_insertion_order: 'true',
      threads: String(options.threads ?? os.availableParallelism()),
      // Threads that give freed memory back while a big run sorts and joins: at 10M × 10M the
      // peak RSS was 1.51–1.69 GB in four runs with them, 1.56–2.08 GB in six without. On a
      // small run they cost more than they save (1M: 5.6–5.8 s against 5.1–5.7 s).
      allocator_background_threads: String(inputBytes(files) >= BACKGROUND_PURGE_BYTES),
    };
    let session: Session | undefined;
    const onAbort = (): void => session?.interrupt();
    options.signal?.addEventListener('abort', onAbort);
    const detach = (): void => options.signal?.removeEventListener('abort', onAbort);
    try {
      session = new Session(
        await duckdb.DuckDBInstance.create(':memory:', settings),
        temp,
        () => options.signal?.aborted === true,
      );
      await session.open();
      const { plan, run } = await decide(session, config, files, options);
      return new DuckDbSimulation(session, plan, run, options, detach);
    } catch (error) {
      detach();
      session?.close();
      if (!session) fs.rmSync(temp, { recursive: true, force: true });
      if (options.signal?.aborted && !(error instanceof SimulationCancelled))
        throw new SimulationCancelled(0);
      throw error;
    }
  }

  /**
   * Writes the report to `file`: `head`, every profile's row in file order, `tail`. DuckDB
   * writes the whole file (the head joined to the first row, the tail to the last).
   */
  async writeRows(format: RowFormat, file: string, head: string, tail: string): Promise<void> {
    const total = this.run.summary.profiles;
    if (total === 0) {
      fs.writeFileSync(file, head + tail);
      return;
    }
    const row =
      format === 'json'
        ? rows.jsonRowSql(this.plan)
        : format === 'csv'
          ? rows.csvRowSql(this.plan)
          : rows.markdownRowSql(this.plan);
    // JSON rows are separated by ','; the one DuckDB writes after the last row is cut below.
    const text =
      `CASE WHEN pos = 0 THEN ${sql.quote(head)} ELSE '' END || ${row}` +
      ` || CASE WHEN pos = ${total - 1} THEN ${sql.quote(tail)} ELSE '' END`;
    const copy =
      `COPY (SELECT ${text} FROM D ORDER BY pos) TO ${sql.quote(file)} ` +
      `(FORMAT csv, HEADER false, QUOTE '', NEW_LINE '${ROW_END[format]}')`;
    await this.progressOf('writing', total, () => this.session.run(copy));
    if (format === 'json') fs.truncateSync(file, fs.statSync(file).size - 1);
  }

  /** The first `max` outcomes of each action and skip reason, in file order (the text plan). */
  async shownOutcomes(
    max: number,
  ): Promise<{ shown: ProfileOutcome[]; counts: Map<string, number> }> {
    const key = "CASE WHEN act = 'skip' THEN 'skip:' || coalesce(reason, '') ELSE act END";
    const counted = await this.session.rows(
      `SELECT replace(${key}, 'follow', 'update') AS g, count(*)::BIGINT FROM D GROUP BY g`,
    );
    const counts = new Map(counted.map((r) => [String(r[0]), Number(r[1])]));
    const shown = await this.session.rows(
      `SELECT ${rows.jsonRowSql(this.plan)} FROM D
       QUALIFY row_number() OVER (PARTITION BY replace(${key}, 'follow', 'update') ORDER BY pos) <= ${max}
       ORDER BY pos`,
    );
    return { shown: shown.map((r) => JSON.parse(String(r[0])) as ProfileOutcome), counts };
  }

  /**
   * The JSON report's outcome objects as texts, one a row in file order, streamed: a reader
   * takes them chunk by chunk (`outcomeChunks.ts`), never all at once.
   */
  streamOutcomeJson(): ReturnType<Session['stream']> {
    return this.session.stream(`SELECT ${rows.jsonRowSql(this.plan)} FROM D ORDER BY pos`);
  }

  /** Every outcome, in file order (tests and small samples). */
  async outcomes(): Promise<ProfileOutcome[]> {
    const all = await this.session.rows(`SELECT ${rows.jsonRowSql(this.plan)} FROM D ORDER BY pos`);
    return all.map((r) => JSON.parse(String(r[0])) as ProfileOutcome);
  }

  /** Closes DuckDB and removes its temp directory. */
  close(): void {
    this.detach();
    this.session.close();
  }

  /** Runs `work`, reporting DuckDB's progress of it every 250 ms; Ctrl-C stops it. */
  private async progressOf(
    phase: EnginePhase,
    total: number,
    work: () => Promise<void>,
  ): Promise<void> {
    const report = this.options.onProgress;
    report?.(phase, 0, total);
    const timer = report
      ? setInterval(() => {
          const p = this.session.progress();
          if (p !== undefined) report(phase, Math.round((total * Math.max(0, p)) / 100), total);
        }, 250)
      : undefined;
    try {
      await work();
    } catch (error) {
      if (this.options.signal?.aborted) throw new SimulationCancelled(0);
      throw error;
    } finally {
      if (timer) clearInterval(timer);
    }
    report?.(phase, total, total);
  }
}

export const openDuckDbSimulation = (
  config: SimulationConfig,
  files: { profiles: string; leads: string },
  options: DuckDbOptions = {},
): Promise<DuckDbSimulation> => DuckDbSimulation.open(config, files, options);

/** The whole result, outcomes collected (tests, small samples): the TypeScript engine's shape. */
export async function simulateFilesWithDuckDb(
  config: SimulationConfig,
  files: { profiles: string; leads: string },
  options: DuckDbOptions = {},
): Promise<SimulationResult> {
  const sim = await openDuckDbSimulation(config, files, options);
  try {
    const outcomes = await sim.outcomes();
    return markOrdered({ ...sim.run, outcomes });
  } finally {
    sim.close();
  }
}
