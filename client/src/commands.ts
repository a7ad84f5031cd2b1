import * as vscode from 'vscode';
import { refreshDestinationsView } from './destinationsView';
import { exportFlowPayloads } from './flowService/exportCommand';
import { importDataflowCommand } from './flowService/importCommand';
import { openFlowPatch, showFlowPlan } from './flowService/planCommand';
import { forgetPlatformCredentials } from './flowService/platformSession';
import { applyToPlatform, pullDataflow } from './flowService/pullApplyCommands';
import type { ServerController } from './serverController';
import { simulateExport } from './simulation/simulateCommand';
import { type RestrictedReason, refuseIfRestricted } from './workspaceTrust';

/** One palette command: what it does, and whether Restricted Mode disables it. */
export interface CommandDefinition {
  id: string;
  run(controller: ServerController, ...args: unknown[]): Promise<unknown>;
  /** Disabled in an untrusted workspace: its title in the message, and why. */
  restricted?: { title: string; reason: RestrictedReason };
}

/**
 * Every command of the extension. Each one behaves sensibly while the server is
 * starting (waits for it) or down (offers to restart it) rather than failing, and in
 * Restricted Mode (one message, see workspaceTrust.ts). Import, Export and Show Plan stay
 * enabled there: they read and write only files the user picks in a dialog.
 */
export const COMMANDS: CommandDefinition[] = [
  {
    id: 'aepDestination.simulateExport',
    run: (controller, arg) => simulateExport(controller, arg),
    restricted: {
      get title() {
        return vscode.l10n.t('Simulate Export');
      },
      reason: 'readsConfigFiles',
    },
  },
  {
    id: 'aepDestination.simulateExportChooseFiles',
    run: (controller, arg) => simulateExport(controller, arg, { chooseFiles: true }),
    restricted: {
      get title() {
        return vscode.l10n.t('Simulate Export with Other Sample Files');
      },
      reason: 'readsConfigFiles',
    },
  },
  { id: 'aepDestination.importDataflow', run: importDataflowCommand },
  { id: 'aepDestination.exportFlowPayloads', run: exportFlowPayloads },
  { id: 'aepDestination.showFlowPlan', run: showFlowPlan },
  // The plan panel's "Open JSON Patch" (hidden from the palette).
  { id: 'aepDestination.openFlowPatch', run: (_controller, arg) => openFlowPatch(arg) },
  {
    id: 'aepDestination.pullDataflow',
    run: pullDataflow,
    restricted: {
      get title() {
        return vscode.l10n.t('Pull Dataflow');
      },
      reason: 'sendsRequests',
    },
  },
  {
    id: 'aepDestination.applyToPlatform',
    run: applyToPlatform,
    restricted: {
      get title() {
        return vscode.l10n.t('Apply to Experience Platform');
      },
      reason: 'sendsRequests',
    },
  },
  { id: 'aepDestination.forgetPlatformCredentials', run: forgetPlatformCredentials },
  // The destinations view's title button; the view says when the server is down.
  { id: 'aepDestination.refreshDestinations', run: refreshDestinationsView },
  {
    id: 'aepDestination.restartServer',
    async run(controller) {
      await controller.restart();
      void vscode.window.showInformationMessage(
        vscode.l10n.t('AEP Destination language server restarted.'),
      );
    },
  },
  {
    id: 'aepDestination.showOutput',
    run(controller) {
      controller.output.show(true);
      return Promise.resolve();
    },
  },
];

export function registerCommands(
  controller: ServerController,
  commands: CommandDefinition[] = COMMANDS,
): vscode.Disposable[] {
  return commands.map((command) =>
    vscode.commands.registerCommand(command.id, async (...args: unknown[]) => {
      try {
        const refused = command.restricted
          ? refuseIfRestricted(command.restricted.title, command.restricted.reason)
          : undefined;
        if (refused) return refused;
        return await command.run(controller, ...args);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        controller.output.appendLine(`[${command.id}] ${message}`);
        void vscode.window.showErrorMessage(`AEP Destination: ${message}`);
        return undefined;
      }
    }),
  );
}
