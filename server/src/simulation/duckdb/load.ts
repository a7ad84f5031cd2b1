/**
 * Loads `@duckdb/node-api` on first use, so that everything else runs where its native
 * binary (a per-platform package, `@duckdb/node-bindings-<os>-<cpu>`) is not installed.
 */
import type * as DuckDb from '@duckdb/node-api';

export type DuckDbModule = typeof DuckDb;

/** The DuckDB engine cannot run here: no binary for this platform, or it failed to load. */
export class DuckDbUnavailable extends Error {
  override readonly name = 'DuckDbUnavailable';
}

let loaded: Promise<DuckDbModule> | undefined;

export function platformName(): string {
  return `${process.platform}-${process.arch}`;
}

export function loadDuckDb(): Promise<DuckDbModule> {
  loaded ??= import('@duckdb/node-api').catch((error: unknown) => {
    loaded = undefined;
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new DuckDbUnavailable(
      `the DuckDB simulation engine is not available on ${platformName()} (${reason}); ` +
        'install a build of this tool for your platform, or simulate a smaller sample with --engine typescript',
    );
  });
  return loaded;
}
