import * as vscode from 'vscode';
import type { DocumentStatus } from '../../common/protocol';
import { LANGUAGE_ID } from '../../common/protocol';
import { describeStatus } from './statusText';

export type ServerState = 'starting' | 'running' | 'stopped';

const SEVERITY = {
  error: vscode.LanguageStatusSeverity.Error,
  warning: vscode.LanguageStatusSeverity.Warning,
  information: vscode.LanguageStatusSeverity.Information,
} as const;

/**
 * The language status item ({} in the status bar while a destination config is
 * active): error and warning counts, connector and name of the active document, or
 * the server state.
 */
export class DestinationStatusItem implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  private readonly statuses = new Map<string, DocumentStatus>();
  private state: ServerState = 'starting';
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor() {
    this.item = vscode.languages.createLanguageStatusItem('aepDestination.status', {
      language: LANGUAGE_ID,
    });
    this.item.name = 'AEP Destination';
    this.subscriptions.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
      vscode.workspace.onDidCloseTextDocument((doc) => this.statuses.delete(doc.uri.toString())),
    );
    this.render();
  }

  setServerState(state: ServerState): void {
    this.state = state;
    this.render();
  }

  update(status: DocumentStatus): void {
    this.statuses.set(status.uri, status);
    this.render();
  }

  /** What the item shows, exposed for tests of the extension. */
  get text(): string {
    return this.item.text;
  }

  private render(): void {
    const item = this.item;
    item.busy = this.state === 'starting';
    item.accessibilityInformation = undefined;
    if (this.state === 'stopped') {
      item.text = '$(error) ' + vscode.l10n.t('AEP Destination server stopped');
      item.detail = vscode.l10n.t('Diagnostics are not up to date');
      item.severity = vscode.LanguageStatusSeverity.Error;
      item.command = { title: vscode.l10n.t('Restart'), command: 'aepDestination.restartServer' };
      return;
    }
    if (this.state === 'starting') {
      item.text = vscode.l10n.t('AEP Destination: starting…');
      item.detail = undefined;
      item.severity = vscode.LanguageStatusSeverity.Information;
      item.command = undefined;
      return;
    }
    const uri = vscode.window.activeTextEditor?.document.uri.toString();
    const status = uri ? this.statuses.get(uri) : undefined;
    if (!status) {
      item.text = 'AEP Destination';
      item.detail = vscode.l10n.t('Validating…');
      item.severity = vscode.LanguageStatusSeverity.Information;
      item.command = undefined;
      return;
    }
    const view = describeStatus(status);
    item.text = view.text;
    item.detail = view.detail;
    item.accessibilityInformation = { label: view.accessibilityLabel };
    item.severity = SEVERITY[view.severity];
    item.command = {
      title: vscode.l10n.t('Show problems'),
      command: 'workbench.actions.view.problems',
    };
  }

  dispose(): void {
    this.item.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
