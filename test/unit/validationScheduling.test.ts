/**
 * Validation that never holds up a request (issue 12): in slices that stop when the result is
 * no longer wanted; through the protocol, a stale version's diagnostics are never published
 * and a request during a burst answers from the newest text.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LARGE_DOCUMENT_CHARS } from '../../server/src/lsp/validationScheduler';
import { configText } from '../fixtures/generate';
import { VALID_CONFIG, service } from '../helpers';
import { LspTestClient, type PublishedDiagnostics } from '../lspClient';

const BROKEN = VALID_CONFIG.replace('"mappings"', '"mappings": [], "mappings2"');

describe('validateInSlices', () => {
  for (const [name, text] of [
    ['the valid config', VALID_CONFIG],
    ['a config with findings', BROKEN],
    ['a syntax error', '{"name": '],
  ] as const) {
    test(`gives exactly the findings of validate: ${name}`, async () => {
      const doc = TextDocument.create('file:///w/a.destination.json', 'json', 1, text);
      const whole = service().validate(doc, {});
      let pauses = 0;
      const sliced = await service().validateInSlices(doc, {}, () => {
        pauses++;
        return Promise.resolve(true);
      });
      assert.deepEqual(sliced, whole);
      assert.ok(pauses > 1, 'pauses before the parse and between rules');
    });
  }

  test('stops at the first pause that says no, and runs nothing after it', async () => {
    const doc = TextDocument.create('file:///w/b.destination.json', 'json', 1, BROKEN);
    const languageService = service();
    let pauses = 0;
    const result = await languageService.validateInSlices(doc, {}, () =>
      Promise.resolve(++pauses < 3),
    );
    assert.equal(result, undefined);
    assert.equal(pauses, 3);
    const none = await languageService.validateInSlices(doc, {}, () => Promise.resolve(false));
    assert.equal(none, undefined);
  });
});

describe('the server during a burst of edits on a large config', () => {
  let client: LspTestClient;
  const uri = 'file:///work/burst.destination.json';
  const text = configText(42, 25_000, 500);
  const published: PublishedDiagnostics[] = [];

  before(async () => {
    assert.ok(text.length >= LARGE_DOCUMENT_CHARS, 'test setup: a large config');
    client = new LspTestClient();
    await client.initialize();
  });
  after(async () => {
    await client.stop();
  });

  test('publishes only the newest version, and a request meanwhile reads the newest text', async () => {
    const first = await client.open(uri, text, 1);
    assert.equal(first.version, 1);
    void client
      .nextDiagnostics(uri, (d) => (published.push(d), false), 600_000)
      .catch(() => undefined);
    // Five edits back to back, each renaming the same mapping target.
    const at = text.indexOf('"target": "', text.length / 2) + '"target": "'.length;
    const before = TextDocument.create(uri, 'json', 1, text);
    const position = before.positionAt(at);
    const names = ['email', 'firstName', 'lastName', 'company', 'title'];
    let current = text;
    for (const [i, name] of names.entries()) {
      const end = current.indexOf('"', at);
      void client.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: i + 2 },
        contentChanges: [
          {
            range: { start: position, end: before.positionAt(end) },
            text: name,
          },
        ],
      });
      current = current.slice(0, at) + name + current.slice(end);
    }
    const hoverPosition = { line: position.line, character: position.character + 1 };
    const answer: unknown = await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: hoverPosition,
    });
    const newest = TextDocument.create(uri, 'json', 6, current);
    const expected = service().hover(newest, hoverPosition);
    assert.ok(expected, 'test setup: a hover on the target');
    assert.deepEqual(answer, JSON.parse(JSON.stringify(expected)));
    const last = await client.nextDiagnostics(uri, (d) => d.version === 6);
    assert.deepEqual(
      last.diagnostics.map((d) => d.code),
      service()
        .validate(newest, {})
        .map((f) => f.code),
    );
    // A round trip after the last publication: anything published late would be in by now.
    await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(
      published.map((d) => d.version),
      [6],
      'versions 2 to 5 were never published',
    );
  });
});
