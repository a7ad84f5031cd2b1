// The editor's DuckDB path (server/src/lsp/duckDbColumns.ts): the columns the server keeps from
// a DuckDB run are those of the TypeScript run, row by row (outcomeAt), in the overview and in
// the pages the results view asks for (sorted, filtered, searched); the same input errors;
// progress through reading, matching and writing.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import type { OutcomeQuery } from '../../common/outcomePages';
import {
  configFromJson,
  readLeads,
  readProfiles,
  simulate,
} from '../../server/src/simulation/simulate';
import type { SimulationConfig } from '../../server/src/simulation/types';
import { OutcomeIndex } from '../../server/src/lsp/outcomeIndex';
import { duckDbColumnarResult } from '../../server/src/lsp/duckDbColumns';
import {
  type ColumnarResult,
  columnarOverview,
  columnarResult,
  outcomeAt,
} from '../../server/src/lsp/simulationColumns';
import { FIXTURE_DIR, baseConfig, csv } from '../fixtures/simulation/simulationHelpers';
import { tempFiles } from '../helpers';
import { fixturesAsParquet } from '../fixtures/simulation/parquetFixtures';

const fixture = (name: string): string => fs.readFileSync(path.join(FIXTURE_DIR, name), 'utf8');

const SETTINGS: Partial<SimulationConfig>[] = [
  { syncType: 'audienceAndProfile', personAction: 'updateExistingAndCreateNew' },
  { syncType: 'audienceAndProfile', personAction: 'updateExistingOnly' },
  { syncType: 'profileOnly', personAction: 'updateExistingAndCreateNew' },
  { syncType: 'audienceOnly' },
  { syncType: 'profileOnly' },
];

/** The queries of the results view whose answers are compared. */
const QUERIES: OutcomeQuery[] = [
  { filter: {}, sort: { column: 'index', direction: 'asc' } },
  { filter: {}, sort: { column: 'dedupeValue', direction: 'desc' } },
  { filter: {}, sort: { column: 'action', direction: 'asc' } },
  { filter: {}, sort: { column: 'leadId', direction: 'asc' } },
  { filter: {}, sort: { column: 'changes', direction: 'desc' } },
  { filter: { outcome: 'skip' }, sort: { column: 'partition', direction: 'asc' } },
  { filter: { warningsOnly: true }, sort: { column: 'index', direction: 'asc' } },
  { filter: { search: 'x.com' }, sort: { column: 'dedupeValue', direction: 'asc' } },
];

const typescriptRun = (config: SimulationConfig, files: Files): ColumnarResult =>
  columnarResult(simulate(config, readProfiles(files.profiles), readLeads(files.leads)));

interface Files {
  profiles: string;
  leads: string;
}

const duckRun = (config: SimulationConfig, files: Files): Promise<ColumnarResult> =>
  duckDbColumnarResult(
    { config, profilesFile: files.profiles, leadsFile: files.leads },
    { threads: 1 },
  );

/** What the server holds and answers, the same from both runs. */
function assertSameServerView(duck: ColumnarResult, ts: ColumnarResult, label: string): void {
  assert.deepEqual(columnarOverview(duck), columnarOverview(ts), `${label}: overview`);
  assert.equal(duck.columns.count, ts.columns.count, `${label}: rows`);
  for (let i = 0; i < ts.columns.count; i++)
    assert.deepEqual(outcomeAt(duck.columns, i), outcomeAt(ts.columns, i), `${label}: row ${i}`);
  const a = new OutcomeIndex('run', duck.columns);
  const b = new OutcomeIndex('run', ts.columns);
  for (const query of QUERIES)
    assert.deepEqual(a.page(query, 0, 1000), b.page(query, 0, 1000), `${label}: page`);
}

async function compare(
  config: SimulationConfig,
  inputs: { profiles: string; leads: string },
  names: Files = { profiles: 'profiles.csv', leads: 'leads.csv' },
  label = 'case',
): Promise<void> {
  const dir = tempFiles({ [names.profiles]: inputs.profiles, [names.leads]: inputs.leads });
  const files = { profiles: path.join(dir, names.profiles), leads: path.join(dir, names.leads) };
  assertSameServerView(await duckRun(config, files), typescriptRun(config, files), label);
}

describe('Simulate Export on DuckDB: the server holds what the TypeScript engine gives', () => {
  test('the fixture files, in every sync type', async () => {
    const config = configFromJson(JSON.parse(fixture('winback.config.json')));
    const inputs = { profiles: fixture('profiles.csv'), leads: fixture('leads.csv') };
    for (const [i, settings] of SETTINGS.entries())
      await compare({ ...config, ...settings }, inputs, undefined, `settings ${i + 1}`);
  });

  test('TSV, semicolons, CRLF, blank lines, quoted line breaks and UI dates', async () => {
    const profiles =
      'identityMap.Email;person.name.firstName;person.name.lastName\r\n\r\n' +
      'A@x.com ;"Ann\nMarie";A\r\nb@x.com;Bo;"B ""b"""\r\n';
    const leads =
      'Id\tEmail Address\tFirst Name\tUpdated\tPerson Partition\n' +
      '7\ta@x.com\tAnn\t5/1/2024 2:05 PM\tEMEA\n8\tA@X.COM\tAnn\t5/1/2024 2:05 PM\t\n';
    await compare(baseConfig(), { profiles, leads }, { profiles: 'p.csv', leads: 'l.tsv' });
  });

  test('property: random small inputs (duplicates, ties, blanks, exits, escapes)', async () => {
    const email = fc.constantFrom('a@x.com', 'A@x.com', ' a@x.com ', 'b@x.com', 'c@x.com', '');
    const status = fc.constantFrom('realized', 'existing', 'exited', '', 'EXITED');
    const name = fc.constantFrom('Ann', '', 'Zoë', 'Q"uote', 'back\\slash', 'line\nbreak');
    const profile = fc.tuple(email, name, status, status);
    const lead = fc.tuple(
      fc.constantFrom('1', '2', '10', 'x7'),
      email,
      name,
      fc.constantFrom('', 'EMEA', 'APAC'),
      fc.constantFrom('', '2024-01-01T00:00:00Z', '2023-06-01'),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(profile, { maxLength: 10 }),
        fc.array(lead, { maxLength: 8 }),
        fc.constantFrom(...SETTINGS),
        async (profiles, leads, setting) => {
          const config = baseConfig({ ...setting, audiences: [{ id: 'seg-a' }, { id: 'seg-b' }] });
          await compare(config, {
            profiles: csv([
              [
                'identityMap.Email',
                'person.name.firstName',
                'segmentMembership.ups.seg-a.status',
                'segmentMembership.ups.seg-b.status',
              ],
              ...profiles,
            ]),
            leads: csv([
              ['id', 'email', 'firstName', 'partition', 'updatedAt'],
              ...leads.map((l, i) => [`${l[0]}${i}`, ...l.slice(1)]),
            ]),
          });
        },
      ),
      { seed: 12, numRuns: 15 },
    );
  });

  test('Parquet: the columns of the CSV it was written from (line = record number)', async () => {
    const config = configFromJson(JSON.parse(fixture('winback.config.json')));
    const parquet = await duckRun(config, await fixturesAsParquet());
    const ts = typescriptRun(config, {
      profiles: path.join(FIXTURE_DIR, 'profiles.csv'),
      leads: path.join(FIXTURE_DIR, 'leads.csv'),
    });
    assert.deepEqual(columnarOverview(parquet), columnarOverview(ts));
    for (let i = 0; i < ts.columns.count; i++) {
      assert.deepEqual(
        { ...outcomeAt(parquet.columns, i), line: 0 },
        { ...outcomeAt(ts.columns, i), line: 0 },
      );
      assert.equal(parquet.columns.line[i], i + 1);
    }
  });

  test('a malformed input is the TypeScript engine’s error: the file and the line', async () => {
    const dir = tempFiles({
      'p.csv': 'identityMap.Email,person.name.firstName\na@x.com,Ann\n',
      'l.csv': 'id,email\n1,a@x.com\n,b@x.com\n',
    });
    const files = { profiles: path.join(dir, 'p.csv'), leads: path.join(dir, 'l.csv') };
    const expected = {
      file: files.leads,
      line: 3,
      message: `${files.leads}:3: lead 2 has an empty id`,
    };
    assert.throws(() => typescriptRun(baseConfig(), files), expected);
    await assert.rejects(duckRun(baseConfig(), files), expected);
  });

  test('progress: reading, matching, then the outcomes read, up to all of them', async () => {
    const dir = tempFiles({
      'p.csv': fixture('profiles.csv'),
      'l.csv': fixture('leads.csv'),
    });
    const phases: string[] = [];
    let last = { done: -1, total: -1 };
    const run = await duckDbColumnarResult(
      {
        config: configFromJson(JSON.parse(fixture('winback.config.json'))),
        profilesFile: path.join(dir, 'p.csv'),
        leadsFile: path.join(dir, 'l.csv'),
      },
      {
        threads: 1,
        onProgress: (phase, done, total) => {
          if (phases.at(-1) !== phase) phases.push(phase);
          if (phase === 'writing') last = { done, total };
        },
      },
    );
    assert.deepEqual(phases, ['reading', 'matching', 'writing']);
    assert.deepEqual(last, { done: run.columns.count, total: run.columns.count });
  });
});
