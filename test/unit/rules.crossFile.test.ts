// The rules across files (conflicting-dedupe-field, duplicate-activation) over configs of one
// folder: each finding in both files, each naming the other's file and line; when they must
// not fire; and the destinations tree built from the same summaries.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../../server/src/engine/types';
import type { ConfigSummary } from '../../server/src/rules/configSummary';
import { destinationTree, validateAcross } from '../../server/src/services/workspaceValidation';
import { DOCS_BASE, VALID_CONFIG, edit, service, textAt, textDocument } from '../helpers';

const BASE = 'file:///team/destinations/';

/** The configs of a folder, name → text, and what the language service summarises of each. */
function summaries(files: Record<string, string>): ConfigSummary[] {
  const languageService = service();
  return Object.entries(files).flatMap(([name, text]) => {
    const summary = languageService.summarize(textDocument(text, BASE + name));
    return summary ? [summary] : [];
  });
}

interface Shown {
  code: string;
  severity: string;
  /** The text the finding marks. */
  at: string;
  line: number;
  message: string;
  related: { file: string; line: number; at: string; message: string }[];
}

/** The cross-file findings of each file, as the editor shows them. */
function across(
  files: Record<string, string>,
  disabled: Record<string, string[]> = {},
): Record<string, Shown[]> {
  const found = validateAcross(summaries(files), {
    docsBaseUri: DOCS_BASE,
    disabledRules: (uri) => new Set(disabled[uri.slice(BASE.length)] ?? []),
  });
  const shown: Record<string, Shown[]> = {};
  for (const [uri, findings] of found) {
    const name = uri.slice(BASE.length);
    const text = files[name] ?? '';
    shown[name] = findings.map((f: Finding) => ({
      code: f.code,
      severity: f.severity,
      at: textAt(text, f.range),
      line: f.range.start.line + 1,
      message: f.message,
      related: (f.related ?? []).map((r) => {
        const file = r.uri.slice(BASE.length);
        return {
          file,
          line: r.range.start.line + 1,
          at: textAt(files[file] ?? '', r.range),
          message: r.message,
        };
      }),
    }));
  }
  return shown;
}

function codesByFile(files: Record<string, string>): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(across(files)).map(([name, shown]) => [name, shown.map((s) => s.code)]),
  );
}

/** VALID_CONFIG with another audience, so only the dedupe field is compared. */
const WINBACK = VALID_CONFIG;
const CRM = edit(
  edit(
    edit(VALID_CONFIG, '"dedupeField": "email"', '"dedupeField": "customerId"'),
    '"Winback known leads"',
    '"CRM sync"',
  ),
  '"seg-winback"',
  '"seg-crm"',
);

describe('conflicting-dedupe-field', () => {
  test('fires in both files, each naming the other file, line and dedupe field', () => {
    const found = across({ 'winback.destination.json': WINBACK, 'crm.destination.json': CRM });
    assert.deepEqual(found['winback.destination.json'], [
      {
        code: 'conflicting-dedupe-field',
        severity: 'error',
        at: '"email"',
        line: 8,
        message:
          'Destination "CRM sync" (crm.destination.json) writes to the same Marketo instance 123-ABC-456 but matches leads on "customerId", this one on "email": either may not find a lead the other one matches, and creates it again, so Marketo fills up with duplicate leads. Use one dedupe field for every destination of an instance.',
        related: [
          {
            file: 'crm.destination.json',
            line: 8,
            at: '"customerId"',
            message: 'the dedupe field "customerId" of "CRM sync" (crm.destination.json)',
          },
        ],
      },
    ]);
    const other = found['crm.destination.json'] ?? [];
    assert.equal(other.length, 1);
    assert.equal(other[0]?.at, '"customerId"');
    assert.deepEqual(other[0]?.related, [
      {
        file: 'winback.destination.json',
        line: 8,
        at: '"email"',
        message: 'the dedupe field "email" of "Winback known leads" (winback.destination.json)',
      },
    ]);
  });

  test('says which destination creates the duplicate when only one can create leads', () => {
    const updateOnly = edit(CRM, '"updateExistingAndCreateNew"', '"updateExistingOnly"');
    const found = across({
      'winback.destination.json': WINBACK,
      'crm.destination.json': updateOnly,
    });
    assert.match(
      found['winback.destination.json']?.[0]?.message ?? '',
      /: this destination does not find a lead that one matches, and creates it again, so Marketo fills up with duplicate leads\./,
    );
    assert.match(
      found['crm.destination.json']?.[0]?.message ?? '',
      /: that destination does not find a lead this one matches, and creates it again/,
    );
  });

  test('fires across workspaces of one instance: matching searches every partition', () => {
    const emea = edit(CRM, '"workspace": "Default"', '"workspace": "EMEA"');
    const found = across({ 'winback.destination.json': WINBACK, 'crm.destination.json': emea });
    assert.deepEqual(
      codesByFile({ 'winback.destination.json': WINBACK, 'crm.destination.json': emea }),
      {
        'winback.destination.json': ['conflicting-dedupe-field'],
        'crm.destination.json': ['conflicting-dedupe-field'],
      },
    );
    assert.match(
      found['winback.destination.json']?.[0]?.message ?? '',
      /Their workspaces \("Default", "EMEA"\) do not keep them apart: matching searches every partition of the instance\.$/,
    );
  });

  test('compares Munchkin IDs as Marketo reads them: case and separators aside', () => {
    const lower = edit(CRM, '"123-ABC-456"', '" 123_abc_456 "');
    assert.deepEqual(
      Object.keys(across({ 'a.destination.json': WINBACK, 'b.destination.json': lower })).sort(),
      ['a.destination.json', 'b.destination.json'],
    );
  });

  test('does not fire on the same dedupe field, whatever its case', () => {
    const upper = edit(CRM, '"customerId"', '"Email"');
    assert.deepEqual(across({ 'a.destination.json': WINBACK, 'b.destination.json': upper }), {});
  });

  test('does not fire on two instances', () => {
    const other = edit(CRM, '"123-ABC-456"', '"987-XYZ-654"');
    assert.deepEqual(across({ 'a.destination.json': WINBACK, 'b.destination.json': other }), {});
  });

  test('does not fire when neither destination can create a lead', () => {
    const only = (text: string) =>
      edit(text, '"updateExistingAndCreateNew"', '"updateExistingOnly"');
    assert.deepEqual(
      across({ 'a.destination.json': only(WINBACK), 'b.destination.json': only(CRM) }),
      {},
    );
  });

  test('a config without a readable Munchkin ID or dedupe field takes no part', () => {
    const noMunchkin = edit(CRM, '"munchkinId": "123-ABC-456",\n', '');
    const badMunchkin = edit(CRM, '"123-ABC-456"', '"12-ABC-456"');
    const noDedupe = edit(CRM, '"dedupeField": "customerId",\n', '');
    for (const text of [noMunchkin, badMunchkin, noDedupe]) {
      assert.deepEqual(across({ 'a.destination.json': WINBACK, 'b.destination.json': text }), {});
    }
  });

  test('a disabled code is not reported in the file that disables it', () => {
    const found = across(
      { 'winback.destination.json': WINBACK, 'crm.destination.json': CRM },
      { 'crm.destination.json': ['conflicting-dedupe-field'] },
    );
    assert.deepEqual(Object.keys(found), ['winback.destination.json']);
  });
});

describe('duplicate-activation', () => {
  const again = edit(VALID_CONFIG, '"Winback known leads"', '"Winback (EMEA team)"');

  test('fires on the audience in both files, each naming the other file and line', () => {
    const found = across({ 'a.destination.json': WINBACK, 'b.destination.json': again });
    assert.deepEqual(found['a.destination.json'], [
      {
        code: 'duplicate-activation',
        severity: 'warning',
        at: '"seg-winback"',
        line: 16,
        message:
          'Audience "seg-winback" is also activated to Marketo instance 123-ABC-456, workspace "Default", by destination "Winback (EMEA team)" (b.destination.json): both dataflows send its members to the same workspace, into two lists, and update the same leads twice; the lists drift apart as soon as one destination changes. Activate it from one destination.',
        related: [
          {
            file: 'b.destination.json',
            line: 16,
            at: '"seg-winback"',
            message: 'audience "seg-winback" of "Winback (EMEA team)" (b.destination.json)',
          },
        ],
      },
    ]);
    assert.deepEqual(
      found['b.destination.json']?.map((f) => [f.code, f.related[0]?.file]),
      [['duplicate-activation', 'a.destination.json']],
    );
  });

  test('compares workspaces ignoring case and spaces', () => {
    const spelled = edit(again, '"workspace": "Default"', '"workspace": " default "');
    assert.deepEqual(
      codesByFile({ 'a.destination.json': WINBACK, 'b.destination.json': spelled }),
      {
        'a.destination.json': ['duplicate-activation'],
        'b.destination.json': ['duplicate-activation'],
      },
    );
  });

  test('does not fire on another workspace or instance of the same audience', () => {
    const emea = edit(again, '"workspace": "Default"', '"workspace": "EMEA"');
    const other = edit(again, '"123-ABC-456"', '"987-XYZ-654"');
    assert.deepEqual(across({ 'a.destination.json': WINBACK, 'b.destination.json': emea }), {});
    assert.deepEqual(across({ 'a.destination.json': WINBACK, 'b.destination.json': other }), {});
  });

  test('does not fire within one file (duplicate-audience does) nor without a workspace', () => {
    const twice = edit(
      VALID_CONFIG,
      '"entities": ["person"] }',
      '"entities": ["person"] },\n    { "id": "seg-winback", "name": "copy" }',
    );
    assert.deepEqual(across({ 'a.destination.json': twice }), {});
    const noWorkspace = edit(again, '"workspace": "Default",\n', '');
    assert.deepEqual(
      across({ 'a.destination.json': WINBACK, 'b.destination.json': noWorkspace }),
      {},
    );
  });
});

describe('the destinations tree', () => {
  test('instance → workspace → destination → audiences, grouped as the rules compare', () => {
    const configs = summaries({
      'winback.destination.json': WINBACK,
      'crm.destination.json': edit(CRM, '"workspace": "Default"', '"workspace": "default"'),
      'emea.destination.json': edit(CRM, '"workspace": "Default"', '"workspace": "EMEA"'),
      'other.destination.json': edit(WINBACK, '"123-ABC-456"', '"987-xyz-654"'),
      'broken.destination.json': edit(WINBACK, '"123-ABC-456"', '"nope"'),
    });
    const tree = destinationTree(configs, (uri) =>
      uri.endsWith('crm.destination.json')
        ? { errors: 2, warnings: 1 }
        : { errors: 0, warnings: 0 },
    );
    const shape = tree.map((instance) => ({
      munchkinId: instance.munchkinId,
      workspaces: instance.workspaces.map((w) => ({
        workspace: w.workspace,
        destinations: w.destinations.map(
          (d) => `${d.name} ${d.errors}/${d.warnings} [${d.audiences.map((a) => a.id).join(', ')}]`,
        ),
      })),
    }));
    assert.deepEqual(shape, [
      {
        munchkinId: '123-ABC-456',
        workspaces: [
          {
            // The first config by URI names the group.
            workspace: 'default',
            destinations: ['CRM sync 2/1 [seg-crm]', 'Winback known leads 0/0 [seg-winback]'],
          },
          { workspace: 'EMEA', destinations: ['CRM sync 0/0 [seg-crm]'] },
        ],
      },
      {
        munchkinId: '987-XYZ-654',
        workspaces: [
          { workspace: 'Default', destinations: ['Winback known leads 0/0 [seg-winback]'] },
        ],
      },
      {
        munchkinId: undefined,
        workspaces: [
          { workspace: 'Default', destinations: ['Winback known leads 0/0 [seg-winback]'] },
        ],
      },
    ]);
  });
});
