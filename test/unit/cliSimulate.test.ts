import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../cliRunner';
import type { SimulationResult } from '../../server/src/simulation/simulate';
import { CSV_HEADER } from '../../common/reportFormats';
import { REPO_ROOT, VALID_CONFIG, edit, tempFiles } from '../helpers';
import { ANN_UPDATE } from '../fixtures/simulation/results';
import { WINBACK_SUMMARY } from '../fixtures/simulation/winbackSummary';

const run = runCli;

/** VALID_CONFIG with a simulation block (paths relative to the config). */
function configWith(profiles: string, leads: string, base = VALID_CONFIG): string {
  return edit(
    base,
    '"audiences": [',
    `"simulation": { "profiles": ${JSON.stringify(profiles)}, "leads": ${JSON.stringify(leads)} },\n  "audiences": [`,
  );
}

const PROFILES = `identityMap.Email,person.name.firstName,person.name.lastName,segmentMembership.ups.seg-winback.status
ann@x.com,Ann,Andersson,realized
new@x.com,Nina,New,realized
,Eve,Empty,realized
fred@x.com,Fred,Gone,exited
`;

const LEADS = JSON.stringify({
  result: [
    {
      id: 101,
      email: 'ann@x.com',
      firstName: 'Ann',
      lastName: 'A',
      partition: 'EMEA',
      updatedAt: '2024-03-01T10:00:00Z',
    },
  ],
});

/** A workspace with the config (simulation block) and its inputs under data/. */
function workspace(extra: Record<string, string> = {}): string {
  return tempFiles({
    'dest.json': configWith('./data/profiles.csv', './data/leads.json'),
    'data/profiles.csv': PROFILES,
    'data/leads.json': LEADS,
    ...extra,
  });
}

function parseReport(text: string): SimulationResult {
  return JSON.parse(text) as SimulationResult;
}

describe('aep-dest simulate formats', () => {
  test('json: the summary and an outcome, exactly', async () => {
    const r = await run(workspace(), 'simulate', 'dest.json', '--format', 'json');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const report = parseReport(r.stdout);
    assert.deepEqual(report.summary, {
      profiles: 4,
      create: 1,
      update: 1,
      addToList: 0,
      skip: 2,
      removeFromList: 0,
      addedToLists: 2,
      removedFromLists: 0,
    });
    assert.deepEqual(report.outcomes[0], { ...ANN_UPDATE, line: 2 });
  });

  test('csv: the header, and a hostile value quoted and defused', async () => {
    const hostile = '=HYPERLINK("http://evil"),\nx@x.com';
    const profiles = `identityMap.Email,person.name.firstName,person.name.lastName\n"${hostile.replace(/"/g, '""')}",Mal,Lory\n`;
    const cwd = workspace({ 'data/profiles.csv': profiles });
    const r = await run(cwd, 'simulate', 'dest.json', '-f', 'csv');
    assert.equal(r.code, 0, r.stderr);
    const [header, ...rest] = r.stdout.split('\r\n');
    assert.equal(header, CSV_HEADER);
    assert.equal(
      rest.join('\r\n'),
      `0,2,"'=HYPERLINK(""http://evil""),\nx@x.com",create,,EMEA,seg-winback,` +
        `"email: → =HYPERLINK(""http://evil""),\nx@x.com;firstName: → Mal;lastName: → Lory",,,,\r\n`,
    );
  });

  test('markdown: tables, with | escaped in values', async () => {
    const profiles = `identityMap.Email,person.name.firstName,person.name.lastName\nann@x.com,Ann,A|B\n`;
    const r = await run(
      workspace({ 'data/profiles.csv': profiles }),
      'simulate',
      'dest.json',
      '--format=markdown',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^# Simulate Export: Winback known leads\n/);
    assert.match(r.stdout, /\n\| update \| 1 \|\n/);
    assert.ok(
      r.stdout.includes(
        '| 0 | 2 | ann@x.com | update | 101 | EMEA | seg-winback | lastName: A → A\\|B |  |',
      ),
      r.stdout,
    );
  });

  test('text: header, groups, skip reasons and the summary line, no colours', async () => {
    const r = await run(workspace(), 'simulate', 'dest.json');
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes('\x1b['), 'no ANSI codes in-process');
    assert.match(
      r.stdout,
      /^Simulate Export: Winback known leads\n {2}config {4}dest.json\n {2}profiles {2}data\/profiles.csv\n {2}leads {5}data\/leads.json\n/,
    );
    for (const group of [
      '\n+ create (1)\n  + new lead (EMEA) new@x.com  firstName: "Nina"; lastName: "New"; lists: seg-winback\n',
      '\n~ update (1)\n  ~ lead 101 (EMEA) ann@x.com  lastName: "A" → "Andersson"; lists: seg-winback\n',
      '\n- skip (1): not a member of any audience of this destination\n  - line 5 fred@x.com\n',
      '- skip (1): no value for the dedupe field (source identityMap.Email)\n  - line 4 (no dedupe value)\n',
    ]) {
      assert.ok(r.stdout.includes(group));
    }
    assert.ok(
      r.stdout.endsWith(
        '\nPlan: 1 to create, 1 to update, 2 to add to lists, 2 to skip (4 profiles).\n',
      ),
    );
  });
});

describe('aep-dest simulate exit codes', () => {
  test('1 for a config with errors, printing its findings on stderr', async () => {
    const bad = edit(
      configWith('./data/profiles.csv', './data/leads.json'),
      '"personAction": "updateExistingAndCreateNew",\n',
      '',
    );
    const r = await run(workspace({ 'dest.json': bad }), 'simulate', 'dest.json');
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^dest\.json:\d+:\d+ error missing-person-action /m);
    assert.match(r.stderr, /aep-dest: dest\.json has errors: fix them before simulating\n$/);
  });

  test('2 for a missing input file, naming it', async () => {
    const r = await run(workspace(), 'simulate', 'dest.json', '--profiles', 'nope.csv');
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'aep-dest: nope.csv:1: no such file\n');
  });

  test('2 for a malformed CSV, naming file and line', async () => {
    const broken = `identityMap.Email,person.name.firstName\nann@x.com,Ann\nbob@x.com,Bob,extra\n`;
    const r = await run(workspace({ 'data/profiles.csv': broken }), 'simulate', 'dest.json');
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /^aep-dest: data\/profiles\.csv:3: ragged row: 3 fields but the header \(line 1\) has 2\n$/,
    );
  });

  test('2 for an unknown format, a missing config and no config', async () => {
    const cwd = workspace();
    const format = await run(cwd, 'simulate', 'dest.json', '--format', 'xml');
    assert.equal(format.code, 2);
    assert.match(format.stderr, /unknown format 'xml' \(expected text, json, markdown, csv\)/);
    const missing = await run(cwd, 'simulate', 'nope.json');
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, 'aep-dest: cannot read nope.json: no such file\n');
    assert.equal((await run(cwd, 'simulate')).code, 2);
  });

  test('2 when an input is neither given nor in the simulation block, saying how to give it', async () => {
    const cwd = tempFiles({ 'ok.json': VALID_CONFIG, 'l.json': LEADS });
    const one = await run(cwd, 'simulate', 'ok.json', '--leads', 'l.json');
    assert.equal(one.code, 2);
    assert.match(
      one.stderr,
      /^aep-dest: no profiles file for ok\.json\naep-dest: give --profiles FILE, or set "simulation": \{"profiles": ".\/…"\}/,
    );
    const both = await run(cwd, 'simulate', 'ok.json');
    assert.equal(both.code, 2);
    assert.match(both.stderr, /no profiles and no leads file for ok\.json/);
    assert.match(both.stderr, /give --profiles FILE and --leads FILE/);
  });

  test('help lists simulate; simulate --help prints its usage', async () => {
    const cwd = workspace();
    assert.match((await run(cwd, '--help')).stdout, /\n {2}simulate {2}Preview/);
    const help = await run(cwd, 'simulate', '--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: aep-dest simulate <config>/);
  });
});

describe('aep-dest simulate inputs and output', () => {
  test('simulation paths are relative to the config, options to the cwd', async () => {
    const cwd = tempFiles({
      'sub/dest.json': configWith('./data/profiles.csv', './data/leads.json'),
      'sub/data/profiles.csv': PROFILES,
      'sub/data/leads.json': LEADS,
      // Decoys where a cwd-relative reading would look.
      'data/profiles.csv': 'identityMap.Email\nz@x.com\n',
      'data/leads.json': '[]',
    });
    const r = await run(cwd, 'simulate', 'sub/dest.json', '-f', 'json');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(parseReport(r.stdout).summary.profiles, 4);
    const flags = await run(
      cwd,
      'simulate',
      'sub/dest.json',
      '-f',
      'json',
      '--profiles',
      'data/profiles.csv',
    );
    assert.equal(flags.code, 0, flags.stderr);
    assert.deepEqual(parseReport(flags.stdout).summary, {
      profiles: 1,
      create: 1,
      update: 0,
      addToList: 0,
      skip: 0,
      removeFromList: 0,
      addedToLists: 1,
      removedFromLists: 0,
    });
  });

  test('--out writes the report and prints nothing', async () => {
    const cwd = workspace();
    const direct = await run(cwd, 'simulate', 'dest.json', '-f', 'json');
    const r = await run(cwd, 'simulate', 'dest.json', '-f', 'json', '--out', 'out/report.json');
    assert.equal(r.code, 2, 'a missing directory is a file error');
    assert.ok(!fs.existsSync(path.join(cwd, 'out')));
    const ok = await run(cwd, 'simulate', 'dest.json', '-f', 'json', '-o', 'report.json');
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout, '');
    assert.equal(ok.stderr, '');
    assert.equal(fs.readFileSync(path.join(cwd, 'report.json'), 'utf8'), direct.stdout);
    assert.deepEqual(fs.readdirSync(cwd).sort(), ['data', 'dest.json', 'report.json']);
  });

  test('--out on an error leaves no file, an existing target unchanged, and no temp file', async () => {
    const cwd = workspace({ 'data/profiles.csv': 'identityMap.Email\n"unterminated\n' });
    const fresh = await run(cwd, 'simulate', 'dest.json', '--out', 'plan.txt');
    assert.equal(fresh.code, 2);
    assert.match(fresh.stderr, /^aep-dest: data\/profiles\.csv:2: unterminated quoted field/);
    assert.ok(!fs.existsSync(path.join(cwd, 'plan.txt')));
    fs.writeFileSync(path.join(cwd, 'plan.txt'), 'previous plan\n');
    const again = await run(cwd, 'simulate', 'dest.json', '--out', 'plan.txt');
    assert.equal(again.code, 2);
    assert.equal(fs.readFileSync(path.join(cwd, 'plan.txt'), 'utf8'), 'previous plan\n');
    assert.deepEqual(fs.readdirSync(cwd).sort(), ['data', 'dest.json', 'plan.txt']);
  });

  test('--out failing at the rename removes its temp file', async () => {
    const cwd = workspace({ 'target/keep.txt': 'kept' });
    const r = await run(cwd, 'simulate', 'dest.json', '--out', 'target');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^aep-dest: cannot write target: /);
    assert.deepEqual(fs.readdirSync(cwd).sort(), ['data', 'dest.json', 'target']);
    assert.deepEqual(fs.readdirSync(path.join(cwd, 'target')), ['keep.txt']);
  });
});

describe('aep-dest simulate on the bundled examples', () => {
  test('winback: update, create, both skips, duplicates across partitions', async () => {
    const r = await run(REPO_ROOT, 'simulate', 'examples/winback.destination.json', '-f', 'json');
    assert.equal(r.code, 0, r.stderr);
    const report = parseReport(r.stdout);
    assert.deepEqual(report.summary, WINBACK_SUMMARY);
    const byValue = (value: string | null) => report.outcomes.find((o) => o.dedupeValue === value);
    assert.deepEqual(byValue('ann.andersson@acme.example')?.changes, [
      { field: 'lastName', from: 'Anderson', to: 'Andersson' },
      { field: 'title', from: 'Marketing Manager', to: 'VP Marketing' },
    ]);
    const carl = byValue('carl.carlsson@fabrikam.example');
    assert.equal(carl?.leadId, '202');
    assert.equal(carl?.partition, 'APAC');
    assert.deepEqual(carl?.otherMatches, [
      { leadId: '201', partition: 'EMEA', updatedAt: '2023-06-20T08:00:00Z' },
    ]);
    assert.equal(byValue('erik.ek@nordic.example')?.action, 'create');
    assert.equal(byValue('erik.ek@nordic.example')?.partition, 'EMEA');
    assert.match(byValue(null)?.reason ?? '', /^no value for the dedupe field/);
    assert.equal(
      byValue('ivan.ivanov@litware.example')?.reason,
      'not a member of any audience of this destination',
    );
    const text = await run(REPO_ROOT, 'simulate', 'examples/winback.destination.json');
    assert.ok(
      text.stdout.endsWith(
        'Plan: 2 to create, 5 to update, 7 to add to lists, 2 to skip (9 profiles).\n',
      ),
    );
  });

  test('audience only: addToList, the exited lead removed from the list, never create', async () => {
    const r = await run(
      REPO_ROOT,
      'simulate',
      'examples/webinar-audience-only.destination.json',
      '-f',
      'json',
    );
    assert.equal(r.code, 0, r.stderr);
    const report = parseReport(r.stdout);
    assert.deepEqual(report.summary, {
      profiles: 5,
      create: 0,
      update: 0,
      addToList: 3,
      skip: 1,
      removeFromList: 1,
      addedToLists: 3,
      removedFromLists: 1,
    });
    assert.deepEqual(
      report.outcomes.map((o) => o.action),
      ['addToList', 'addToList', 'addToList', 'skip', 'removeFromList'],
    );
    assert.equal(report.outcomes[3]?.reason, 'no matching lead; audienceOnly never creates leads');
    assert.deepEqual(report.outcomes[4]?.removeFromLists, ['seg-webinar-registrants']);
    assert.deepEqual(report.apiPlan.perList, [
      { listId: 'seg-webinar-registrants', members: 3, calls: 1, removed: 1, removeCalls: 1 },
    ]);
    // audienceOnly finds the lead ids first: 5 profiles' values fit one look-up call.
    assert.equal(report.apiPlan.leadLookupCalls, 1);
    assert.equal(report.apiPlan.totalCalls, 3);
  });
});

describe('README', () => {
  test('shows the exact text plan of the winback example', async () => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const intro = 'simulate examples/winback.destination.json` prints:\n\n```text\n';
    const start = readme.indexOf(intro);
    assert.ok(start >= 0, 'README has the winback plan');
    const from = start + intro.length;
    const shown = readme.slice(from, readme.indexOf('```', from));
    const r = await run(REPO_ROOT, 'simulate', 'examples/winback.destination.json');
    assert.equal(shown, r.stdout);
  });
});
