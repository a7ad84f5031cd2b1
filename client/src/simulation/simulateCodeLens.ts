import * as vscode from 'vscode';
import { LANGUAGE_ID } from '../../../common/protocol';

/** "Simulate Export" above the config's first line (or its `simulation` block). */
export class SimulateCodeLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
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
    return [
      new vscode.CodeLens(range, {
        title: '$(play) Simulate Export',
        tooltip: 'Preview what this destination would do to your Marketo leads',
        command: 'aepDestination.simulateExport',
        arguments: [document.uri],
      }),
    ];
  }
}

export function registerSimulateCodeLens(): vscode.Disposable {
  return vscode.languages.registerCodeLensProvider(
    { language: LANGUAGE_ID },
    new SimulateCodeLensProvider(),
  );
}
