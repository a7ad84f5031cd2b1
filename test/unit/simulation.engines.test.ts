import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { configFromJson } from '../../server/src/simulation/simulate';
import type { SimulationConfig } from '../../server/src/simulation/types';
import { FIXTURE_DIR, baseConfig, csv } from '../fixtures/simulation/simulationHelpers';
import { runBothEngines } from '../fixtures/simulation/engines';
import { simulateFilesWithDuckDb } from '../../server/src/simulation/duckdb/engine';
import { fixturesAsParquet } from '../fixtures/simulation/parquetFixtures';

const fixture = (name: string): string => fs.readFileSync(path.join(FIXTURE_DIR, name), 'utf8');

const SETTINGS: Partial<SimulationConfig>[] = [
  { syncType: 'audienceAndProfile', personAction: 'updateExistingAndCreateNew' },
  { syncType: 'audienceAndProfile', personAction: 'updateExistingOnly' },
  { syncType: 'profileOnly', personAction: 'updateExistingAndCreateNew' },
  { syncType: 'audienceOnly' },
  { syncType: 'profileOnly' },
];

describe('simulation engines: TypeScript and DuckDB agree', () => {
  test('on the fixture files, in every sync type', async () => {
    const config = configFromJson(JSON.parse(fixture('winback.config.json')));
    for (const [i, settings] of SETTINGS.entries()) {
      const outcome = await runBothEngines(
        {
          config: { ...config, ...settings },
          profiles: fixture('profiles.csv'),
          leads: fixture('leads.csv'),
        },
        `fixture, settings ${i + 1}`,
      );
      assert.ok('result' in outcome);
    }
  });

  test('on ragged rows, empty ids and invalid dates: the same error', async () => {
    const profiles = csv([
      ['identityMap.Email', 'person.name.firstName'],
      ['a@x.com', 'A'],
    ]);
    const cases = [
      csv([['id', 'email'], ['1', 'a@x.com'], ['2']]),
      csv([
        ['id', 'email'],
        ['1', 'a@x.com'],
        ['', 'b@x.com'],
      ]),
      csv([
        ['id', 'email', 'updatedAt'],
        ['1', 'a@x.com', 'yesterday'],
      ]),
      csv([['email'], ['a@x.com']]),
    ];
    for (const [i, leads] of cases.entries()) {
      const outcome = await runBothEngines(
        { config: baseConfig(), profiles, leads },
        `error ${i + 1}`,
      );
      assert.ok('error' in outcome, `error ${i + 1} is refused`);
    }
  });

  test('on every control character and on the text \\u001A: JSON.stringify escapes, byte for byte', async () => {
    // DuckDB's own JSON writer spells \u00XX in upper case: such rows are written again.
    const controls = Array.from({ length: 31 }, (_, i) => `a${String.fromCharCode(i + 1)}b`);
    const names = [...controls, 'lit\\u001Atext', 'lit\\u00', '\u007f\u2028\u2029😀', 'plain'];
    const profiles = csv([
      ['identityMap.Email', 'person.name.firstName', 'person.name.lastName'],
      ...names.map((name, i) => [`p${i}@x.com`, name, 'L']),
    ]);
    const leads = csv([
      ['id', 'email', 'firstName'],
      ...names.map((name, i) => [String(i + 1), `p${i}@x.com`, `${name}x`]),
    ]);
    const outcome = await runBothEngines({ config: baseConfig(), profiles, leads }, 'escapes');
    assert.ok('result' in outcome);
    const changes = outcome.result.outcomes.flatMap((o) => o.changes.map((c) => c.to));
    for (const name of names) assert.ok(changes.includes(name), JSON.stringify(name));
  });

  test('on TSV, semicolons, CRLF, blank lines, quoted line breaks and UI dates', async () => {
    const profiles =
      'identityMap.Email;person.name.firstName;person.name.lastName\r\n\r\n' +
      'A@x.com ;"Ann\nMarie";A\r\nb@x.com;Bo;"B ""b"""\r\n';
    const leads =
      'Id\tEmail Address\tFirst Name\tUpdated\tPerson Partition\n' +
      '7\ta@x.com\tAnn\t5/1/2024 2:05 PM\tEMEA\n8\tA@X.COM\tAnn\t5/1/2024 2:05 PM\t\n';
    const outcome = await runBothEngines({
      config: baseConfig(),
      profiles,
      leads,
      names: { profiles: 'p.csv', leads: 'l.tsv' },
    });
    assert.ok('result' in outcome);
  });

  test('property: random small CSV inputs (duplicates, ties, blanks, case, partitions, exits, escapes)', async () => {
    const email = fc.constantFrom(
      'a@x.com',
      'A@x.com',
      ' a@x.com ',
      'b@x.com',
      'B@X.COM',
      'c@x.com',
      '',
      '  ',
    );
    const status = fc.constantFrom(
      'realized',
      'existing',
      'exited',
      '',
      ' Realized ',
      'EXITED',
      'unknown',
    );
    // Quotes, backslashes, control characters, formulas, pipes and line breaks: the escapes
    // of every report format, which DuckDB writes itself.
    const name = fc.constantFrom(
      'Ann',
      'Bo',
      '',
      ' Ann ',
      'Zoë',
      'Q"uote',
      'back\\slash',
      '=SUM(1)',
      'pipe|<b>&',
      'tab\there',
      'ctl\u0001\u001bx',
      'line\nbreak',
    );
    const profile = fc.tuple(email, name, name, status, status);
    const lead = fc.tuple(
      fc.constantFrom('1', '2', '3', '10', '11', 'x7'),
      email,
      name,
      fc.constantFrom('', 'EMEA', 'APAC', ' '),
      fc.constantFrom(
        '',
        '2024-01-01T00:00:00Z',
        '2024-01-01T00:00:00.000Z',
        '2024-01-01 01:00:00+01:00',
        '2023-06-01',
      ),
      fc.constantFrom('', '5', 'null'),
    );
    const settings = fc.constantFrom(...SETTINGS);
    await fc.assert(
      fc.asyncProperty(
        fc.array(profile, { maxLength: 12 }),
        fc.array(lead, { maxLength: 10 }),
        settings,
        fc.boolean(),
        async (profiles, leads, setting, withStatus) => {
          const config = baseConfig({
            ...setting,
            audiences: [{ id: 'seg-a' }, { id: 'seg-b' }],
          });
          const header = ['identityMap.Email', 'person.name.firstName', 'person.name.lastName'];
          if (withStatus)
            header.push('segmentMembership.ups.seg-a.status', 'segmentMembership.ups.seg-b.status');
          const rows = profiles.map((p) => (withStatus ? p : p.slice(0, 3)));
          const leadRows = leads.map((l, i) => [`${l[0]}${i}`, ...l.slice(1)]);
          await runBothEngines({
            config,
            profiles: csv([header, ...rows]),
            leads: csv([
              ['id', 'email', 'firstName', 'partition', 'updatedAt', 'leadPartitionId'],
              ...leadRows,
            ]),
          });
        },
      ),
      { seed: 12, numRuns: 40 },
    );
  });

  test('Parquet: the same outcomes as the CSV it was written from (line = record number)', async () => {
    const config = configFromJson(JSON.parse(fixture('winback.config.json')));
    const csvRun = await simulateFilesWithDuckDb(config, {
      profiles: path.join(FIXTURE_DIR, 'profiles.csv'),
      leads: path.join(FIXTURE_DIR, 'leads.csv'),
    });
    const parquetRun = await simulateFilesWithDuckDb(config, await fixturesAsParquet());
    assert.deepEqual(parquetRun.summary, csvRun.summary);
    assert.deepEqual(
      parquetRun.outcomes.map((o) => ({ ...o, line: 0 })),
      csvRun.outcomes.map((o) => ({ ...o, line: 0 })),
    );
    assert.deepEqual(
      parquetRun.outcomes.map((o) => o.line),
      parquetRun.outcomes.map((o) => o.index + 1),
    );
  });
});
