// Quick fixes: VS Code asks the server for the code actions of a diagnostic; applying one
// removes that diagnostic (and only it) once the server has revalidated the edited text.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  activateExtension,
  closeAllEditors,
  codeOf,
  describeDiagnostic,
  exampleUri,
  openInEditor,
  waitForDiagnostics,
} from './helpers';

const has = (code: string) => (diagnostics: readonly vscode.Diagnostic[]) =>
  diagnostics.some((d) => codeOf(d) === code);

async function codeActionsAt(
  uri: vscode.Uri,
  diagnostic: vscode.Diagnostic,
): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider',
    uri,
    diagnostic.range,
    vscode.CodeActionKind.QuickFix.value,
  );
  return actions.filter((action) => action instanceof vscode.CodeAction);
}

describe('Quick fixes', () => {
  const uri = (): vscode.Uri => exampleUri('broken.destination.jsonc');

  before(async () => {
    await activateExtension();
  });

  after(async () => {
    // Put the example back as it is on disk for whatever runs next.
    const document = await vscode.workspace.openTextDocument(uri());
    if (document.isDirty) {
      await openInEditor(document);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    await closeAllEditors();
  });

  it('offers the fixes of the rules at their diagnostics', async () => {
    const diagnostics = await waitForDiagnostics(uri(), has('partition-not-allowed'));
    const titlesFor = async (code: string): Promise<string[]> => {
      const diagnostic = diagnostics.find((d) => codeOf(d) === code);
      assert.ok(
        diagnostic,
        `a ${code} diagnostic among ${diagnostics.map(describeDiagnostic).join(',')}`,
      );
      return (await codeActionsAt(uri(), diagnostic)).map((action) => action.title);
    };
    assert.ok((await titlesFor('partition-not-allowed')).includes('Remove "partition"'));
    assert.ok((await titlesFor('person-action-not-applicable')).includes('Remove "personAction"'));
    assert.ok(
      (await titlesFor('missing-required-mapping')).includes(
        'Map person.name.lastName to "lastName"',
      ),
    );
  });

  it('removes the diagnostic when its quick fix is applied', async () => {
    const editor = await openInEditor(uri());
    const diagnostics = await waitForDiagnostics(uri(), has('partition-not-allowed'));
    const diagnostic = diagnostics.find((d) => codeOf(d) === 'partition-not-allowed');
    assert.ok(diagnostic);
    const action = (await codeActionsAt(uri(), diagnostic)).find(
      (a) => a.title === 'Remove "partition"',
    );
    assert.ok(action?.edit, 'the quick fix carries an edit');
    assert.equal(action.kind?.value, vscode.CodeActionKind.QuickFix.value);
    assert.ok(action.isPreferred, 'it is the preferred fix');
    // (`action.diagnostics` is not checked: vscode.executeCodeActionProvider does not return it.)
    assert.ok(await vscode.workspace.applyEdit(action.edit));
    assert.ok(!editor.document.getText().includes('"partition"'), 'the partition key is gone');
    // Revalidated: the partition finding is gone, every other one is still there.
    const after = await waitForDiagnostics(
      uri(),
      (ds) => ds.length > 0 && !has('partition-not-allowed')(ds),
    );
    assert.deepEqual(
      after.map(codeOf).sort(),
      diagnostics
        .map(codeOf)
        .filter((code) => code !== 'partition-not-allowed')
        .sort(),
    );

    // Reverting the file brings it back.
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitForDiagnostics(uri(), has('partition-not-allowed'));
    assert.ok(!editor.document.isDirty);
  });
});
