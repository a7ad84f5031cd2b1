// Simulate Export: the command asks the server to simulate the config with the sample files of
// its `simulation` block, returns the server's response and shows the results panel.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SimulateResponse } from '../../../common/protocol';
import { WINBACK_SUMMARY } from '../../fixtures/simulation/winbackSummary';
import { activateAndCloseEditors, exampleUri, openInEditor, waitFor } from './helpers';

function isSimulateResponse(value: unknown): value is SimulateResponse {
  return typeof value === 'object' && value !== null && 'kind' in value;
}

/** Runs Simulate Export on an example as the command palette does; its answer must be a result. */
async function simulateExample(
  name: string,
): Promise<Extract<SimulateResponse, { kind: 'result' }>> {
  const uri = exampleUri(name);
  await openInEditor(uri);
  const response: unknown = await vscode.commands.executeCommand(
    'aepDestination.simulateExport',
    uri,
  );
  assert.ok(isSimulateResponse(response), `a SimulateResponse: ${JSON.stringify(response)}`);
  assert.equal(response.kind, 'result', JSON.stringify(response).slice(0, 500));
  if (response.kind !== 'result') throw new Error('unreachable');
  return response;
}

describe('Simulate Export', () => {
  activateAndCloseEditors();

  it('is a command of the extension', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of [
      'aepDestination.simulateExport',
      'aepDestination.simulateExportChooseFiles',
    ]) {
      assert.ok(commands.includes(id), id);
    }
  });

  it('offers Simulate Export above a config, not above a shared mappings file', async () => {
    const lensTitles = async (name: string): Promise<string[]> => {
      const uri = exampleUri(name);
      await openInEditor(uri);
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
        'vscode.executeCodeLensProvider',
        uri,
      );
      return lenses.map((lens) => lens.command?.title ?? '');
    };
    assert.deepEqual(await lensTitles('winback.destination.json'), ['$(play) Simulate Export']);
    assert.deepEqual(await lensTitles('mappings/standard.mappings.json'), []);
  });

  it('simulates winback.destination.json with its sample files and shows the results', async () => {
    const response = await simulateExample('winback.destination.json');
    assert.equal(response.configName, 'Winback known leads');
    assert.deepEqual(response.result.summary, WINBACK_SUMMARY);
    // The outcomes stay in the server: the answer carries the first page and the run's id.
    assert.equal('outcomes' in response.result, false);
    assert.equal(response.firstPage.total, WINBACK_SUMMARY.profiles);
    assert.equal(response.firstPage.rows.length, WINBACK_SUMMARY.profiles);
    assert.ok(response.runId);
    assert.match(response.profilesFile, /samples[\\/]profiles\.csv$/);
    assert.match(response.leadsFile, /samples[\\/]leads\.json$/);
    assert.ok(response.result.apiPlan.totalCalls > 0);

    // The results panel: a webview tab titled after the config.
    const panel = await waitFor(
      'a "Simulation: …" webview tab',
      () =>
        vscode.window.tabGroups.all
          .flatMap((group) => group.tabs)
          .find(
            (tab) =>
              tab.input instanceof vscode.TabInputWebview && tab.label.startsWith('Simulation:'),
          ),
      vscode.window.tabGroups.onDidChangeTabs,
    );
    assert.equal(panel.label, 'Simulation: Winback known leads');
  });

  it('simulates the EMEA example: XDM profiles, a Bulk Lead Extract, partitions by name', async () => {
    const response = await simulateExample('emea-reactivation.destination.json');
    assert.deepEqual(response.result.summary, {
      profiles: 5,
      create: 1,
      update: 3,
      addToList: 0,
      skip: 0,
      removeFromList: 1,
      addedToLists: 4,
      removedFromLists: 1,
    });
    // leadPartitionId 1, 2, 3 of the extract, named through marketo/partitions.json.
    assert.deepEqual(
      response.firstPage.rows.map((o) => [o.action, o.leadId, o.partition]),
      [
        ['update', '101', 'EMEA'],
        ['update', '102', 'Default'],
        ['update', '202', 'APAC'],
        ['removeFromList', '103', 'EMEA'],
        ['create', null, 'EMEA'],
      ],
    );
  });
});
