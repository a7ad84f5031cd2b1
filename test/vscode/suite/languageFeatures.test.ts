// Language features through VS Code's own command API: the language id, completion, hover,
// outline and formatting, all answered by the extension's language server.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  LANGUAGE_ID,
  activateAndCloseEditors,
  completionLabels,
  discard,
  exampleUri,
  hoverText,
  openUntitled,
  positionOf,
} from './helpers';

const SYNC_TYPES = ['audienceAndProfile', 'profileOnly', 'audienceOnly'];

describe('Language features', () => {
  activateAndCloseEditors();

  it('opens *.destination.json and *.destination.jsonc in the aep-destination language', async () => {
    for (const name of [
      'winback.destination.json',
      'webinar-audience-only.destination.json',
      'broken.destination.jsonc',
    ]) {
      const document = await vscode.workspace.openTextDocument(exampleUri(name));
      assert.equal(document.languageId, LANGUAGE_ID, name);
    }
    const languages = await vscode.languages.getLanguages();
    assert.ok(languages.includes(LANGUAGE_ID));
  });

  it('completes the three sync types inside "syncType": ""', async () => {
    const editor = await openUntitled(
      '{\n  "connector": "marketo-engage",\n  "name": "Completion",\n  "syncType": ""\n}\n',
    );
    try {
      const document = editor.document;
      const position = positionOf(document, '"syncType": ""', '"syncType": "'.length);
      const labels = await completionLabels(document.uri, position);
      for (const syncType of SYNC_TYPES) assert.ok(labels.includes(syncType), syncType);
      assert.deepEqual(
        labels.filter((label) => SYNC_TYPES.includes(label)).sort(),
        [...SYNC_TYPES].sort(),
      );
    } finally {
      await discard(editor.document);
    }
  });

  it("completes a mapping target with the instance catalog's Marketo fields", async () => {
    const uri = exampleUri('winback.destination.json');
    const document = await vscode.workspace.openTextDocument(uri);
    const position = positionOf(document, '"target": "title"', '"target": "'.length);
    const labels = await completionLabels(uri, position);
    for (const field of ['email', 'firstName', 'lastName', 'company', 'phone', 'leadScore']) {
      assert.ok(labels.includes(field), `${field} in [${labels.join(', ')}]`);
    }
  });

  it('never offers Lead ID as the dedupe field', async () => {
    const uri = exampleUri('winback.destination.json');
    const document = await vscode.workspace.openTextDocument(uri);
    const position = positionOf(document, '"dedupeField": "email"', '"dedupeField": "'.length);
    const labels = await completionLabels(uri, position);
    assert.ok(labels.includes('email'), `email in [${labels.join(', ')}]`);
    assert.ok(!labels.includes('id'), `id not in [${labels.join(', ')}]`);
  });

  it('explains a property on hover', async () => {
    const uri = exampleUri('winback.destination.json');
    const document = await vscode.workspace.openTextDocument(uri);
    const text = await hoverText(uri, positionOf(document, '"dedupeField"', 3));
    assert.match(text, /Marketo deduplication field/);
    assert.match(text, /Lead ID/);
  });

  it('describes the Marketo field of a mapping target on hover', async () => {
    const uri = exampleUri('winback.destination.json');
    const document = await vscode.workspace.openTextDocument(uri);
    const text = await hoverText(uri, positionOf(document, '"target": "company"', 13));
    assert.match(text, /Company Name/);
    assert.match(text, /describe2\.json/);
  });

  it('outlines the config: properties, mappings as source → target, audiences by name', async () => {
    const uri = exampleUri('winback.destination.json');
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>(
      'vscode.executeDocumentSymbolProvider',
      uri,
    );
    const names = symbols.map((symbol) => symbol.name);
    for (const name of ['connector', 'munchkinId', 'syncType', 'dedupeField', 'mappings']) {
      assert.ok(names.includes(name), `${name} in [${names.join(', ')}]`);
    }
    const children = (name: string): string[] =>
      symbols.find((symbol) => symbol.name === name)?.children.map((child) => child.name) ?? [];
    assert.deepEqual(children('mappings'), [
      'identityMap.Email → DedupeField',
      'person.name.firstName → firstName',
      'person.name.lastName → lastName',
      'b2b.companyName → company',
      'extendedWorkDetails.jobTitle → title',
    ]);
    assert.deepEqual(children('audiences'), ['Winback 90 days', 'Contacts on open opportunities']);
    // Nothing said twice: a mapping has no source/target rows, an audience no name row and its
    // entities are one row ("entities  person, event"), not "person person" below it.
    const mappings = symbols.find((symbol) => symbol.name === 'mappings');
    assert.deepEqual(
      mappings?.children.map((mapping) => mapping.children.length),
      [0, 0, 0, 0, 0],
    );
    const audience = symbols.find((symbol) => symbol.name === 'audiences')?.children[0];
    const rows = audience?.children.map((child) => `${child.name} ${child.detail}`.trim());
    assert.ok(!rows?.some((row) => row.startsWith('name ')), `audience rows: ${rows?.join(' | ')}`);
    assert.ok(rows?.includes('entities person, event'), `audience rows: ${rows?.join(' | ')}`);
  });

  it('formats a minified config', async () => {
    const source = await vscode.workspace.openTextDocument(exampleUri('winback.destination.json'));
    const value: unknown = JSON.parse(source.getText());
    const minified = JSON.stringify(value);
    const editor = await openUntitled(minified);
    try {
      const document = editor.document;
      assert.equal(document.languageId, LANGUAGE_ID);
      const edits = await vscode.commands.executeCommand<vscode.TextEdit[]>(
        'vscode.executeFormatDocumentProvider',
        document.uri,
        { tabSize: 2, insertSpaces: true } satisfies vscode.FormattingOptions,
      );
      assert.ok(Array.isArray(edits) && edits.length > 0, 'formatting returns edits');
      const edit = new vscode.WorkspaceEdit();
      edit.set(document.uri, edits);
      assert.ok(await vscode.workspace.applyEdit(edit));
      const formatted = document.getText();
      assert.ok(formatted.split('\n').length > 20, `formatted text:\n${formatted}`);
      assert.match(formatted, /^ {2}"connector": "marketo-engage",$/m);
      assert.deepEqual(JSON.parse(formatted), value);
    } finally {
      await discard(editor.document);
    }
  });
});
