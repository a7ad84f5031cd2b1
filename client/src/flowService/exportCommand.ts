/**
 * Export Flow Service Payloads: the config → the POST /targetConnections and POST /flows
 * bodies, written as target-connection.json and flow.json to a folder the user picks.
 */
import * as vscode from 'vscode';
import { FlowExportRequest } from '../../../common/protocol';
import type { ServerController } from '../serverController';
import {
  type ExportOutcome,
  configOf,
  failed,
  noConfig,
  optionsOf,
  plural,
  showProblemsFor,
  toUri,
} from './commandOptions';
import { exists, folderNear, shown, writeAll } from './flowFiles';

export async function exportFlowPayloads(
  controller: ServerController,
  arg?: unknown,
): Promise<ExportOutcome> {
  const options = optionsOf(arg);
  const config = configOf(options);
  if (!config) return noConfig('Export Flow Service Payloads');
  // The server exports the text it knows: make sure the config is open there.
  await vscode.workspace.openTextDocument(config);
  const client = await controller.ready();
  const response = await client.sendRequest(FlowExportRequest, { uri: config.toString() });
  if (response.kind === 'configErrors') {
    showProblemsFor(response.diagnostics, 'An export');
    return response;
  }
  if (response.kind === 'inputError') return failed(response.message);
  let folder: vscode.Uri | undefined;
  if (options.folder !== undefined) folder = toUri(options.folder);
  else if (options.interactive !== false) {
    const near = folderNear(config);
    folder = (
      await vscode.window.showOpenDialog({
        title: 'Export Flow Service Payloads: the folder for target-connection.json and flow.json',
        canSelectFiles: false,
        canSelectFolders: true,
        openLabel: 'Export Here',
        ...(near ? { defaultUri: near } : {}),
      })
    )?.[0];
  }
  if (!folder)
    return options.interactive === false
      ? { kind: 'missing', what: 'folder' }
      : { kind: 'cancelled' };
  const files = [
    { uri: vscode.Uri.joinPath(folder, 'target-connection.json'), body: response.targetConnection },
    { uri: vscode.Uri.joinPath(folder, 'flow.json'), body: response.flow },
  ].map((f) => ({ uri: f.uri, text: `${JSON.stringify(f.body, null, 2)}\n` }));
  const present: vscode.Uri[] = [];
  for (const file of files) if (await exists(file.uri)) present.push(file.uri);
  if (present.length && !options.overwrite) {
    if (options.interactive === false) return { kind: 'missing', what: 'overwrite' };
    const names = present.map((uri) => uri.path.split('/').pop()).join(' and ');
    const choice = await vscode.window.showWarningMessage(
      `Replace ${names} in ${shown(folder)}?`,
      { modal: true },
      'Replace',
    );
    if (choice !== 'Replace') return { kind: 'cancelled' };
  }
  await writeAll(files);
  const where = vscode.workspace.asRelativePath(folder, false);
  controller.output.info(`[export] wrote ${files.map((f) => shown(f.uri)).join(', ')}`);
  for (const placeholder of response.placeholders)
    controller.output.info(`[export] placeholder ${placeholder}`);
  if (response.placeholders.length) {
    const count = response.placeholders.length;
    void vscode.window
      .showWarningMessage(
        `Exported target-connection.json and flow.json to ${where}: replace ${plural(count, 'placeholder')} before sending them (${response.placeholders.map((p) => p.split(':')[0]).join(', ')}).`,
        'Show details',
      )
      .then((choice) => {
        if (choice) controller.output.show(true);
      });
  } else {
    void vscode.window.showInformationMessage(
      `Exported target-connection.json and flow.json to ${where}.`,
    );
  }
  return {
    kind: 'exported',
    files: files.map((f) => f.uri.toString()),
    placeholders: response.placeholders,
  };
}
