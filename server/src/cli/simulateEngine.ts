/**
 * `aep-dest simulate --engine`: which engine runs (auto: DuckDB for CSV/Parquet samples
 * above AUTO_DUCKDB_BYTES, TypeScript otherwise), the DuckDB run with its outcomes streamed
 * to a temp file beside the report (then the report assembled from it: memory stays flat),
 * the progress line on stderr, and Ctrl-C (DuckDB interrupted, temp files removed, 130).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { jsonReportChunks } from '../../../common/jsonReport';
import { toCsvReport } from '../../../common/reportFormats';
import type { ProfileOutcome, SimulationResult } from '../../../common/simulationReport';
import {
  DuckDbUnavailable,
  type EnginePhase,
  duckDbReads,
  loadDuckDb,
  simulateWithDuckDb,
} from '../simulation/duckdb/engine';
import type { LeadFieldName } from '../simulation/leads';
import type { SimulationConfig } from '../simulation/types';
import { CliError } from './cliError';

export const ENGINES = ['auto', 'duckdb', 'typescript'] as const;
export type EngineChoice = (typeof ENGINES)[number];

/**
 * Inputs at least this large together (CSV) go to DuckDB under `auto`. Below, the TypeScript
 * engine is faster today (see docs/simulation-engine.md); above, it runs out of memory.
 */
export const AUTO_DUCKDB_BYTES = 400 * 1024 * 1024;
/** Without DuckDB, inputs larger than this are refused: the TypeScript engine holds them in memory. */
export const TYPESCRIPT_MAX_BYTES = 400 * 1024 * 1024;

const sizeOf = (file: string): number => {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
};

/**
 * The engine to run. DuckDB when asked, or for Parquet, or under `auto` for large CSV read as
 * UTF-8; a platform without DuckDB gets one note and the TypeScript engine for small inputs,
 * an error for large ones (or when DuckDB was asked for).
 */
export async function chooseEngine(
  choice: EngineChoice,
  files: { profiles: string; leads: string },
  encoding: string | undefined,
  note: (line: string) => void,
): Promise<'duckdb' | 'typescript'> {
  const parquet = [files.profiles, files.leads].some((f) => /\.parquet$/i.test(f));
  const readable = duckDbReads(files.profiles) && duckDbReads(files.leads);
  if (parquet && !readable) {
    throw new CliError(
      'Parquet input needs the other file in CSV or Parquet too (the DuckDB engine reads both)',
      'file',
    );
  }
  if (choice === 'typescript') {
    if (parquet) throw new CliError('Parquet input needs --engine duckdb (or auto)', 'usage');
    return 'typescript';
  }
  const bytes = sizeOf(files.profiles) + sizeOf(files.leads);
  const utf8 = encoding === undefined || /^utf-?8$/i.test(encoding.trim());
  const wanted = choice === 'duckdb' || parquet || (readable && utf8 && bytes >= AUTO_DUCKDB_BYTES);
  if (!wanted) return 'typescript';
  if (choice === 'duckdb' && !readable)
    throw new CliError('--engine duckdb reads CSV and Parquet files only', 'usage');
  if (choice === 'duckdb' && !utf8)
    throw new CliError(`--engine duckdb reads UTF-8 only (not ${String(encoding)})`, 'usage');
  try {
    await loadDuckDb();
    return 'duckdb';
  } catch (error) {
    if (!(error instanceof DuckDbUnavailable)) throw error;
    if (choice === 'duckdb' || parquet || bytes > TYPESCRIPT_MAX_BYTES)
      throw new CliError(error.message, 'file');
    note(`${error.message}; using the TypeScript engine`);
    return 'typescript';
  }
}

/** The one progress line on stderr: phase, rows, rows per second, ETA; rewritten in place. */
export class ProgressLine {
  private last = 0;
  private readonly started = performance.now();
  private phaseStarted = performance.now();
  private phase = '';
  private shown = false;

  constructor(private readonly write: (text: string) => void) {}

  update(phase: EnginePhase | 'simulating', done: number, total: number): void {
    const now = performance.now();
    if (phase !== this.phase) {
      this.phase = phase;
      this.phaseStarted = now;
    } else if (now - this.last < 250 && done < total) return;
    this.last = now;
    const seconds = (now - this.phaseStarted) / 1000;
    let text = `aep-dest: ${phase}`;
    if (total > 0) {
      const rate = seconds > 0 ? done / seconds : 0;
      const eta = rate > 0 ? Math.ceil((total - done) / rate) : undefined;
      text +=
        ` ${done.toLocaleString('en')} of ${total.toLocaleString('en')} profiles` +
        `, ${Math.round(rate).toLocaleString('en')} rows/s` +
        (eta === undefined ? '' : `, ETA ${eta} s`);
    } else text += ` (${((now - this.started) / 1000).toFixed(0)} s)`;
    this.write(`\r${text}\x1b[K`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.write('\r\x1b[K');
    this.shown = false;
  }
}

/** A run of the DuckDB engine: the result without outcomes, and the file holding them. */
export interface StreamedRun {
  result: SimulationResult;
  /** The outcomes as the JSON report's or the CSV report's body, in a temp file. */
  body: string;
  /** Outcomes kept in memory (text and Markdown reports only). */
  kept: ProfileOutcome[];
}

export async function runDuckDb(
  config: SimulationConfig,
  files: { profiles: string; leads: string },
  options: {
    format: 'json' | 'csv' | 'text' | 'markdown';
    tempDir: string;
    partitionNames: ReadonlyMap<string, string> | undefined;
    leadFields: readonly LeadFieldName[] | undefined;
    signal: AbortSignal;
    progress: ProgressLine | undefined;
  },
): Promise<StreamedRun> {
  const body = path.join(options.tempDir, `.aep-dest-outcomes.${process.pid}.tmp`);
  const fd = fs.openSync(body, 'w');
  const kept: ProfileOutcome[] = [];
  let batch: ProfileOutcome[] = [];
  let first = true;
  const flush = (): void => {
    if (batch.length === 0) return;
    let text: string;
    if (options.format === 'json') {
      text = (first ? '' : ',') + batch.map((o) => JSON.stringify(o)).join(',');
    } else {
      const csv = toCsvReport({ ...EMPTY, outcomes: batch });
      text = csv.slice(csv.indexOf('\r\n') + 2);
    }
    first = false;
    fs.writeSync(fd, text);
    batch = [];
  };
  const streams = options.format === 'json' || options.format === 'csv';
  try {
    const run = await simulateWithDuckDb(config, files, {
      ...(options.partitionNames ? { partitionNames: options.partitionNames } : {}),
      ...(options.leadFields ? { leadFields: options.leadFields } : {}),
      signal: options.signal,
      onProgress: (phase, done, total) => options.progress?.update(phase, done, total),
      onOutcome: (outcome) => {
        if (!streams) {
          kept.push(outcome);
          return;
        }
        batch.push(outcome);
        if (batch.length >= 1000) flush();
      },
    });
    flush();
    return {
      result: {
        summary: run.summary,
        outcomes: kept,
        apiPlan: run.apiPlan,
        warnings: run.warnings,
      },
      body,
      kept,
    };
  } catch (error) {
    fs.closeSync(fd);
    fs.rmSync(body, { force: true });
    throw error;
  } finally {
    try {
      fs.closeSync(fd);
    } catch {
      // closed above
    }
  }
}

const EMPTY: SimulationResult = {
  summary: { profiles: 0, create: 0, update: 0, addToList: 0, skip: 0 },
  outcomes: [],
  apiPlan: {
    syncLeadCalls: 0,
    addToListCalls: 0,
    totalCalls: 0,
    dailyQuotaShare: 0,
    minimumSeconds: 0,
    perList: [],
  },
  warnings: [],
};

/** The report of a streamed run: its head, the body file read in 1 MB chunks, its tail. */
export function* streamedReport(run: StreamedRun, format: 'json' | 'csv'): Generator<string> {
  if (format === 'json') {
    const [head, tail] = [...jsonReportChunks({ ...run.result, outcomes: [] })];
    yield head as string;
    yield* fileChunks(run.body);
    yield `${tail as string}\n`;
  } else {
    yield toCsvReport({ ...run.result, outcomes: [] });
    yield* fileChunks(run.body);
  }
}

function* fileChunks(file: string): Generator<string> {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(1 << 20);
    let carry = Buffer.alloc(0);
    for (;;) {
      const n = fs.readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      // Cut at the last complete UTF-8 character.
      let data = Buffer.concat([carry, buffer.subarray(0, n)]);
      let end = data.length;
      while (end > 0 && ((data[end - 1] as number) & 0xc0) === 0x80) end--;
      if (end > 0 && (data[end - 1] as number) >= 0xc0) end--;
      carry = Buffer.from(data.subarray(end));
      data = data.subarray(0, end);
      yield data.toString('utf8');
    }
    if (carry.length) yield carry.toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}
