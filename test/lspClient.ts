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
    range: {
      start: { line: number; character: number };
      end: { line: number; character: number };
    };
    severity: number;
    message: string;
    codeDescription?: { href: string };
    data?: unknown;
  }[];
}

/** Node arguments that start a language server on stdio (run with `process.execPath`). */
export const SERVER_COMMANDS = {
  /** The server entry from the TypeScript sources, through tsx (the default). */
  sourceServer: ['--import', 'tsx', path.join(REPO_ROOT, 'server/src/lsp/server.ts'), '--stdio'],
  /** `aep-dest lsp --stdio` from the TypeScript sources, through tsx. */
  sourceCli: [
    '--import',
    'tsx',
    path.join(REPO_ROOT, 'server/src/cli/aep-dest.ts'),
    'lsp',
    '--stdio',
  ],
  /** `aep-dest lsp --stdio` from the bundle `npm run build` writes. */
  builtCli: [path.join(REPO_ROOT, 'dist/cli/aep-dest.js'), 'lsp', '--stdio'],
} as const;

/**
 * The language server as a separate process over stdio, driven with plain
 * vscode-jsonrpc: what any LSP client sees. By default the TypeScript sources
 * of `server/src/lsp/server.ts` run through tsx; `command` picks another
 * entry (see SERVER_COMMANDS).
 */
export class LspTestClient {
  readonly connection: MessageConnection;
  private readonly process: ChildProcess;
  private readonly diagnostics = new Map<string, PublishedDiagnostics>();
  private waiters: {
    uri: string;
    accept: (d: PublishedDiagnostics) => boolean;
    resolve: (d: PublishedDiagnostics) => void;
  }[] = [];
  readonly notifications: { method: string; params: unknown }[] = [];
  /** Protocol errors the client's reader or writer saw (e.g. garbage on the server's stdout). */
  readonly protocolErrors: string[] = [];
  /** What the server answers to workspace/configuration (section aepDestination), per item. */
  settings: unknown = null;
  /** Resolves when the server process ends. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr = '';

  constructor(
    serverArgs: string[] = [],
    command: readonly string[] = SERVER_COMMANDS.sourceServer,
  ) {
    this.process = spawn(process.execPath, [...command, ...serverArgs], {
      cwd: REPO_ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.exited = new Promise((resolve) =>
      this.process.once('exit', (code, signal) => resolve({ code, signal })),
    );
    this.process.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.connection = createMessageConnection(
      new StreamMessageReader(this.process.stdout!),
      new StreamMessageWriter(this.process.stdin!),
    );
    this.connection.onError(([error]) => this.protocolErrors.push(error.message));
    this.connection.onNotification(
      'textDocument/publishDiagnostics',
      (params: PublishedDiagnostics) => {
        this.diagnostics.set(params.uri, params);
        this.waiters = this.waiters.filter((w) =>
          w.uri === params.uri && w.accept(params) ? (w.resolve(params), false) : true,
        );
      },
    );
    this.connection.onNotification((method: string, params: unknown) => {
      this.notifications.push({ method, params });
    });
    this.connection.onRequest('workspace/configuration', (params: { items: unknown[] }) =>
      params.items.map(() => this.settings),
    );
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

  /**
   * The next diagnostics published for `uri` (that `accept` takes, e.g. a given
   * version); rejects after `timeoutMs` or when the server ends first.
   */
  nextDiagnostics(
    uri: string,
    accept: (d: PublishedDiagnostics) => boolean = () => true,
    timeoutMs = 20_000,
  ): Promise<PublishedDiagnostics> {
    return new Promise((resolve, reject) => {
      const waiter = {
        uri,
        accept,
        resolve: (d: PublishedDiagnostics) => {
          clearTimeout(timer);
          resolve(d);
        },
      };
      const fail = (why: string) => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no diagnostics for ${uri}: ${why}; server stderr: ${this.stderr}`));
      };
      const timer = setTimeout(() => fail(`none within ${timeoutMs} ms`), timeoutMs);
      void this.exited.then(({ code }) => {
        if (this.waiters.includes(waiter)) {
          clearTimeout(timer);
          fail(`the server exited (${code})`);
        }
      });
      this.waiters.push(waiter);
    });
  }

  /** Whether the server process is still running. */
  get running(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  /**
   * shutdown + exit; resolves with the process's exit code. The server is
   * killed, and the promise rejects, when it has not ended after `timeoutMs`.
   */
  async stop(timeoutMs = 10_000): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.kill();
        reject(new Error(`the server did not exit within ${timeoutMs} ms of shutdown`));
      }, timeoutMs);
    });
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), timeout]);
      await this.connection.sendNotification('exit');
      const { code } = await Promise.race([this.exited, timeout]);
      return code;
    } finally {
      clearTimeout(timer);
      this.connection.dispose();
    }
  }

  kill(): void {
    if (this.process.exitCode === null && this.process.signalCode === null) this.process.kill();
  }
}
