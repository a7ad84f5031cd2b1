import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Log as SarifLog } from 'sarif';
import { main } from '../../server/src/cli/aep-dest';
import { runCli } from '../cliRunner';
import { ALL_RULES } from '../../server/src/rules/ruleTable';
import { REPO_ROOT, VALID_CONFIG, edit, tempFiles as workspace } from '../helpers';

const run = runCli;

const NO_PERSON_ACTION = edit(VALID_CONFIG, '"personAction": "updateExistingAndCreateNew",\n', '');
const BAD_MUNCHKIN = edit(VALID_CONFIG, '"123-ABC-456"', '"12-ABC-456"');
const BATCH_ONLY = edit(
  VALID_CONFIG,
  '"entities": ["person"]',
  '"entities": ["person", "account"]',
);

interface JsonDiagnostic {
  code: string;
  severity: string;
  message: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}
interface JsonOutput {
  files: { path: string; diagnostics: JsonDiagnostic[] }[];
  summary: { errors: number; warnings: number };
}

function parseJson(stdout: string): JsonOutput {
  return JSON.parse(stdout) as JsonOutput;
}

function codesOf(output: JsonOutput): string[] {
  return output.files.flatMap((f) => f.diagnostics.map((d) => d.code));
}

describe('aep-dest exit codes', () => {
  test('0 for a valid config', async () => {
    const cwd = workspace({ 'ok.destination.json': VALID_CONFIG });
    const r = await run(cwd, 'validate', 'ok.destination.json');
    assert.equal(r.code, 0);
    assert.equal(r.stdout, '1 file checked: 0 errors, 0 warnings\n');
    assert.equal(r.stderr, '');
  });

  test('1 for a config with errors', async () => {
    const cwd = workspace({ 'bad.destination.json': NO_PERSON_ACTION });
    const r = await run(cwd, 'validate', 'bad.destination.json');
    assert.equal(r.code, 1);
    assert.match(r.stdout, /error missing-person-action /);
    assert.match(r.stdout, /1 file checked: 1 error, 0 warnings\n$/);
  });

  test('0 for warnings only; 1 when they exceed --max-warnings', async () => {
    const cwd = workspace({ 'w.destination.json': BATCH_ONLY });
    const plain = await run(cwd, 'validate', 'w.destination.json');
    assert.equal(plain.code, 0);
    assert.match(plain.stdout, /warning batch-only-audience /);
    assert.match(plain.stdout, /0 errors, 1 warning\n$/);
    assert.equal((await run(cwd, 'validate', 'w.destination.json', '--max-warnings', '1')).code, 0);
    const over = await run(cwd, 'validate', 'w.destination.json', '--max-warnings=0');
    assert.equal(over.code, 1);
    assert.match(over.stderr, /more than --max-warnings 0/);
    const bad = await run(cwd, 'validate', 'w.destination.json', '--max-warnings', 'many');
    assert.equal(bad.code, 2);
  });

  test('2 for a missing file, naming it, with nothing on stdout', async () => {
    const cwd = workspace({ 'ok.destination.json': VALID_CONFIG });
    const r = await run(cwd, 'validate', 'ok.destination.json', 'examples/nope.json');
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'aep-dest: cannot read examples/nope.json: no such file\n');
  });

  test('2 for usage errors', async () => {
    const cwd = workspace({ 'ok.destination.json': VALID_CONFIG });
    const cases: [string[], RegExp][] = [
      [['validate', '--frobnicate', 'ok.destination.json'], /unknown option '--frobnicate'/],
      [['validate', '-x', 'ok.destination.json'], /unknown option '-x'/],
      [['validate', '--format', 'xml', 'ok.destination.json'], /unknown format 'xml'/],
      [['validate', 'ok.destination.json', '--format'], /'--format' needs a value/],
      [['validate', '--quiet=yes', 'ok.destination.json'], /takes no value/],
      [['validate'], /no files given/],
      [['lint', 'ok.destination.json'], /unknown command 'lint'/],
      [['--frobnicate'], /unknown option '--frobnicate'/],
      [['help', 'toString'], /unknown command 'toString'/],
      [['constructor'], /unknown command 'constructor'/],
      [
        ['validate', '--disable', 'no-such-rule', 'ok.destination.json'],
        /unknown rule code 'no-such-rule'/,
      ],
    ];
    for (const [argv, message] of cases) {
      const r = await run(cwd, ...argv);
      assert.equal(r.code, 2, argv.join(' '));
      assert.equal(r.stdout, '', argv.join(' '));
      assert.match(r.stderr, message, argv.join(' '));
      assert.match(r.stderr, /^aep-dest: /);
    }
  });

  test('2 with usage on stderr when there is no command', async () => {
    const r = await run(workspace());
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^Usage: aep-dest <command>/);
    assert.match(r.stderr, /validate/);
  });

  test('2 for a glob that matches nothing and for a directory without configs', async () => {
    const cwd = workspace({ 'ok.destination.json': VALID_CONFIG, 'empty/readme.md': '# nothing' });
    const glob = await run(cwd, 'validate', 'configs/**/*.destination.json');
    assert.equal(glob.code, 2);
    assert.equal(glob.stderr, 'aep-dest: no files match configs/**/*.destination.json\n');
    const dir = await run(cwd, 'validate', 'empty');
    assert.equal(dir.code, 2);
    assert.match(
      dir.stderr,
      /no \*\.destination\.json or \*\.destination\.jsonc files under empty/,
    );
  });

  test('2 for a file above 50 MB, before reading it', async () => {
    const cwd = workspace();
    const big = path.join(cwd, 'big.destination.json');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, 51 * 1024 * 1024);
    const r = await run(cwd, 'validate', 'big.destination.json');
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /^aep-dest: cannot read big\.destination\.json: 51\.0 MB is larger than the 50 MB limit\n$/,
    );
  });

  test(
    '2 for an unreadable file',
    { skip: process.getuid?.() === 0 || process.platform === 'win32' },
    async () => {
      const cwd = workspace({ 'locked.destination.json': VALID_CONFIG });
      fs.chmodSync(path.join(cwd, 'locked.destination.json'), 0o000);
      const r = await run(cwd, 'validate', 'locked.destination.json');
      assert.equal(r.code, 2);
      assert.equal(r.stderr, 'aep-dest: cannot read locked.destination.json: permission denied\n');
    },
  );

  test('2 with a one-line message for an unexpected internal error', async () => {
    const cwd = workspace({ 'ok.destination.json': VALID_CONFIG });
    let stderr = '';
    const code = await main(['validate', 'ok.destination.json'], {
      stdout: () => {
        throw new Error('disk on fire\n    at somewhere (file.js:1:1)');
      },
      stderr: (s) => (stderr += s),
      cwd,
    });
    assert.equal(code, 2);
    assert.equal(stderr, 'aep-dest: internal error: disk on fire at somewhere (file.js:1:1)\n');
    assert.ok(!stderr.includes('    at '));
  });

  test('help and version exit 0 on stdout', async () => {
    const cwd = workspace();
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const r = await run(cwd, ...argv);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /^Usage: aep-dest <command>/);
    }
    for (const argv of [
      ['validate', '--help'],
      ['validate', '-h'],
      ['help', 'validate'],
    ]) {
      const r = await run(cwd, ...argv);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /^Usage: aep-dest validate/);
      assert.match(r.stdout, /--max-warnings/);
    }
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    const v = await run(cwd, '--version');
    assert.equal(v.code, 0);
    assert.equal(v.stdout, `${pkg.version}\n`);
  });
});

describe('aep-dest output formats', () => {
  test('json: one document with exactly the documented keys, every file included', async () => {
    const cwd = workspace({
      'a.destination.json': VALID_CONFIG,
      'b.destination.json': BAD_MUNCHKIN,
    });
    const r = await run(
      cwd,
      'validate',
      '--format',
      'json',
      'b.destination.json',
      'a.destination.json',
    );
    assert.equal(r.code, 1);
    const out = parseJson(r.stdout);
    assert.deepEqual(Object.keys(out), ['files', 'summary']);
    assert.deepEqual(out.summary, { errors: 1, warnings: 0, suppressed: 0 });
    assert.deepEqual(
      out.files.map((f) => f.path),
      ['a.destination.json', 'b.destination.json'],
    );
    assert.deepEqual(out.files[0]?.diagnostics, []);
    const [diagnostic] = out.files[1]?.diagnostics ?? [];
    assert.ok(diagnostic);
    assert.deepEqual(Object.keys(diagnostic), ['code', 'severity', 'message', 'range']);
    assert.equal(diagnostic.code, 'invalid-munchkin-id');
    assert.equal(diagnostic.severity, 'error');
    assert.deepEqual(Object.keys(diagnostic.range.start), ['line', 'character']);
    const line = BAD_MUNCHKIN.split('\n').findIndex((l) => l.includes('12-ABC-456'));
    assert.equal(diagnostic.range.start.line, line, '0-based line');
  });

  test('text: path:line:col severity code message, 1-based', async () => {
    const cwd = workspace({ 'configs/bad.destination.json': BAD_MUNCHKIN });
    const json = parseJson((await run(cwd, 'validate', '-f', 'json', 'configs')).stdout);
    const d = json.files[0]?.diagnostics[0];
    assert.ok(d);
    const r = await run(cwd, 'validate', 'configs');
    assert.equal(r.code, 1);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 2);
    const line = BAD_MUNCHKIN.split('\n').findIndex((l) => l.includes('12-ABC-456'));
    const column = (BAD_MUNCHKIN.split('\n')[line] ?? '').indexOf('"12-ABC-456"');
    assert.equal(d.range.start.line, line);
    assert.equal(d.range.start.character, column);
    assert.equal(
      lines[0],
      `configs/bad.destination.json:${line + 1}:${column + 1} error invalid-munchkin-id ${d.message}`,
    );
    assert.equal(lines[1], '1 file checked: 1 error, 0 warnings');
  });

  test('text --quiet prints errors only, summary still counts warnings', async () => {
    const cwd = workspace({
      'e.destination.json': NO_PERSON_ACTION,
      // Another workspace: the same audience twice in one would be duplicate-activation.
      'w.destination.json': edit(BATCH_ONLY, '"workspace": "Default"', '"workspace": "EMEA"'),
    });
    const r = await run(cwd, 'validate', '--quiet', '.');
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.stdout, / warning batch-only-audience /);
    assert.match(r.stdout, /^e\.destination\.json:\d+:\d+ error missing-person-action /);
    assert.match(r.stdout, /2 files checked: 1 error, 1 warning\n$/);
  });

  test('sarif: 2.1.0, every rule with docs helpUri, results pointing at their rule, 1-based regions', async () => {
    const cwd = workspace({
      'dir with space/bad.destination.json': BAD_MUNCHKIN,
      'w.destination.json': BATCH_ONLY,
    });
    const r = await run(cwd, 'validate', '--format', 'sarif', '.');
    assert.equal(r.code, 1);
    const log = JSON.parse(r.stdout) as SarifLog;
    assert.equal(log.version, '2.1.0');
    assert.equal(log.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
    assert.equal(log.runs.length, 1);
    const runLog = log.runs[0];
    assert.ok(runLog);
    const driver = runLog.tool.driver;
    assert.equal(driver.name, 'aep-dest');
    assert.match(driver.version ?? '', /^\d+\.\d+\.\d+/);
    const rules = driver.rules ?? [];
    assert.deepEqual(
      rules.map((rule) => rule.id),
      ALL_RULES.map((rule) => rule.code),
    );
    for (const rule of rules) {
      assert.ok(rule.helpUri?.endsWith(`docs/rules/${rule.id}.md`), rule.helpUri);
      assert.ok(rule.shortDescription?.text);
      assert.ok(rule.fullDescription?.text);
      assert.match(rule.name ?? '', /^[A-Z][A-Za-z0-9]*$/);
      assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration?.level ?? ''));
    }
    assert.equal(
      rules.find((rule) => rule.id === 'missing-person-action')?.name,
      'MissingPersonAction',
    );
    assert.ok(runLog.originalUriBaseIds?.['%SRCROOT%']?.uri?.startsWith('file://'));
    assert.deepEqual(
      runLog.artifacts?.map((a) => a.location?.uri),
      ['dir%20with%20space/bad.destination.json', 'w.destination.json'],
    );

    const results = runLog.results ?? [];
    assert.deepEqual(
      results.map((res) => res.ruleId),
      ['invalid-munchkin-id', 'batch-only-audience'],
    );
    for (const result of results) {
      assert.equal(rules[result.ruleIndex ?? -1]?.id, result.ruleId);
    }
    const [munchkin, batch] = results;
    assert.equal(munchkin?.level, 'error');
    assert.equal(batch?.level, 'warning');
    const location = munchkin?.locations?.[0]?.physicalLocation;
    assert.deepEqual(location?.artifactLocation, {
      uri: 'dir%20with%20space/bad.destination.json',
      uriBaseId: '%SRCROOT%',
      index: 0,
    });
    const line = BAD_MUNCHKIN.split('\n').findIndex((l) => l.includes('12-ABC-456'));
    const column = (BAD_MUNCHKIN.split('\n')[line] ?? '').indexOf('"12-ABC-456"');
    assert.deepEqual(location?.region, {
      startLine: line + 1,
      startColumn: column + 1,
      endLine: line + 1,
      endColumn: column + 1 + '"12-ABC-456"'.length,
    });
    assert.equal(typeof munchkin?.message.text, 'string');
  });
});

describe('aep-dest inputs', () => {
  test('a directory expands to *.destination.json(c) only, skipping node_modules and dot-dirs, sorted', async () => {
    const cwd = workspace({
      'cfg/b.destination.jsonc': `// comment\n${VALID_CONFIG}`,
      'cfg/a.destination.json': VALID_CONFIG,
      'cfg/sub/c.destination.json': VALID_CONFIG,
      'cfg/notes.json': '{ not json',
      'cfg/x.destination.json.bak': '{ not json',
      'cfg/node_modules/pkg/d.destination.json': '{ not json',
      'cfg/.hidden/e.destination.json': '{ not json',
      'cfg/.f.destination.json': '{ not json',
    });
    const r = await run(cwd, 'validate', '--format', 'json', 'cfg/');
    assert.equal(r.code, 0, r.stdout);
    assert.deepEqual(
      parseJson(r.stdout).files.map((f) => f.path),
      ['cfg/a.destination.json', 'cfg/b.destination.jsonc', 'cfg/sub/c.destination.json'],
    );
  });

  test('globs expand cwd-relative; plain files are taken whatever their name; duplicates collapse', async () => {
    const cwd = workspace({
      'cfg/a.destination.json': VALID_CONFIG,
      'cfg/b.destination.json': VALID_CONFIG,
      'other/config.txt': VALID_CONFIG,
    });
    const r = await run(
      cwd,
      'validate',
      '-f',
      'json',
      'other/config.txt',
      'cfg/*.json',
      './cfg/a.destination.json',
      'cfg',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      parseJson(r.stdout).files.map((f) => f.path),
      ['cfg/a.destination.json', 'cfg/b.destination.json', 'other/config.txt'],
    );
  });

  test('an absolute path is shown as given', async () => {
    const cwd = workspace({ 'a.destination.json': VALID_CONFIG });
    const elsewhere = workspace();
    const file = path.join(cwd, 'a.destination.json');
    const r = await run(elsewhere, 'validate', '-f', 'json', file);
    assert.equal(r.code, 0);
    assert.equal(parseJson(r.stdout).files[0]?.path, file.replace(/\\/g, '/'));
  });

  test('malformed, empty, binary and invalid UTF-8 files give syntax findings, not crashes', async () => {
    const cwd = workspace({
      'empty.destination.json': '',
      'blank.destination.json': '  \n',
      'malformed.destination.json': '{ "connector": "marketo-engage", ',
      'array.destination.json': '[1, 2]',
      'binary.destination.json': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0xff, 0xfe]),
      'latin1.destination.json': Buffer.concat([
        Buffer.from('{ "name": '),
        Buffer.from([0xe9, 0xff]),
        Buffer.from(' }'),
      ]),
    });
    const r = await run(cwd, 'validate', '--format', 'json', '.');
    assert.equal(r.code, 1);
    const out = parseJson(r.stdout);
    assert.equal(out.files.length, 6);
    for (const file of out.files) {
      assert.ok(
        file.diagnostics.some((d) => d.code === 'syntax' && d.severity === 'error'),
        `${file.path}: ${JSON.stringify(file.diagnostics)}`,
      );
    }
  });

  test('a byte-order mark is fine and does not shift columns', async () => {
    const cwd = workspace({
      'bom.destination.json': Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from(VALID_CONFIG),
      ]),
      'bom-bad.destination.json': Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from('{"munchkinId": "12-ABC-456"}'),
      ]),
    });
    const ok = await run(cwd, 'validate', 'bom.destination.json');
    assert.equal(ok.code, 0, ok.stdout);
    const bad = parseJson(
      (await run(cwd, 'validate', '-f', 'json', 'bom-bad.destination.json')).stdout,
    );
    const munchkin = bad.files[0]?.diagnostics.find((d) => d.code === 'invalid-munchkin-id');
    assert.deepEqual(munchkin?.range.start, { line: 0, character: '{"munchkinId": '.length });
  });
});

describe('aep-dest rule switches', () => {
  test('--disable turns rules off, singly, comma-separated and repeated', async () => {
    const both = edit(BAD_MUNCHKIN, '"personAction": "updateExistingAndCreateNew",\n', '');
    const cwd = workspace({ 'x.destination.json': both });
    const all = parseJson((await run(cwd, 'validate', '-f', 'json', 'x.destination.json')).stdout);
    assert.deepEqual(codesOf(all).sort(), ['invalid-munchkin-id', 'missing-person-action']);

    const one = await run(
      cwd,
      'validate',
      '-f',
      'json',
      '--disable',
      'invalid-munchkin-id',
      'x.destination.json',
    );
    assert.equal(one.code, 1);
    assert.deepEqual(codesOf(parseJson(one.stdout)), ['missing-person-action']);

    const comma = await run(
      cwd,
      'validate',
      '--disable=invalid-munchkin-id,missing-person-action',
      'x.destination.json',
    );
    assert.equal(comma.code, 0);
    const repeated = await run(
      cwd,
      'validate',
      '--disable',
      'invalid-munchkin-id',
      '--disable',
      'missing-person-action',
      'x.destination.json',
    );
    assert.equal(repeated.code, 0);
  });

  test('--max-warnings counts warnings of every file', async () => {
    const cwd = workspace({
      'a.destination.json': BATCH_ONLY,
      // Another workspace: the same audience twice in one would be duplicate-activation.
      'b.destination.json': edit(BATCH_ONLY, '"workspace": "Default"', '"workspace": "EMEA"'),
    });
    assert.equal((await run(cwd, 'validate', '--max-warnings', '2', '.')).code, 0);
    assert.equal((await run(cwd, 'validate', '--max-warnings', '1', '.')).code, 1);
    assert.equal(
      (await run(cwd, 'validate', '--max-warnings', '1', '--disable', 'batch-only-audience', '.'))
        .code,
      0,
    );
  });
});

describe('aep-dest as a process', () => {
  test('runs through tsx: exit code and one JSON document on stdout', () => {
    const dir = workspace({
      'a.destination.json': VALID_CONFIG,
      'b.destination.json': NO_PERSON_ACTION,
    });
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'server/src/cli/aep-dest.ts', ...args], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        timeout: 60_000,
      });
    const result = cli('validate', '--format', 'json', dir);
    assert.equal(result.status, 1, result.stderr);
    assert.ok(!result.stderr.includes('    at '), result.stderr);
    const out = parseJson(result.stdout);
    const base = dir.replace(/\\/g, '/');
    assert.deepEqual(
      out.files.map((f) => f.path),
      [`${base}/a.destination.json`, `${base}/b.destination.json`],
    );
    assert.equal(out.summary.errors, 1);

    const missing = cli('validate', 'examples/nope.json');
    assert.equal(missing.status, 2);
    assert.equal(missing.stdout, '');
    assert.equal(missing.stderr, 'aep-dest: cannot read examples/nope.json: no such file\n');
  });
});

// Issue 14: the command line reads what its user points it at, and its help says so.
test('--help says the CLI reads the files it is pointed at, and which commands send requests', async () => {
  const cwd = workspace();
  const main = await run(cwd, '--help');
  assert.match(
    main.stdout,
    /reads the files you point it at, and the files a config names,\s+wherever they are/,
  );
  assert.match(main.stdout, /Only pull and apply send requests/);
  for (const command of ['validate', 'simulate']) {
    const help = await run(cwd, command, '--help');
    assert.match(help.stdout, /the command line reads what you point it at/, command);
  }
});
