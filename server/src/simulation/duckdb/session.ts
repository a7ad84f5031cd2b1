/**
 * A DuckDB connection of one simulation, its temp directory, the errors it turns into the
 * simulation's own (input errors naming the file and line; out of memory and a full disk
 * as one sentence each), and the checks of the leads the TypeScript reader makes: an `id`
 * column, no empty id, every `updatedAt` a date (the ones DuckDB does not cast are parsed
 * with the TypeScript parsers and written back).
 */
import * as fs from 'node:fs';
import type { DuckDBConnection, DuckDBInstance, DuckDBValue } from '@duckdb/node-api';
import { isCaseInsensitiveField } from '../leadIndex';
import { type LeadFieldName, parseIsoTimestamp } from '../leads';
import { parseUiTimestamp } from '../leads';
import type { SimulationConfig } from '../types';
import { SimulationCancelled, SimulationInputError } from '../types';
import { leadColumns } from './columns';
import { scanCsv } from './csvLines';
import * as sql from './sql';

/** An input as the engine reads it. */
export interface Input {
  file: string;
  kind: 'csv' | 'parquet';
  header: string[];
  headerLine: number;
  scan: sql.InputScan;
}

/** Out of memory or disk: one clear error, not a crash. */
export class EngineResourceError extends Error {
  override readonly name = 'EngineResourceError';
}

export function inputError(file: string, line: number, problem: string): SimulationInputError {
  return new SimulationInputError(file, line, problem);
}

export class Session {
  private connection: DuckDBConnection | undefined;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly temp: string,
    /** Whether the run was cancelled: no statement starts after that. */
    private readonly cancelled: () => boolean = () => false,
  ) {}

  async open(): Promise<void> {
    this.connection = await this.instance.connect();
  }

  private get conn(): DuckDBConnection {
    if (!this.connection) throw new Error('DuckDB session is not open');
    return this.connection;
  }

  interrupt(): void {
    this.connection?.interrupt();
  }

  /** The running query's progress in percent, when DuckDB knows it. */
  progress(): number | undefined {
    const p = this.connection?.progress.percentage;
    return p === undefined || p < 0 ? undefined : p;
  }

  /** Runs a statement; a DuckDB error becomes the simulation's error (`input` names the file). */
  async run(statement: string, input?: Input): Promise<void> {
    if (this.cancelled()) throw new SimulationCancelled(0);
    try {
      await traced(statement, () => this.conn.run(statement));
    } catch (error) {
      const translated = translate(error, input);
      // The TypeScript reader's own message for a malformed CSV (ragged row at its line).
      if (translated instanceof SimulationInputError && input?.kind === 'csv')
        await scanCsv(input.file);
      throw translated;
    }
  }

  async rows(query: string, input?: Input): Promise<DuckDBValue[][]> {
    try {
      return (await traced(query, () => this.conn.runAndReadAll(query))).getRows();
    } catch (error) {
      throw translate(error, input);
    }
  }

  async value(query: string): Promise<DuckDBValue> {
    return (await this.rows(query))[0]?.[0] ?? null;
  }

  async stream(query: string): Promise<Awaited<ReturnType<DuckDBConnection['stream']>>> {
    try {
      return await this.conn.stream(query);
    } catch (error) {
      throw translate(error);
    }
  }

  async appender(table: string): Promise<Awaited<ReturnType<DuckDBConnection['createAppender']>>> {
    return this.conn.createAppender(table);
  }

  /** Closes the connection and the database, and removes the temp directory. */
  close(): void {
    try {
      this.connection?.closeSync();
      this.instance.closeSync();
    } finally {
      fs.rmSync(this.temp, { recursive: true, force: true });
    }
  }
}

/** AEP_DEST_DUCKDB_TRACE=1: each statement's wall and CPU time on stderr (diagnostics). */
async function traced<T>(statement: string, work: () => Promise<T>): Promise<T> {
  if (!process.env.AEP_DEST_DUCKDB_TRACE) return work();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const result = await work();
  const cpu = process.cpuUsage(c0);
  process.stderr.write(
    `at ${t0.toFixed(0)} ms: ${(performance.now() - t0).toFixed(0)} ms, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU: ${statement.slice(0, 50).replace(/\s+/g, ' ')}\n`,
  );
  return result;
}

/** A DuckDB error as the simulation's: input (with its line when DuckDB says it), memory, disk. */
export function translate(error: unknown, input?: Input): Error {
  const message = error instanceof Error ? error.message : String(error);
  if (/out of memory|could not allocate|failed to allocate/i.test(message)) {
    return new EngineResourceError(
      `out of memory: DuckDB could not get the memory it needs (${firstLine(message)}); free memory or raise the limit`,
    );
  }
  if (/no space left on device|disk (is )?full/i.test(message)) {
    return new EngineResourceError(
      `the disk is full: DuckDB spills to ${process.env.TMPDIR ?? '/tmp'} (${firstLine(message)})`,
    );
  }
  if (input && /CSV Error|Invalid Input Error|Conversion Error|Parquet/i.test(message)) {
    const line = /on Line: (\d+)/.exec(message);
    return new SimulationInputError(
      input.file,
      line ? Number(line[1]) : 1,
      firstLine(message).replace(/^Invalid Input Error: /, ''),
    );
  }
  return error instanceof Error ? error : new Error(message);
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.trim() ?? text;
}

/** The line of lead `index` (0-based) of a CSV, for an error. */
async function leadLine(input: Input, index: number): Promise<number> {
  if (input.kind !== 'csv') return index + 1;
  const layout = await scanCsv(input.file, { stopAfter: index });
  return layout.lines[index] ?? index + 1;
}

/** Creates table L; throws the TypeScript reader's errors for a missing id column or an empty id. */
export async function checkLeads(
  session: Session,
  input: Input,
  config: SimulationConfig,
  fields: readonly LeadFieldName[] | undefined,
  caseInsensitive = isCaseInsensitiveField(config.dedupeField),
): Promise<void> {
  const cols = leadColumns(input.header, config, fields);
  if (cols.id === undefined) {
    throw inputError(
      input.file,
      input.headerLine,
      `no "id" column: every lead needs its Marketo lead id (columns: ${input.header.join(', ')})`,
    );
  }
  await session.run(
    sql.leadsSql(sql.scanSql(input.scan), { ...cols, id: cols.id }, caseInsensitive),
    input,
  );
  const empty = await session.value(sql.EMPTY_ID);
  if (empty !== null) {
    const index = Number(empty);
    throw inputError(input.file, await leadLine(input, index), `lead ${index + 1} has an empty id`);
  }
}

/** Parses the `updatedAt` DuckDB did not cast, as `parseTimestamps` does; refuses an invalid one. */
export async function fixTimestamps(session: Session, input: Input): Promise<void> {
  const slow = await session.rows(`${sql.SLOW_TIMESTAMPS} ORDER BY lpos`);
  if (slow.length === 0) return;
  await session.run('CREATE TABLE U (lpos BIGINT, ms DOUBLE)');
  const appender = await session.appender('U');
  try {
    for (const [lpos, upd] of slow) {
      const text = String(upd);
      let ms = parseIsoTimestamp(text);
      if (Number.isNaN(ms)) ms = parseUiTimestamp(text);
      if (Number.isNaN(ms)) {
        const index = Number(lpos);
        throw inputError(
          input.file,
          await leadLine(input, index),
          `lead ${index + 1} has an invalid updatedAt ${JSON.stringify(text)}: expected ISO 8601, such as 2024-05-01T12:00:00Z, or Marketo's UI format, such as 5/1/2024 12:00 PM`,
        );
      }
      appender.appendBigInt(BigInt(lpos as bigint));
      appender.appendDouble(ms);
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
  await session.run(sql.FIX_TIMESTAMPS);
}
