import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { registerDestinationsView } from './destinationsView';
import { registerRulePages } from './rulePages';
import { ServerController } from './serverController';
import { registerSimulateCodeLens } from './simulation/simulateCodeLens';
import { DestinationStatusItem } from './statusItem';

let controller: ServerController | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const status = new DestinationStatusItem();
  const started = new ServerController(context, status);
  controller = started;
  context.subscriptions.push(
    status,
    ...registerCommands(started),
    registerDestinationsView(started),
    registerSimulateCodeLens(),
    registerRulePages(context.extensionUri),
    // Restricted Mode ends: the server reads the files the configs name, and says so at once.
    vscode.workspace.onDidGrantWorkspaceTrust(() => started.notifyWorkspaceTrusted()),
  );
  await started.ready();
}

export async function deactivate(): Promise<void> {
  await controller?.dispose();
  controller = undefined;
}
