import * as vscode from 'vscode';
import type { ServerController } from './serverController';
import { simulateExport } from './simulation/simulateCommand';

/** One palette command: what it does, and whether it needs a running server. */
export interface CommandDefinition {
  id: string;
  run(controller: ServerController, ...args: unknown[]): Promise<unknown>;
}

/**
 * Every command of the extension. Each one behaves sensibly while the server is
 * starting (waits for it) or down (offers to restart it) rather than failing.
 */
export const COMMANDS: CommandDefinition[] = [
  {
    id: 'aepDestination.simulateExport',
    run: (controller, arg) => simulateExport(controller, arg),
  },
  {
    id: 'aepDestination.simulateExportChooseFiles',
    run: (controller, arg) => simulateExport(controller, arg, { chooseFiles: true }),
  },
  {
    id: 'aepDestination.restartServer',
    async run(controller) {
      await controller.restart();
      void vscode.window.showInformationMessage('AEP Destination language server restarted.');
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
