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
import { DocumentStatusNotification, LANGUAGE_ID, SETTINGS_SECTION } from '../../common/protocol';
import type { DestinationStatusItem } from './statusItem';

const MAX_RESTARTS = 4;
const RESTART_WINDOW_MS = 3 * 60 * 1000;

/**
 * Owns the language client: starts it, restarts it after a crash (and says so
 * once), and lets commands wait for it instead of failing while it starts.
 */
export class ServerController implements vscode.Disposable {
  readonly output: vscode.LogOutputChannel;
  private client: LanguageClient | undefined;
  private starting: Promise<LanguageClient> | undefined;
  private crashes: number[] = [];
  private toldAboutRestart = false;

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

  async restart(): Promise<void> {
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
      errorHandler: this.errorHandler(),
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
    return client;
  }

  private errorHandler(): ErrorHandler {
    return {
      error: (): ErrorHandlerResult => ({ action: ErrorAction.Continue }),
      closed: (): CloseHandlerResult => {
        const now = Date.now();
        this.crashes = [...this.crashes.filter((t) => now - t < RESTART_WINDOW_MS), now];
        if (this.crashes.length > MAX_RESTARTS) {
          return {
            action: CloseAction.DoNotRestart,
            message: `The AEP Destination language server crashed ${this.crashes.length} times in 3 minutes and will not be restarted. Run "AEP Destination: Restart Language Server" after fixing the cause (see the output channel).`,
          };
        }
        if (!this.toldAboutRestart) {
          this.toldAboutRestart = true;
          void vscode.window.showWarningMessage(
            'The AEP Destination language server stopped unexpectedly and was restarted.',
          );
        }
        this.output.appendLine(
          `[client] server closed; restarting (${this.crashes.length} in the last 3 minutes)`,
        );
        return { action: CloseAction.Restart, handled: true };
      },
    };
  }

  async dispose(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await client.dispose().catch(() => undefined);
    this.output.dispose();
  }
}
