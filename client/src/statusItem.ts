import * as vscode from 'vscode';
import type { DocumentStatus } from '../../common/protocol';
import { LANGUAGE_ID } from '../../common/protocol';

export type ServerState = 'starting' | 'running' | 'stopped';

/**
 * The language status item ({} in the status bar while a destination config is
 * active): connector and error count of the active document, or the server state.
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
    if (this.state === 'stopped') {
      item.text = '$(error) AEP Destination server stopped';
      item.detail = 'Diagnostics are not up to date';
      item.severity = vscode.LanguageStatusSeverity.Error;
      item.command = { title: 'Restart', command: 'aepDestination.restartServer' };
      return;
    }
    if (this.state === 'starting') {
      item.text = 'AEP Destination: starting…';
      item.detail = undefined;
      item.severity = vscode.LanguageStatusSeverity.Information;
      item.command = undefined;
      return;
    }
    const uri = vscode.window.activeTextEditor?.document.uri.toString();
    const status = uri ? this.statuses.get(uri) : undefined;
    if (!status) {
      item.text = 'AEP Destination';
      item.detail = 'Validating…';
      item.severity = vscode.LanguageStatusSeverity.Information;
      item.command = undefined;
      return;
    }
    const connector =
      status.connector === 'marketo-engage'
        ? 'Marketo Engage'
        : (status.connector ?? 'no connector');
    const errors = `${status.errors} error${status.errors === 1 ? '' : 's'}`;
    item.text = status.errors
      ? `$(error) ${connector}: ${errors}`
      : `$(check) ${connector}: ${errors}`;
    item.detail = `${status.name ?? 'unnamed destination'} · ${status.warnings} warning${status.warnings === 1 ? '' : 's'}`;
    item.severity = status.errors
      ? vscode.LanguageStatusSeverity.Error
      : vscode.LanguageStatusSeverity.Information;
    item.command = { title: 'Show problems', command: 'workbench.actions.view.problems' };
  }

  dispose(): void {
    this.item.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
