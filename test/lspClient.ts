/**
 * The one LSP client of the tests and the bench: the language server as a separate process,
 * driven with plain vscode-jsonrpc, so what it sees is what any LSP client sees. Free of
 * test/helpers.ts (which registers node:test hooks on import), so the bench can use it.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  IPCMessageReader,
  IPCMessageWriter,
  type MessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  createMessageConnection,
} from 'vscode-jsonrpc/node';

const REPO_ROOT = path.resolve(__dirname, '..');

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
    relatedInformation?: {
      location: {
        uri: string;
        range: {
          start: { line: number; character: number };
          end: { line: number; character: number };
        };
      };
      message: string;
    }[];
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

/** What the tests announce: the server asks for its settings. */
export const TEST_CAPABILITIES = { workspace: { configuration: true } };

/**
 * What an editor such as VS Code also announces, and the server acts on: it registers for
 * configuration changes, and diagnostics carry the document version.
 */
export const EDITOR_CAPABILITIES = {
  workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
  textDocument: { publishDiagnostics: { versionSupport: true } },
};

export type Transport = 'stdio' | 'ipc';

/**
 * By default the TypeScript sources of `server/src/lsp/server.ts` run through tsx over stdio;
 * `command` picks another entry (see SERVER_COMMANDS), `transport` node IPC instead.
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
  private stderrWaiters: { prefix: string; resolve: (line: string) => void }[] = [];
  /** How much of `stderr` has been read as whole lines for stderrLine. */
  private scanned = 0;
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
    transport: Transport = 'stdio',
    /** Added to the server's environment (e.g. its TMPDIR). */
    env: Record<string, string> = {},
  ) {
    this.process = spawn(process.execPath, [...command, ...serverArgs], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: transport === 'ipc' ? ['ignore', 'ignore', 'pipe', 'ipc'] : ['pipe', 'pipe', 'pipe'],
    });
    this.exited = new Promise((resolve) =>
      this.process.once('exit', (code, signal) => resolve({ code, signal })),
    );
    this.process.stderr?.on('data', (chunk: Buffer) => this.onStderr(chunk.toString()));
    this.connection =
      transport === 'ipc'
        ? createMessageConnection(
            new IPCMessageReader(this.process),
            new IPCMessageWriter(this.process),
          )
        : createMessageConnection(
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

  /**
   * A server bundle (dist/server/server.js) started as editors start it: over stdio, or over
   * node IPC as the extension forks it; `nodeArgs` go before the script.
   */
  static ofBundle(
    script: string,
    transport: Transport,
    nodeArgs: readonly string[] = [],
  ): LspTestClient {
    return transport === 'ipc'
      ? new LspTestClient(
          ['--node-ipc', `--clientProcessId=${process.pid}`],
          [...nodeArgs, script],
          'ipc',
        )
      : new LspTestClient(['--stdio'], [...nodeArgs, script]);
  }

  /** The server process's id (the bench reads its peak RSS and CPU time from /proc). */
  get pid(): number | undefined {
    return this.process.pid;
  }

  /** `params` adds to the initialize params (initializationOptions, workspaceFolders, …). */
  async initialize(
    capabilities: Record<string, unknown> = TEST_CAPABILITIES,
    params: Record<string, unknown> = {},
  ): Promise<{ capabilities: Record<string, unknown> }> {
    const result = await this.connection.sendRequest<{ capabilities: Record<string, unknown> }>(
      'initialize',
      { processId: process.pid, rootUri: null, capabilities, ...params },
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

  /** Resolves with the next line the server writes to stderr that starts with `prefix`. */
  stderrLine(prefix: string): Promise<string> {
    return new Promise((resolve) => this.stderrWaiters.push({ prefix, resolve }));
  }

  private onStderr(text: string): void {
    this.stderr += text;
    const end = this.stderr.lastIndexOf('\n') + 1;
    for (const line of this.stderr.slice(this.scanned, end).split('\n')) {
      this.stderrWaiters = this.stderrWaiters.filter((w) =>
        line.startsWith(w.prefix) ? (w.resolve(line), false) : true,
      );
    }
    this.scanned = Math.max(this.scanned, end);
  }

  /** Whether the server process is still running. */
  get running(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  /** Sends the server process a signal (the bench's settle preload listens for SIGUSR2). */
  signal(name: NodeJS.Signals): void {
    this.process.kill(name);
  }

  /** `/proc/<pid>/status` fields of the server, in bytes (VmRSS, VmHWM, …). Linux only. */
  procStatus(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const line of fs.readFileSync(`/proc/${this.process.pid}/status`, 'utf8').split('\n')) {
      const m = /^(Vm\w+|Rss\w+):\s+(\d+) kB/.exec(line);
      if (m) out[m[1] as string] = Number(m[2]) * 1024;
    }
    return out;
  }

  /** User + system CPU milliseconds of the server process so far (`/proc/<pid>/stat`). */
  cpuMs(): number {
    const stat = fs.readFileSync(`/proc/${this.process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat (utime, stime) are the 12th and 13th after the command name.
    return ((Number(fields[11]) + Number(fields[12])) / clockTicks()) * 1000;
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

let ticks: number | undefined;
function clockTicks(): number {
  ticks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return ticks;
}
