/**
 * Writing a simulation's report (stdout, or `--out` all or nothing) and the DuckDB engine's
 * run of `aep-dest simulate`, whose outcomes stream to a temp file and never sit in memory.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { jsonReportChunks } from '../../../common/jsonReport';
import {
  type ReportMeta,
  toCsvReport,
  toMarkdownReport,
  toTextPlan,
} from '../../../common/reportFormats';
import type { SimulationResult } from '../../../common/simulationReport';
import { EngineResourceError } from '../simulation/duckdb/session';
import type { LeadFieldName } from '../simulation/leads';
import { SimulationCancelled, SimulationInputError } from '../simulation/simulate';
import type { SimulationConfig } from '../simulation/types';
import { writeAtomically } from './atomicWrite';
import { CliError } from './cliError';
import type { CommandContext } from './commandTypes';
import { describeFsError, toForwardSlashes } from './fileArgs';
import { type ProgressLine, type StreamedRun, runDuckDb, streamedReport } from './simulateEngine';

/** The report formats of `aep-dest simulate` (its SIMULATE_FORMATS). */
type SimulateFormat = 'text' | 'json' | 'markdown' | 'csv';
/** What of the simulate options the report needs. */
interface SimulateOptions {
  format: SimulateFormat;
  out: string | undefined;
}
/** An input file: where to read it and how to name it in messages. */
interface InputPath {
  absolute: string;
  display: string;
}

/** The report to stdout, or to `--out` all or nothing. */
export function writeReport(
  ctx: CommandContext,
  options: SimulateOptions,
  chunks: Iterable<string>,
): void {
  if (options.out === undefined) {
    for (const chunk of chunks) ctx.io.stdout(chunk);
    return;
  }
  const target = path.resolve(ctx.cwd, options.out);
  try {
    writeAtomically(target, chunks);
  } catch (error) {
    throw new CliError(
      `cannot write ${toForwardSlashes(options.out)}: ${describeFsError(error)}`,
      'file',
    );
  }
}

/**
 * The DuckDB engine: outcomes streamed to a temp file (beside `--out`, else in the temp
 * directory), the report assembled from it. Ctrl-C interrupts DuckDB, removes the temp files
 * and exits 130; input errors, out of memory and a full disk are one line each.
 */
export async function simulateStreaming(
  ctx: CommandContext,
  options: SimulateOptions,
  config: SimulationConfig,
  inputs: { profiles: InputPath; leads: InputPath },
  run: {
    partitionNames: ReadonlyMap<string, string> | undefined;
    leadFields: readonly LeadFieldName[] | undefined;
    progress: ProgressLine | undefined;
    meta: ReportMeta;
    color: boolean;
  },
): Promise<number> {
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  const tempDir =
    options.out === undefined ? os.tmpdir() : path.dirname(path.resolve(ctx.cwd, options.out));
  let streamed: StreamedRun | undefined;
  try {
    streamed = await runDuckDb(
      config,
      { profiles: inputs.profiles.absolute, leads: inputs.leads.absolute },
      {
        format: options.format,
        tempDir,
        partitionNames: run.partitionNames,
        leadFields: run.leadFields,
        signal: controller.signal,
        progress: run.progress,
      },
    );
    run.progress?.clear();
    const done = streamed;
    const chunks =
      options.format === 'json' || options.format === 'csv'
        ? streamedReport(done, options.format)
        : reportChunks(options.format, done.result, run.meta, run.color);
    writeReport(ctx, options, chunks);
    return 0;
  } catch (error) {
    run.progress?.clear();
    if (error instanceof SimulationCancelled) {
      ctx.io.stderr('aep-dest: interrupted: the simulation stopped and nothing was written\n');
      return 130;
    }
    if (error instanceof SimulationInputError) {
      const input = [inputs.profiles, inputs.leads].find((i) => i.absolute === error.file);
      throw new CliError(`${input?.display ?? error.file}:${error.line}: ${error.problem}`, 'file');
    }
    if (error instanceof EngineResourceError) throw new CliError(error.message, 'file');
    throw error;
  } finally {
    process.removeListener('SIGINT', onSigint);
    if (streamed) fs.rmSync(streamed.body, { force: true });
  }
}

/** The report as chunks: JSON streamed outcome batch by outcome batch, others whole. */
export function reportChunks(
  format: SimulateFormat,
  result: SimulationResult,
  meta: ReportMeta,
  color: boolean,
): Iterable<string> {
  switch (format) {
    case 'json':
      return (function* () {
        yield* jsonReportChunks(result);
        yield '\n';
      })();
    case 'markdown':
      return [toMarkdownReport(result, meta)];
    case 'csv':
      return [toCsvReport(result)];
    case 'text':
      return [toTextPlan(result, meta, { color })];
  }
}
