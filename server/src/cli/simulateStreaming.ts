/**
 * Writing a simulation's report (stdout, or `--out` all or nothing) and the DuckDB engine's
 * run of `aep-dest simulate`, whose outcomes stream to a temp file and never sit in memory.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { jsonReportChunks } from '../../../common/jsonReport';
import {
  type ReportMeta,
  csvReportChunks,
  markdownReportChunks,
  toTextPlan,
} from '../../../common/reportFormats';
import type { SimulationResult } from '../../../common/simulationReport';
import {
  type DuckDbSimulation,
  EngineResourceError,
  openDuckDbSimulation,
} from '../simulation/duckdb/engine';
import { textPlan, writeReportFile } from '../simulation/duckdb/report';
import type { LeadFieldName } from '../simulation/leads';
import { SimulationCancelled, SimulationInputError } from '../simulation/simulate';
import type { SimulationConfig } from '../simulation/types';
import { writeAtomically } from './atomicWrite';
import { CliError } from './cliError';
import type { CommandContext } from './commandTypes';
import { describeFsError, toForwardSlashes } from './fileArgs';
import type { ProgressLine } from './simulateEngine';

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
 * The DuckDB engine: DuckDB decides every profile and writes the report's rows itself, into
 * a temp file beside `--out` (renamed over it once complete) or in the temp directory (then
 * copied to stdout). Ctrl-C interrupts DuckDB, removes the temp files and exits 130; input
 * errors, out of memory and a full disk are one line each.
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
  const target = options.out === undefined ? undefined : path.resolve(ctx.cwd, options.out);
  const direct = target !== undefined && !isSpecialFile(target);
  const temp = direct
    ? path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`)
    : path.join(os.tmpdir(), `.aep-dest-report.${process.pid}.tmp`);
  let sim: DuckDbSimulation | undefined;
  try {
    sim = await openDuckDbSimulation(
      config,
      { profiles: inputs.profiles.absolute, leads: inputs.leads.absolute },
      {
        ...(run.partitionNames ? { partitionNames: run.partitionNames } : {}),
        ...(run.leadFields ? { leadFields: run.leadFields } : {}),
        signal: controller.signal,
        onProgress: (phase, done, total) => run.progress?.update(phase, done, total),
        // DuckDB's memory cap (default 1GB); beyond it, joins spill to the temp directory.
        ...(process.env.AEP_DEST_DUCKDB_MEMORY
          ? { memoryLimit: process.env.AEP_DEST_DUCKDB_MEMORY }
          : {}),
      },
    );
    if (options.format === 'text') {
      const plan = await textPlan(sim, run.meta, run.color);
      run.progress?.clear();
      writeReport(ctx, options, [plan]);
      return 0;
    }
    try {
      await writeReportFile(sim, options.format, run.meta, temp);
    } catch (error) {
      throw writeError(error, options.out);
    }
    run.progress?.clear();
    if (direct) {
      fs.renameSync(temp, target);
    } else if (options.out === undefined && ctx.io.stdoutBytes) {
      for (const bytes of fileBytes(temp)) ctx.io.stdoutBytes(bytes);
    } else {
      writeReport(ctx, options, fileChunks(temp));
    }
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
    sim?.close();
    fs.rmSync(temp, { force: true });
  }
}

/** A failure to write the report's rows: the disk, named with the report, or as it is. */
function writeError(error: unknown, out: string | undefined): unknown {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof EngineResourceError && /disk is full/.test(message)) {
    const where =
      out === undefined ? l10n.t('the report (in the temp directory)') : toForwardSlashes(out);
    return new CliError(l10n.t('cannot write {0}: no space left on the device', where), 'file');
  }
  return error;
}

/** A target that is not a regular file (`/dev/null`, a FIFO): written directly, never renamed over. */
function isSpecialFile(target: string): boolean {
  try {
    const stat = fs.statSync(target);
    return !stat.isFile() && !stat.isDirectory();
  } catch {
    return false;
  }
}

/** A file's bytes in chunks of 1 MB, each its own buffer (a write may still hold the last). */
function* fileBytes(file: string): Generator<Uint8Array> {
  const fd = fs.openSync(file, 'r');
  try {
    for (;;) {
      const buffer = Buffer.allocUnsafe(1 << 20);
      const n = fs.readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      yield buffer.subarray(0, n);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** A file's text in chunks of about 1 MB, cut between UTF-8 characters. */
function* fileChunks(file: string): Generator<string> {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(1 << 20);
    let carry = Buffer.alloc(0);
    for (;;) {
      const n = fs.readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      const data = carry.length
        ? Buffer.concat([carry, buffer.subarray(0, n)])
        : buffer.subarray(0, n);
      let end = data.length;
      // Back up over a character cut in two: its continuation bytes, then its lead byte.
      while (end > 0 && ((data[end - 1] as number) & 0xc0) === 0x80) end--;
      if (end > 0 && (data[end - 1] as number) >= 0xc0) end--;
      else if (end < data.length) end = data.length;
      carry = Buffer.from(data.subarray(end));
      yield data.subarray(0, end).toString('utf8');
    }
    if (carry.length) yield carry.toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/** The report as chunks, outcome batch by outcome batch (the text plan is bounded: whole). */
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
      return markdownReportChunks(result, meta);
    case 'csv':
      return csvReportChunks(result);
    case 'text':
      return [toTextPlan(result, meta, { color })];
  }
}
