// Shared mappings files over the protocol (issue 13): the config shows one summary on its path; the
// shared file, once open, shows the findings every config using it found there (each once), with
// the config's quick fixes; editing it in the editor or on disk revalidates those configs; go to
// definition follows the path.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { edit, tempFiles } from '../helpers';
import { LspTestClient, type PublishedDiagnostics, TEST_CAPABILITIES } from '../lspClient';
import { GOOD_SHARED, SHARED_CONFIG, elsewhere } from '../fixtures/sharedMappings';

const CASE_SHARED = edit(
  GOOD_SHARED,
  '"target": "lastName" }',
  '"target": "lastName" },\n  { "source": "b2b.companyName", "target": "Company" }',
);

function summary(published: PublishedDiagnostics) {
  return published.diagnostics.map((d) => ({
    code: d.code,
    line: d.range.start.line,
    character: d.range.start.character,
  }));
}

const hasCode = (code: string) => (d: PublishedDiagnostics) =>
  d.diagnostics.some((diagnostic) => diagnostic.code === code);
const none = (d: PublishedDiagnostics) => d.diagnostics.length === 0;

describe('shared mappings files over the protocol', () => {
  const clients: LspTestClient[] = [];
  after(async () => {
    for (const client of clients) assert.equal(await client.stop(), 0);
  });

  async function start(): Promise<LspTestClient> {
    const client = new LspTestClient();
    clients.push(client);
    await client.initialize(TEST_CAPABILITIES);
    return client;
  }

  test('findings in the shared file: on it when open, summed up on each config; editing it revalidates them', async () => {
    const dir = tempFiles({ 'm/standard.mappings.json': CASE_SHARED });
    const client = await start();
    const a = pathToFileURL(path.join(dir, 'a.destination.json')).href;
    const b = pathToFileURL(path.join(dir, 'b.destination.json')).href;
    const shared = pathToFileURL(path.join(dir, 'm/standard.mappings.json')).href;

    // The reference is on line 9 (0-based), its string at character 14.
    const onA = await client.open(a, SHARED_CONFIG);
    assert.deepEqual(summary(onA), [{ code: 'mappings-file-findings', line: 9, character: 14 }]);
    assert.match(
      onA.diagnostics[0]?.message ?? '',
      /^1 finding in \.\/m\/standard\.mappings\.json: line 5: "Company"/,
    );
    await client.open(b, elsewhere(SHARED_CONFIG));

    // Opened: the finding both configs found is shown once, at the mapping, with a config to fix it.
    const onShared = await client.open(shared, CASE_SHARED);
    const caseFinding = onShared.diagnostics.find((d) => d.code === 'marketo-field-case');
    assert.ok(caseFinding, JSON.stringify(onShared));
    assert.deepEqual(summary(onShared), [{ code: 'marketo-field-case', line: 4, character: 43 }]);
    const config = (caseFinding.data as { config?: string }).config;
    assert.ok(config === a || config === b);

    // Its quick fix is the config's, and edits the shared file.
    const actions = await client.connection.sendRequest<
      { title: string; edit: { changes: Record<string, { newText: string }[]> } }[]
    >('textDocument/codeAction', {
      textDocument: { uri: shared },
      range: caseFinding.range,
      context: { diagnostics: [caseFinding] },
    });
    assert.deepEqual(
      actions.map((action) => [action.title, Object.keys(action.edit.changes)]),
      [['Change to "company"', [shared]]],
    );

    // Fixed in the editor, unsaved: both configs are validated again and lose the summary.
    const aFixed = client.nextDiagnostics(a, none);
    const bFixed = client.nextDiagnostics(b, none);
    const sharedFixed = client.nextDiagnostics(shared, (d) => d.version === 2 && none(d));
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: shared, version: 2 },
      contentChanges: [{ text: CASE_SHARED.replace('"Company"', '"company"') }],
    });
    await Promise.all([aFixed, bFixed, sharedFixed]);

    // Closed unsaved: the configs read the file on disk again, which still has the mistake.
    const aAgain = client.nextDiagnostics(a, hasCode('mappings-file-findings'));
    const sharedCleared = client.nextDiagnostics(shared, none);
    await client.connection.sendNotification('textDocument/didClose', {
      textDocument: { uri: shared },
    });
    await Promise.all([aAgain, sharedCleared]);
  });

  test('the shared file changed on disk revalidates the configs that use it', async () => {
    const dir = tempFiles({ 'm/standard.mappings.json': GOOD_SHARED });
    const client = await start();
    const a = pathToFileURL(path.join(dir, 'a.destination.json')).href;
    const sharedPath = path.join(dir, 'm/standard.mappings.json');
    assert.deepEqual((await client.open(a, SHARED_CONFIG)).diagnostics, []);

    const broken = client.nextDiagnostics(a, hasCode('mappings-file-unreadable'));
    fs.writeFileSync(
      sharedPath,
      '[\n  { "source": "identityMap.Email", "target": "DedupeField" }\n  {',
    );
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: pathToFileURL(sharedPath).href, type: 2 }],
    });
    const published = await broken;
    assert.deepEqual(summary(published), [
      { code: 'mappings-file-unreadable', line: 9, character: 14 },
    ]);
    assert.match(
      published.diagnostics[0]?.message ?? '',
      /standard\.mappings\.json:3:3: invalid JSON/,
    );
  });

  test('go to definition on the path opens the shared file', async () => {
    const dir = tempFiles({ 'm/standard.mappings.json': GOOD_SHARED });
    const client = await start();
    const a = pathToFileURL(path.join(dir, 'a.destination.json')).href;
    await client.open(a, SHARED_CONFIG);
    const locations = await client.connection.sendRequest('textDocument/definition', {
      textDocument: { uri: a },
      position: { line: 9, character: 20 },
    });
    const origin = { line: 0, character: 0 };
    assert.deepEqual(locations, [
      {
        uri: pathToFileURL(path.join(dir, 'm/standard.mappings.json')).href,
        range: { start: origin, end: origin },
      },
    ]);
    const elsewhere = await client.connection.sendRequest('textDocument/definition', {
      textDocument: { uri: a },
      position: { line: 2, character: 12 },
    });
    assert.deepEqual(elsewhere, []);
  });
});
