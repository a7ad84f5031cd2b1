// Workspace trust and folders over the protocol (issue 14): in Restricted Mode the server reads
// no file a config names and says so; trusting the workspace validates again at once; in a
// trusted workspace a path outside its folders is a warning and is not read.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { SimulateResponse } from '../../common/protocol';
import { REPO_ROOT, VALID_CONFIG, tempFiles, withProperties } from '../helpers';
import { LspTestClient, TEST_CAPABILITIES } from '../lspClient';

const CATALOG = fs.readFileSync(
  path.join(REPO_ROOT, 'test/fixtures/marketo-catalogs/describe2.json'),
  'utf8',
);

function codesOf(diagnostics: { code?: unknown }[]): unknown[] {
  return diagnostics.map((d) => d.code);
}

describe('workspace trust and folders over the protocol', () => {
  const clients: LspTestClient[] = [];
  after(async () => {
    for (const client of clients) assert.equal(await client.stop(), 0);
  });

  async function start(trusted: boolean, folder: string): Promise<LspTestClient> {
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

  test('Restricted Mode: an information finding, no file read, no simulation; trust revalidates', async () => {
    const parent = tempFiles({ 'repo/marketo/describe2.json': CATALOG });
    const folder = path.join(parent, 'repo');
    const client = await start(false, folder);
    const uri = pathToFileURL(path.join(folder, 'a.destination.json')).href;
    const text = withProperties(
      VALID_CONFIG,
      '"marketoFields": "./marketo/describe2.json",\n  "simulation": { "profiles": "./p.csv", "leads": "./l.json" },',
    );
    const first = await client.open(uri, text);
    assert.deepEqual(codesOf(first.diagnostics), [
      'untrusted-workspace-file',
      'untrusted-workspace-file',
      'untrusted-workspace-file',
    ]);
    assert.equal(first.diagnostics[0]?.severity, 3);
    const refused = await client.connection.sendRequest<SimulateResponse>(
      'aepDestination/simulate',
      { uri },
    );
    assert.equal(refused.kind, 'inputError');
    assert.match(
      refused.kind === 'inputError' ? refused.message : '',
      /disabled in Restricted Mode/,
    );

    const next = client.nextDiagnostics(uri);
    await client.connection.sendNotification('aepDestination/workspaceTrust', { trusted: true });
    // Now the catalog is read: it lacks two fields the config maps.
    assert.deepEqual(codesOf((await next).diagnostics), [
      'unknown-marketo-field',
      'unknown-marketo-field',
    ]);
  });

  test('trusted: a path outside the workspace folder is a warning naming where it leads', async () => {
    const parent = tempFiles({ 'repo/x': '', 'elsewhere/describe2.json': CATALOG });
    const folder = path.join(parent, 'repo');
    const client = await start(true, folder);
    const uri = pathToFileURL(path.join(folder, 'b.destination.json')).href;
    const text = withProperties(VALID_CONFIG, '"marketoFields": "../elsewhere/describe2.json",');
    const published = await client.open(uri, text);
    assert.deepEqual(codesOf(published.diagnostics), ['path-outside-workspace']);
    assert.match(
      published.diagnostics[0]?.message ?? '',
      /resolves to .*elsewhere.*describe2\.json, outside the workspace folder/,
    );
  });
});
