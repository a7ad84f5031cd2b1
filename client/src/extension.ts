import type * as vscode from 'vscode';
import { registerCommands } from './commands';
import { registerRulePages } from './rulePages';
import { ServerController } from './serverController';
import { registerSimulateCodeLens } from './simulation/simulateCodeLens';
import { DestinationStatusItem } from './statusItem';

let controller: ServerController | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const status = new DestinationStatusItem();
  controller = new ServerController(context, status);
  context.subscriptions.push(
    status,
    ...registerCommands(controller),
    registerSimulateCodeLens(),
    registerRulePages(context.extensionUri),
  );
  await controller.ready();
}

export async function deactivate(): Promise<void> {
  await controller?.dispose();
  controller = undefined;
}
