/**
 * The DuckDB engine of Simulate Export, for samples of millions of rows: DuckDB reads the
 * CSV or Parquet files, normalises the dedupe key, groups the leads and joins one row per
 * profile (`sql.ts`), out of core in a temp directory; the rows stream back in file order
 * and each goes through the same decision as the TypeScript engine (`OutcomeDecider`).
 * Outcomes go to `onOutcome` as they are decided: nothing per profile is kept.
 *
 *   const run = await simulateWithDuckDb(config, { profiles, leads }, { onOutcome });
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type {
  ApiPlan,
  ProfileOutcome,
  SimulationResult,
  SimulationSummary,
} from '../../../../common/simulationReport';
import { markOrdered } from '../../../../common/jsonReport';
import { isCaseInsensitiveField } from '../leadIndex';
import type { LeadFieldName } from '../leads';
import { OutcomeDecider, configWarnings, leadWarnings } from '../outcome';
import type { SimulationConfig } from '../types';
import { SimulationCancelled } from '../types';
import { NO_MEMBERSHIP_WARNING } from '../simulate';
import { profilePlan } from './columns';
import { type CsvLayout, UnsupportedInput, scanCsv } from './csvLines';
import { loadDuckDb } from './load';
import { type Input, Session, checkLeads, fixTimestamps, inputError } from './session';
import { streamOutcomes } from './stream';
import * as sql from './sql';

export { DuckDbUnavailable, loadDuckDb } from './load';
export { UnsupportedInput } from './csvLines';

export type EnginePhase = 'reading' | 'matching' | 'deciding';

export interface DuckDbOptions {
  partitionNames?: ReadonlyMap<string, string>;
  leadFields?: readonly LeadFieldName[];
  onOutcome: (outcome: ProfileOutcome) => void;
  onProgress?: (phase: EnginePhase, done: number, total: number) => void;
  signal?: AbortSignal;
  /** DuckDB's memory limit (default 1GB: with the process's own, under 2 GB). */
  memoryLimit?: string;
  threads?: number;
}

export interface DuckDbRun {
  summary: SimulationSummary;
  apiPlan: ApiPlan;
  warnings: string[];
}

/** Whether a file is one the DuckDB engine reads (CSV, TSV, SSV, Parquet), by extension. */
export function duckDbReads(file: string): boolean {
  return /\.(csv|tsv|ssv|parquet)$/i.test(file);
}

const isParquet = (file: string): boolean => /\.parquet$/i.test(file);

export async function simulateWithDuckDb(
  config: SimulationConfig,
  files: { profiles: string; leads: string },
  options: DuckDbOptions,
): Promise<DuckDbRun> {
  for (const file of [files.profiles, files.leads]) {
    if (!duckDbReads(file))
      throw new UnsupportedInput(`${file}: the DuckDB engine reads CSV and Parquet files only`);
  }
  const duckdb = await loadDuckDb();
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'aep-dest-duckdb-'));
  const settings: Record<string, string> = {
    memory_limit: options.memoryLimit ?? '1GB',
    temp_directory: path.join(temp, 'spill'),
    preserve_insertion_order: 'true',
  };
  if (options.threads !== undefined) settings.threads = String(options.threads);
  const session = new Session(await duckdb.DuckDBInstance.create(':memory:', settings), temp);
  const onAbort = (): void => session.interrupt();
  options.signal?.addEventListener('abort', onAbort);
  try {
    await session.open();
    const checkCancel = (done: number): void => {
      if (options.signal?.aborted) throw new SimulationCancelled(done);
    };
    const progress = options.onProgress;
    progress?.('reading', 0, 0);
    const [profilesIn, leadsIn] = await Promise.all([
      describeInput(session, files.profiles),
      describeInput(session, files.leads),
    ]);
    checkCancel(0);
    const caseInsensitive = isCaseInsensitiveField(config.dedupeField);
    // The profile lines are scanned in TypeScript while DuckDB reads and groups.
    const lines: Promise<CsvLayout | undefined> =
      profilesIn.kind === 'csv' ? scanCsv(files.profiles) : Promise.resolve(undefined);
    lines.catch(() => undefined);
    await checkLeads(session, leadsIn, config, options.leadFields, caseInsensitive);
    await fixTimestamps(session, leadsIn);
    checkCancel(0);
    progress?.('matching', 0, 0);
    const decider = new OutcomeDecider(config, 0);
    for (const statement of sql.groupsSql(decider.fields.length)) await session.run(statement);
    const plan = profilePlan(profilesIn.header, config);
    await session.run(
      sql.profilesSql(sql.scanSql(profilesIn.scan), plan, caseInsensitive),
      profilesIn,
    );
    await session.run(sql.CREATORS);
    const total = Number(await session.value('SELECT count(*)::BIGINT FROM P'));
    const layout = await lines;
    if (layout && layout.rows !== total) {
      throw inputError(
        files.profiles,
        1,
        `DuckDB read ${total} profiles where the CSV has ${layout.rows} records`,
      );
    }
    checkCancel(0);
    decider.summary.profiles = total;
    const warnings = configWarnings(config);
    if (!plan.withMembership && plan.audienceIds.length > 0 && total > 0)
      warnings.push(NO_MEMBERSHIP_WARNING);
    const lineOf = layout
      ? (i: number): number => layout.lines[i] ?? i + layout.headerLine + 1
      : (i: number): number => i + 1;
    progress?.('deciding', 0, total);
    await streamOutcomes(session, {
      decider,
      plan,
      partitionNames: options.partitionNames,
      lineOf,
      total,
      onOutcome: options.onOutcome,
      onProgress: (done) => {
        checkCancel(done);
        progress?.('deciding', done, total);
      },
    });
    const without = Number(await session.value(sql.LEADS_WITHOUT_VALUE));
    const leadCount = Number(await session.value('SELECT count(*)::BIGINT FROM L'));
    warnings.push(
      ...leadWarnings(
        without,
        leadCount,
        config.dedupeField,
        leadsIn.header.includes(config.dedupeField),
      ),
    );
    warnings.push(...(await sharedValueWarnings(session)));
    const { apiPlan, quota } = decider.plan();
    if (quota) warnings.push(quota);
    return { summary: decider.summary, apiPlan, warnings };
  } catch (error) {
    if (options.signal?.aborted && !(error instanceof SimulationCancelled))
      throw new SimulationCancelled(0);
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    session.close();
  }
}

/** "3 profiles share the dedupe value a@x.com", first appearance first (`SharedValueCounter`). */
async function sharedValueWarnings(session: Session): Promise<string[]> {
  const rows = await session.rows(sql.SHARED_VALUES);
  const warnings = rows.map(
    (r) => `${String(r[1])} profiles share the dedupe value ${String(r[0])}`,
  );
  const total = rows.length > 0 ? Number(rows[0]?.[3]) : 0;
  const more = total - rows.length;
  if (more > 0) warnings.push(`… and ${more} more dedupe values are shared by several profiles`);
  return warnings;
}

/** The header and the DuckDB scan of an input. */
async function describeInput(session: Session, file: string): Promise<Input> {
  if (isParquet(file)) {
    const names = (
      await session.rows(`DESCRIBE SELECT * FROM read_parquet(${sql.quote(file)})`)
    ).map((r) => String(r[0]));
    return {
      file,
      kind: 'parquet',
      header: names,
      headerLine: 1,
      scan: { file, kind: 'parquet', width: names.length, names },
    };
  }
  const head = await scanCsv(file, { stopAfter: -1 });
  return {
    file,
    kind: 'csv',
    header: head.header,
    headerLine: head.headerLine,
    scan: { file, kind: 'csv', width: head.header.length, delimiter: head.delimiter },
  };
}

/** The whole result, outcomes collected (tests, small samples): the TypeScript engine's shape. */
export async function simulateFilesWithDuckDb(
  config: SimulationConfig,
  files: { profiles: string; leads: string },
  options: Omit<DuckDbOptions, 'onOutcome'> = {},
): Promise<SimulationResult> {
  const outcomes: ProfileOutcome[] = [];
  const run = await simulateWithDuckDb(config, files, {
    ...options,
    onOutcome: (o) => outcomes.push(o),
  });
  return markOrdered({
    summary: run.summary,
    outcomes,
    apiPlan: run.apiPlan,
    warnings: run.warnings,
  });
}
