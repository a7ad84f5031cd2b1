/**
 * A minimal LSP client of the BUILT server (`dist/server/server.js`), over stdio (as any
 * editor can) or node IPC (as the extension starts it), with plain vscode-jsonrpc.
 */
import { type ChildProcess, execFileSync, fork, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import {
  IPCMessageReader,
  IPCMessageWriter,
  type MessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  createMessageConnection,
} from 'vscode-jsonrpc/node';

export interface Published {
  uri: string;
  version?: number;
  diagnostics: { code?: string | number; severity?: number; message: string }[];
}

export interface ServerOptions {
  transport: 'stdio' | 'ipc';
  /** Extra node flags (e.g. `--expose-gc`, `--require settle.js`). */
  nodeArgs?: string[];
}

export class BenchLspClient {
  readonly connection: MessageConnection;
  readonly process: ChildProcess;
  stderr = '';
  private waiters: { uri: string; version?: number; resolve: (p: Published) => void }[] = [];
  private stderrWaiters: { prefix: string; resolve: (line: string) => void }[] = [];

  constructor(serverScript: string, options: ServerOptions) {
    const nodeArgs = options.nodeArgs ?? [];
    if (options.transport === 'stdio') {
      this.process = spawn(process.execPath, [...nodeArgs, serverScript, '--stdio'], {
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      this.connection = createMessageConnection(
        new StreamMessageReader(this.process.stdout!),
        new StreamMessageWriter(this.process.stdin!),
      );
    } else {
      this.process = fork(serverScript, ['--node-ipc', `--clientProcessId=${process.pid}`], {
        execArgv: nodeArgs,
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      });
      this.connection = createMessageConnection(
        new IPCMessageReader(this.process),
        new IPCMessageWriter(this.process),
      );
    }
    let scanned = 0;
    this.process.stderr?.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
      const end = this.stderr.lastIndexOf('\n') + 1;
      for (const line of this.stderr.slice(scanned, end).split('\n')) {
        this.stderrWaiters = this.stderrWaiters.filter((w) =>
          line.startsWith(w.prefix) ? (w.resolve(line), false) : true,
        );
      }
      scanned = Math.max(scanned, end);
    });
    this.connection.onNotification('textDocument/publishDiagnostics', (params: Published) => {
      this.waiters = this.waiters.filter((w) =>
        w.uri === params.uri && (w.version === undefined || w.version === params.version)
          ? (w.resolve(params), false)
          : true,
      );
    });
    this.connection.onNotification(() => undefined);
    this.connection.onRequest('workspace/configuration', (params: { items: unknown[] }) =>
      params.items.map(() => null),
    );
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.listen();
  }

  get pid(): number {
    return this.process.pid as number;
  }

  async initialize(): Promise<void> {
    await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
        textDocument: { publishDiagnostics: { versionSupport: true } },
      },
    });
    await this.connection.sendNotification('initialized', {});
  }

  /** Resolves with the next diagnostics published for `uri` (and `version`, when given). */
  diagnostics(uri: string, version?: number): Promise<Published> {
    return new Promise((resolve) => this.waiters.push({ uri, version, resolve }));
  }

  /** Resolves with the next stderr line starting with `prefix`. */
  stderrLine(prefix: string): Promise<string> {
    return new Promise((resolve) => this.stderrWaiters.push({ prefix, resolve }));
  }

  open(uri: string, text: string, version = 1): Promise<Published> {
    const next = this.diagnostics(uri, version);
    void this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'aep-destination', version, text },
    });
    return next;
  }

  /** `/proc/<pid>/status` fields of the server, in bytes (VmRSS, VmHWM, …). */
  procStatus(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const line of fs.readFileSync(`/proc/${this.pid}/status`, 'utf8').split('\n')) {
      const m = /^(Vm\w+|Rss\w+):\s+(\d+) kB/.exec(line);
      if (m) out[m[1] as string] = Number(m[2]) * 1024;
    }
    return out;
  }

  /** User + system CPU milliseconds of the server process so far (`/proc/<pid>/stat`). */
  cpuMs(): number {
    const stat = fs.readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat (utime, stime) are the 12th and 13th after the command name.
    return ((Number(fields[11]) + Number(fields[12])) / clockTicks()) * 1000;
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.process.once('exit', () => resolve()));
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    await exited;
    this.connection.dispose();
  }
}

let ticks: number | undefined;
function clockTicks(): number {
  ticks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return ticks;
}
