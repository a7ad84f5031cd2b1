import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../cliRunner';
import { VALID_CONFIG, edit, tempFiles } from '../helpers';
import { FIXTURE_DIR } from '../fixtures/simulation/simulationHelpers';

/** VALID_CONFIG naming the fixture CSV files, in a temp directory with them. */
function setup(): string {
  const config = edit(
    VALID_CONFIG,
    '"audiences": [',
    '"simulation": { "profiles": "profiles.csv", "leads": "leads.csv" },\n  "audiences": [',
  );
  return tempFiles({
    'dest.destination.json': config,
    'profiles.csv': fs.readFileSync(path.join(FIXTURE_DIR, 'profiles.csv')),
    'leads.csv': fs.readFileSync(path.join(FIXTURE_DIR, 'leads.csv')),
  });
}

describe('aep-dest simulate --engine', () => {
  for (const format of ['json', 'csv', 'text', 'markdown']) {
    test(`duckdb and typescript write the same ${format} report`, async () => {
      const dir = setup();
      const ts = await runCli(
        dir,
        'simulate',
        'dest.destination.json',
        '-f',
        format,
        '--engine',
        'typescript',
      );
      const duck = await runCli(
        dir,
        'simulate',
        'dest.destination.json',
        '-f',
        format,
        '--engine',
        'duckdb',
      );
      assert.equal(ts.code, 0, ts.stderr);
      assert.equal(duck.code, 0, duck.stderr);
      assert.equal(duck.stdout, ts.stdout);
    });
  }

  test('--out with the DuckDB engine: the report, and no temp file left', async () => {
    const dir = setup();
    const r = await runCli(
      dir,
      'simulate',
      'dest.destination.json',
      '-f',
      'json',
      '--engine',
      'duckdb',
      '-o',
      'out.json',
    );
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'out.json'), 'utf8')) as {
      outcomes: unknown[];
    };
    assert.ok(report.outcomes.length > 0);
    assert.deepEqual(
      fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')),
      [],
    );
  });

  test('an input error is one line naming the file and line', async () => {
    const dir = setup();
    fs.appendFileSync(path.join(dir, 'leads.csv'), '999\n');
    const r = await runCli(
      dir,
      'simulate',
      'dest.destination.json',
      '--engine',
      'duckdb',
      '-o',
      'out.json',
    );
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /^aep-dest: leads\.csv:\d+: ragged row: 1 field but the header \(line 1\) has \d+\n$/,
    );
    assert.equal(fs.existsSync(path.join(dir, 'out.json')), false);
  });

  test('--progress writes one rewritten line on stderr; --no-progress none', async () => {
    const dir = setup();
    const on = await runCli(
      dir,
      'simulate',
      'dest.destination.json',
      '--engine',
      'duckdb',
      '--progress',
    );
    assert.equal(on.code, 0, on.stderr);
    assert.match(on.stderr, /\raep-dest: (reading|matching|writing)/);
    assert.ok(on.stderr.endsWith('\r\x1b[K'), JSON.stringify(on.stderr));
    const off = await runCli(
      dir,
      'simulate',
      'dest.destination.json',
      '--engine',
      'duckdb',
      '--no-progress',
    );
    assert.equal(off.stderr, '');
  });

  test('an unknown engine is a usage error; Parquet needs DuckDB', async () => {
    const dir = setup();
    const r = await runCli(dir, 'simulate', 'dest.destination.json', '--engine', 'spark');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /engine/);
    fs.writeFileSync(path.join(dir, 'p.parquet'), '');
    const p = await runCli(
      dir,
      'simulate',
      'dest.destination.json',
      '--engine',
      'typescript',
      '--profiles',
      'p.parquet',
    );
    assert.equal(p.code, 2);
    assert.match(p.stderr, /Parquet/);
  });
});
