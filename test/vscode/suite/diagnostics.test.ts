// Diagnostics in the editor: the same codes and ranges as `aep-dest validate examples --format json`
// (0-based), published by the extension's language server, and none on the valid examples.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  activateExtension,
  codeOf,
  describeDiagnostic,
  exampleUri,
  waitFor,
  waitForDiagnostics,
} from './helpers';

interface Expected {
  code: string;
  severity: vscode.DiagnosticSeverity;
  /** [startLine, startCharacter, endLine, endCharacter], 0-based. */
  range: [number, number, number, number];
}

const { Error: E, Warning: W } = vscode.DiagnosticSeverity;

/** What `node dist/cli/aep-dest.js validate examples --format json` reports on the broken example. */
const BROKEN_EXPECTED: readonly Expected[] = [
  { code: 'invalid-munchkin-id', severity: E, range: [4, 16, 4, 28] },
  { code: 'partition-not-allowed', severity: E, range: [7, 15, 7, 21] },
  { code: 'person-action-not-applicable', severity: E, range: [9, 18, 9, 46] },
  { code: 'secret-in-config', severity: E, range: [10, 2, 10, 16] },
  // An audience-only destination never creates a lead: the missing lastName is a warning there.
  { code: 'missing-required-mapping', severity: W, range: [11, 2, 11, 12] },
  { code: 'unsupported-dedupe-field', severity: E, range: [12, 16, 12, 34] },
  { code: 'duplicate-mapping-target', severity: E, range: [14, 51, 14, 62] },
  { code: 'unsupported-audience-type', severity: E, range: [21, 14, 21, 23] },
  { code: 'batch-only-audience', severity: W, range: [22, 6, 22, 16] },
  { code: 'batch-only-audience', severity: W, range: [29, 20, 29, 31] },
];

function key(code: string, range: vscode.Range): string {
  return `${code}@${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}

function sortedKeys(diagnostics: readonly vscode.Diagnostic[]): string[] {
  return diagnostics.map((d) => key(codeOf(d), d.range)).sort();
}

const EXPECTED_KEYS = BROKEN_EXPECTED.map((e) => key(e.code, new vscode.Range(...e.range))).sort();

describe('Diagnostics', () => {
  before(async () => {
    await activateExtension();
  });

  it('reports on broken.destination.jsonc the codes and ranges of the CLI', async () => {
    const uri = exampleUri('broken.destination.jsonc');
    // The server publishes all the findings of a validation at once: the first non-empty
    // publication is the one to compare.
    const waiting = waitForDiagnostics(uri, (diagnostics) => diagnostics.length > 0);
    const document = await vscode.workspace.openTextDocument(uri);
    assert.equal(document.languageId, 'aep-destination');
    const diagnostics = await waiting;
    assert.deepEqual(sortedKeys(diagnostics), EXPECTED_KEYS);
    for (const expected of BROKEN_EXPECTED) {
      const found = diagnostics.find(
        (d) => key(codeOf(d), d.range) === key(expected.code, new vscode.Range(...expected.range)),
      );
      assert.ok(found);
      assert.equal(found.severity, expected.severity, describeDiagnostic(found));
      assert.ok(found.message.length > 20, `${describeDiagnostic(found)} has a message`);
    }
  });

  it('links each diagnostic to its rule page', () => {
    const diagnostics = vscode.languages.getDiagnostics(exampleUri('broken.destination.jsonc'));
    assert.ok(diagnostics.length > 0);
    for (const diagnostic of diagnostics) {
      const code = diagnostic.code;
      assert.ok(
        typeof code === 'object' && code.target instanceof vscode.Uri,
        `${describeDiagnostic(diagnostic)} has a link`,
      );
      assert.ok(
        code.target.path.endsWith(`/docs/rules/${String(code.value)}.md`),
        `${describeDiagnostic(diagnostic)} links ${code.target.toString()}`,
      );
      // The client's read-only copy of the page, not the package's file (the CLI's link).
      assert.equal(code.target.scheme, 'aep-destination-rule', describeDiagnostic(diagnostic));
    }
  });

  it('opens a rule link as the rendered page in the Markdown preview, not as a text file', async () => {
    const diagnostic = vscode.languages
      .getDiagnostics(exampleUri('broken.destination.jsonc'))
      .find((d) => codeOf(d) === 'invalid-munchkin-id');
    const code = diagnostic?.code;
    assert.ok(typeof code === 'object', 'invalid-munchkin-id has a link');
    const page = await vscode.workspace.openTextDocument(code.target);
    assert.match(page.getText(), /^# invalid-munchkin-id\r?\n/);
    // What the hover, the peek and the Problems panel do with the link: open it.
    await vscode.commands.executeCommand('vscode.open', code.target);
    const tab = await waitFor(
      'the rule page in an editor tab',
      () => {
        const active = vscode.window.tabGroups.activeTabGroup.activeTab;
        const input = active?.input;
        const uri =
          input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText
            ? input.uri
            : undefined;
        return active && uri?.toString() === code.target.toString() ? active : undefined;
      },
      vscode.window.tabGroups.onDidChangeTabs,
    );
    try {
      assert.ok(
        tab.input instanceof vscode.TabInputCustom &&
          tab.input.viewType === 'vscode.markdown.preview.editor',
        `opened in ${tab.input instanceof vscode.TabInputText ? 'a text editor' : 'another editor'}`,
      );
    } finally {
      await vscode.window.tabGroups.close(tab);
    }
  });

  for (const name of ['winback.destination.json', 'webinar-audience-only.destination.json']) {
    it(`reports nothing on ${name}`, async () => {
      const uri = exampleUri(name);
      // Subscribed before opening: the server's (empty) publication is the proof it validated.
      const waiting = waitForDiagnostics(uri, () => true, undefined, { afterChange: true });
      await vscode.workspace.openTextDocument(uri);
      const diagnostics = await waiting;
      assert.deepEqual(diagnostics.map(describeDiagnostic), []);
    });
  }
});
