import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  LANGUAGE_ID,
  MAPPINGS_FILE_NAME,
  SimulateRequest,
  SimulationClosedNotification,
  SimulationPageRequest,
  SimulationReportRequest,
  SimulationProgressNotification,
  type SimulateParams,
  type SimulateResponse,
} from '../../../common/protocol';
import type { ServerController } from '../serverController';
import { type RunSource, SimulationResultsPanel } from './resultsPanel';
import {
  type RememberedInputs,
  SimulationInputsMemory,
  pickSampleFile,
} from './simulationInputsMemory';

/** The config to simulate: the argument (code lens, explorer) or the active editor's document. */
function targetConfig(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  const active = vscode.window.activeTextEditor?.document;
  return active?.languageId === LANGUAGE_ID && !MAPPINGS_FILE_NAME.test(active.uri.path)
    ? active.uri
    : undefined;
}

/**
 * Simulate Export: asks the server (which validates, reads the samples and
 * simulates in a worker), asking for the sample files when the config names none
 * and remembering them per config, then shows the results panel.
 */
export async function simulateExport(
  controller: ServerController,
  arg?: unknown,
  options: { chooseFiles?: boolean } = {},
): Promise<SimulateResponse | undefined> {
  const config = targetConfig(arg);
  if (!config) {
    void vscode.window.showErrorMessage(
      'Simulate Export works on a destination config: open a *.destination.json file first.',
    );
    return undefined;
  }
  // The server simulates the text it knows: make sure the config is open there.
  await vscode.workspace.openTextDocument(config);
  const memory = new SimulationInputsMemory(controller.context.workspaceState);
  let inputs: RememberedInputs = memory.get(config);
  if (options.chooseFiles) {
    const chosen = await chooseInputs(config, ['profiles', 'leads']);
    if (!chosen) return undefined;
    inputs = chosen;
    await memory.set(config, inputs);
  }
  // At most: ask for missing inputs once, then simulate.
  for (let attempt = 0; attempt < 2; attempt++) {
    const response = await request(controller, { uri: config.toString(), ...inputs });
    if (!response) return undefined;
    if (response.kind === 'needsInputs' && attempt === 0) {
      const chosen = await chooseInputs(config, response.missing);
      if (!chosen) return response;
      inputs = { ...inputs, ...chosen };
      await memory.set(config, inputs);
      continue;
    }
    await present(controller, config, response, memory);
    return response;
  }
  return undefined;
}

async function present(
  controller: ServerController,
  config: vscode.Uri,
  response: SimulateResponse,
  memory: SimulationInputsMemory,
): Promise<void> {
  switch (response.kind) {
    case 'result': {
      const client = await controller.ready();
      const ids = { uri: config.toString(), runId: response.runId };
      const source: RunSource = {
        page: (query, offset, limit) =>
          client.sendRequest(SimulationPageRequest, { ...ids, ...query, offset, limit }),
        report: (format, meta) =>
          client.sendRequest(SimulationReportRequest, { ...ids, format, meta }),
        close: () => void client.sendNotification(SimulationClosedNotification, ids),
      };
      SimulationResultsPanel.show(
        controller.context.extensionUri,
        { ...response, configUri: config, configPath: config.fsPath, source },
        () => void vscode.commands.executeCommand('aepDestination.simulateExport', config),
      );
      return;
    }
    case 'needsInputs':
      void vscode.window.showErrorMessage(
        `Simulate Export needs sample ${response.missing.join(' and ')} files.`,
      );
      return;
    case 'configErrors': {
      const count = response.diagnostics.length;
      const first = response.diagnostics[0];
      const choice = await vscode.window.showErrorMessage(
        `The config has ${count} error${count === 1 ? '' : 's'} (line ${(first?.line ?? 0) + 1}: ${first?.code}). An export would be refused: fix ${count === 1 ? 'it' : 'them'} first.`,
        'Show Problems',
      );
      if (choice) await vscode.commands.executeCommand('workbench.actions.view.problems');
      return;
    }
    case 'inputError': {
      const actions = response.file ? ['Open File', 'Choose Other Files'] : ['Choose Other Files'];
      const choice = await vscode.window.showErrorMessage(
        `Simulate Export: ${response.message}`,
        ...actions,
      );
      if (choice === 'Open File' && response.file) await openAt(response.file, response.line ?? 1);
      if (choice === 'Choose Other Files') {
        await memory.forget(config);
        await simulateExport(controller, config, { chooseFiles: true });
      }
      return;
    }
  }
}

async function chooseInputs(
  config: vscode.Uri,
  missing: ('profiles' | 'leads')[],
): Promise<RememberedInputs | undefined> {
  const chosen: RememberedInputs = {};
  for (const kind of missing) {
    const file = await pickSampleFile(kind, config);
    if (!file) return undefined;
    chosen[kind] = file;
  }
  return chosen;
}

/** Sends the request under a cancellable progress notification; undefined when cancelled. */
async function request(
  controller: ServerController,
  params: SimulateParams,
): Promise<SimulateResponse | undefined> {
  const client: LanguageClient = await controller.ready();
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Simulate Export', cancellable: true },
    async (progress, token) => {
      let reported = 0;
      const subscription = client.onNotification(SimulationProgressNotification, (p) => {
        if (p.uri !== params.uri) return;
        if (p.phase === 'reading') return progress.report({ message: 'reading the sample files…' });
        // DuckDB decides every profile in one query, then hands the outcomes over.
        if (p.total === 0)
          return progress.report({ message: 'matching the profiles with the leads…' });
        const percent = Math.floor((p.done / p.total) * 100);
        const what = p.phase === 'writing' ? 'outcomes' : 'profiles';
        progress.report({
          message: `${p.done.toLocaleString()} of ${p.total.toLocaleString()} ${what}`,
          increment: percent - reported,
        });
        reported = percent;
      });
      try {
        return await client.sendRequest(SimulateRequest, params, token);
      } catch (error) {
        if (token.isCancellationRequested) return undefined;
        throw error;
      } finally {
        subscription.dispose();
      }
    },
  );
}

async function openAt(file: string, line: number): Promise<void> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const position = new vscode.Position(Math.max(0, line - 1), 0);
  await vscode.window.showTextDocument(document, {
    selection: new vscode.Range(position, position),
    preview: false,
  });
}
