import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { State } from 'vscode-languageclient/node';
import {
  DestinationTreeChangedNotification,
  type DestinationTreeAudience,
  type DestinationTreeDestination,
  type DestinationTreeInstance,
  DestinationTreeRequest,
  type DestinationTreeResponse,
  type DestinationTreeWorkspace,
} from '../../common/protocol';
import type { ServerController } from './serverController';

export const DESTINATIONS_VIEW_ID = 'aepDestination.destinations';

type Node =
  | { kind: 'instance'; instance: DestinationTreeInstance }
  | { kind: 'workspace'; workspace: DestinationTreeWorkspace; munchkinId: string | undefined }
  | { kind: 'destination'; destination: DestinationTreeDestination }
  | { kind: 'audience'; audience: DestinationTreeAudience; uri: string };

function countsText(errors: number, warnings: number): string {
  if (!errors && !warnings) return vscode.l10n.t('no findings');
  const parts: string[] = [];
  if (errors)
    parts.push(errors === 1 ? vscode.l10n.t('1 error') : vscode.l10n.t('{0} errors', errors));
  if (warnings) {
    parts.push(
      warnings === 1 ? vscode.l10n.t('1 warning') : vscode.l10n.t('{0} warnings', warnings),
    );
  }
  return parts.join(', ');
}

function totals(destinations: readonly DestinationTreeDestination[]): [number, number] {
  return destinations.reduce<[number, number]>(
    ([e, w], d) => [e + d.errors, w + d.warnings],
    [0, 0],
  );
}

function fileName(uri: string): string {
  return path.posix.basename(vscode.Uri.parse(uri).path);
}

function toRange(range: DestinationTreeAudience['range']): vscode.Range {
  return new vscode.Range(
    range.start.line,
    range.start.character,
    range.end.line,
    range.end.character,
  );
}

/**
 * The workspace's destinations, as the language server indexes them: Marketo instance →
 * workspace → destination (with its error and warning counts) → audiences. Refreshed when the
 * server says the index changed; while the server is down it says so instead of failing.
 */
export class DestinationsView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<Node>;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly controller: ServerController) {
    this.view = vscode.window.createTreeView(DESTINATIONS_VIEW_ID, {
      treeDataProvider: this,
      showCollapseAll: true,
    });
    this.subscriptions.push(
      this.view,
      this.changed,
      controller.onDidStartClient((client) => this.listen(client)),
    );
  }

  private listen(client: LanguageClient): void {
    this.subscriptions.push(
      client.onNotification(DestinationTreeChangedNotification, () => this.refresh()),
      client.onDidChangeState(() => this.refresh()),
    );
    this.refresh();
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) return this.roots();
    switch (node.kind) {
      case 'instance':
        return node.instance.workspaces.map((workspace) => ({
          kind: 'workspace',
          workspace,
          munchkinId: node.instance.munchkinId,
        }));
      case 'workspace':
        return node.workspace.destinations.map((destination) => ({
          kind: 'destination',
          destination,
        }));
      case 'destination':
        return node.destination.audiences.map((audience) => ({
          kind: 'audience',
          audience,
          uri: node.destination.uri,
        }));
      case 'audience':
        return [];
    }
  }

  private async roots(): Promise<Node[]> {
    const client = this.controller.runningClient;
    if (!client || client.state !== State.Running) {
      this.view.message = vscode.l10n.t(
        'The AEP Destination language server is not running: the destinations show once it runs.',
      );
      return [];
    }
    let tree: DestinationTreeResponse;
    try {
      tree = await client.sendRequest(DestinationTreeRequest, {});
    } catch (error) {
      this.view.message = vscode.l10n.t(
        'The destinations could not be listed: {0}',
        error instanceof Error ? error.message : String(error),
      );
      return [];
    }
    // An empty view shows its welcome text (package.json viewsWelcome) instead.
    this.view.message =
      tree.restricted && tree.instances.length
        ? vscode.l10n.t(
            'Restricted Mode: only the open configs are listed and compared; the other files of the workspace are not read.',
          )
        : undefined;
    return tree.instances.map((instance) => ({ kind: 'instance', instance }));
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'instance': {
        const destinations = node.instance.workspaces.flatMap((w) => w.destinations);
        const item = new vscode.TreeItem(
          node.instance.munchkinId ?? vscode.l10n.t('No valid Munchkin ID'),
          vscode.TreeItemCollapsibleState.Expanded,
        );
        item.description = countsText(...totals(destinations));
        item.tooltip = vscode.l10n.t('Marketo instance');
        item.iconPath = new vscode.ThemeIcon('server-environment');
        item.contextValue = 'instance';
        return item;
      }
      case 'workspace': {
        const item = new vscode.TreeItem(
          node.workspace.workspace ?? vscode.l10n.t('No workspace'),
          vscode.TreeItemCollapsibleState.Expanded,
        );
        item.description = countsText(...totals(node.workspace.destinations));
        item.tooltip = vscode.l10n.t('Marketo workspace');
        item.iconPath = new vscode.ThemeIcon('folder-library');
        item.contextValue = 'workspace';
        return item;
      }
      case 'destination':
        return this.destinationItem(node.destination);
      case 'audience': {
        const { audience } = node;
        const item = new vscode.TreeItem(audience.name ?? audience.id);
        if (audience.name) item.description = audience.id;
        item.tooltip = vscode.l10n.t('Audience {0}', audience.id);
        item.iconPath = new vscode.ThemeIcon('organization');
        item.contextValue = 'audience';
        item.command = {
          title: vscode.l10n.t('Reveal Audience'),
          command: 'vscode.open',
          arguments: [vscode.Uri.parse(node.uri), { selection: toRange(audience.range) }],
        };
        return item;
      }
    }
  }

  private destinationItem(destination: DestinationTreeDestination): vscode.TreeItem {
    const file = fileName(destination.uri);
    const item = new vscode.TreeItem(
      destination.name ?? file,
      destination.audiences.length
        ? vscode.TreeItemCollapsibleState.Expanded
        : vscode.TreeItemCollapsibleState.None,
    );
    item.description = `${countsText(destination.errors, destination.warnings)} · ${file}`;
    const tooltip = new vscode.MarkdownString();
    tooltip.appendText(vscode.Uri.parse(destination.uri).fsPath);
    if (destination.dedupeField) {
      tooltip.appendMarkdown('\n\n');
      tooltip.appendText(vscode.l10n.t('Dedupe field: {0}', destination.dedupeField));
    }
    item.tooltip = tooltip;
    item.iconPath = destination.errors
      ? new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'))
      : destination.warnings
        ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'))
        : new vscode.ThemeIcon('pass');
    item.contextValue = 'destination';
    item.command = {
      title: vscode.l10n.t('Open Destination Config'),
      command: 'vscode.open',
      arguments: [vscode.Uri.parse(destination.uri)],
    };
    return item;
  }

  dispose(): void {
    for (const subscription of this.subscriptions.splice(0)) subscription.dispose();
  }
}

let current: DestinationsView | undefined;

export function registerDestinationsView(controller: ServerController): vscode.Disposable {
  const view = new DestinationsView(controller);
  current = view;
  // The view (package.json "when": aepDestination.active) shows once the extension runs: in a
  // workspace with configs, or when one is opened.
  void vscode.commands.executeCommand('setContext', 'aepDestination.active', true);
  return {
    dispose() {
      if (current === view) current = undefined;
      view.dispose();
    },
  };
}

/** For the Refresh command (commands.ts): asks the server for the tree again. */
export function refreshDestinationsView(): Promise<void> {
  current?.refresh();
  return Promise.resolve();
}
