// `aep-dest validate` over several files or a directory runs the rules across files: each
// finding is in both files and names the other file and line, in the text, JSON and SARIF
// outputs.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Log as SarifLog } from 'sarif';
import { runCli as run } from '../cliRunner';
import { VALID_CONFIG, edit, tempFiles as workspace } from '../helpers';

const WINBACK = VALID_CONFIG;
/** Another destination on the same instance and workspace: customerId, and the same audience. */
const CRM = edit(
  edit(VALID_CONFIG, '"dedupeField": "email"', '"dedupeField": "customerId"'),
  '"Winback known leads"',
  '"CRM sync"',
);
/** What the CRM config draws in its own file (customerId is matched on an email source). */
const CRM_OWN = ['missing-required-mapping', 'dedupe-source-mismatch'];

interface JsonDiagnostic {
  code: string;
  severity: string;
  range: { start: { line: number; character: number } };
  relatedInformation?: {
    path: string;
    message: string;
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
  }[];
}
interface JsonOutput {
  files: { path: string; diagnostics: JsonDiagnostic[] }[];
  summary: { errors: number; warnings: number };
}

function folder(): string {
  return workspace({
    'team/winback.destination.json': WINBACK,
    'team/crm.destination.json': CRM,
  });
}

describe('aep-dest validate across files', () => {
  test('text: both findings in both files, each with a related line naming the other', async () => {
    const r = await run(folder(), 'validate', 'team');
    assert.equal(r.code, 1);
    const lines = r.stdout.split('\n');
    const at = (prefix: string): string[] => {
      const i = lines.findIndex((line) => line.startsWith(prefix));
      assert.ok(i >= 0, `no line starts with ${prefix}:\n${r.stdout}`);
      return [lines[i] ?? '', lines[i + 1] ?? ''];
    };
    const [dedupe, dedupeRelated] = at(
      'team/winback.destination.json:8:18 error conflicting-dedupe-field ',
    );
    assert.match(
      dedupe ?? '',
      /matches leads on "customerId", this one on "email": .* duplicate leads\./,
    );
    assert.equal(
      dedupeRelated,
      '  related: team/crm.destination.json:8:18 the dedupe field "customerId" of "CRM sync" (crm.destination.json)',
    );
    const [, activationRelated] = at(
      'team/winback.destination.json:16:13 warning duplicate-activation Audience "seg-winback" is also activated',
    );
    assert.equal(
      activationRelated,
      '  related: team/crm.destination.json:16:13 audience "seg-winback" of "CRM sync" (crm.destination.json)',
    );
    const [, back] = at('team/crm.destination.json:8:18 error conflicting-dedupe-field ');
    assert.equal(
      back,
      '  related: team/winback.destination.json:8:18 the dedupe field "email" of "Winback known leads" (winback.destination.json)',
    );
    at('team/crm.destination.json:16:13 warning duplicate-activation ');
    // Counted in both files: 2 + 2 own errors of the CRM config; 2 warnings.
    assert.match(r.stdout, /\n2 files checked: 4 errors, 2 warnings\n$/);
  });

  test('--locale fr: the related label and the message after it in French, the location as is', async () => {
    const r = await run(folder(), 'validate', '--locale', 'fr', 'team');
    assert.equal(r.code, 1);
    const related = r.stdout.split('\n').filter((line) => line.startsWith('  '));
    assert.equal(related.length, 4, r.stdout);
    for (const line of related) {
      assert.match(line, /^ {2}voir aussi : team\/(crm|winback)\.destination\.json:\d+:\d+ \S/);
    }
    assert.ok(
      related.includes(
        '  voir aussi : team/crm.destination.json:16:13 l’audience « seg-winback » de « CRM sync » (crm.destination.json)',
      ),
      r.stdout,
    );
    assert.doesNotMatch(r.stdout, /related:/);
  });

  test('json: relatedInformation with the other file path, message and 0-based range', async () => {
    const r = await run(
      folder(),
      'validate',
      '--format',
      'json',
      'team/winback.destination.json',
      'team/crm.destination.json',
    );
    assert.equal(r.code, 1);
    const output = JSON.parse(r.stdout) as JsonOutput;
    const winback = output.files.find((f) => f.path === 'team/winback.destination.json');
    assert.deepEqual(
      winback?.diagnostics.map((d) => [
        d.code,
        d.severity,
        d.range.start.line,
        d.relatedInformation,
      ]),
      [
        [
          'conflicting-dedupe-field',
          'error',
          7,
          [
            {
              path: 'team/crm.destination.json',
              message: 'the dedupe field "customerId" of "CRM sync" (crm.destination.json)',
              range: { start: { line: 7, character: 17 }, end: { line: 7, character: 29 } },
            },
          ],
        ],
        [
          'duplicate-activation',
          'warning',
          15,
          [
            {
              path: 'team/crm.destination.json',
              message: 'audience "seg-winback" of "CRM sync" (crm.destination.json)',
              range: { start: { line: 15, character: 12 }, end: { line: 15, character: 25 } },
            },
          ],
        ],
      ],
    );
    const crm = output.files.find((f) => f.path === 'team/crm.destination.json');
    assert.deepEqual(
      crm?.diagnostics.map((d) => d.code).sort(),
      [...CRM_OWN, 'conflicting-dedupe-field', 'duplicate-activation'].sort(),
    );
    // A finding of one file has no relatedInformation key at all.
    assert.ok(
      crm?.diagnostics
        .filter((d) => CRM_OWN.includes(d.code))
        .every((d) => !('relatedInformation' in d)),
    );
    assert.deepEqual(output.summary, { errors: 4, warnings: 2, suppressed: 0 });
  });

  test('sarif: relatedLocations point at the other artifact and its region', async () => {
    const r = await run(folder(), 'validate', '--format', 'sarif', 'team');
    assert.equal(r.code, 1);
    const log = JSON.parse(r.stdout) as SarifLog;
    const runLog = log.runs[0];
    const artifacts = runLog?.artifacts?.map((a) => a.location?.uri) ?? [];
    assert.deepEqual(artifacts, ['team/crm.destination.json', 'team/winback.destination.json']);
    const results = runLog?.results ?? [];
    const conflict = results.find(
      (res) =>
        res.ruleId === 'conflicting-dedupe-field' &&
        res.locations?.[0]?.physicalLocation?.artifactLocation?.uri ===
          'team/winback.destination.json',
    );
    assert.deepEqual(conflict?.relatedLocations, [
      {
        id: 0,
        physicalLocation: {
          artifactLocation: { uri: 'team/crm.destination.json', uriBaseId: '%SRCROOT%', index: 0 },
          region: { startLine: 8, startColumn: 18, endLine: 8, endColumn: 30 },
        },
        message: { text: 'the dedupe field "customerId" of "CRM sync" (crm.destination.json)' },
      },
    ]);
    const activations = results.filter((res) => res.ruleId === 'duplicate-activation');
    assert.deepEqual(
      activations.map((res) => [
        res.level,
        res.locations?.[0]?.physicalLocation?.artifactLocation?.uri,
        res.relatedLocations?.[0]?.physicalLocation?.artifactLocation?.uri,
        res.relatedLocations?.[0]?.physicalLocation?.region?.startLine,
      ]),
      [
        ['warning', 'team/crm.destination.json', 'team/winback.destination.json', 16],
        ['warning', 'team/winback.destination.json', 'team/crm.destination.json', 16],
      ],
    );
    const ids = runLog?.tool.driver.rules?.map((rule) => rule.id) ?? [];
    assert.ok(ids.includes('conflicting-dedupe-field') && ids.includes('duplicate-activation'));
  });

  test('one file alone, another workspace, or --disable: no cross-file finding', async () => {
    const cwd = folder();
    const alone = await run(cwd, 'validate', 'team/winback.destination.json');
    assert.equal(alone.stdout, '1 file checked: 0 errors, 0 warnings\n');
    const disabled = await run(
      cwd,
      'validate',
      '--disable',
      'conflicting-dedupe-field,duplicate-activation',
      'team',
    );
    assert.doesNotMatch(disabled.stdout, /conflicting-dedupe-field|duplicate-activation|related:/);
    const apart = workspace({
      'a.destination.json': WINBACK,
      'b.destination.json': edit(WINBACK, '"123-ABC-456"', '"987-XYZ-654"'),
    });
    assert.equal(
      (await run(apart, 'validate', '.')).stdout,
      '2 files checked: 0 errors, 0 warnings\n',
    );
  });

  test('--quiet keeps the cross-file errors and drops its warnings, counting both', async () => {
    const r = await run(folder(), 'validate', '--quiet', 'team');
    assert.match(r.stdout, /error conflicting-dedupe-field /);
    assert.doesNotMatch(r.stdout, /duplicate-activation/);
    assert.match(r.stdout, /2 files checked: 4 errors, 2 warnings\n$/);
  });
});
