/**
 * `aep-dest simulate --engine`: which engine runs (auto: DuckDB for CSV/Parquet samples
 * above AUTO_DUCKDB_BYTES, TypeScript otherwise), the DuckDB run with its outcomes streamed
 * to a temp file beside the report (then the report assembled from it: memory stays flat),
 * the progress line on stderr, and Ctrl-C (DuckDB interrupted, temp files removed, 130).
 */
import * as fs from 'node:fs';
import * as v8 from 'node:v8';
import * as l10n from '@vscode/l10n';
import {
  DuckDbUnavailable,
  type EnginePhase,
  duckDbReads,
  loadDuckDb,
} from '../simulation/duckdb/engine';
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
  const bytes = sizeOf(files.profiles) + sizeOf(files.leads);
  if (choice === 'typescript') {
    if (parquet) throw new CliError('Parquet input needs --engine duckdb (or auto)', 'usage');
    return typescriptFits(bytes);
  }
  const utf8 = encoding === undefined || /^utf-?8$/i.test(encoding.trim());
  const wanted = choice === 'duckdb' || parquet || (readable && utf8 && bytes >= AUTO_DUCKDB_BYTES);
  if (!wanted) return typescriptFits(bytes);
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
    return typescriptFits(bytes);
  }
}

/**
 * The V8 heap the TypeScript engine needs per byte of input, measured at 1M × 1M CSV (1.07 GB
 * for 166 MB) with some margin: running out of heap is a crash, refusing first is one line.
 */
const HEAP_PER_INPUT_BYTE = 8;

function typescriptFits(bytes: number): 'typescript' {
  const limit = v8.getHeapStatistics().heap_size_limit;
  if (bytes * HEAP_PER_INPUT_BYTE > limit) {
    throw new CliError(
      l10n.t(
        'the inputs ({0} MB) are too large for the TypeScript engine, which holds them in memory (its limit here is {1} MB); use --engine duckdb, or give node more with NODE_OPTIONS=--max-old-space-size',
        Math.round(bytes / 2 ** 20),
        Math.round(limit / 2 ** 20),
      ),
      'file',
    );
  }
  return 'typescript';
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
