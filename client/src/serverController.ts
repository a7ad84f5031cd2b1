import * as vscode from 'vscode';
import {
  CloseAction,
  type CloseHandlerResult,
  ErrorAction,
  type ErrorHandler,
  type ErrorHandlerResult,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';
import {
  DocumentStatusNotification,
  type InitializationOptions,
  LANGUAGE_ID,
  SETTINGS_SECTION,
  WorkspaceTrustNotification,
} from '../../common/protocol';
import { CrashHistory } from './crashHistory';
import { ruleLinkMiddleware } from './rulePages';
import type { DestinationStatusItem } from './statusItem';

/**
 * Owns the language client: starts it, restarts it after a crash (and says so
 * once), and lets commands wait for it instead of failing while it starts.
 */
export class ServerController implements vscode.Disposable {
  readonly output: vscode.LogOutputChannel;
  private client: LanguageClient | undefined;
  private starting: Promise<LanguageClient> | undefined;
  private readonly crashes = new CrashHistory();
  /** Shown while the server stays stopped after crashing; gone once it runs again. */
  private stoppedNotice: vscode.StatusBarItem | undefined;
  private readonly started = new vscode.EventEmitter<LanguageClient>();
  /** A client started (first start, restart): for views that listen to its notifications. */
  readonly onDidStartClient = this.started.event;

  constructor(
    readonly context: vscode.ExtensionContext,
    private readonly status: DestinationStatusItem,
  ) {
    this.output = vscode.window.createOutputChannel('AEP Destination', { log: true });
  }

  /** The running client, starting it first if needed. */
  async ready(): Promise<LanguageClient> {
    if (this.client?.state === State.Running) return this.client;
    this.starting ??= this.start().finally(() => (this.starting = undefined));
    return this.starting;
  }

  /** The client when it runs, else undefined: a view asks without starting the server. */
  get runningClient(): LanguageClient | undefined {
    return this.client?.state === State.Running ? this.client : undefined;
  }

  async restart(): Promise<void> {
    this.crashes.reset();
    this.hideStoppedNotice();
    const old = this.client;
    this.client = undefined;
    if (old) await old.dispose().catch(() => undefined);
    await this.ready();
  }

  private async start(): Promise<LanguageClient> {
    const module = this.context.asAbsolutePath('dist/server/server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: {
        module,
        transport: TransportKind.ipc,
        options: { execArgv: ['--nolazy', '--inspect=6009'] },
      },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { language: LANGUAGE_ID, scheme: 'file' },
        { language: LANGUAGE_ID, scheme: 'untitled' },
      ],
      outputChannel: this.output,
      synchronize: {
        configurationSection: SETTINGS_SECTION,
        // Field catalogs and sample files live beside the configs.
        fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{json,jsonc,ndjson,jsonl,csv}'),
      },
      // A function, so a restart after a crash reads the trust of that moment.
      initializationOptions: (): InitializationOptions => {
        const locale = vscode.workspace
          .getConfiguration(SETTINGS_SECTION)
          .get<string>('locale', 'auto');
        // "auto": the server takes initialize's locale, which is VS Code's display language.
        return {
          workspaceTrusted: vscode.workspace.isTrusted,
          ...(locale && locale !== 'auto' ? { locale } : {}),
        };
      },
      errorHandler: this.errorHandler(),
      middleware: ruleLinkMiddleware,
    };
    const client = new LanguageClient(
      'aepDestination',
      'AEP Destination',
      serverOptions,
      clientOptions,
    );
    this.status.setServerState('starting');
    client.onDidChangeState((event) => {
      if (event.newState === State.Running) this.status.setServerState('running');
      else if (event.newState === State.Stopped) this.status.setServerState('stopped');
      else this.status.setServerState('starting');
    });
    this.client = client;
    await client.start();
    client.onNotification(DocumentStatusNotification, (status) => this.status.update(status));
    this.started.fire(client);
    return client;
  }

  /**
   * The user trusted the workspace: the server reads the files the configs name from now on
   * (and validates them again). A server that is starting may have been told "untrusted" in
   * its `initialize`, so it is told once it runs; a stopped one reads the trust when it starts.
   */
  notifyWorkspaceTrusted(): void {
    const client = this.client;
    if (!client || client.state === State.Stopped) return;
    const send = (): void => {
      client.sendNotification(WorkspaceTrustNotification, { trusted: true }).catch((error) => {
        this.output.appendLine(
          `[client] could not tell the server the workspace is trusted: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
    };
    if (client.state === State.Running) {
      send();
      return;
    }
    const subscription = client.onDidChangeState((event) => {
      if (event.newState === State.Starting) return;
      subscription.dispose();
      if (event.newState === State.Running && this.client === client) send();
    });
  }

  private errorHandler(): ErrorHandler {
    return {
      error: (): ErrorHandlerResult => ({ action: ErrorAction.Continue }),
      closed: (): CloseHandlerResult => {
        const decision = this.crashes.closed(Date.now());
        if (!decision.restart) {
          this.showStoppedNotice(decision.message);
          // `handled`: the client logs the message but shows no notification of its own. A
          // notification cannot be withdrawn, so it would still say "will not be restarted"
          // after a manual restart; the status bar notice goes when the server runs again.
          return { action: CloseAction.DoNotRestart, message: decision.message, handled: true };
        }
        if (decision.tellUser) {
          void vscode.window.showWarningMessage(
            vscode.l10n.t(
              'The AEP Destination language server stopped unexpectedly and was restarted.',
            ),
          );
        }
        this.output.appendLine(
          `[client] server closed; restarting (${decision.crashes} in the last 3 minutes)`,
        );
        return { action: CloseAction.Restart, handled: true };
      },
    };
  }

  private showStoppedNotice(message: string): void {
    this.stoppedNotice ??= vscode.window.createStatusBarItem(
      'aepDestination.serverStopped',
      vscode.StatusBarAlignment.Left,
    );
    const notice = this.stoppedNotice;
    notice.name = vscode.l10n.t('AEP Destination server stopped');
    notice.text = '$(error) ' + vscode.l10n.t('AEP Destination stopped');
    notice.tooltip = `${message}\n\n${vscode.l10n.t('Click to restart it.')}`;
    notice.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    notice.command = 'aepDestination.restartServer';
    notice.show();
  }

  private hideStoppedNotice(): void {
    this.stoppedNotice?.dispose();
    this.stoppedNotice = undefined;
  }

  async dispose(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await client.dispose().catch(() => undefined);
    this.hideStoppedNotice();
    this.started.dispose();
    this.output.dispose();
  }
}
