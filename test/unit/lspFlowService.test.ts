import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ResponseError } from 'vscode-jsonrpc/node';
import type {
  FlowExportParams,
  FlowExportResponse,
  FlowImportParams,
  FlowImportResponse,
  FlowPlanParams,
  FlowPlanResponse,
  NamedDocument,
} from '../../common/protocol';
import { configText, importDataflow } from '../../server/src/flowService/importFlow';
import { REPO_ROOT, edit, tempFiles } from '../helpers';
import { LspTestClient } from '../lspClient';

const FIXTURES = path.join(REPO_ROOT, 'examples/flow-service');

function fixture(name: string): NamedDocument {
  const file = path.join(FIXTURES, name);
  return { value: JSON.parse(fs.readFileSync(file, 'utf8')) as unknown, source: file };
}

/** The config `aep-dest import` writes for the fixture flow, its connection and audiences. */
const IMPORTED = configText(
  importDataflow({
    flow: fixture('flow.json'),
    targetConnection: fixture('target-connection.json'),
    audiences: fixture('audiences.json'),
  }).config,
);

describe('Flow Service requests over the protocol', () => {
  let client: LspTestClient;
  before(async () => {
    client = new LspTestClient();
    await client.initialize();
  });
  after(async () => assert.equal(await client.stop(), 0));

  async function open(dir: string, name: string, text: string): Promise<string> {
    const uri = pathToFileURL(path.join(dir, name)).href;
    await client.open(uri, text);
    return uri;
  }

  const importFlow = (params: FlowImportParams) =>
    client.connection.sendRequest<FlowImportResponse>('aepDestination/flowImport', params);
  const exportFlow = (params: FlowExportParams) =>
    client.connection.sendRequest<FlowExportResponse>('aepDestination/flowExport', params);
  const planFlow = (params: FlowPlanParams) =>
    client.connection.sendRequest<FlowPlanResponse>('aepDestination/flowPlan', params);

  test('import gives the config text and the report', async () => {
    const response = await importFlow({
      flow: fixture('flow.json'),
      targetConnection: fixture('target-connection.json'),
      audiences: fixture('audiences.json'),
    });
    assert.equal(response.kind, 'imported');
    if (response.kind !== 'imported') return;
    assert.equal(response.text, IMPORTED);
    assert.equal((JSON.parse(response.text) as { name: string }).name, 'Winback known leads');
    assert.deepEqual(
      response.report.mapped.map((m) => m.key),
      ['munchkinId', 'workspace', 'syncType', 'partition', 'dedupeField', 'personAction'],
    );
    assert.deepEqual(response.report.kept, ['alertsDestinationFlowRunFailure']);
    assert.equal(response.report.migration, undefined);
  });

  test('import of the flow alone, as one object, works too', async () => {
    const response = await importFlow({ flow: fixture('flow.single.json') });
    assert.equal(response.kind, 'imported');
  });

  test('import of a malformed answer is an inputError naming the file', async () => {
    const response = await importFlow({
      flow: { value: { items: [] }, source: '/saved/answers/flow.json' },
    });
    assert.equal(response.kind, 'inputError');
    if (response.kind === 'inputError')
      assert.match(response.message, /\/saved\/answers\/flow\.json/);
  });

  test('export takes the open, unsaved, edited text, not the file on disk', async () => {
    const dir = tempFiles({ 'w.destination.json': IMPORTED });
    const edited = edit(IMPORTED, '"name": "Winback known leads"', '"name": "Edited, not saved"');
    const uri = await open(dir, 'w.destination.json', edited);
    const response = await exportFlow({ uri });
    assert.equal(response.kind, 'exported');
    if (response.kind !== 'exported') return;
    const flow = response.flow as { name: string; targetConnectionIds: string[] };
    assert.equal(flow.name, 'Edited, not saved');
    assert.deepEqual(flow.targetConnectionIds, ['8ce3dc63-3766-4220-9f61-51d2f8f14618']);
    const tc = response.targetConnection as { params: Record<string, unknown> };
    assert.equal(tc.params.alertsDestinationFlowRunFailure, true);
    assert.deepEqual(response.placeholders, []);
  });

  test('export of a saved config that is not open reads it from disk', async () => {
    const dir = tempFiles({ 's.destination.json': IMPORTED });
    const uri = pathToFileURL(path.join(dir, 's.destination.json')).href;
    const response = await exportFlow({ uri });
    assert.equal(response.kind, 'exported');
  });

  test('plan gives the plan lines, the patch and If-Match', async () => {
    const edited = edit(
      edit(IMPORTED, '"name": "Winback known leads"', '"name": "Renamed"'),
      '"mappings": [',
      '"mappings": [\n    { "source": "person.birthDate", "target": "dateOfBirth" },',
    );
    const uri = await open(tempFiles(), 'p.destination.json', edited);
    const response = await planFlow({
      uri,
      flow: fixture('flow.json'),
      targetConnection: fixture('target-connection.json'),
    });
    assert.equal(response.kind, 'planned');
    if (response.kind !== 'planned') return;
    const lines = response.text.split('\n');
    assert.match(lines[0] ?? '', /^Plan for flow "Winback known leads" \(226fb2e1-/);
    assert.ok(lines.includes('  ~ name: "Winback known leads" → "Renamed"'), response.text);
    assert.ok(lines.includes('  + mapping person.birthDate → dateOfBirth'), response.text);
    assert.equal(response.plan.ifMatch, '"8b0351ca-0000-0200-0000-61c4d6700000"');
    assert.deepEqual(
      response.plan.patch.map((op) => [op.op, op.path]),
      [
        ['replace', '/name'],
        ['add', '/transformations/0/params/profileSelectors/selectors/-'],
      ],
    );
  });

  test('an unchanged config plans no operation', async () => {
    const uri = await open(tempFiles(), 'u.destination.json', IMPORTED);
    const response = await planFlow({ uri, flow: fixture('flow.json') });
    assert.equal(response.kind, 'planned');
    if (response.kind !== 'planned') return;
    assert.equal(response.plan.summary.unchanged, true);
    assert.deepEqual(response.plan.patch, []);
    assert.match(response.text, /^No changes: /);
  });

  test('export and plan refuse a config with errors, listing them', async () => {
    const broken = edit(IMPORTED, '"123-ABC-456"', '"1"');
    const uri = await open(tempFiles(), 'e.destination.json', broken);
    const line = broken.split('\n').findIndex((l) => l.includes('"munchkinId"'));
    for (const response of [
      await exportFlow({ uri }),
      await planFlow({ uri, flow: fixture('flow.json') }),
    ]) {
      assert.equal(response.kind, 'configErrors');
      if (response.kind === 'configErrors')
        assert.deepEqual(
          response.diagnostics.map((d) => [d.code, d.line]),
          [['invalid-munchkin-id', line]],
        );
    }
  });

  test('plan against a malformed flow is an inputError naming the file', async () => {
    const uri = await open(tempFiles(), 'm.destination.json', IMPORTED);
    const response = await planFlow({
      uri,
      flow: { value: [1, 2], source: '/saved/not-a-flow.json' },
    });
    assert.equal(response.kind, 'inputError');
    if (response.kind === 'inputError') assert.match(response.message, /\/saved\/not-a-flow\.json/);
  });

  test('a config neither open nor on disk is an inputError', async () => {
    const uri = pathToFileURL(path.join(tempFiles(), 'gone.destination.json')).href;
    const response = await exportFlow({ uri });
    assert.equal(response.kind, 'inputError');
    if (response.kind === 'inputError') assert.match(response.message, /gone\.destination\.json/);
  });

  test('malformed params answer an error and the server lives on', async () => {
    await assert.rejects(
      client.connection.sendRequest('aepDestination/flowImport', { flow: 'nope' }),
      (error: unknown) => error instanceof ResponseError && /params\.flow/.test(error.message),
    );
    await assert.rejects(
      client.connection.sendRequest('aepDestination/flowPlan', { uri: 3 }),
      ResponseError,
    );
    assert.equal((await importFlow({ flow: fixture('flow.json') })).kind, 'imported');
  });
});
