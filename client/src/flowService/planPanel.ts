/**
 * The Flow Service plan panel: one webview per config, beside its editor, updated when the
 * config is planned again. Its buttons post messages that are validated here.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { type PlanView, parsePlanMessage, planTitle, renderPlanHtml } from './planHtml';

export type PanelPlan = PlanView & { configUri: vscode.Uri; flowId: string | undefined };

const VIEW_TYPE = 'aepDestination.flowPlan';

export interface PlanActions {
  openPatch(plan: PanelPlan): Thenable<unknown>;
  apply(plan: PanelPlan): Thenable<unknown>;
}

export class FlowPlanPanel {
  private static readonly panels = new Map<string, FlowPlanPanel>();
  private static latest: FlowPlanPanel | undefined;

  private html = '';
  private readonly disposables: vscode.Disposable[] = [];

  static current(configUri?: vscode.Uri): FlowPlanPanel | undefined {
    return configUri ? FlowPlanPanel.panels.get(configUri.toString()) : FlowPlanPanel.latest;
  }

  static show(extensionUri: vscode.Uri, plan: PanelPlan, actions: PlanActions): FlowPlanPanel {
    const existing = FlowPlanPanel.current(plan.configUri);
    if (existing) {
      existing.update(plan);
      existing.panel.reveal(undefined, true);
      FlowPlanPanel.latest = existing;
      return existing;
    }
    const webviewRoot = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    const panel = vscode.window.createWebviewPanel(
      VIEW_TYPE,
      FlowPlanPanel.title(plan),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, retainContextWhenHidden: false, localResourceRoots: [webviewRoot] },
    );
    const created = new FlowPlanPanel(panel, webviewRoot, plan, actions);
    FlowPlanPanel.panels.set(plan.configUri.toString(), created);
    FlowPlanPanel.latest = created;
    return created;
  }

  private static title(plan: PlanView): string {
    return planTitle(plan.configName);
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly webviewRoot: vscode.Uri,
    private current: PanelPlan,
    private readonly actions: PlanActions,
  ) {
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: unknown) => this.handleMessage(message)),
      panel.onDidDispose(() => this.dispose()),
    );
    this.render();
  }

  get plan(): PanelPlan {
    return this.current;
  }

  get lastHtml(): string {
    return this.html;
  }

  private update(plan: PanelPlan): void {
    this.current = plan;
    this.panel.title = FlowPlanPanel.title(plan);
    this.render();
  }

  private render(): void {
    const webview = this.panel.webview;
    const resource = (name: string): string =>
      webview.asWebviewUri(vscode.Uri.joinPath(this.webviewRoot, name)).toString();
    this.html = renderPlanHtml(this.current, {
      nonce: randomBytes(16).toString('base64'),
      cspSource: webview.cspSource,
      scriptUri: resource('planView.js'),
      styleUri: resource('planView.css'),
    });
    webview.html = this.html;
  }

  private async handleMessage(raw: unknown): Promise<void> {
    const message = parsePlanMessage(raw);
    if (!message) return;
    try {
      if (message.type === 'openPatch') await this.actions.openPatch(this.current);
      else if (this.current.canApply) await this.actions.apply(this.current);
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      void vscode.window.showErrorMessage(`AEP Destination: ${text}`);
    }
  }

  private dispose(): void {
    const key = this.current.configUri.toString();
    if (FlowPlanPanel.panels.get(key) === this) FlowPlanPanel.panels.delete(key);
    if (FlowPlanPanel.latest === this) FlowPlanPanel.latest = undefined;
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}
