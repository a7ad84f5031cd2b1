import type { ToolInfo } from './formatters';

/** Where the CLI writes; tests pass collectors, the process passes stdout/stderr. */
export interface CliIo {
  stdout: (s: string) => void;
  /**
   * Raw bytes to stdout, when the process has one: a report DuckDB wrote to a temp file is
   * copied as it is, saving the decode and re-encode of every byte (hundreds of MB).
   */
  stdoutBytes?: (bytes: Uint8Array) => void;
  stderr: (s: string) => void;
  cwd: string;
  /** Whether stdout is a terminal (colours); false or absent in-process. */
  isTTY?: boolean;
  /** Environment variables (credentials, NO_COLOR); process.env when absent. */
  env?: Record<string, string | undefined>;
  /** Set by the `aep-dest` process itself: main() may tune this process's V8 heap. */
  ownProcess?: boolean;
}

export interface CommandContext {
  io: CliIo;
  /** Absolute working directory; relative paths and globs resolve against it. */
  cwd: string;
  /** This package's version, home page and rule docs location. */
  tool: ToolInfo;
}

/**
 * One subcommand. `run` gets the arguments after the command name and returns
 * the exit code; it throws CliError for usage and file errors (exit 2).
 */
export interface CliCommand {
  /** Full help text, printed by `aep-dest <command> --help` / `aep-dest help <command>`. */
  usage: string;
  run(args: readonly string[], ctx: CommandContext): Promise<number>;
}

export interface CommandEntry {
  /** One line for the command list of `aep-dest --help`. */
  summary: string;
  /** A run that ends within seconds: a small young generation suits it (aep-dest.ts keepYoungGenerationSmall). */
  shortLived?: boolean;
  /**
   * Loads the command module on first use, so `--help` and `--version` stay
   * fast and a module that fails to load is reported in one line, like any error.
   */
  load(): Promise<CliCommand>;
}
