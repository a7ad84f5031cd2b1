// Shared mappings files (issue 13): `"mappings": "./m/standard.mappings.json"`. Every rule sees the
// file's array; a finding about a mapping is in that file (its URI, its range) and summed up on the
// reference; fixes edit the shared file; a missing or broken file is one finding on the path.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DestinationLanguageService } from '../../server/src/languageService';
import { prepareSimulation } from '../../server/src/prepareSimulation';
import type { FileHost } from '../../server/src/engine/catalogLoader';
import type { Finding } from '../../server/src/engine/types';
import { DOCS_BASE, applyEdits, edit, memoryHost, tempFiles, textAt, withCursor } from '../helpers';
import { GOOD_SHARED, SHARED_CONFIG } from '../fixtures/sharedMappings';

const DIR = '/work/shared-maps';
const CONFIG_URI = `file://${DIR}/a.destination.json`;
const SHARED_PATH = `${DIR}/m/standard.mappings.json`;
const SHARED_URI = `file://${SHARED_PATH}`;

/** The valid file with one more mapping, whose target is in the wrong case. */
const WITH_COMPANY = edit(
  GOOD_SHARED,
  '"target": "lastName" }',
  '"target": "lastName" },\n  { "source": "b2b.companyName", "target": "Company" }',
);

/** The rules' own fixes: the Suppress actions that follow them are tested in suppressionFixes. */
function ownFixes<A extends { title: string }>(actions: A[]): A[] {
  return actions.filter((a) => !a.title.startsWith('Suppress '));
}

function service(files: Record<string, string>, open?: TextDocument): DestinationLanguageService {
  const host: FileHost = memoryHost(files);
  return new DestinationLanguageService({
    docsBaseUri: DOCS_BASE,
    fileHost: host,
    openDocument: (absolute) => (open && open.uri === `file://${absolute}` ? open : undefined),
  });
}

function config(text = SHARED_CONFIG): TextDocument {
  return TextDocument.create(CONFIG_URI, 'aep-destination', 1, text);
}

/** What the editor shows of findings: code, the text each marks, its line (1-based). */
function shown(findings: Finding[], text: string) {
  return findings.map((f) => ({
    code: f.code,
    text: textAt(text, f.range),
    line: f.range.start.line + 1,
  }));
}

describe('shared mappings file: findings in the right file', () => {
  test('a valid shared file: no finding anywhere, the rules saw its mappings', () => {
    const result = service({ [SHARED_PATH]: GOOD_SHARED }).validateFiles(config());
    assert.deepEqual(result.findings, []);
    assert.equal(result.sharedFile?.uri, SHARED_URI);
    assert.deepEqual(result.sharedFile?.findings, []);
  });

  test('a finding about a mapping is in the shared file, summed up on the reference', () => {
    const shared = WITH_COMPANY;
    const result = service({ [SHARED_PATH]: shared }).validateFiles(config());
    const inFile = result.sharedFile?.findings ?? [];
    assert.deepEqual(shown(inFile, shared), [
      { code: 'marketo-field-case', text: '"Company"', line: 5 },
    ]);
    assert.equal(inFile[0]?.uri, SHARED_URI);
    assert.deepEqual(inFile[0]?.data, { replacements: ['company'], property: 'target' });
    assert.deepEqual(shown(result.findings, SHARED_CONFIG), [
      { code: 'mappings-file-findings', text: '"./m/standard.mappings.json"', line: 10 },
    ]);
    assert.equal(result.findings[0]?.severity, 'error');
    assert.equal(
      result.findings[0]?.message,
      '1 finding in ./m/standard.mappings.json: line 5: "Company" is not a Marketo field: REST names are case-sensitive. Did you mean "company"? (marketo-field-case)',
    );
  });

  test('the summary takes the worst severity, counts, and quotes the first three', () => {
    const shared = `[
  { "source": "identityMap.Email", "target": "DedupeField" },
  { "source": "person.name.firstName", "target": "firstName" },
  { "source": "person.name.lastName", "target": "lastName" },
  { "source": "workEmail.address", "target": "email" }
]`;
    const warningOnly = service({ [SHARED_PATH]: shared }).validate(config());
    assert.deepEqual(
      warningOnly.map((f) => [f.code, f.severity]),
      [['mappings-file-findings', 'warning']],
    );
    assert.match(warningOnly[0]?.message ?? '', /dedupe-field-overwritten/);
    const many = `[
  { "source": "identityMap.Email", "target": "DedupeField" },
  { "source": "person.name.firstName", "target": "firstName" },
  { "source": "person.name.lastName", "target": "lastName" },
  { "source": "a.b", "target": "Company" },
  { "source": "c.d", "target": "Title" },
  { "source": "e.f", "target": "City" },
  { "source": "g.h", "target": "State" }
]`;
    const [summary] = service({ [SHARED_PATH]: many }).validate(config());
    assert.match(
      summary?.message ?? '',
      /^4 findings in \.\/m\/standard\.mappings\.json: line 5: /,
    );
    assert.match(summary?.message ?? '', /; and 1 more$/);
  });

  test('the shared file is checked against the schema of a config’s mappings', () => {
    const shared = `[
  { "source": "identityMap.Email", "target": "DedupeField" },
  { "source": "person.name.firstName", "targt": "firstName" },
  { "source": "person.name.lastName", "target": "lastName" }
]`;
    const result = service({ [SHARED_PATH]: shared }).validateFiles(config());
    const found = shown(result.sharedFile?.findings ?? [], shared);
    assert.deepEqual(
      found.filter((f) => f.code === 'schema'),
      [
        {
          code: 'schema',
          text: '{ "source": "person.name.firstName", "targt": "firstName" }',
          line: 3,
        },
        { code: 'schema', text: '"targt"', line: 3 },
      ],
    );
    // firstName is not written any more: a finding about the whole, on the config's key.
    assert.deepEqual(
      shown(result.findings, SHARED_CONFIG).filter((f) => f.code === 'missing-required-mapping'),
      [{ code: 'missing-required-mapping', text: '"mappings"', line: 10 }],
    );
  });

  test('with the dedupe field of the config: the same file, another finding per config', () => {
    const other = edit(SHARED_CONFIG, '"dedupeField": "email"', '"dedupeField": "customerId"');
    const found = service({ [SHARED_PATH]: GOOD_SHARED }).validateFiles(config(other));
    assert.deepEqual(shown(found.sharedFile?.findings ?? [], GOOD_SHARED), [
      { code: 'dedupe-source-mismatch', text: '"identityMap.Email"', line: 2 },
    ]);
    assert.deepEqual(
      found.findings.map((f) => f.code),
      ['missing-required-mapping', 'mappings-file-findings'],
    );
  });

  test('turning the summary off hides it, not the findings in the shared file', () => {
    const result = service({ [SHARED_PATH]: WITH_COMPANY }).validateFiles(config(), {
      disabledRules: ['mappings-file-findings'],
    });
    assert.deepEqual(result.findings, []);
    assert.equal(result.sharedFile?.findings.length, 1);
  });
});

describe('shared mappings file: missing or broken is one finding on the path', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    [
      'missing',
      {},
      /^Cannot use the shared mappings file: \.\/m\/standard\.mappings\.json does not exist \(resolved to \/work\/shared-maps\/m\/standard\.mappings\.json\)\.$/,
    ],
    [
      'not JSON',
      { [SHARED_PATH]: '[\n  { "source": "a", "target": "b" }\n  { "source": "c" }\n]' },
      /^Cannot use the shared mappings file: \.\/m\/standard\.mappings\.json:3:3: invalid JSON/,
    ],
    [
      'not an array',
      { [SHARED_PATH]: '{ "mappings": [] }' },
      /standard\.mappings\.json holds an object, not an array of mappings/,
    ],
    ['binary', { [SHARED_PATH]: '[\u0000]' }, /standard\.mappings\.json is binary, not JSON\.$/],
  ];
  for (const [name, files, message] of cases) {
    test(name, () => {
      const findings = service(files).validate(config());
      assert.deepEqual(shown(findings, SHARED_CONFIG), [
        { code: 'mappings-file-unreadable', text: '"./m/standard.mappings.json"', line: 10 },
      ]);
      assert.match(findings[0]?.message ?? '', message);
    });
  }

  test('an untitled config cannot resolve the path', () => {
    const untitled = TextDocument.create(
      'untitled:Untitled-1',
      'aep-destination',
      1,
      SHARED_CONFIG,
    );
    const findings = service({ [SHARED_PATH]: GOOD_SHARED }).validate(untitled);
    assert.deepEqual(
      findings.map((f) => f.code),
      ['mappings-file-unreadable'],
    );
    assert.match(findings[0]?.message ?? '', /not saved to disk/);
  });

  test('Restricted Mode and a path outside the workspace: not read, said on the path', () => {
    let reads = 0;
    const files = memoryHost({
      [SHARED_PATH]: GOOD_SHARED,
      '/elsewhere/x.mappings.json': GOOD_SHARED,
    });
    const counting: FileHost = { ...files, readFile: (p) => (reads++, files.readFile(p)) };
    const languageService = new DestinationLanguageService({
      docsBaseUri: DOCS_BASE,
      fileHost: counting,
    });
    languageService.setFileAccess({ trusted: false, workspaceFolders: [DIR] });
    assert.deepEqual(
      languageService.validate(config()).map((f) => [f.code, f.severity]),
      [['untrusted-workspace-file', 'information']],
    );
    languageService.setFileAccess({ trusted: true, workspaceFolders: [DIR] });
    const outside = edit(
      SHARED_CONFIG,
      './m/standard.mappings.json',
      '../../elsewhere/x.mappings.json',
    );
    const found = languageService.validate(config(outside));
    assert.deepEqual(shown(found, outside), [
      { code: 'path-outside-workspace', text: '"../../elsewhere/x.mappings.json"', line: 10 },
    ]);
    assert.equal(reads, 0);
    const refused = prepareSimulation(languageService, config(outside));
    assert.equal(refused.kind, 'refused');
    assert.match(refused.kind === 'refused' ? refused.message : '', /outside the workspace folder/);
  });
});

describe('shared mappings file: fixes, navigation, the editor’s text, the simulation', () => {
  test('a fix of a finding in the shared file edits the shared file', () => {
    const shared = edit(GOOD_SHARED, '"target": "firstName"', '"target": "FirstName"');
    const languageService = service({ [SHARED_PATH]: shared });
    const finding = languageService.validateFiles(config()).sharedFile?.findings[0] as Finding;
    const actions = languageService.sharedFileCodeActions(config(), SHARED_URI, finding.range, [
      finding,
    ]);
    assert.deepEqual(
      actions.map((a) => [a.title, Object.keys(a.edit.changes)]),
      [['Change to "firstName"', [SHARED_URI]]],
    );
    assert.equal(applyEdits(shared, actions[0]?.edit.changes[SHARED_URI] ?? []), GOOD_SHARED);
    // Another config, or the same range sent for the config itself, gets none.
    assert.deepEqual(
      languageService.sharedFileCodeActions(
        config(),
        'file:///other.mappings.json',
        finding.range,
        [finding],
      ),
      [],
    );
    assert.deepEqual(ownFixes(languageService.codeActions(config(), finding.range, [finding])), []);
  });

  test('adding a missing mapping from the config appends it to the shared file', () => {
    const shared = GOOD_SHARED.replace(
      ',\n  { "source": "person.name.lastName", "target": "lastName" }',
      '',
    );
    const languageService = service({ [SHARED_PATH]: shared });
    const [missing] = languageService
      .validate(config())
      .filter((f) => f.code === 'missing-required-mapping');
    assert.ok(missing);
    const actions = ownFixes(languageService.codeActions(config(), missing.range, [missing]));
    assert.deepEqual(
      actions.map((a) => Object.keys(a.edit.changes)),
      [[SHARED_URI]],
    );
    const fixed = applyEdits(shared, actions[0]?.edit.changes[SHARED_URI] ?? []);
    assert.equal(
      fixed,
      edit(
        shared,
        '"target": "firstName" }',
        '"target": "firstName" },\n  { "source": "person.name.lastName", "target": "lastName" }',
      ),
    );
    const after = service({ [SHARED_PATH]: fixed }).validate(config());
    assert.deepEqual(after, []);
  });

  test('"use email" keeps the config and the shared file consistent: one edit in each', () => {
    const other = edit(SHARED_CONFIG, '"dedupeField": "email"', '"dedupeField": "ecid"');
    const shared = edit(GOOD_SHARED, 'identityMap.Email', 'identityMap.ECID');
    const languageService = service({ [SHARED_PATH]: shared });
    const [unsupported] = languageService
      .validate(config(other))
      .filter((f) => f.code === 'unsupported-dedupe-field');
    assert.ok(unsupported);
    const [fix] = languageService.codeActions(config(other), unsupported.range, [unsupported]);
    assert.deepEqual(Object.keys(fix?.edit.changes ?? {}).sort(), [CONFIG_URI, SHARED_URI]);
    assert.equal(applyEdits(shared, fix?.edit.changes[SHARED_URI] ?? []), GOOD_SHARED);
    assert.equal(applyEdits(other, fix?.edit.changes[CONFIG_URI] ?? []), SHARED_CONFIG);
  });

  test('go to definition and hover on the reference', () => {
    const { text, position } = withCursor(SHARED_CONFIG.replace('"./m/standard', '"./m/stan|dard'));
    const languageService = service({ [SHARED_PATH]: GOOD_SHARED });
    assert.deepEqual(languageService.definition(config(text), position), [
      {
        uri: SHARED_URI,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      },
    ]);
    const hover = languageService.hover(config(text), position);
    assert.match(
      hover?.contents.value ?? '',
      /Shared mappings file\*\* `\/work\/shared-maps\/m\/standard\.mappings\.json`: 3 mappings/,
    );
    assert.match(hover?.contents.value ?? '', /- `person\.name\.lastName` → `lastName`/);
    const elsewhere = withCursor(
      SHARED_CONFIG.replace('"dedupeField": "em', '"dedupeField": "e|m'),
    );
    assert.deepEqual(languageService.definition(config(elsewhere.text), elsewhere.position), []);
    const missing = service({}).hover(config(text), position);
    assert.match(missing?.contents.value ?? '', /cannot be used: .*does not exist/);
  });

  test('the path completes to *.mappings.json files and folders', () => {
    const dir = tempFiles({
      'm/standard.mappings.json': GOOD_SHARED,
      'm/notes.json': '{}',
      'm/old/x.mappings.json': GOOD_SHARED,
    });
    const { text, position } = withCursor(
      SHARED_CONFIG.replace('"./m/standard.mappings.json"', '"./m/|"'),
    );
    const uri = pathToFileURL(path.join(dir, 'a.destination.json')).href;
    const list = new DestinationLanguageService({ docsBaseUri: DOCS_BASE }).complete(
      TextDocument.create(uri, 'aep-destination', 1, text),
      position,
    );
    assert.deepEqual(list.items.map((item) => item.label).sort(), [
      'old/',
      'standard.mappings.json',
    ]);
  });

  test('a shared file open in the editor is read from there, unsaved changes included', () => {
    const open = TextDocument.create(
      SHARED_URI,
      'aep-destination',
      3,
      edit(GOOD_SHARED, '"target": "lastName"', '"target": "LastName"'),
    );
    const languageService = service({ [SHARED_PATH]: GOOD_SHARED }, open);
    const result = languageService.validateFiles(config());
    assert.deepEqual(
      result.sharedFile?.findings.map((f) => [f.code, f.uri, f.range.start.line]),
      [['marketo-field-case', SHARED_URI, 3]],
    );
  });

  test('the simulation sees the shared file’s mappings', () => {
    const shared = GOOD_SHARED.replace(
      ']\n',
      ',  { "source": "b2b.companyName", "target": "company" }\n]\n',
    );
    const text = edit(
      SHARED_CONFIG,
      '"audiences"',
      '"simulation": { "profiles": "./p.csv", "leads": "./l.json" },\n  "audiences"',
    );
    const prepared = prepareSimulation(service({ [SHARED_PATH]: shared }), config(text));
    assert.equal(prepared.kind, 'ready');
    assert.deepEqual(
      prepared.kind === 'ready' ? prepared.config.mappings.map((m) => m.target) : [],
      ['DedupeField', 'firstName', 'lastName', 'company'],
    );
    const broken = prepareSimulation(service({}), config(text));
    assert.deepEqual(
      broken.kind === 'configErrors' ? broken.errors.map((f) => f.code) : broken.kind,
      ['mappings-file-unreadable'],
    );
  });
});

describe('a shared mappings file opened on its own', () => {
  function own(text: string): Finding[] {
    return service({}).validate(TextDocument.create(SHARED_URI, 'aep-destination', 1, text));
  }

  test('a valid one has no finding', () => {
    assert.deepEqual(own(GOOD_SHARED), []);
  });

  test('its mappings are checked against the schema, not against a config’s properties', () => {
    const text = edit(GOOD_SHARED, '"target": "lastName"', '"target": ""');
    assert.deepEqual(shown(own(text), text), [{ code: 'schema', text: '""', line: 4 }]);
  });

  test('what its mappings say whatever the config, with the quick fix in the file', () => {
    const text = `[
  { "source": "person.name.firstName", "target": "firstName" },
  { "source": "person.name.nickName", "target": "firstName" },
  { "source": "segmentMembership", "target": "phone" }
]`;
    const findings = own(text);
    assert.deepEqual(shown(findings, text), [
      { code: 'duplicate-mapping-target', text: '"firstName"', line: 3 },
      { code: 'unsupported-array-source', text: '"segmentMembership"', line: 4 },
    ]);
    assert.match(findings[0]?.message ?? '', /already written by mappings\[0\] on line 2:/);
    const document = TextDocument.create(SHARED_URI, 'aep-destination', 1, text);
    const [fix] = service({}).codeActions(document, findings[0]!.range, [findings[0]!]);
    assert.equal(
      applyEdits(text, fix?.edit.changes[SHARED_URI] ?? []),
      text.replace('\n  { "source": "person.name.nickName", "target": "firstName" },', ''),
    );
  });

  test('completion and hover read it as a config’s mappings', () => {
    const { text, position } = withCursor(
      GOOD_SHARED.replace('"target": "lastName"', '"target": "last|"'),
    );
    const document = TextDocument.create(SHARED_URI, 'aep-destination', 1, text);
    const languageService = service({});
    const labels = languageService.complete(document, position).items.map((item) => item.label);
    assert.ok(labels.includes('lastName'), labels.join(', '));
    assert.ok(!labels.includes('DedupeField'), 'already mapped in this file');
    const hover = languageService.hover(
      TextDocument.create(SHARED_URI, 'aep-destination', 1, GOOD_SHARED),
      { line: 3, character: 52 },
    );
    assert.match(hover?.contents.value ?? '', /lastName/);
  });

  test('an object instead of the array, a duplicate key, a syntax error', () => {
    assert.deepEqual(
      own('{ "source": "a", "target": "b" }').map((f) => [f.code, f.message]),
      [
        [
          'schema',
          'A shared mappings file holds an array of mappings (objects with "source" and "target"), not an object.',
        ],
      ],
    );
    assert.deepEqual(
      own('[{ "source": "a", "source": "b", "target": "c" }]').map((f) => f.code),
      ['duplicate-key'],
    );
    assert.deepEqual(
      own('[{ "source": "a" "target": "c" }]').map((f) => f.code),
      ['syntax'],
    );
  });
});
