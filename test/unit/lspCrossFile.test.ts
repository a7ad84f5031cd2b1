// The checks across files in the language server, over stdio: the workspace's configs on disk are
// read and published, each cross-file finding names the other file in relatedInformation; an
// edit in one config publishes its partner again; closing it puts its saved text back; a
// deleted file leaves; the destinations tree; in Restricted Mode only open documents count.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { DestinationTreeResponse } from '../../common/protocol';
import { VALID_CONFIG, edit, tempFiles } from '../helpers';
import { LspTestClient, type PublishedDiagnostics, TEST_CAPABILITIES } from '../lspClient';

const WINBACK = VALID_CONFIG;
const CRM = edit(
  edit(VALID_CONFIG, '"dedupeField": "email"', '"dedupeField": "customerId"'),
  '"Winback known leads"',
  '"CRM sync"',
);

function codesOf(published: PublishedDiagnostics): string[] {
  return published.diagnostics.map((d) => d.code);
}

const has = (code: string) => (d: PublishedDiagnostics) => codesOf(d).includes(code);
const lacks = (code: string) => (d: PublishedDiagnostics) => !codesOf(d).includes(code);

describe('cross-file findings over the protocol', () => {
  const clients: LspTestClient[] = [];
  after(async () => {
    for (const client of clients) assert.equal(await client.stop(), 0);
  });

  function folderOf(files: Record<string, string>) {
    const folder = path.join(
      tempFiles(
        Object.fromEntries(Object.entries(files).map(([name, text]) => [`repo/${name}`, text])),
      ),
      'repo',
    );
    const uri = (name: string) => pathToFileURL(path.join(folder, name)).href;
    return { folder, uri };
  }

  async function start(folder: string, trusted: boolean): Promise<LspTestClient> {
    const client = new LspTestClient();
    clients.push(client);
    await client.initialize(
      {
        ...TEST_CAPABILITIES,
        workspace: { ...TEST_CAPABILITIES.workspace, workspaceFolders: true },
      },
      {
        initializationOptions: { workspaceTrusted: trusted },
        workspaceFolders: [{ uri: pathToFileURL(folder).href, name: 'repo' }],
      },
    );
    return client;
  }

  test('files on disk: published with relatedInformation; an edit revalidates the partner', async () => {
    const { folder, uri } = folderOf({
      'winback.destination.json': WINBACK,
      'crm.destination.json': CRM,
      'node_modules/x/ignored.destination.json': CRM,
    });
    const client = new LspTestClient();
    clients.push(client);
    // Waiting from before initialize: the scan publishes the files nobody opened.
    const crmFirst = client.nextDiagnostics(
      uri('crm.destination.json'),
      has('conflicting-dedupe-field'),
    );
    const winbackFirst = client.nextDiagnostics(
      uri('winback.destination.json'),
      has('duplicate-activation'),
    );
    await client.initialize(
      {
        ...TEST_CAPABILITIES,
        workspace: { ...TEST_CAPABILITIES.workspace, workspaceFolders: true },
      },
      { workspaceFolders: [{ uri: pathToFileURL(folder).href, name: 'repo' }] },
    );
    const crm = await crmFirst;
    const conflict = crm.diagnostics.find((d) => d.code === 'conflicting-dedupe-field');
    assert.equal(conflict?.severity, 1);
    assert.match(
      conflict?.message ?? '',
      /"Winback known leads" \(winback\.destination\.json\).*duplicate leads/,
    );
    assert.deepEqual(conflict?.relatedInformation, [
      {
        location: {
          uri: uri('winback.destination.json'),
          range: { start: { line: 7, character: 17 }, end: { line: 7, character: 24 } },
        },
        message: 'the dedupe field "email" of "Winback known leads" (winback.destination.json)',
      },
    ]);
    // Its own findings are there too (the file was validated, not only compared).
    assert.ok(codesOf(crm).includes('dedupe-source-mismatch'), codesOf(crm).join());
    assert.deepEqual(codesOf(await winbackFirst).sort(), [
      'conflicting-dedupe-field',
      'duplicate-activation',
    ]);

    const tree = await client.connection.sendRequest<DestinationTreeResponse>(
      'aepDestination/destinationTree',
      {},
    );
    assert.equal(tree.restricted, false);
    assert.deepEqual(
      tree.instances.map((i) => ({
        munchkinId: i.munchkinId,
        workspaces: i.workspaces.map((w) => ({
          workspace: w.workspace,
          destinations: w.destinations.map((d) => [
            d.name,
            path.basename(new URL(d.uri).pathname),
            d.errors,
            d.warnings,
            d.audiences.map((a) => `${a.id}@${a.range.start.line}`),
          ]),
        })),
      })),
      [
        {
          munchkinId: '123-ABC-456',
          workspaces: [
            {
              workspace: 'Default',
              destinations: [
                ['CRM sync', 'crm.destination.json', 3, 1, ['seg-winback@15']],
                ['Winback known leads', 'winback.destination.json', 1, 1, ['seg-winback@15']],
              ],
            },
          ],
        },
      ],
      'node_modules is not scanned',
    );
    assert.ok(
      client.notifications.some((n) => n.method === 'aepDestination/destinationTreeChanged'),
    );

    // The open text wins over the file: the same dedupe field, then another audience.
    const crmAgreed = client.nextDiagnostics(
      uri('crm.destination.json'),
      lacks('conflicting-dedupe-field'),
    );
    const opened = await client.open(
      uri('winback.destination.json'),
      edit(WINBACK, '"dedupeField": "email"', '"dedupeField": "customerId"'),
    );
    assert.ok(!codesOf(opened).includes('conflicting-dedupe-field'), codesOf(opened).join());
    assert.ok(codesOf(await crmAgreed).includes('duplicate-activation'));

    const crmAlone = client.nextDiagnostics(
      uri('crm.destination.json'),
      lacks('duplicate-activation'),
    );
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: uri('winback.destination.json'), version: 2 },
      contentChanges: [{ text: edit(WINBACK, '"seg-winback"', '"seg-other"') }],
    });
    assert.deepEqual(
      codesOf(await crmAlone).filter((c) => c === 'conflicting-dedupe-field'),
      ['conflicting-dedupe-field'],
      'the edit gives email back: the conflict, without the shared audience',
    );

    // Closed: the saved file counts again, and is still published (it is in the workspace).
    const crmBack = client.nextDiagnostics(
      uri('crm.destination.json'),
      has('duplicate-activation'),
    );
    const winbackSaved = client.nextDiagnostics(
      uri('winback.destination.json'),
      has('duplicate-activation'),
    );
    await client.connection.sendNotification('textDocument/didClose', {
      textDocument: { uri: uri('winback.destination.json') },
    });
    await crmBack;
    await winbackSaved;

    // Deleted on disk: its diagnostics go, and its partner's cross-file findings with it.
    fs.rmSync(path.join(folder, 'winback.destination.json'));
    const gone = client.nextDiagnostics(
      uri('winback.destination.json'),
      (d) => d.diagnostics.length === 0,
    );
    const crmSolo = client.nextDiagnostics(
      uri('crm.destination.json'),
      (d) => lacks('duplicate-activation')(d) && lacks('conflicting-dedupe-field')(d),
    );
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri('winback.destination.json'), type: 3 }],
    });
    await gone;
    await crmSolo;
  });

  test('Restricted Mode: files not opened are not read; open documents are compared', async () => {
    const { folder, uri } = folderOf({
      'winback.destination.json': WINBACK,
      'crm.destination.json': CRM,
    });
    const client = await start(folder, false);
    const first = await client.open(uri('winback.destination.json'), WINBACK);
    assert.deepEqual(codesOf(first), [], 'crm.destination.json on disk is not read');
    // A config opened from outside the workspace folder is not one of its destinations.
    const outside = pathToFileURL(
      path.join(path.dirname(folder), 'elsewhere.destination.json'),
    ).href;
    assert.deepEqual(codesOf(await client.open(outside, CRM)), [
      'missing-required-mapping',
      'dedupe-source-mismatch',
    ]);
    const tree = await client.connection.sendRequest<DestinationTreeResponse>(
      'aepDestination/destinationTree',
      {},
    );
    assert.equal(tree.restricted, true);
    assert.deepEqual(
      tree.instances.flatMap((i) => i.workspaces.flatMap((w) => w.destinations.map((d) => d.name))),
      ['Winback known leads'],
    );
    const winbackAgain = client.nextDiagnostics(
      uri('winback.destination.json'),
      has('duplicate-activation'),
    );
    const crm = await client.open(uri('crm.destination.json'), CRM);
    const activation = crm.diagnostics.find((d) => d.code === 'duplicate-activation');
    assert.equal(activation?.severity, 2);
    assert.equal(
      activation?.relatedInformation?.[0]?.location.uri,
      uri('winback.destination.json'),
    );
    await winbackAgain;
  });
});
