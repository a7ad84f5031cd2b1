/**
 * The input files users bring from their real systems (issue 10, parts 3–5): Marketo lead
 * files, Experience Platform profile files, and the encodings and delimiters spreadsheets
 * write. Each test reads a fixture shaped as its public source documents it (see the
 * README.md of each fixture folder) and asserts what the user sees: the plan's outcomes,
 * or the exact one-line error.
 */
import * as path from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  type LeadSource,
  SimulationInputError,
  readLeads,
  readProfiles,
  simulate,
} from '../../server/src/simulation/simulate';
import { detectDelimiter, parseCsv } from '../../server/src/simulation/csv';
import { profileInputWarnings, profilesFromCsvText } from '../../server/src/simulation/profiles';
import { parseUiTimestamp } from '../../server/src/simulation/leads';
import { baseConfig, tempFile } from '../fixtures/simulation/simulationHelpers';

const FIXTURES = path.resolve(__dirname, '../fixtures');
const leadFile = (name: string): string => path.join(FIXTURES, 'lead-files', name);
const profileFile = (name: string): string => path.join(FIXTURES, 'profile-files', name);
const encodingFile = (name: string): string => path.join(FIXTURES, 'encodings', name);

/** The error `read` throws, as the CLI prints it after `aep-dest: `. */
function inputError(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    assert.ok(error instanceof SimulationInputError, String(error));
    return error.message;
  }
  assert.fail('no error');
}

/** Per lead: id, partition, and the values of some fields (undefined: no value). */
function leadRows(leads: LeadSource, fields: string[]): unknown[][] {
  const readers = fields.map((field) => leads.reader(field));
  const rows: unknown[][] = [];
  for (let i = 0; i < leads.count; i++) {
    rows.push([leads.id(i), leads.partition(i), ...readers.map((read) => read(i))]);
  }
  return rows;
}

const PROFILES_CSV = profileFile('profiles.csv');

describe('lead files: Bulk Lead Extract', () => {
  for (const name of ['bulk-extract.csv', 'bulk-extract.tsv', 'bulk-extract.ssv']) {
    test(`${name}: REST headers, the literal null is no value, leadPartitionId kept`, () => {
      const leads = readLeads(leadFile(name));
      assert.deepEqual(leadRows(leads, ['email', 'lastName', 'title']), [
        ['101', '1', 'ann@x.com', 'A', undefined],
        ['102', '2', 'bo@x.com', undefined, undefined],
      ]);
    });
  }

  test('the plan changes a null lastName from no value, never from "null"', () => {
    const result = simulate(
      baseConfig({ partition: '2' }),
      readProfiles(PROFILES_CSV),
      readLeads(leadFile('bulk-extract.csv')),
    );
    const bo = result.outcomes[1];
    assert.equal(bo?.action, 'update');
    assert.equal(bo?.leadId, '102');
    assert.deepEqual(bo?.changes, [{ field: 'lastName', from: null, to: 'Berg' }]);
    assert.ok(!JSON.stringify(result).includes('"null"'));
  });

  test('leadPartitionId is named through partition names when given, else reported as the id', () => {
    const names = new Map([
      ['1', 'Default'],
      ['2', 'EMEA'],
    ]);
    const leads = readLeads(leadFile('bulk-extract.csv'), { partitionNames: names });
    assert.deepEqual([leads.partition(0), leads.partition(1)], ['Default', 'EMEA']);
    const unnamed = readLeads(leadFile('bulk-extract.csv'), { partitionNames: new Map() });
    assert.deepEqual([unnamed.partition(0), unnamed.partition(1)], ['1', '2']);
  });

  test('a null id is an empty id', () => {
    const file = tempFile('leads.csv', 'id,email\n101,a@x.com\nnull,b@x.com\n');
    assert.equal(
      inputError(() => readLeads(file)),
      `${file}:3: lead 2 has an empty id`,
    );
  });
});

describe('lead files: the UI export, REST answers, NDJSON', () => {
  test('Export People CSV: display-name headers, partition names and UI dates', () => {
    const leads = readLeads(leadFile('ui-export-people.csv'));
    assert.deepEqual(leadRows(leads, ['email', 'firstName', 'lastName', 'company']), [
      ['101', 'EMEA', 'ann@x.com', 'Ann', 'A', ''],
      ['102', 'Default', 'bo@x.com', 'Bo', '', 'Berg'],
    ]);
    assert.equal(leads.updatedAtMs(0), Date.UTC(2024, 2, 1, 10, 0));
    assert.equal(leads.updatedAtMs(1), Date.UTC(2024, 2, 2, 10, 0));
    const result = simulate(baseConfig(), readProfiles(PROFILES_CSV), leads);
    assert.deepEqual(
      result.outcomes.map((o) => [o.action, o.leadId]),
      [
        ['update', '101'],
        ['update', '102'],
      ],
    );
  });

  test('display-name headers match ignoring case', () => {
    const file = tempFile('people.csv', 'ID,EMAIL ADDRESS,last name\n7,a@x.com,Lund\n');
    assert.deepEqual(leadRows(readLeads(file), ['email', 'lastName']), [
      ['7', 'Default', 'a@x.com', 'Lund'],
    ]);
  });

  test('a date in no known format is reported with file and line', () => {
    const file = leadFile('ui-export-bad-date.csv');
    assert.equal(
      inputError(() => readLeads(file)),
      `${file}:3: lead 2 has an invalid updatedAt "yesterday": expected ISO 8601, such as 2024-05-01T12:00:00Z, or Marketo's UI format, such as 5/1/2024 12:00 PM`,
    );
  });

  test('UI date formats', () => {
    assert.equal(parseUiTimestamp('5/1/2024'), Date.UTC(2024, 4, 1));
    assert.equal(parseUiTimestamp('05/01/2024 14:05:09'), Date.UTC(2024, 4, 1, 14, 5, 9));
    assert.equal(parseUiTimestamp('5/1/2024 12:05 AM'), Date.UTC(2024, 4, 1, 0, 5));
    assert.equal(parseUiTimestamp('5/1/2024 12:05 PM'), Date.UTC(2024, 4, 1, 12, 5));
    assert.equal(parseUiTimestamp('May 1, 2024 2:05 PM'), Date.UTC(2024, 4, 1, 14, 5));
    assert.equal(parseUiTimestamp('25/12/2024'), Date.UTC(2024, 11, 25));
    assert.ok(Number.isNaN(parseUiTimestamp('2/30/2024')));
    assert.ok(Number.isNaN(parseUiTimestamp('5/1/2024 13:00 PM')));
  });

  for (const name of ['leads-rest.json', 'leads.ndjson']) {
    test(`${name}: GET /leads.json shape, JSON null is no value`, () => {
      assert.deepEqual(leadRows(readLeads(leadFile(name)), ['email', 'lastName']), [
        ['101', 'Default', 'ann@x.com', 'A'],
        ['102', 'Default', 'bo@x.com', undefined],
      ]);
    });
  }

  test('a failed REST answer is refused with its error', () => {
    const file = leadFile('leads-rest-error.json');
    assert.equal(
      inputError(() => readLeads(file)),
      `${file}:1: a failed Marketo answer ("success": false: 601 Access token invalid), not records`,
    );
  });
});

describe('profile files', () => {
  for (const name of ['xdm-profiles.json', 'xdm-profiles.ndjson']) {
    test(`${name}: namespace keys ignore case, the primary id wins, several ids warn`, () => {
      const file = profileFile(name);
      const profiles = readProfiles(file);
      const result = simulate(baseConfig(), profiles, readLeads(leadFile('leads-rest.json')));
      assert.deepEqual(
        result.outcomes.map((o) => [o.dedupeValue, o.action, o.leadId, o.lists]),
        [
          ['ann@x.com', 'update', '101', ['seg-winback']],
          ['bo@x.com', 'update', '102', ['seg-winback']],
        ],
      );
      const line = name.endsWith('.json') ? 14 : 2;
      assert.deepEqual(profileInputWarnings(profiles), [
        {
          file,
          line,
          message:
            'identityMap.Email holds several ids in 1 profile (profile 2 first): the one marked "primary": true is used, else the first',
        },
      ]);
    });
  }

  test('a Profile access API answer: entities with identities[]', () => {
    const profiles = readProfiles(profileFile('profile-access-entities.json'));
    assert.deepEqual(
      [0, 1, 2].map((i) => profiles.line(i)),
      [2, 21, 27],
    );
    const result = simulate(baseConfig(), profiles, readLeads(leadFile('leads-rest.json')));
    assert.deepEqual(
      result.outcomes.map((o) => [o.dedupeValue, o.action, o.leadId]),
      [
        ['ann@x.com', 'update', '101'],
        [null, 'skip', null],
        ['bo@x.com', 'update', '102'],
      ],
    );
    const workEmail = profiles.reader('workEmail.address');
    assert.equal(workEmail(0), 'ann@x.com');
  });

  test('a JSON object that is no Profile access API answer is refused', () => {
    const file = tempFile('p.json', '{"a": {"b": 1}}');
    assert.equal(
      inputError(() => readProfiles(file)),
      `${file}:1: expected a JSON array of records (or an object with a "result" array, or a Profile access API answer), found a object`,
    );
  });

  test('a Destination SDK sample-profiles answer', () => {
    const result = simulate(
      baseConfig(),
      readProfiles(profileFile('sample-profiles.json')),
      readLeads(leadFile('leads-rest.json')),
    );
    assert.deepEqual(
      result.outcomes.map((o) => [o.dedupeValue, o.action, o.leadId, o.lists]),
      [['ann@x.com', 'update', '101', ['seg-winback']]],
    );
  });

  test('CSV: an identityMap column matches its namespace ignoring case', () => {
    const profiles = readProfiles(PROFILES_CSV);
    const email = profiles.reader('identityMap.Email');
    assert.deepEqual([email(0), email(1)], ['ann@x.com', 'bo@x.com']);
  });
});

describe('encodings and delimiters', () => {
  test('windows-1252 is refused as not UTF-8, naming the line and the encoding', () => {
    const file = encodingFile('profiles-semicolon-windows-1252.csv');
    assert.equal(
      inputError(() => readProfiles(file)),
      `${file}:2: not valid UTF-8 (byte 0xC5); it looks like windows-1252: read it with --encoding windows-1252 (or "simulation": {"encoding": "windows-1252"} in the config), or save it as UTF-8`,
    );
  });

  test('the bad byte is located on its line', () => {
    const file = tempFile(
      'p.csv',
      Buffer.from('identityMap.Email\na@x.com\nb\xe9@x.com\n', 'latin1'),
    );
    assert.match(
      inputError(() => readProfiles(file)),
      /:3: not valid UTF-8 \(byte 0xE9\)/,
    );
  });

  test('with encoding windows-1252 the file reads, semicolons detected, no U+FFFD', () => {
    const profiles = readProfiles(encodingFile('profiles-semicolon-windows-1252.csv'), {
      encoding: 'windows-1252',
    });
    const result = simulate(baseConfig(), profiles, readLeads(leadFile('leads-rest.json')));
    assert.deepEqual(result.outcomes[0]?.changes, [
      { field: 'lastName', from: 'A', to: 'Åkesson' },
    ]);
    assert.ok(!JSON.stringify(result).includes('\uFFFD'));
  });

  for (const name of [
    'profiles-semicolon-utf8-bom.csv',
    'profiles-utf16le-bom.txt',
    'profiles-utf16be-bom.txt',
  ]) {
    test(`${name}: decoded by its BOM`, () => {
      const profiles = readProfiles(encodingFile(name));
      assert.deepEqual(profiles.fieldNames(), [
        'identityMap.Email',
        'person.name.firstName',
        'person.name.lastName',
        'segmentMembership.ups.seg-winback.status',
      ]);
      assert.equal(profiles.reader('person.name.lastName')(0), 'Åkesson');
      assert.equal(profiles.statusReader('seg-winback')(0), 'realized');
    });
  }

  test('UTF-16 without a BOM is refused, naming the encoding', () => {
    const file = encodingFile('profiles-utf16le-nobom.txt');
    assert.equal(
      inputError(() => readProfiles(file)),
      `${file}:1: looks like UTF-16LE without a byte order mark: read it with --encoding utf-16le, or save it as UTF-8 or as UTF-16 with a BOM`,
    );
  });

  test('UTF-16 with a lone surrogate is refused, not replaced', () => {
    const bytes = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('identityMap.Email\na', 'utf16le'),
      Buffer.from([0x00, 0xd8]),
      Buffer.from('\n', 'utf16le'),
    ]);
    const file = tempFile('p.txt', bytes);
    assert.equal(
      inputError(() => readProfiles(file)),
      `${file}:2: not valid UTF-16LE: it holds a byte sequence that encoding cannot decode`,
    );
  });

  test('the delimiter is detected from the header line', () => {
    assert.equal(detectDelimiter('a,b,c\n1;2,3'), ',');
    assert.equal(detectDelimiter('a;b;c\n1,2'), ';');
    assert.equal(detectDelimiter('a\tb\n'), '\t');
    assert.equal(detectDelimiter('"a;x",b,c'), ',');
    assert.equal(detectDelimiter('id email firstName'), ' ');
    assert.equal(detectDelimiter('Email Address'), ',');
    assert.equal(detectDelimiter('email'), ',');
    assert.equal(detectDelimiter('\n\nx;y', 2), ';');
  });

  test('a semicolon CSV is read as columns, quotes and all', () => {
    const profiles = profilesFromCsvText(
      'identityMap.Email;person.name.lastName\n"a;b@x.com";"Lund ""L"""\n',
    );
    assert.equal(profiles.reader('identityMap.Email')(0), 'a;b@x.com');
    assert.equal(profiles.reader('person.name.lastName')(0), 'Lund "L"');
  });

  test('a ragged semicolon row names the semicolon count, a bad quote the semicolon', () => {
    assert.throws(() => parseCsv('a;b\n1;2;3\n', 'f.csv'), {
      message: 'f.csv:2: ragged row: 3 fields but the header (line 1) has 2',
    });
    assert.throws(() => parseCsv('a;b\n"1"x;2\n', 'f.csv'), {
      message:
        'f.csv:2: unexpected "x" after the closing quote of field 1 (a quote inside a quoted field must be doubled; a closing quote must be followed by a semicolon or the end of the line)',
    });
  });
});

describe('encodings named by the user', () => {
  test('UTF-16 without a BOM reads with --encoding utf-16le', () => {
    const profiles = readProfiles(encodingFile('profiles-utf16le-nobom.txt'), {
      encoding: 'utf-16le',
    });
    assert.equal(profiles.reader('person.name.lastName')(0), 'Åkesson');
  });

  test('a binary file stays binary under a single-byte encoding', () => {
    const file = tempFile('p.csv', Buffer.from('identityMap.Email\n\u0000\u0001\n', 'latin1'));
    assert.equal(
      inputError(() => readProfiles(file, { encoding: 'windows-1252' })),
      `${file}:2: binary file (it contains NUL bytes); expected CSV, JSON or NDJSON text in UTF-8`,
    );
  });

  test('utf-8 named explicitly is still checked', () => {
    const file = encodingFile('profiles-semicolon-windows-1252.csv');
    assert.match(
      inputError(() => readProfiles(file, { encoding: 'UTF-8' })),
      /:2: not valid UTF-8 \(byte 0xC5\)/,
    );
  });
});

describe('lead files: display names from the instance catalog', () => {
  test("a custom field's display name resolves through the catalog, before the standard ones", () => {
    const file = tempFile(
      'people.csv',
      'Id,Email Address,Favourite Colour,Job Title\n7,a@x.com,Teal,CTO\n',
    );
    const fields = [
      { name: 'favouriteColour', displayName: 'Favourite Colour' },
      { name: 'jobTitleCustom', displayName: 'Job Title' },
    ];
    assert.deepEqual(
      leadRows(readLeads(file, { fields }), [
        'email',
        'favouriteColour',
        'jobTitleCustom',
        'title',
      ]),
      [['7', 'Default', 'a@x.com', 'Teal', 'CTO', undefined]],
    );
    assert.deepEqual(leadRows(readLeads(file), ['favouriteColour', 'title']), [
      ['7', 'Default', undefined, 'CTO'],
    ]);
  });
});
