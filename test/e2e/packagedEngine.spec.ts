/**
 * The `.vsix` this run installed is the one `npm run package` writes for this platform
 * (scripts/package.mjs), with the DuckDB engine inside it. Checked where it was installed: the
 * CLI in code-server's extensions folder, run by code-server's own Node in a folder with no
 * node_modules/ of the project above it, simulates Parquet samples with `--engine duckdb`, and
 * its report equals the TypeScript engine's on the CSV files the Parquet files were written from
 * (but for `line`: a Parquet row's is its record number, a CSV row's its line in the file).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { run } from './tools';

const REPO = path.resolve(__dirname, '..', '..');
const EXTENSION_PREFIX = 'aep-dest-tools.aep-marketo-destination-';

interface Report {
  summary: unknown;
  apiPlan: unknown;
  outcomes: Record<string, unknown>[];
}

async function toParquet(csv: string, parquet: string): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const quoted = (file: string): string => `'${file.replace(/'/g, "''")}'`;
  try {
    await connection.run(
      `COPY (SELECT * FROM read_csv(${quoted(csv)}, all_varchar = true)) TO ${quoted(parquet)} (FORMAT parquet)`,
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function withoutLines(report: Report): Report {
  return { ...report, outcomes: report.outcomes.map(({ line: _line, ...rest }) => rest) };
}

/** Throws with what differs; returns what was checked, for the log. */
export async function checkPackagedEngine(
  node: string,
  extensionsDir: string,
  workDir: string,
): Promise<string> {
  const folder = readdirSync(extensionsDir).find((name) => name.startsWith(EXTENSION_PREFIX));
  if (!folder) throw new Error(`no ${EXTENSION_PREFIX}* folder in ${extensionsDir}`);
  const extension = path.join(extensionsDir, folder);
  const cli = path.join(extension, 'dist', 'cli', 'aep-dest.js');
  const bindings = path.join(extension, 'dist', 'node_modules', '@duckdb');
  const binding = existsSync(bindings)
    ? readdirSync(bindings).find((name) => name.startsWith('node-bindings-'))
    : undefined;
  if (!binding) throw new Error(`the installed extension has no DuckDB binding under ${bindings}`);

  // The examples as a user has them (the config names its catalog and partitions files).
  const examples = path.join(workDir, 'examples');
  await fs.cp(path.join(REPO, 'examples'), examples, { recursive: true });
  const config = path.join(examples, 'winback.destination.json');
  const samples = path.join(examples, 'samples');
  const csv = {
    profiles: path.join(samples, 'profiles.csv'),
    leads: path.join(samples, 'bulk-extract.csv'),
  };
  const parquet = {
    profiles: path.join(workDir, 'profiles.parquet'),
    leads: path.join(workDir, 'leads.parquet'),
  };
  await toParquet(csv.profiles, parquet.profiles);
  await toParquet(csv.leads, parquet.leads);

  const simulate = async (engine: string, files: typeof csv): Promise<Report> => {
    const out = path.join(workDir, `report-${engine}.json`);
    await run(
      node,
      [
        cli,
        'simulate',
        config,
        '--profiles',
        files.profiles,
        '--leads',
        files.leads,
        '--engine',
        engine,
        '--format',
        'json',
        '--out',
        out,
      ],
      { cwd: workDir, timeoutMs: 60_000 },
    );
    return JSON.parse(readFileSync(out, 'utf8')) as Report;
  };
  const duckdb = await simulate('duckdb', parquet);
  const typescript = await simulate('typescript', csv);
  const expected = JSON.stringify(withoutLines(typescript));
  if (JSON.stringify(withoutLines(duckdb)) !== expected) {
    throw new Error(
      `the packaged DuckDB engine's report differs from the TypeScript engine's:\n${JSON.stringify(duckdb.summary)}\nvs\n${JSON.stringify(typescript.summary)}`,
    );
  }
  if (duckdb.outcomes.length === 0) throw new Error('the packaged engine simulated no profile');
  return `${folder}: ${binding}, ${duckdb.outcomes.length} profiles from Parquet, as the TypeScript engine`;
}
