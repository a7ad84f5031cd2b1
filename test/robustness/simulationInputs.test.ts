/**
 * Simulation inputs at their worst: quoted CSV fields with commas and line breaks, ragged rows,
 * one bad line deep inside a large generated file, missing, unreadable and non-regular files,
 * hostile keys, and a report export interrupted mid-write.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { runCli } from '../cliRunner';
import { writeAtomically } from '../../server/src/cli/atomicWrite';
import {
  type LeadSource,
  type ProfileSource,
  type SimulationConfig,
  SimulationInputError,
  readLeads,
  readProfiles,
  simulate,
} from '../../server/src/simulation/simulate';
import { RAGGED_PROFILES, writeLongFileWithBadLine } from '../fixtures/largeInputs';
import { baseConfig } from '../fixtures/simulation/simulationHelpers';
import { VALID_CONFIG, edit, tempFiles } from '../helpers';

const CONFIG: SimulationConfig = baseConfig();

const LEADS_JSON = JSON.stringify([
  { id: 101, email: 'ann@x.com', firstName: 'Ann', lastName: 'A', partition: 'EMEA' },
]);

function inputError(read: () => unknown): SimulationInputError {
  try {
    read();
  } catch (error) {
    if (error instanceof SimulationInputError) return error;
    throw new assert.AssertionError({
      message: `expected a SimulationInputError, got ${error instanceof Error ? error.stack : String(error)}`,
    });
  }
  assert.fail('expected a SimulationInputError, the read succeeded');
}

function values(source: ProfileSource | LeadSource, field: string): (string | undefined)[] {
  const read = source.reader(field);
  return Array.from({ length: source.count }, (_, i) => read(i));
}

const cli = runCli;

/** A workspace with a valid config whose simulation block names `profiles` and `leads`. */
function workspace(
  files: Record<string, string | Buffer>,
  profiles: string,
  leads: string,
): string {
  const config = edit(
    VALID_CONFIG,
    '"audiences": [',
    `"simulation": { "profiles": ${JSON.stringify(profiles)}, "leads": ${JSON.stringify(leads)} },\n  "audiences": [`,
  );
  return tempFiles({ 'dest.destination.json': config, ...files });
}

describe('CSV quoting', () => {
  test('quoted fields with commas, doubled quotes and line breaks (LF and CRLF)', () => {
    const csv = [
      'identityMap.Email,person.name.firstName,person.name.lastName',
      'ann@x.com,"Ann, Jr.","Smith ""The Hammer"""',
      'bo@x.com,"Bo',
      'on two lines","Berg,',
      'with, commas"',
      'cy@x.com,Cy,"C\r\nwith CRLF"',
      'di@x.com,Di,Dahl',
    ].join('\n');
    const dir = tempFiles({ 'p.csv': csv, 'l.json': LEADS_JSON });
    const profiles = readProfiles(path.join(dir, 'p.csv'));
    assert.equal(profiles.count, 4);
    assert.deepEqual(values(profiles, 'person.name.firstName'), [
      'Ann, Jr.',
      'Bo\non two lines',
      'Cy',
      'Di',
    ]);
    assert.deepEqual(values(profiles, 'person.name.lastName'), [
      'Smith "The Hammer"',
      'Berg,\nwith, commas',
      'C\r\nwith CRLF',
      'Dahl',
    ]);
    // Records after multi-line fields start on the right lines.
    assert.deepEqual(
      Array.from({ length: profiles.count }, (_, i) => profiles.line(i)),
      [2, 3, 6, 8],
    );
    const result = simulate(CONFIG, profiles, readLeads(path.join(dir, 'l.json')));
    assert.equal(result.summary.profiles, 4);
  });

  test('a ragged row after a multi-line field names its own line', () => {
    const csv = 'id,email,firstName\n1,a@x.com,"multi\nline"\n2,b@x.com\n';
    const dir = tempFiles({ 'l.csv': csv });
    const error = inputError(() => readLeads(path.join(dir, 'l.csv')));
    assert.equal(error.file, path.join(dir, 'l.csv'));
    assert.equal(error.line, 4);
    assert.match(error.problem, /ragged row: 2 fields but the header \(line 1\) has 3/);
  });

  test('too many fields, and too many on a quoted line', () => {
    const dir = tempFiles({
      'a.csv': 'id,email\n1,a@x.com\n2,b@x.com,extra\n',
      'b.csv': 'id,email\n1,"a@x.com",extra\n',
      'c.csv': 'id,email\n\n\n1,"a@x.com"\n,\n2\n',
      'd.csv': 'id,email\n\n\n1,"a@x.com"\n,\n',
    });
    assert.equal(inputError(() => readLeads(path.join(dir, 'a.csv'))).line, 3);
    assert.equal(inputError(() => readLeads(path.join(dir, 'b.csv'))).line, 2);
    // Blank lines count: the whole file is parsed (line 6 is ragged) before ids are checked.
    const c = inputError(() => readLeads(path.join(dir, 'c.csv')));
    assert.equal(c.line, 6);
    assert.match(c.problem, /ragged row: 1 field but the header \(line 1\) has 2/);
    const d = inputError(() => readLeads(path.join(dir, 'd.csv')));
    assert.equal(d.line, 5);
    assert.match(d.problem, /lead 2 has an empty id/);
  });
});

describe('a bad line deep inside a large file', () => {
  const BAD_LINE = 500_000;
  const LINES = 600_000;

  /** Generates a file line by line into a temp dir, with line `BAD_LINE` replaced. */
  function generate(
    name: string,
    header: string | undefined,
    line: (i: number) => string,
    bad: string,
  ) {
    const dir = tempFiles();
    const file = path.join(dir, name);
    writeLongFileWithBadLine(file, { header, line, bad, badLine: BAD_LINE, lines: LINES });
    return { dir, file };
  }

  test('CSV: a ragged row on line 500,000 names the file and the line', async () => {
    const { header, line, bad } = RAGGED_PROFILES;
    const { dir, file } = generate('profiles.csv', header, line, bad);
    const error = inputError(() => readProfiles(file));
    assert.equal(error.file, file);
    assert.equal(error.line, BAD_LINE);
    assert.equal(
      error.message,
      `${file}:${BAD_LINE}: ragged row: 2 fields but the header (line 1) has 3`,
    );
    // The CLI says the same in one line (exit 2), the path relative to the cwd.
    fs.writeFileSync(path.join(dir, 'l.json'), LEADS_JSON);
    const config = path.join(dir, 'dest.destination.json');
    fs.writeFileSync(config, VALID_CONFIG);
    const run = await cli(
      dir,
      'simulate',
      'dest.destination.json',
      '--profiles',
      'profiles.csv',
      '--leads',
      'l.json',
    );
    assert.equal(run.code, 2);
    assert.equal(
      run.stderr,
      `aep-dest: profiles.csv:${BAD_LINE}: ragged row: 2 fields but the header (line 1) has 3\n`,
    );
  });

  test('CSV: an unterminated quote on line 500,000 names that line', () => {
    const { file } = generate(
      'leads.csv',
      'id,email,updatedAt',
      (i) => `${i},l${i}@x.com,2024-05-01T12:00:00Z`,
      '500000,"unterminated@x.com,2024-05-01',
    );
    const error = inputError(() => readLeads(file));
    assert.equal(error.line, BAD_LINE);
    assert.match(error.problem, /quote/);
  });

  test('CSV: an invalid updatedAt on line 500,000 names that line', () => {
    const { file } = generate(
      'leads.csv',
      'id,email,updatedAt',
      (i) => `${i},l${i}@x.com,2024-05-01T12:00:00Z`,
      '500000,x@x.com,2024-02-30',
    );
    const error = inputError(() => readLeads(file));
    assert.equal(error.line, BAD_LINE);
    assert.match(error.problem, /lead 499999 has an invalid updatedAt "2024-02-30"/);
  });

  test('NDJSON: a malformed line 500,000 names that line', () => {
    const { file } = generate(
      'profiles.ndjson',
      undefined,
      (i) => `{"identityMap":{"Email":[{"id":"p${i}@x.com"}]}}`,
      '{"identityMap":{"Email":[{"id":"bad@x.com"}]}',
    );
    const error = inputError(() => readProfiles(file));
    assert.equal(error.file, file);
    assert.equal(error.line, BAD_LINE);
    assert.match(error.problem, /malformed JSON/);
  });

  test('JSON array: a record that is not an object on line 500,000 names that line', () => {
    const { file } = generate(
      'leads.json',
      '[',
      (i) => (i === LINES ? `{"id":${i}}]` : `{"id":${i},"email":"l${i}@x.com"},`),
      '"just a string",',
    );
    const error = inputError(() => readLeads(file));
    assert.equal(error.line, BAD_LINE);
    assert.match(error.problem, /record 499999 is a string, not an object/);
  });
});

describe('files that cannot be read', () => {
  test(
    'an input above 512 MiB (more than a string holds): a SimulationInputError, not a crash',
    { skip: !process.env.AEP_DEST_HUGE_TESTS && 'writes 540 MB: set AEP_DEST_HUGE_TESTS=1' },
    () => {
      const dir = tempFiles();
      const file = path.join(dir, 'huge.csv');
      const fd = fs.openSync(file, 'w');
      fs.writeSync(fd, 'id,email\n');
      const lines = '1,a@x.com\n'.repeat(100_000);
      for (let n = 0; n < 540 * 1024 * 1024; n += lines.length) fs.writeSync(fd, lines);
      fs.closeSync(fd);
      try {
        const error = inputError(() => readLeads(file));
        assert.equal(error.line, 1);
        assert.match(error.problem, /^too large to read: \d+ MB/);
      } finally {
        fs.rmSync(file);
      }
    },
  );

  test('a missing file: the readers and the CLI name it', async () => {
    const dir = workspace({ 'l.json': LEADS_JSON }, './nope.csv', './l.json');
    const missing = path.join(dir, 'nope.csv');
    for (const read of [readProfiles, readLeads]) {
      const error = inputError(() => read(missing));
      assert.equal(error.file, missing);
      assert.equal(error.line, 1);
      assert.equal(error.problem, 'no such file');
    }
    const run = await cli(dir, 'simulate', 'dest.destination.json');
    assert.equal(run.code, 2);
    assert.equal(run.stderr, 'aep-dest: nope.csv:1: no such file\n');
  });

  test('a directory given as a file', async () => {
    const dir = workspace({ 'inputs/keep.txt': 'x', 'l.json': LEADS_JSON }, './inputs', './l.json');
    const error = inputError(() => readProfiles(path.join(dir, 'inputs')));
    assert.equal(error.problem, 'is a directory, not a file');
    const run = await cli(dir, 'simulate', 'dest.destination.json');
    assert.equal(run.code, 2);
    assert.equal(run.stderr, 'aep-dest: inputs:1: is a directory, not a file\n');
    // The config itself as a directory: a file error too.
    const config = await cli(
      dir,
      'simulate',
      'inputs',
      '--profiles',
      'l.json',
      '--leads',
      'l.json',
    );
    assert.equal(config.code, 2);
    assert.match(config.stderr, /^aep-dest: cannot read inputs: /);
  });

  test('a path through a file (ENOTDIR) and a named pipe', (t) => {
    const dir = tempFiles({ 'l.json': LEADS_JSON });
    const error = inputError(() => readLeads(path.join(dir, 'l.json', 'inner.csv')));
    assert.match(error.problem, /cannot access the file \(ENOTDIR\)/);
    const fifo = path.join(dir, 'pipe.csv');
    if (spawnSync('mkfifo', [fifo]).status !== 0) {
      t.skip('mkfifo is not available');
      return;
    }
    // Never opened (that would block): refused from its stat.
    assert.equal(inputError(() => readProfiles(fifo)).problem, 'is not a regular file');
  });

  test('an unreadable file (no read permission)', async (t) => {
    if (process.getuid?.() === 0 || process.platform === 'win32') {
      t.skip('permissions do not apply to root (or on Windows)');
      return;
    }
    const dir = workspace(
      { 'p.csv': 'identityMap.Email\na@x.com\n', 'l.json': LEADS_JSON },
      './p.csv',
      './l.json',
    );
    fs.chmodSync(path.join(dir, 'p.csv'), 0o000);
    try {
      const error = inputError(() => readProfiles(path.join(dir, 'p.csv')));
      assert.equal(error.problem, 'cannot read the file (EACCES)');
      const run = await cli(dir, 'simulate', 'dest.destination.json');
      assert.equal(run.code, 2);
      assert.equal(run.stderr, 'aep-dest: p.csv:1: cannot read the file (EACCES)\n');
    } finally {
      fs.chmodSync(path.join(dir, 'p.csv'), 0o644);
    }
  });
});

describe('hostile keys and values in the inputs', () => {
  test('__proto__ and constructor keys are data: read, simulated, nothing polluted', () => {
    const profiles = [
      '{"__proto__":{"polluted":true},"identityMap":{"Email":[{"id":"ann@x.com"}]},"person":{"name":{"firstName":"Ann","lastName":"A"}}}',
      '{"constructor":{"prototype":{"polluted":true}},"identityMap":{"Email":"new@x.com"},"person":{"name":{"firstName":"New","lastName":"N"}},"segmentMembership":{"ups":{"__proto__":{"status":"realized"},"seg-winback":{"status":"realized"}}}}',
    ].join('\n');
    const leads = JSON.stringify({
      result: [
        { id: 101, email: 'ann@x.com', partition: 'EMEA', toString: 'x', hasOwnProperty: 1 },
      ],
    }).replace('{"id"', '{"__proto__":{"id":999},"id"');
    const dir = tempFiles({
      'p.ndjson': profiles,
      'l.json': leads,
      'p.csv': '__proto__,constructor,identityMap.Email,hasOwnProperty\n{},x,ann@x.com,1\n',
    });
    const config: SimulationConfig = {
      ...CONFIG,
      mappings: [
        ...CONFIG.mappings,
        { source: 'constructor.name', target: 'company' },
        { source: '__proto__.polluted', target: 'title' },
      ],
      audiences: [{ id: 'seg-winback' }, { id: '__proto__' }, { id: 'constructor' }],
    };
    const leadSource = readLeads(path.join(dir, 'l.json'));
    assert.equal(leadSource.id(0), '101');
    for (const file of ['p.ndjson', 'p.csv']) {
      const result = simulate(config, readProfiles(path.join(dir, file)), leadSource);
      assert.ok(result.summary.profiles > 0);
      for (const outcome of result.outcomes) {
        // constructor.name of a plain object is "Object": never read through the prototype.
        assert.ok(!outcome.changes.some((c) => c.to === 'Object'), JSON.stringify(outcome.changes));
      }
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getOwnPropertyNames(Object.prototype).includes('polluted'), false);
  });

  test('100,000-deep malformed JSON and NDJSON: a SimulationInputError naming the line', () => {
    const deep = '['.repeat(100_000);
    const dir = tempFiles({
      'a.json': deep,
      'b.json': '[\n{"id": 1},\n' + deep + '}',
      'c.ndjson': '{"id": 1}\n{"id": 2}\n{"a": ' + deep + '\n',
      'd.ndjson': '{"id": 1}\n{"a": ' + '['.repeat(30) + '}\n',
    });
    for (const [file, line] of [
      ['a.json', 1],
      ['b.json', 3],
      ['c.ndjson', 3],
      ['d.ndjson', 2],
    ] as const) {
      for (const read of [readProfiles, readLeads]) {
        const error = inputError(() => read(path.join(dir, file)));
        assert.equal(error.file, path.join(dir, file));
        assert.equal(error.line, line, `${file}: ${error.message}`);
        assert.match(error.problem, /^malformed JSON: /);
        // V8's quoted copy of the input ("…[[[[}" is not valid JSON) is left out.
        assert.ok(!error.problem.includes('is not valid JSON'), error.problem);
        assert.ok(error.problem.length < 200, error.problem);
      }
    }
  });

  test('huge numbers: an id of 1e400 is refused by line; 100-digit values are text', () => {
    const dir = tempFiles({
      'inf.json': '[{"id": 101, "email": "a@x.com"},\n {"id": 1e400, "email": "b@x.com"}]',
      'big.ndjson': `{"identityMap":{"Email":[{"id":"a@x.com"}]},"person":{"name":{"firstName":${'9'.repeat(100)}}}}`,
    });
    const error = inputError(() => readLeads(path.join(dir, 'inf.json')));
    assert.equal(error.line, 2);
    assert.match(error.problem, /lead 2 has an invalid "id"/);
    const profiles = readProfiles(path.join(dir, 'big.ndjson'));
    assert.deepEqual(values(profiles, 'person.name.firstName'), ['1e+100']);
  });
});

describe('writeAtomically: an export interrupted mid-write', () => {
  function* failingAfter(chunks: string[], error: Error): Generator<string> {
    yield* chunks;
    throw error;
  }

  test('no target file and no temp file are left', () => {
    const dir = tempFiles();
    const target = path.join(dir, 'report.json');
    assert.throws(
      () => writeAtomically(target, failingAfter(['{"a":', '1,'], new Error('disk full'))),
      /disk full/,
    );
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  test('an existing target is left unchanged', () => {
    const dir = tempFiles({ 'report.json': 'previous report\n', 'other.txt': 'x' });
    const target = path.join(dir, 'report.json');
    const huge = Array.from({ length: 200 }, () => 'y'.repeat(64 * 1024));
    assert.throws(
      () => writeAtomically(target, failingAfter(huge, new RangeError('midway'))),
      RangeError,
    );
    assert.equal(fs.readFileSync(target, 'utf8'), 'previous report\n');
    assert.deepEqual(fs.readdirSync(dir).sort(), ['other.txt', 'report.json']);
  });

  test('a failure on the very first chunk, and success afterwards', () => {
    const dir = tempFiles();
    const target = path.join(dir, 'out.csv');
    const first: Iterable<string> = {
      [Symbol.iterator]: () => ({
        next: () => {
          throw new Error('no chunk at all');
        },
      }),
    };
    assert.throws(() => writeAtomically(target, first), /no chunk at all/);
    assert.deepEqual(fs.readdirSync(dir), []);
    writeAtomically(target, ['a,b\n', '1,2\n']);
    assert.equal(fs.readFileSync(target, 'utf8'), 'a,b\n1,2\n');
    assert.deepEqual(fs.readdirSync(dir), ['out.csv']);
  });

  test('a target directory that does not exist: an error, nothing created', () => {
    const dir = tempFiles();
    assert.throws(() => writeAtomically(path.join(dir, 'missing', 'r.json'), ['x']), {
      code: 'ENOENT',
    });
    assert.deepEqual(fs.readdirSync(dir), []);
  });
});
