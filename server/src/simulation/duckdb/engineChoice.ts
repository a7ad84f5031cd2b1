/**
 * Which simulation engine runs, for the CLI (`aep-dest simulate --engine`) and the editor
 * (`aepDestination.simulation.engine`) alike: `auto` takes DuckDB for Parquet and for CSV of
 * AUTO_DUCKDB_BYTES or more, TypeScript otherwise. One function, so that a sample simulates
 * with the same engine from the command line and from VS Code; only the words naming the
 * choice differ (`EngineKnob`).
 */
import * as v8 from 'node:v8';
import * as l10n from '@vscode/l10n';
import {
  SIMULATION_ENGINES,
  type SimulationEngineSetting,
} from '../../../../common/simulationReport';
import { DuckDbUnavailable, duckDbReads, inputBytes, loadDuckDb } from './engine';

/** The choices, as the CLI's flag and the editor's setting take them. */
export const ENGINES = SIMULATION_ENGINES;
export type EngineChoice = SimulationEngineSetting;
export type Engine = Exclude<EngineChoice, 'auto'>;

/**
 * Inputs at least this large together (CSV) go to DuckDB under `auto`. Below, the TypeScript
 * engine is faster today (see docs/simulation-engine.md); above, it runs out of memory.
 */
export const AUTO_DUCKDB_BYTES = 400 * 1024 * 1024;

/** The choice refused: `usage` for a choice that cannot work, `file` for the inputs or the platform. */
export class EngineChoiceError extends Error {
  override readonly name = 'EngineChoiceError';
  constructor(
    message: string,
    readonly kind: 'usage' | 'file',
  ) {
    super(message);
  }
}

/** How the user picks `engine`, in a message: `--engine duckdb`, or the editor's setting. */
export type EngineKnob = (engine: EngineChoice) => string;

export const CLI_KNOB: EngineKnob = (engine) => `--engine ${engine}`;
export const SETTING_KNOB: EngineKnob = (engine) => `aepDestination.simulation.engine "${engine}"`;

export interface ChoiceOptions {
  /** Default: the CLI's flag. */
  knob?: EngineKnob;
  /** Loads DuckDB (default `loadDuckDb`); tests stand in a platform without it. */
  load?: () => Promise<unknown>;
  /** The V8 heap the TypeScript engine may fill, in bytes (default: this isolate's limit). */
  heapLimit?: number;
}

/**
 * The engine to run. DuckDB when asked, or for Parquet, or under `auto` for large CSV read as
 * UTF-8. On a platform without DuckDB, `auto` gets one note and the TypeScript engine when
 * its heap holds the inputs; otherwise (or when DuckDB was asked for, or for Parquet), an error.
 */
export async function chooseEngine(
  choice: EngineChoice,
  files: { profiles: string; leads: string },
  encoding: string | undefined,
  note: (line: string) => void,
  options: ChoiceOptions = {},
): Promise<Engine> {
  const knob = options.knob ?? CLI_KNOB;
  const heap = options.heapLimit ?? v8.getHeapStatistics().heap_size_limit;
  const parquet = [files.profiles, files.leads].some((f) => /\.parquet$/i.test(f));
  const readable = duckDbReads(files.profiles) && duckDbReads(files.leads);
  if (parquet && !readable) {
    throw new EngineChoiceError(
      'Parquet input needs the other file in CSV or Parquet too (the DuckDB engine reads both)',
      'file',
    );
  }
  const bytes = inputBytes(files);
  if (choice === 'typescript') {
    if (parquet)
      throw new EngineChoiceError(`Parquet input needs ${knob('duckdb')} (or auto)`, 'usage');
    return typescriptFits(bytes, knob, heap);
  }
  const utf8 = encoding === undefined || /^utf-?8$/i.test(encoding.trim());
  const wanted = choice === 'duckdb' || parquet || (readable && utf8 && bytes >= AUTO_DUCKDB_BYTES);
  if (!wanted) return typescriptFits(bytes, knob, heap);
  if (choice === 'duckdb' && !readable)
    throw new EngineChoiceError(`${knob('duckdb')} reads CSV and Parquet files only`, 'usage');
  if (choice === 'duckdb' && !utf8)
    throw new EngineChoiceError(
      `${knob('duckdb')} reads UTF-8 only (not ${String(encoding)})`,
      'usage',
    );
  try {
    await (options.load ?? loadDuckDb)();
    return 'duckdb';
  } catch (error) {
    if (!(error instanceof DuckDbUnavailable)) throw error;
    // The loader's advice names the CLI's flag; the editor's user has a setting instead.
    const message = error.message.replace(CLI_KNOB('typescript'), knob('typescript'));
    if (choice === 'duckdb' || parquet) throw new EngineChoiceError(message, 'file');
    // `auto` on a large CSV: the TypeScript engine, when its heap holds the inputs.
    if (!fitsTypescript(bytes, heap)) {
      throw new EngineChoiceError(
        `${message}; the TypeScript engine cannot hold these inputs (${Math.round(bytes / 2 ** 20)} MB) in memory either`,
        'file',
      );
    }
    note(`${message}; using the TypeScript engine`);
    return 'typescript';
  }
}

/**
 * The V8 heap the TypeScript engine needs per byte of input, measured at 1M × 1M CSV (1.07 GB
 * for 166 MB) with some margin: running out of heap is a crash, refusing first is one line.
 */
const HEAP_PER_INPUT_BYTE = 8;

const fitsTypescript = (bytes: number, heap: number): boolean =>
  bytes * HEAP_PER_INPUT_BYTE <= heap;

function typescriptFits(bytes: number, knob: EngineKnob, heap: number): 'typescript' {
  if (!fitsTypescript(bytes, heap)) {
    throw new EngineChoiceError(
      l10n.t(
        'the inputs ({0} MB) are too large for the TypeScript engine, which holds them in memory (its limit here is {1} MB); use {2}, or give node more with NODE_OPTIONS=--max-old-space-size',
        Math.round(bytes / 2 ** 20),
        Math.round(heap / 2 ** 20),
        knob('duckdb'),
      ),
      'file',
    );
  }
  return 'typescript';
}
