// `aep-dest validate` with shared mappings files (issue 13): a finding in the shared file is
// printed under that file's path, at its line and column, once however many configs use it; the
// configs do not repeat it as a summary; a missing file is one line on the config's path.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runCli } from '../cliRunner';
import { REPO_ROOT, edit, tempFiles } from '../helpers';
import { SHARED_CONFIG, elsewhere } from '../fixtures/sharedMappings';

const SHARED = `[
  { "source": "identityMap.Email", "target": "DedupeField" },
  { "source": "person.name.firstName", "target": "firstName" },
  { "source": "person.name.lastName", "target": "lastName" },
  { "source": "b2b.companyName", "target": "Company" }
]
`;
const CASE_MESSAGE =
  '"Company" is not a Marketo field: REST names are case-sensitive. Did you mean "company"?';

describe('aep-dest validate with a shared mappings file', () => {
  test('text: the finding under the shared file’s path, once for two configs', async () => {
    const cwd = tempFiles({
      'a.destination.json': SHARED_CONFIG,
      'b.destination.json': elsewhere(SHARED_CONFIG),
      'm/standard.mappings.json': SHARED,
    });
    const r = await runCli(cwd, 'validate', '.');
    assert.equal(r.code, 1);
    assert.equal(
      r.stdout,
      `m/standard.mappings.json:5:44 error marketo-field-case ${CASE_MESSAGE}\n` +
        '3 files checked: 1 error, 0 warnings\n',
    );
    assert.equal(r.stderr, '');
  });

  test('json and sarif name the shared file; a finding that depends on the config stays apart', async () => {
    const other = edit(SHARED_CONFIG, '"dedupeField": "email"', '"dedupeField": "customerId"');
    const cwd = tempFiles({
      'a.destination.json': SHARED_CONFIG,
      'b.destination.json': elsewhere(other),
      'm/standard.mappings.json': SHARED,
    });
    const json = await runCli(cwd, 'validate', '--format', 'json', '.');
    const output = JSON.parse(json.stdout) as {
      files: { path: string; diagnostics: { code: string; range: { start: object } }[] }[];
    };
    assert.deepEqual(
      output.files.map((file) => [file.path, file.diagnostics.map((d) => d.code)]),
      [
        ['a.destination.json', []],
        ['b.destination.json', ['missing-required-mapping']],
        ['m/standard.mappings.json', ['dedupe-source-mismatch', 'marketo-field-case']],
      ],
    );
    const sarif = await runCli(cwd, 'validate', '--format', 'sarif', '.');
    const log = JSON.parse(sarif.stdout) as {
      runs: {
        results: {
          ruleId: string;
          locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
        }[];
      }[];
    };
    const located = log.runs[0]?.results.map((result) => [
      result.ruleId,
      result.locations[0]?.physicalLocation.artifactLocation.uri,
    ]);
    assert.deepEqual(located, [
      ['missing-required-mapping', 'b.destination.json'],
      ['dedupe-source-mismatch', 'm/standard.mappings.json'],
      ['marketo-field-case', 'm/standard.mappings.json'],
    ]);
  });

  test('a missing or broken shared file: one finding on the config’s path, with the line', async () => {
    const cwd = tempFiles({
      'a.destination.json': SHARED_CONFIG,
      'b.destination.json': elsewhere(
        edit(SHARED_CONFIG, './m/standard.mappings.json', './m/broken.mappings.json'),
      ),
      'm/broken.mappings.json': '[\n  { "source": "a", "target": "b" }\n  {',
    });
    const r = await runCli(cwd, 'validate', '.');
    assert.equal(r.code, 1);
    assert.equal(
      r.stdout,
      'a.destination.json:10:15 error mappings-file-unreadable Cannot use the shared mappings file: ' +
        `./m/standard.mappings.json does not exist (resolved to ${cwd}/m/standard.mappings.json).\n` +
        'b.destination.json:10:15 error mappings-file-unreadable Cannot use the shared mappings file: ' +
        './m/broken.mappings.json:3:3: invalid JSON (Comma expected.)\n' +
        '2 files checked: 2 errors, 0 warnings\n',
    );
  });

  test('the shared file given too is validated on its own, its findings merged', async () => {
    const cwd = tempFiles({
      'a.destination.json': SHARED_CONFIG,
      'm/standard.mappings.json': edit(SHARED, '"target": "lastName"', '"target": ""'),
    });
    const r = await runCli(cwd, 'validate', 'a.destination.json', 'm/standard.mappings.json');
    assert.deepEqual(
      r.stdout
        .split('\n')
        .map((line) => (line.includes('checked') ? line : line.split(' ').slice(0, 3).join(' '))),
      [
        'a.destination.json:10:3 error missing-required-mapping',
        'm/standard.mappings.json:4:49 error schema',
        'm/standard.mappings.json:5:44 error marketo-field-case',
        '2 files checked: 3 errors, 0 warnings',
        '',
      ],
    );
  });

  test('simulate: the bundled example exports the fields its shared mappings file maps', async () => {
    const r = await runCli(
      REPO_ROOT,
      'simulate',
      'examples/nurture-shared-mappings.destination.json',
      '--no-color',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /\+ new lead \(EMEA\) erik\.ek@nordic\.example {2}firstName: "Erik"; lastName: "Ek"; company: "Nordic Outfitters"; title: "CMO"\n/,
    );
  });
});
