import * as vscode from 'vscode';
import { LANGUAGE_ID, MAPPINGS_FILE_NAME } from '../../../common/protocol';

/**
 * "Simulate Export" above the config's first line (or its `simulation` block). In Restricted
 * Mode it says the command is disabled and opens the workspace trust editor instead.
 */
export class SimulateCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly trustGranted = vscode.workspace.onDidGrantWorkspaceTrust(() =>
    this.changed.fire(),
  );

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (MAPPINGS_FILE_NAME.test(document.uri.path)) return [];
    if (
      !vscode.workspace
        .getConfiguration('aepDestination', document.uri)
        .get<boolean>('codeLens.enabled', true)
    )
      return [];
    const text = document.getText();
    const simulation = text.search(/"simulation"\s*:/);
    const firstBrace = text.indexOf('{');
    const offset = simulation >= 0 ? simulation : Math.max(firstBrace, 0);
    const range = document.lineAt(document.positionAt(offset).line).range;
    if (!vscode.workspace.isTrusted) {
      return [
        new vscode.CodeLens(range, {
          title: '$(shield) ' + vscode.l10n.t('Simulate Export is disabled in Restricted Mode'),
          tooltip: vscode.l10n.t(
            'Simulate Export reads the sample files the config names. Trust the workspace to enable it.',
          ),
          command: 'workbench.trust.manage',
        }),
      ];
    }
    return [
      new vscode.CodeLens(range, {
        title: '$(play) ' + vscode.l10n.t('Simulate Export'),
        tooltip: vscode.l10n.t('Preview what this destination would do to your Marketo leads'),
        command: 'aepDestination.simulateExport',
        arguments: [document.uri],
      }),
    ];
  }

  dispose(): void {
    this.trustGranted.dispose();
    this.changed.dispose();
  }
}

export function registerSimulateCodeLens(): vscode.Disposable {
  const provider = new SimulateCodeLensProvider();
  return vscode.Disposable.from(
    vscode.languages.registerCodeLensProvider({ language: LANGUAGE_ID }, provider),
    provider,
  );
}
