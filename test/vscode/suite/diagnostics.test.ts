// Diagnostics in the editor: the same codes and ranges as `aep-dest validate examples --format json`
// (0-based), published by the extension's language server, and none on the valid examples.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  activateExtension,
  codeOf,
  describeDiagnostic,
  exampleUri,
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
  { code: 'missing-required-mapping', severity: E, range: [11, 2, 11, 12] },
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
