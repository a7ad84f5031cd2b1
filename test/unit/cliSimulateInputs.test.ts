/**
 * `aep-dest simulate` and the input files of issue 10: the encoding option and config
 * property, the one-line errors naming every path (the current directory too), and the
 * warning about identity namespaces with several ids.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../cliRunner';
import { VALID_CONFIG, edit, tempFiles } from '../helpers';

const FIXTURES = path.resolve(__dirname, '../fixtures');
const WINDOWS_1252 = fs.readFileSync(
  path.join(FIXTURES, 'encodings/profiles-semicolon-windows-1252.csv'),
);
const LEADS = fs.readFileSync(path.join(FIXTURES, 'lead-files/leads-rest.json'), 'utf8');

/** VALID_CONFIG with a simulation block; `extra` is more of its members, JSON text. */
function configWith(extra = ''): string {
  return edit(
    VALID_CONFIG,
    '"audiences": [',
    `"simulation": { "profiles": "./profiles.csv", "leads": "./leads.json"${extra} },\n  "audiences": [`,
  );
}

function workspace(config = configWith(), profiles: string | Buffer = WINDOWS_1252): string {
  return tempFiles({ 'dest.json': config, 'profiles.csv': profiles, 'leads.json': LEADS });
}

describe('aep-dest simulate: encodings', () => {
  test('a windows-1252 file is refused in one line, exit 2, no output', async () => {
    const r = await runCli(workspace(), 'simulate', 'dest.json');
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(
      r.stderr,
      'aep-dest: profiles.csv:2: not valid UTF-8 (byte 0xC5); it looks like windows-1252: read it with --encoding windows-1252 (or "simulation": {"encoding": "windows-1252"} in the config), or save it as UTF-8\n',
    );
  });

  test('--encoding windows-1252 reads it: the plan writes Åkesson, never U+FFFD', async () => {
    const r = await runCli(workspace(), 'simulate', 'dest.json', '--encoding', 'windows-1252');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /Åkesson/);
    assert.ok(!r.stdout.includes('\uFFFD'));
  });

  test('"simulation.encoding" in the config reads it too; the option wins', async () => {
    const dir = workspace(configWith(', "encoding": "windows-1252"'));
    const r = await runCli(dir, 'simulate', 'dest.json', '--format', 'json');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /"to": ?"Åkesson"/);
    const utf8 = await runCli(dir, 'simulate', 'dest.json', '--encoding', 'utf-8');
    assert.equal(utf8.code, 2);
    assert.match(utf8.stderr, /^aep-dest: profiles\.csv:2: not valid UTF-8/);
  });

  test('an unknown encoding is a usage error', async () => {
    const r = await runCli(workspace(), 'simulate', 'dest.json', '--encoding', 'klingon');
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr,
      /^aep-dest: unknown encoding "klingon" for --encoding \(e\.g\. windows-1252, iso-8859-1, utf-8\)\n/,
    );
  });

  test('an unknown simulation.encoding is a file error naming the config', async () => {
    const r = await runCli(
      workspace(configWith(', "encoding": "klingon"')),
      'simulate',
      'dest.json',
    );
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      'aep-dest: dest.json: unknown "simulation.encoding" "klingon" (e.g. windows-1252, iso-8859-1, utf-8)\n',
    );
  });
});

describe('aep-dest simulate: every input error names its path', () => {
  test('--profiles . names the current directory', async () => {
    const r = await runCli(workspace(), 'simulate', 'dest.json', '--profiles', '.');
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'aep-dest: .:1: is a directory, not a file\n');
  });

  test('--leads . too', async () => {
    const r = await runCli(
      workspace(),
      'simulate',
      'dest.json',
      '--leads',
      '.',
      '--encoding',
      'windows-1252',
    );
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'aep-dest: .:1: is a directory, not a file\n');
  });

  test('no partial output file on an input error', async () => {
    const dir = workspace();
    const r = await runCli(dir, 'simulate', 'dest.json', '-o', 'plan.txt');
    assert.equal(r.code, 2);
    assert.ok(!fs.existsSync(path.join(dir, 'plan.txt')));
  });
});

describe('aep-dest simulate: profile warnings', () => {
  test('a namespace with several ids is a warning on stderr; the plan is still written', async () => {
    const profiles = fs.readFileSync(path.join(FIXTURES, 'profile-files/xdm-profiles.json'));
    const dir = tempFiles({
      'dest.json': edit(configWith(), './profiles.csv', './profiles.json'),
      'profiles.json': profiles,
      'leads.json': LEADS,
    });
    const r = await runCli(dir, 'simulate', 'dest.json');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stderr,
      'aep-dest: warning: profiles.json:14: identityMap.Email holds several ids in 1 profile (profile 2 first): the one marked "primary": true is used, else the first\n',
    );
    assert.match(r.stdout, /bo@x\.com/);
  });
});
