/**
 * The Simulate Export results panel: one webview panel per config, revealed and updated
 * on re-run. The HTML comes from `renderResultsHtml`; the page's script posts messages
 * (export, rerun, openProfile, page) that are validated here before anything is done; page
 * requests are relayed to the language server, which holds the outcomes.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { OutcomeQuery } from '../../../common/outcomePages';
import type { SimulationPageResponse, SimulationReportResponse } from '../../../common/protocol';
import type { ReportMeta } from '../../../common/reportFormats';
import {
  type ExportFormat,
  type PanelMessage,
  type RunView,
  exportFileName,
  parseWebviewMessage,
  renderResultsHtml,
} from './resultsHtml';

/** Where a run's outcomes are: the language server's page and report requests. */
export interface RunSource {
  page(query: OutcomeQuery, offset: number, limit: number): Promise<SimulationPageResponse>;
  report(format: ExportFormat, meta: ReportMeta): Promise<SimulationReportResponse>;
  /** The panel no longer shows the run: the server may drop it. */
  close?(): void;
}

export type PanelRun = RunView & { configUri: vscode.Uri; source: RunSource };

const VIEW_TYPE = 'aepDestination.simulationResults';

const SAVE_FILTERS: Record<ExportFormat, Record<string, string[]>> = {
  json: { JSON: ['json'] },
  csv: { CSV: ['csv'] },
  markdown: { Markdown: ['md'] },
};

const FORMAT_LABELS: Record<ExportFormat, string> = {
  json: 'JSON',
  csv: 'CSV',
  markdown: 'Markdown',
};

/** A nonce for the page's script tags: 128 random bits. */
function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

export class SimulationResultsPanel {
  private static readonly panels = new Map<string, SimulationResultsPanel>();

  private run: PanelRun;
  private onRerun: () => void;
  private html = '';
  private readonly disposables: vscode.Disposable[] = [];

  /** The panel showing `configUri`'s results, if one is open (for tests). */
  static current(configUri: vscode.Uri): SimulationResultsPanel | undefined {
    return SimulationResultsPanel.panels.get(configUri.toString());
  }

  /**
   * Shows a run: updates and reveals the config's panel when there is one, otherwise
   * opens a new panel beside the editor.
   */
  static show(
    extensionUri: vscode.Uri,
    run: PanelRun,
    onRerun: () => void,
  ): SimulationResultsPanel {
    const existing = SimulationResultsPanel.current(run.configUri);
    if (existing) {
      existing.update(run, onRerun);
      existing.panel.reveal(undefined, false);
      return existing;
    }
    const webviewRoot = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    const panel = vscode.window.createWebviewPanel(
      VIEW_TYPE,
      SimulationResultsPanel.title(run),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
      {
        enableScripts: true,
        retainContextWhenHidden: false,
        localResourceRoots: [webviewRoot],
      },
    );
    const created = new SimulationResultsPanel(panel, webviewRoot, run, onRerun);
    SimulationResultsPanel.panels.set(run.configUri.toString(), created);
    return created;
  }

  private static title(run: RunView): string {
    return `Simulation: ${run.configName}`;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly webviewRoot: vscode.Uri,
    run: PanelRun,
    onRerun: () => void,
  ) {
    this.run = run;
    this.onRerun = onRerun;
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: unknown) => this.handleMessage(message)),
      panel.onDidDispose(() => this.dispose()),
    );
    this.render();
  }

  /** The HTML last given to the webview (for tests). */
  get lastHtml(): string {
    return this.html;
  }

  /** The run the panel shows. */
  get currentRun(): PanelRun {
    return this.run;
  }

  private update(run: PanelRun, onRerun: () => void): void {
    this.run = run;
    this.onRerun = onRerun;
    this.panel.title = SimulationResultsPanel.title(run);
    this.render();
  }

  private render(): void {
    const webview = this.panel.webview;
    this.html = renderResultsHtml(this.run, {
      nonce: makeNonce(),
      cspSource: webview.cspSource,
      scriptUri: webview
        .asWebviewUri(vscode.Uri.joinPath(this.webviewRoot, 'simulationView.js'))
        .toString(),
      styleUri: webview
        .asWebviewUri(vscode.Uri.joinPath(this.webviewRoot, 'simulationView.css'))
        .toString(),
    });
    webview.html = this.html;
  }

  /** Handles one message from the webview; anything malformed is ignored. */
  async handleMessage(raw: unknown): Promise<void> {
    const message = parseWebviewMessage(raw);
    if (!message) return;
    try {
      switch (message.type) {
        case 'export':
          await this.export(message.format);
          return;
        case 'rerun':
          this.onRerun();
          return;
        case 'openProfile':
          await this.openProfile(message.line);
          return;
        case 'page':
          await this.relayPage(message);
          return;
      }
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      void vscode.window.showErrorMessage(`Simulate Export: ${text}`);
    }
  }

  /** Asks the server for a page and posts the answer (or why there is none) to the page. */
  private async relayPage(
    message: Extract<ReturnType<typeof parseWebviewMessage>, { type: 'page' }>,
  ): Promise<void> {
    const run = this.run;
    let answer: PanelMessage;
    try {
      const response = await run.source.page(message, message.offset, message.limit);
      if (response.kind === 'page') {
        const { kind: _kind, ...page } = response;
        answer = { type: 'page', requestId: message.requestId, page };
      } else {
        answer = { type: 'pageError', requestId: message.requestId, message: response.message };
      }
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      answer = { type: 'pageError', requestId: message.requestId, message: text };
    }
    if (this.run === run) await this.panel.webview.postMessage(answer);
  }

  private async export(format: ExportFormat): Promise<void> {
    const { configUri } = this.run;
    const defaultUri = vscode.Uri.joinPath(
      configUri,
      '..',
      exportFileName(this.run.configName, format),
    );
    const target = await vscode.window.showSaveDialog({
      defaultUri,
      filters: SAVE_FILTERS[format],
      saveLabel: `Export ${FORMAT_LABELS[format]}`,
      title: `Export the simulation as ${FORMAT_LABELS[format]}`,
    });
    if (!target) return;
    const meta: ReportMeta = {
      configName: this.run.configName,
      configPath: this.run.configPath,
      profilesFile: this.run.profilesFile,
      leadsFile: this.run.leadsFile,
    };
    const report = await this.run.source.report(format, meta);
    if (report.kind !== 'report') throw new Error(report.message);
    const text = report.text;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    const choice = await vscode.window.showInformationMessage(
      `Simulation exported to ${vscode.workspace.asRelativePath(target, false)}.`,
      'Open',
    );
    if (choice === 'Open') {
      await vscode.window.showTextDocument(target, { preview: false });
    }
  }

  /** The profiles file as a URI: absolute paths as files, relative ones next to the config. */
  private profilesUri(): vscode.Uri {
    const file = this.run.profilesFile;
    if (/^[a-z][a-z0-9+.-]+:\/\//i.test(file)) return vscode.Uri.parse(file, true);
    if (path.isAbsolute(file)) return vscode.Uri.file(file);
    return vscode.Uri.joinPath(this.run.configUri, '..', file);
  }

  private async openProfile(line: number): Promise<void> {
    const uri = this.profilesUri();
    let document: vscode.TextDocument;
    try {
      document = await vscode.workspace.openTextDocument(uri);
    } catch {
      // Too large to sync with extensions (over 50 MB): let the editor open it itself.
      const start = new vscode.Position(line - 1, 0);
      await vscode.commands.executeCommand('vscode.open', uri, {
        selection: new vscode.Range(start, start),
        preview: false,
      } satisfies vscode.TextDocumentShowOptions);
      return;
    }
    const range = document.lineAt(Math.min(line, document.lineCount) - 1).range;
    await vscode.window.showTextDocument(document, {
      selection: new vscode.Selection(range.start, range.end),
      preview: false,
      viewColumn: vscode.ViewColumn.One,
    });
  }

  private dispose(): void {
    this.run.source.close?.();
    const key = this.run.configUri.toString();
    if (SimulationResultsPanel.panels.get(key) === this) {
      SimulationResultsPanel.panels.delete(key);
    }
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}
