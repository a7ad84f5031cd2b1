import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  type ProfileOutcome,
  configFromJson,
  readLeads,
  readProfiles,
  simulate,
} from '../../server/src/simulation/simulate';
import { parseCsv } from '../../server/src/simulation/csv';
import { plainLeadsCsv } from '../fixtures/largeInputs';
import { FIXTURE_DIR, baseConfig, csv, tempFile } from '../fixtures/simulation/simulationHelpers';
import { ANN_UPDATE, outcome } from '../fixtures/simulation/results';

const fixture = (name: string): string => path.join(FIXTURE_DIR, name);
const WINBACK = configFromJson(JSON.parse(fs.readFileSync(fixture('winback.config.json'), 'utf8')));

// What every skipped profile shares: no lead, partition, list or change.
const { line: _line, ...SKIPPED } = outcome({});
/** The expected outcomes of the fixtures, without `line` (which depends on the format). */
const EXPECTED: Omit<ProfileOutcome, 'line'>[] = [
  ANN_UPDATE,
  {
    index: 1,
    dedupeValue: 'Bob@X.com',
    action: 'update',
    leadId: '102',
    partition: 'Default',
    lists: ['seg-winback'],
    changes: [{ field: 'company', from: null, to: 'Berg "Bros"' }],
    otherMatches: [],
    reason: null,
    warnings: [],
  },
  {
    index: 2,
    dedupeValue: 'carl@x.com',
    action: 'update',
    leadId: '202',
    partition: 'APAC',
    lists: ['seg-winback'],
    changes: [
      { field: 'lastName', from: 'Newer', to: 'Carlsson' },
      { field: 'company', from: 'Contoso', to: 'Carl & Co, Ltd' },
    ],
    otherMatches: [{ leadId: '201', partition: 'EMEA', updatedAt: '2023-12-01T00:00:00Z' }],
    reason: null,
    warnings: [
      '2 leads match email "carl@x.com": the destination uses the most recently updated one (lead 202 in partition APAC); ' +
        'the raw Marketo REST API would refuse such an update with reason 1007 (multiple leads match the lookup criteria)',
    ],
  },
  {
    index: 3,
    dedupeValue: 'dora@x.com',
    action: 'create',
    leadId: null,
    partition: 'EMEA',
    lists: ['seg-winback'],
    changes: [
      { field: 'email', from: null, to: 'dora@x.com' },
      { field: 'firstName', from: null, to: 'Dora' },
      { field: 'company', from: null, to: 'Multi\nline Inc' },
    ],
    otherMatches: [],
    reason: null,
    warnings: ['created lead would have no lastName'],
  },
  { ...SKIPPED, index: 4, reason: 'no value for the dedupe field (source identityMap.Email)' },
  {
    ...SKIPPED,
    index: 5,
    dedupeValue: 'fred@x.com',
    reason: 'not a member of any audience of this destination',
  },
];

const PROFILE_LINES: Record<string, number[]> = {
  'profiles.csv': [2, 3, 4, 5, 7, 8],
  'profiles.json': [2, 12, 18, 24, 30, 34],
  'profiles.ndjson': [1, 2, 3, 4, 5, 6],
};

describe('simulation inputs: CSV, JSON and NDJSON give identical results', () => {
  for (const profilesFile of Object.keys(PROFILE_LINES)) {
    for (const leadsFile of ['leads.csv', 'leads.json', 'leads.ndjson']) {
      test(`${profilesFile} × ${leadsFile}`, () => {
        const result = simulate(
          WINBACK,
          readProfiles(fixture(profilesFile)),
          readLeads(fixture(leadsFile)),
        );
        assert.deepEqual(
          result.outcomes.map(({ line: _line, ...rest }) => rest),
          EXPECTED,
        );
        assert.deepEqual(
          result.outcomes.map((o) => o.line),
          PROFILE_LINES[profilesFile],
        );
        assert.deepEqual(result.summary, {
          profiles: 6,
          create: 1,
          update: 3,
          addToList: 0,
          skip: 2,
          removeFromList: 0,
          addedToLists: 4,
          removedFromLists: 0,
        });
        assert.deepEqual(result.warnings, []);
      });
    }
  }

  test('lead lines and fields are the same across formats', () => {
    const lines = ['leads.csv', 'leads.json', 'leads.ndjson'].map((name) => {
      const leads = readLeads(fixture(name));
      return Array.from({ length: leads.count }, (_, i) => [
        leads.id(i),
        leads.partition(i),
        leads.updatedAtText(i),
        leads.line(i),
      ]);
    });
    assert.deepEqual(
      lines[0]?.map((l) => l[3]),
      [2, 3, 4, 5],
    );
    assert.deepEqual(
      lines[1]?.map((l) => l[3]),
      [5, 14, 22, 31],
    );
    assert.deepEqual(
      lines[2]?.map((l) => l[3]),
      [1, 2, 3, 4],
    );
    const withoutLines = lines.map((rows) => rows.map((l) => l.slice(0, 3)));
    assert.deepEqual(withoutLines[0], withoutLines[1]);
    assert.deepEqual(withoutLines[0], withoutLines[2]);
    assert.deepEqual(withoutLines[0]?.[1], ['102', 'Default', '2024-01-15T08:30:00Z']);
  });

  test('an unknown extension is sniffed: [ is JSON, { is NDJSON, else CSV', () => {
    const asJson = tempFile('profiles.txt', fs.readFileSync(fixture('profiles.json')));
    const asNdjson = tempFile('profiles.dat', fs.readFileSync(fixture('profiles.ndjson')));
    const asCsv = tempFile('profiles', fs.readFileSync(fixture('profiles.csv')));
    assert.equal(readProfiles(asJson).format, 'json');
    assert.equal(readProfiles(asNdjson).format, 'ndjson');
    assert.equal(readProfiles(asCsv).format, 'csv');
    const leads = readLeads(fixture('leads.csv'));
    for (const file of [asJson, asNdjson, asCsv]) {
      const result = simulate(WINBACK, readProfiles(file), leads);
      assert.deepEqual(
        result.outcomes.map(({ line: _line, ...rest }) => rest),
        EXPECTED,
      );
    }
  });

  test('.jsonl is NDJSON; a bare JSON array of leads is accepted', () => {
    const profiles = readProfiles(tempFile('p.jsonl', fs.readFileSync(fixture('profiles.ndjson'))));
    assert.equal(profiles.format, 'ndjson');
    const leadsJson = JSON.parse(fs.readFileSync(fixture('leads.json'), 'utf8')) as {
      result: unknown;
    };
    const bare = JSON.stringify(leadsJson.result);
    const leads = readLeads(tempFile('leads.json', bare));
    assert.equal(leads.count, 4);
    assert.equal(leads.id(3), '202');
  });
});

describe('simulation inputs: profile values', () => {
  test('identityMap.<NS> takes the first id; CSV may also name it identityMap.<NS>[0].id', () => {
    const config = baseConfig({ syncType: 'profileOnly' });
    const leads = readLeads(tempFile('leads.csv', 'id,email\n1,first@x.com\n'));
    const json = readProfiles(
      tempFile(
        'p.json',
        JSON.stringify([
          { identityMap: { Email: [{ id: 'first@x.com' }, { id: 'second@x.com' }] } },
        ]),
      ),
    );
    const csvProfiles = readProfiles(tempFile('p.csv', 'identityMap.Email[0].id\nfirst@x.com\n'));
    for (const profiles of [json, csvProfiles]) {
      const outcome = simulate(config, profiles, leads).outcomes[0];
      assert.equal(outcome?.dedupeValue, 'first@x.com');
      assert.equal(outcome?.action, 'update');
    }
  });

  test('JSON numbers and booleans are text; objects are no value; flat dotted keys work', () => {
    const profiles = readProfiles(
      tempFile(
        'p.json',
        JSON.stringify([
          {
            'workEmail.address': 'a@x.com',
            person: { name: { firstName: 42, lastName: { x: 1 } } },
          },
        ]),
      ),
    );
    assert.equal(profiles.reader('workEmail.address')(0), 'a@x.com');
    assert.equal(profiles.reader('person.name.firstName')(0), '42');
    assert.equal(profiles.reader('person.name.lastName')(0), undefined);
    assert.equal(profiles.reader('person.name.missing.deeper')(0), undefined);
  });
});

describe('simulation inputs: the CSV parser', () => {
  test('quotes, doubled quotes, commas and newlines inside quotes, CRLF, BOM, no trailing newline', () => {
    const text = '\ufeffa,b,c\r\n1,"x, y","he said ""hi"""\r\n"multi\r\nline",,""\n\n  \n4,5,6';
    const table = parseCsv(text, 't.csv');
    assert.deepEqual(table.header, ['a', 'b', 'c']);
    assert.equal(table.rowCount, 3);
    assert.deepEqual(table.row(0), ['1', 'x, y', 'he said "hi"']);
    assert.deepEqual(table.row(1), ['multi\r\nline', '', '']);
    assert.deepEqual(table.row(2), ['4', '5', '6']);
    assert.deepEqual([table.line(0), table.line(1), table.line(2)], [2, 3, 7]);
  });

  test('a stray quote inside an unquoted field is kept literally', () => {
    const table = parseCsv('a,b\nab"c,d\n', 't.csv');
    assert.deepEqual(table.row(0), ['ab"c', 'd']);
  });

  test('a header-only file has no rows; a one-column file works', () => {
    assert.equal(parseCsv('id,email\n', 't.csv').rowCount, 0);
    const single = parseCsv('email\r\na@x.com\r\nb@x.com', 't.csv');
    assert.deepEqual([single.row(0), single.row(1)], [['a@x.com'], ['b@x.com']]);
  });

  test('round trip of generated rows with awkward cells', () => {
    const rows = [
      ['id', 'email', 'note'],
      ['1', 'a@x.com', 'plain'],
      ['2', 'b@x.com', 'comma, inside'],
      ['3', 'c@x.com', 'quote " inside'],
      ['4', 'd@x.com', 'line\nbreak'],
      ['5', '', ''],
    ];
    for (const eol of ['\n', '\r\n']) {
      const table = parseCsv(csv(rows, eol), 't.csv');
      assert.deepEqual(
        Array.from({ length: table.rowCount }, (_, i) => table.row(i)),
        rows.slice(1),
      );
    }
  });

  test('100,000 rows parse: every row, its cells and the line it starts on', () => {
    const table = parseCsv(plainLeadsCsv(100_000), 'big.csv');
    assert.equal(table.rowCount, 100_000);
    assert.deepEqual(table.row(0), ['0', 'user0@example.com', 'Ann', 'Lee0', 'EMEA']);
    assert.equal(table.cell(99_999, 1), 'user99999@example.com');
    assert.equal(table.line(99_999), 100_001);
  });
});
