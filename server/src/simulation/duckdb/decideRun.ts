/**
 * The DuckDB engine's first step (`engine.ts`): read both inputs, build the tables and view D,
 * and count the outcomes. What is left afterwards is writing view D's rows in a report format.
 */
import type { ApiPlan, SimulationSummary } from '../../../../common/simulationReport';
import { ListCounter, planFromCounts, quotaWarning } from '../apiPlan';
import type { LeadFieldName } from '../leads';
import { configWarnings, leadWarnings } from '../outcome';
import { NO_MEMBERSHIP_WARNING } from '../simulate';
import type { SimulationConfig } from '../types';
import { SimulationCancelled } from '../types';
import { profilePlan } from './columns';
import { type CsvLayout, scanCsv } from './csvLines';
import * as decision from './decision';
import * as rows from './rows';
import { type Input, type Session, checkLeads, fixTimestamps, inputError } from './session';
import * as sql from './sql';

export type EnginePhase = 'reading' | 'matching' | 'writing';
/** The report formats whose rows DuckDB writes (text is a summary: `shownOutcomes`). */
export type RowFormat = 'json' | 'csv' | 'markdown';

export interface DuckDbOptions {
  partitionNames?: ReadonlyMap<string, string>;
  leadFields?: readonly LeadFieldName[];
  /** `done` and `total` in rows when known, else 0. */
  onProgress?: (phase: EnginePhase, done: number, total: number) => void;
  signal?: AbortSignal;
  /** DuckDB's memory limit (default 1GB: with the process's own, well under 2 GB). */
  memoryLimit?: string;
  /** Default: every core. */
  threads?: number;
  /** Where DuckDB spills (default: the system temp directory). */
  spillDir?: string;
}

export interface DuckDbRun {
  summary: Required<SimulationSummary>;
  apiPlan: ApiPlan;
  warnings: string[];
}

const isParquet = (file: string): boolean => /\.parquet$/i.test(file);

/** Reads both inputs, builds the tables and view D, and counts the outcomes. */
export async function decide(
  session: Session,
  config: SimulationConfig,
  files: { profiles: string; leads: string },
  options: DuckDbOptions,
): Promise<{ plan: decision.DecisionPlan; run: DuckDbRun }> {
  const checkCancel = (): void => {
    if (options.signal?.aborted) throw new SimulationCancelled(0);
  };
  const progress = options.onProgress;
  progress?.('reading', 0, 0);
  const [profilesIn, leadsIn] = await Promise.all([
    describeInput(session, files.profiles),
    describeInput(session, files.leads),
  ]);
  checkCancel();
  const plan = decision.decisionPlan(config, profilePlan(profilesIn.header, config));
  // The profile lines are scanned in TypeScript while DuckDB reads the leads.
  const lines: Promise<CsvLayout | undefined> =
    profilesIn.kind === 'csv' ? scanCsv(files.profiles) : Promise.resolve(undefined);
  lines.catch(() => undefined);
  // One statement: each round trip to DuckDB's thread costs more than the macro itself.
  const macros = [
    decision.jsonMacroSql(),
    rows.fastJsonMacroSql(),
    decision.trimMacroSql(),
    rows.csvQuoteMacroSql(),
    rows.csvMacroSql(),
    rows.markdownMacroSql(),
    decision.partitionNamesSql(options.partitionNames),
  ];
  await session.run(macros.join(';\n'));
  await checkLeads(session, leadsIn, config, options.leadFields, plan.caseInsensitive);
  await fixTimestamps(session, leadsIn);
  checkCancel();
  progress?.('matching', 0, 0);
  for (const statement of decision.leadGroupsSql()) await session.run(statement);
  const layout = await lines;
  const lineBase = layout ? layout.headerLine + 1 : 1;
  const irregular = layout !== undefined && !regularLines(layout);
  if (irregular) await loadLines(session, layout);
  await session.run(
    decision.profilesTableSql(sql.scanSql(profilesIn.scan), plan, irregular, lineBase),
    profilesIn,
  );
  const total = Number(await session.value('SELECT count(*)::BIGINT FROM P'));
  if (layout && layout.rows !== total) {
    throw inputError(
      files.profiles,
      1,
      `DuckDB read ${total} profiles where the CSV has ${layout.rows} records`,
    );
  }
  await session.run(decision.creatorsSql(plan));
  const warningColumns = rows.rowColumnsSql(plan);
  await session.run(
    `CREATE VIEW D AS SELECT *${warningColumns ? `, ${warningColumns}` : ''} FROM (${decision.decidedSql(plan)})`,
  );
  checkCancel();
  const counts = decision.countsSql(plan);
  const c = ((await session.rows(counts.sql))[0] ?? []).map((v) => Number(v));
  const at = (i: number): number => c[i] ?? 0;
  const summary: Required<SimulationSummary> = {
    profiles: at(0),
    create: at(1),
    update: at(2),
    addToList: at(3),
    skip: at(4),
    removeFromList: at(5),
    addedToLists: at(6),
    removedFromLists: at(7),
  };
  const lists = new ListCounter();
  plan.audienceIds.forEach((id, k) => {
    const members = at(9 + 2 * k);
    const removed = at(10 + 2 * k);
    if (members > 0) lists.members.set(id, members);
    if (removed > 0) lists.removed.set(id, removed);
  });
  const warnings = configWarnings(config);
  if (!plan.profiles.withMembership && plan.audienceIds.length > 0 && total > 0)
    warnings.push(NO_MEMBERSHIP_WARNING);
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
  const apiPlan = planFromCounts(config, summary, lists, at(8));
  const quota = quotaWarning(apiPlan);
  if (quota) warnings.push(quota);
  return { plan, run: { summary, apiPlan, warnings } };
}

/** Whether every record starts one line after the one before (no quoted line break, no blank line). */
function regularLines(layout: CsvLayout): boolean {
  const base = layout.headerLine + 1;
  for (let i = 0; i < layout.rows; i++) if (layout.lines[i] !== i + base) return false;
  return true;
}

/** Table LN(pos, line) of a CSV whose records do not start one line apart. */
async function loadLines(session: Session, layout: CsvLayout): Promise<void> {
  await session.run('CREATE TABLE LN (pos BIGINT, line BIGINT)');
  const appender = await session.appender('LN');
  try {
    const base = layout.headerLine + 1;
    for (let i = 0; i < layout.rows; i++) {
      const line = layout.lines[i] as number;
      if (line === i + base) continue;
      appender.appendBigInt(BigInt(i));
      appender.appendBigInt(BigInt(line));
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

/** "3 profiles share the dedupe value a@x.com", first appearance first (`SharedValueCounter`). */
async function sharedValueWarnings(session: Session): Promise<string[]> {
  const shared = await session.rows(sql.SHARED_VALUES);
  const warnings = shared.map(
    (r) => `${String(r[1])} profiles share the dedupe value ${String(r[0])}`,
  );
  const total = shared.length > 0 ? Number(shared[0]?.[3]) : 0;
  const more = total - shared.length;
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
