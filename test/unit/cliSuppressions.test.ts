// Suppressions on the command line: text and JSON leave suppressed findings out (and count them),
// SARIF keeps them with `suppressions`, --no-inline-config ignores every comment, and the SARIF
// passes Microsoft's validator (@microsoft/sarif-multitool) without an error or a warning.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Log as SarifLog, Result } from 'sarif';
import { ALL_RULES } from '../../server/src/rules/ruleTable';
import { runCli as run } from '../cliRunner';
import { REPO_ROOT, VALID_CONFIG, edit, tempFiles as workspace } from '../helpers';

const REASON = 'the sandbox keeps the id Marketo issued';
/** An error hidden by a next-line comment with a reason, and an unused file-wide suppression. */
const SUPPRESSED = `/* aep-dest-disable no-audiences */\n${edit(
  VALID_CONFIG,
  '  "munchkinId": "123-ABC-456",',
  `  // aep-dest-disable-next-line invalid-munchkin-id -- ${REASON}\n  "munchkinId": "12-ABC-456",`,
)}`;
/** A warning hidden file-wide, without a reason; an error left shown. */
const PARTLY = `// aep-dest-disable batch-only-audience\n${edit(
  edit(VALID_CONFIG, '"entities": ["person"]', '"entities": ["person", "account"]'),
  '"123-ABC-456"',
  '"123-abc-456"',
)}`;

function files(): string {
  return workspace({ 'a.destination.jsonc': SUPPRESSED, 'b.destination.json': PARTLY });
}

describe('text and JSON', () => {
  test('text: suppressed findings are left out, counted in the summary', async () => {
    const r = await run(files(), 'validate', '.');
    assert.equal(r.code, 1);
    const lines = r.stdout.trimEnd().split('\n');
    assert.deepEqual(
      lines.map((line) => line.split(' ').slice(0, 3).join(' ')),
      [
        'a.destination.jsonc:1:1 warning unused-suppression',
        'b.destination.json:5:17 error invalid-munchkin-id',
        '2 files checked:',
      ],
    );
    assert.equal(lines.at(-1), '2 files checked: 1 error, 1 warning (2 suppressed)');
  });

  test('an error that is suppressed does not fail the run', async () => {
    const cwd = workspace({
      'a.destination.json': edit(SUPPRESSED, '/* aep-dest-disable no-audiences */\n', ''),
    });
    const r = await run(cwd, 'validate', '.');
    assert.equal(r.stdout, '1 file checked: 0 errors, 0 warnings (1 suppressed)\n');
    assert.equal(r.code, 0);
  });

  test('json: the diagnostics without the suppressed, and summary.suppressed', async () => {
    const r = await run(files(), 'validate', '--format', 'json', '.');
    const out = JSON.parse(r.stdout) as {
      files: { path: string; diagnostics: { code: string }[] }[];
      summary: unknown;
    };
    assert.deepEqual(
      out.files.map((f) => [f.path, f.diagnostics.map((d) => d.code)]),
      [
        ['a.destination.jsonc', ['unused-suppression']],
        ['b.destination.json', ['invalid-munchkin-id']],
      ],
    );
    assert.deepEqual(out.summary, { errors: 1, warnings: 1, suppressed: 2 });
  });

  test('--no-inline-config: every finding is back, no suppression is reported', async () => {
    const r = await run(files(), 'validate', '--no-inline-config', '.');
    assert.equal(r.code, 1);
    assert.match(r.stdout, /2 files checked: 2 errors, 1 warning\n$/);
    assert.deepEqual(
      r.stdout
        .trimEnd()
        .split('\n')
        .map((line) => line.split(' ').slice(0, 3).join(' ')),
      [
        'a.destination.jsonc:6:17 error invalid-munchkin-id',
        'b.destination.json:5:17 error invalid-munchkin-id',
        'b.destination.json:18:39 warning batch-only-audience',
        '2 files checked:',
      ],
    );
    const help = await run(files(), 'validate', '--help');
    assert.match(help.stdout, /--no-inline-config {10}Ignore suppression comments/);
  });
});

describe('SARIF', () => {
  async function sarif(cwd: string): Promise<SarifLog> {
    const r = await run(cwd, 'validate', '--format', 'sarif', '.');
    assert.equal(r.code, 1);
    return JSON.parse(r.stdout) as SarifLog;
  }

  test('suppressed results are kept, with kind inSource, the reason and the comment', async () => {
    const log = await sarif(files());
    const results = log.runs[0]?.results ?? [];
    const brief = (result: Result) => [
      result.ruleId,
      result.locations?.[0]?.physicalLocation?.artifactLocation?.uri,
      result.suppressions?.map((s) => [s.kind, s.justification]),
    ];
    assert.deepEqual(results.map(brief), [
      ['unused-suppression', 'a.destination.jsonc', undefined],
      ['invalid-munchkin-id', 'a.destination.jsonc', [['inSource', REASON]]],
      ['invalid-munchkin-id', 'b.destination.json', undefined],
      ['batch-only-audience', 'b.destination.json', [['inSource', undefined]]],
    ]);
    const where = results[1]?.suppressions?.[0]?.location?.physicalLocation;
    assert.equal(where?.artifactLocation?.uri, 'a.destination.jsonc');
    assert.deepEqual(where?.region, {
      startLine: 5,
      startColumn: 3,
      endLine: 5,
      endColumn: 3 + `// aep-dest-disable-next-line invalid-munchkin-id -- ${REASON}`.length,
    });
    assert.equal(results[1]?.level, 'error');
  });

  test('no rule has a name equal to its id, whatever the case (SARIF1001)', async () => {
    const rules = (await sarif(files())).runs[0]?.tool.driver.rules ?? [];
    assert.equal(rules.length, ALL_RULES.length);
    for (const rule of rules) {
      assert.match(rule.name ?? '', /^[A-Z][A-Za-z0-9]*$/, rule.id);
      assert.notEqual(rule.name?.toLowerCase(), rule.id.toLowerCase(), rule.id);
    }
    assert.deepEqual(
      rules.filter((r) => r.id === 'syntax' || r.id === 'schema').map((r) => r.name),
      ['InvalidJsonWithComments', 'SchemaViolation'],
    );
  });

  test("Microsoft's SARIF validator finds no error and no warning", async () => {
    const cwd = workspace({
      'a.destination.jsonc': SUPPRESSED,
      'b.destination.json': PARTLY,
      'c.destination.json': '{ "connector": ',
    });
    const sarifFile = path.join(cwd, 'results.sarif');
    fs.writeFileSync(sarifFile, JSON.stringify(await sarif(cwd)));
    const output = path.join(cwd, 'validation.sarif');
    const tool = path.join(REPO_ROOT, 'node_modules', '@microsoft', 'sarif-multitool', 'bin.js');
    const validated = spawnSync(
      process.execPath,
      [tool, 'validate', sarifFile, '--output', output, '--log', 'ForceOverwrite'],
      { encoding: 'utf8' },
    );
    assert.equal(validated.status, 0, validated.stdout + validated.stderr);
    const report = JSON.parse(fs.readFileSync(output, 'utf8')) as SarifLog;
    const runLog = report.runs[0];
    assert.equal(runLog?.invocations?.[0]?.executionSuccessful, true);
    const rules = runLog?.tool.driver.rules ?? [];
    // A result without a level has its rule's default level, and "warning" without one.
    const level = (result: Result): string =>
      result.level ??
      rules[result.ruleIndex ?? -1]?.defaultConfiguration?.level ??
      (result.kind === undefined || result.kind === 'fail' ? 'warning' : 'none');
    const problems = (runLog?.results ?? [])
      .filter((result) => ['error', 'warning'].includes(level(result)))
      .map((result) => `${result.ruleId}: ${JSON.stringify(result.message)}`);
    assert.deepEqual(problems, []);
    assert.deepEqual(runLog?.invocations?.[0]?.toolExecutionNotifications ?? [], []);
    assert.ok(!/\b(?:error|warning) SARIF\d+/.test(validated.stdout), validated.stdout);
  });
});
