import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import {
  type MessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  createMessageConnection,
} from 'vscode-jsonrpc/node';
import { REPO_ROOT } from './helpers';

export interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: {
    code: string;
    range: { start: { line: number; character: number } };
    severity: number;
    message: string;
  }[];
}

/**
 * The language server as a separate process over stdio, driven with plain
 * vscode-jsonrpc: what any LSP client sees. The TypeScript sources run through tsx.
 */
export class LspTestClient {
  readonly connection: MessageConnection;
  private readonly process: ChildProcess;
  private readonly diagnostics = new Map<string, PublishedDiagnostics>();
  private waiters: { uri: string; resolve: (d: PublishedDiagnostics) => void }[] = [];
  readonly notifications: { method: string; params: unknown }[] = [];
  stderr = '';

  constructor(serverArgs: string[] = []) {
    this.process = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(REPO_ROOT, 'server/src/lsp/server.ts'),
        '--stdio',
        ...serverArgs,
      ],
      { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    this.process.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.connection = createMessageConnection(
      new StreamMessageReader(this.process.stdout!),
      new StreamMessageWriter(this.process.stdin!),
    );
    this.connection.onNotification(
      'textDocument/publishDiagnostics',
      (params: PublishedDiagnostics) => {
        this.diagnostics.set(params.uri, params);
        this.waiters = this.waiters.filter((w) =>
          w.uri === params.uri ? (w.resolve(params), false) : true,
        );
      },
    );
    this.connection.onNotification((method: string, params: unknown) => {
      this.notifications.push({ method, params });
    });
    this.connection.onRequest('workspace/configuration', () => [null]);
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.listen();
  }

  async initialize(): Promise<{ capabilities: Record<string, unknown> }> {
    const result = await this.connection.sendRequest<{ capabilities: Record<string, unknown> }>(
      'initialize',
      {
        processId: process.pid,
        rootUri: null,
        capabilities: { workspace: { configuration: true } },
      },
    );
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  /** Opens a document and resolves with the first diagnostics published for it. */
  open(uri: string, text: string, version = 1): Promise<PublishedDiagnostics> {
    const next = this.nextDiagnostics(uri);
    void this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'aep-destination', version, text },
    });
    return next;
  }

  nextDiagnostics(uri: string): Promise<PublishedDiagnostics> {
    return new Promise((resolve) => this.waiters.push({ uri, resolve }));
  }

  /** shutdown + exit; resolves with the process's exit code. */
  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) =>
      this.process.once('exit', (code) => resolve(code)),
    );
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    const code = await exited;
    this.connection.dispose();
    return code;
  }

  kill(): void {
    this.process.kill();
  }
}
