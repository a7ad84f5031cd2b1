import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { registerDestinationsView } from './destinationsView';
import { registerRulePages } from './rulePages';
import { ServerController } from './serverController';
import { registerSimulateCodeLens } from './simulation/simulateCodeLens';
import { DestinationStatusItem } from './statusItem';

let controller: ServerController | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  // The modules free of `vscode` (statusText.ts) translate through @vscode/l10n: the same
  // bundle VS Code picked for this extension's display language.
  l10n.config({ contents: vscode.l10n.bundle ?? {} });
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
