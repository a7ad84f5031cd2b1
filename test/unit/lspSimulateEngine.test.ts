// Simulate Export's engines through the language server: aepDestination.simulation.engine is
// respected (DuckDB reports the outcomes it reads as a `writing` phase; the TypeScript engine
// refuses Parquet), a Parquet sample simulates under `auto` to the outcomes of the CSV it was
// written from, and cancelling a DuckDB run leaves no spill directory behind.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { DuckDBInstance } from '@duckdb/node-api';
import type { SimulateParams, SimulateResponse, SimulationProgress } from '../../common/protocol';
import { VALID_CONFIG, tempFiles } from '../helpers';
import { LspTestClient } from '../lspClient';
import { FIXTURE_DIR } from '../fixtures/simulation/simulationHelpers';

/** CSV fixtures written as Parquet by DuckDB, into `dir`. */
async function writeParquet(dir: string): Promise<Record<'profiles' | 'leads', string>> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const files = { profiles: '', leads: '' };
  for (const name of ['profiles', 'leads'] as const) {
    const from = path.join(FIXTURE_DIR, `${name}.csv`).replace(/'/g, "''");
    files[name] = path.join(dir, `${name}.parquet`);
    await connection.run(
      `COPY (SELECT * FROM read_csv('${from}', all_varchar = true, quote = '"', escape = '"', strict_mode = false, new_line = '\\n')) TO '${files[name].replace(/'/g, "''")}' (FORMAT parquet)`,
    );
  }
  connection.closeSync();
  instance.closeSync();
  return files;
}

const FIXTURE_CSV = {
  profiles: path.join(FIXTURE_DIR, 'profiles.csv'),
  leads: path.join(FIXTURE_DIR, 'leads.csv'),
};

describe('Simulate Export engines over the protocol', () => {
  let client: LspTestClient;
  /** The server's TMPDIR: where the runs' spill directories go. */
  let serverTemp: string;
  let configDir: string;
  let configs = 0;
  before(async () => {
    serverTemp = tempFiles();
    configDir = tempFiles();
    client = new LspTestClient([], undefined, 'stdio', { TMPDIR: serverTemp });
    await client.initialize();
  });
  after(async () => assert.equal(await client.stop(), 0));

  /** A config opened under a new name, after the setting is set to `engine`. */
  async function configWith(engine: string | undefined): Promise<string> {
    client.settings = engine === undefined ? {} : { simulation: { engine } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', {
      settings: null,
    });
    const uri = pathToFileURL(path.join(configDir, `c${++configs}.destination.json`)).href;
    await client.open(uri, VALID_CONFIG);
    return uri;
  }

  function simulate(params: SimulateParams): Promise<SimulateResponse> {
    return client.connection.sendRequest<SimulateResponse>('aepDestination/simulate', params);
  }

  const phasesOf = (uri: string): string[] => [
    ...new Set(
      client.notifications
        .filter((n) => n.method === 'aepDestination/simulationProgress')
        .map((n) => n.params as SimulationProgress)
        .filter((p) => p.uri === uri)
        .map((p) => p.phase),
    ),
  ];

  test('the setting picks the engine; both give the same outcomes', async () => {
    const duck = await configWith('duckdb');
    const a = await simulate({ uri: duck, ...FIXTURE_CSV });
    const ts = await configWith('typescript');
    const b = await simulate({ uri: ts, ...FIXTURE_CSV });
    assert.equal(a.kind, 'result');
    assert.equal(b.kind, 'result');
    if (a.kind !== 'result' || b.kind !== 'result') return;
    assert.deepEqual(phasesOf(duck), ['reading', 'matching', 'writing']);
    assert.deepEqual(phasesOf(ts), ['reading', 'matching']);
    assert.deepEqual(a.result, b.result);
    assert.deepEqual(a.firstPage.rows, b.firstPage.rows);
    // The default, auto, keeps the TypeScript engine for a small CSV.
    const auto = await configWith(undefined);
    assert.equal((await simulate({ uri: auto, ...FIXTURE_CSV })).kind, 'result');
    assert.deepEqual(phasesOf(auto), ['reading', 'matching']);
  });

  test('a Parquet sample: DuckDB under auto, a clear refusal under typescript', async () => {
    const parquet = await writeParquet(tempFiles());
    const csvRun = await simulate({ uri: await configWith('typescript'), ...FIXTURE_CSV });
    const auto = await configWith('auto');
    const response = await simulate({ uri: auto, ...parquet });
    assert.equal(response.kind, 'result');
    assert.equal(csvRun.kind, 'result');
    if (response.kind !== 'result' || csvRun.kind !== 'result') return;
    assert.deepEqual(phasesOf(auto), ['reading', 'matching', 'writing']);
    assert.deepEqual(response.result, csvRun.result);
    assert.deepEqual(
      response.firstPage.rows.map((o) => ({ ...o, line: 0 })),
      csvRun.firstPage.rows.map((o) => ({ ...o, line: 0 })),
    );
    assert.deepEqual(
      response.firstPage.rows.map((o) => o.line),
      response.firstPage.rows.map((o) => o.index + 1),
    );
    assert.deepEqual(await simulate({ uri: await configWith('typescript'), ...parquet }), {
      kind: 'inputError',
      message: 'Parquet input needs aepDestination.simulation.engine "duckdb" (or auto)',
    });
  });

  test('DuckDB reads CSV and Parquet only: a JSON sample is one line, not a crash', async () => {
    const dir = tempFiles({ 'l.json': '[]' });
    const response = await simulate({
      uri: await configWith('duckdb'),
      profiles: FIXTURE_CSV.profiles,
      leads: path.join(dir, 'l.json'),
    });
    assert.deepEqual(response, {
      kind: 'inputError',
      message: 'aepDestination.simulation.engine "duckdb" reads CSV and Parquet files only',
    });
  });

  test('an input error names the file and the line, as the TypeScript engine does', async () => {
    const dir = tempFiles({ 'l.csv': 'id,email\n1,a@x.com\n,b@x.com\n' });
    const leads = path.join(dir, 'l.csv');
    const params = { profiles: FIXTURE_CSV.profiles, leads };
    const duck = await simulate({ uri: await configWith('duckdb'), ...params });
    const ts = await simulate({ uri: await configWith('typescript'), ...params });
    assert.deepEqual(duck, ts);
    assert.deepEqual(duck, {
      kind: 'inputError',
      message: `${leads}:3: lead 2 has an empty id`,
      file: leads,
      line: 3,
    });
  });

  test('cancelling a DuckDB run answers RequestCancelled and removes its spill directory', async () => {
    const rows = Array.from({ length: 300_000 }, (_, i) => `p${i}@x.com,F${i},L${i}`).join('\n');
    const leads = Array.from({ length: 300_000 }, (_, i) => `${i + 1},p${i * 2}@x.com`).join('\n');
    const dir = tempFiles({
      'p.csv': `identityMap.Email,person.name.firstName,person.name.lastName\n${rows}\n`,
      'l.csv': `id,email\n${leads}\n`,
    });
    const uri = await configWith('duckdb');
    const source = new CancellationTokenSource();
    const pending = client.connection.sendRequest(
      'aepDestination/simulate',
      { uri, profiles: path.join(dir, 'p.csv'), leads: path.join(dir, 'l.csv') },
      source.token,
    );
    const rejected = assert.rejects(pending, (error: { code?: number }) => error.code === -32800);
    // Cancelled once DuckDB is at work: its temp directory is there.
    await until(() => phasesOf(uri).includes('matching'));
    const during = runDirs(serverTemp);
    assert.equal(during.length, 1, 'one run directory');
    assert.ok(
      fs
        .readdirSync(path.join(serverTemp, during[0]!))
        .some((f) => f.startsWith('aep-dest-duckdb-')),
      'DuckDB works in it',
    );
    source.cancel();
    await rejected;
    await until(() => runDirs(serverTemp).length === 0);
    // The server still answers afterwards, and simulates again.
    assert.equal((await simulate({ uri, ...FIXTURE_CSV })).kind, 'result');
    await until(() => runDirs(serverTemp).length === 0);
  });

  test('a server that exits right after a run leaves no directory behind', async () => {
    const temp = tempFiles();
    const other = new LspTestClient([], undefined, 'stdio', { TMPDIR: temp });
    await other.initialize();
    other.settings = { simulation: { engine: 'duckdb' } };
    const uri = pathToFileURL(path.join(configDir, 'exits.destination.json')).href;
    await other.open(uri, VALID_CONFIG);
    const response = await other.connection.sendRequest<SimulateResponse>(
      'aepDestination/simulate',
      { uri, ...FIXTURE_CSV },
    );
    assert.equal(response.kind, 'result');
    assert.equal(await other.stop(), 0);
    assert.deepEqual(runDirs(temp), []);
  });
});

/** The simulations' directories in `dir` (tsx keeps its cache there too). */
const runDirs = (dir: string): string[] =>
  fs.readdirSync(dir).filter((f) => f.startsWith('aep-dest-'));

/** Resolves once `condition` holds (checked every 20 ms); rejects after 60 s. */
async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 60_000) throw new Error('the condition did not come true within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
