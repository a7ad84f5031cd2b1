import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import type { SimulateParams, SimulateResponse } from '../../common/protocol';
import { REPO_ROOT, VALID_CONFIG, edit, tempFiles } from '../helpers';
import { LspTestClient } from '../lspClient';

const PROFILES_CSV =
  'identityMap.Email,person.name.firstName,person.name.lastName\na@x.com,Ann,Andersson\nb@x.com,Bo,Berg\n';
const LEADS_JSON = JSON.stringify([
  {
    id: 101,
    email: 'A@x.com',
    firstName: 'Ann',
    lastName: 'A',
    partition: 'EMEA',
    updatedAt: '2026-01-01T00:00:00Z',
  },
]);

describe('aepDestination/simulate over the protocol', () => {
  let client: LspTestClient;
  /** A folder with well-formed inputs: two profiles, one of them already a lead. */
  let inputs: string;
  before(async () => {
    inputs = tempFiles({ 'p.csv': PROFILES_CSV, 'l.json': LEADS_JSON });
    client = new LspTestClient();
    await client.initialize();
  });
  after(async () => assert.equal(await client.stop(), 0));

  /** Opens `text` as the config file `name` in `dir` and resolves with its URI. */
  async function open(dir: string, name: string, text: string): Promise<string> {
    const uri = pathToFileURL(path.join(dir, name)).href;
    await client.open(uri, text);
    return uri;
  }

  function simulate(params: SimulateParams): Promise<SimulateResponse> {
    return client.connection.sendRequest<SimulateResponse>('aepDestination/simulate', params);
  }

  /** The request naming the inputs in `dir` explicitly, whatever the config says. */
  function withInputs(uri: string, dir: string): SimulateParams {
    return { uri, profiles: path.join(dir, 'p.csv'), leads: path.join(dir, 'l.json') };
  }

  test('simulates the open text with the simulation block, in a worker, with progress', async () => {
    const text = edit(
      VALID_CONFIG,
      '"mappings"',
      '"simulation": { "profiles": "./p.csv", "leads": "./l.json" },\n  "mappings"',
    );
    const response = await simulate({ uri: await open(inputs, 'a.destination.json', text) });
    assert.equal(response.kind, 'result');
    if (response.kind !== 'result') return;
    const { summary } = response.result;
    const outcomes = response.firstPage.rows;
    assert.equal(response.firstPage.total, 2);
    assert.equal('outcomes' in response.result, false, 'the outcomes come in pages');
    assert.deepEqual(summary, {
      profiles: 2,
      create: 1,
      update: 1,
      addToList: 0,
      skip: 0,
      removeFromList: 0,
      addedToLists: 2,
      removedFromLists: 0,
    });
    const update = outcomes.find((o) => o.action === 'update');
    assert.deepEqual(update?.changes, [{ field: 'lastName', from: 'A', to: 'Andersson' }]);
    assert.equal(response.configName, 'Winback known leads');
    assert.equal(response.profilesFile, path.join(inputs, 'p.csv'));
    assert.ok(client.notifications.some((n) => n.method === 'aepDestination/simulationProgress'));
  });

  test('asks for inputs the config does not name; explicit paths override', async () => {
    const uri = await open(inputs, 'b.destination.json', VALID_CONFIG);
    assert.deepEqual(await simulate({ uri }), {
      kind: 'needsInputs',
      missing: ['profiles', 'leads'],
    });
    assert.equal((await simulate(withInputs(uri, inputs))).kind, 'result');
  });

  test('refuses a config with errors, listing them', async () => {
    const text = edit(VALID_CONFIG, '"123-ABC-456"', '"1"');
    const response = await simulate({ uri: await open(tempFiles(), 'c.destination.json', text) });
    assert.equal(response.kind, 'configErrors');
    if (response.kind === 'configErrors')
      assert.deepEqual(
        response.diagnostics.map((d) => [d.code, d.line]),
        [['invalid-munchkin-id', 3]],
      );
  });

  test('a malformed input names the file and line', async () => {
    const dir = tempFiles({
      'p.csv': 'identityMap.Email,person.name.firstName\na@x.com,Ann\n"b@x.com,Bo\n',
      'l.json': LEADS_JSON,
    });
    const uri = await open(dir, 'd.destination.json', VALID_CONFIG);
    const response = await simulate(withInputs(uri, dir));
    assert.equal(response.kind, 'inputError');
    if (response.kind === 'inputError') {
      assert.equal(response.file, path.join(dir, 'p.csv'));
      assert.equal(response.line, 3);
    }
  });

  test('cancelling terminates the simulation and answers RequestCancelled', async () => {
    const rows = Array.from({ length: 300_000 }, (_, i) => `p${i}@x.com,F${i},L${i}`).join('\n');
    const dir = tempFiles({
      'p.csv': `identityMap.Email,person.name.firstName,person.name.lastName\n${rows}\n`,
      'l.json': LEADS_JSON,
    });
    const uri = await open(dir, 'e.destination.json', VALID_CONFIG);
    const source = new CancellationTokenSource();
    const pending = client.connection.sendRequest(
      'aepDestination/simulate',
      withInputs(uri, dir),
      source.token,
    );
    setTimeout(() => source.cancel(), 50);
    await assert.rejects(pending, (error: { code?: number }) => error.code === -32800);
    // The server still answers afterwards.
    const again = await client.connection.sendRequest<{ contents: unknown } | null>(
      'textDocument/hover',
      {
        textDocument: { uri },
        position: { line: 1, character: 4 },
      },
    );
    assert.ok(again);
  });

  test(
    'the examples simulate from their simulation block',
    { skip: !fs.existsSync(path.join(REPO_ROOT, 'examples/samples')) },
    async () => {
      const file = path.join(REPO_ROOT, 'examples/winback.destination.json');
      const uri = pathToFileURL(file).href;
      await client.open(uri, fs.readFileSync(file, 'utf8'));
      assert.equal((await simulate({ uri })).kind, 'result');
    },
  );
});
