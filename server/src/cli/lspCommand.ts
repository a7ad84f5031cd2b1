import * as net from 'node:net';
import { inspect } from 'node:util';
import {
  type Connection,
  IPCMessageReader,
  Message,
  type MessageReader,
  type MessageWriter,
  ProposedFeatures,
  SocketMessageReader,
  SocketMessageWriter,
  createConnection,
} from 'vscode-languageserver/node';
import { startServer } from '../lsp/destinationServer';
import { IpcBacklogWriter, type OutputBacklog, streamBacklog } from '../lsp/outputBacklog';
import { findPackage } from '../host/packageInfo';
import type { CliCommand, CommandContext } from './commandTypes';
import { readCommandArgs, usageError } from './cliArgs';

export const LSP_USAGE = `Usage: aep-dest lsp --stdio
       aep-dest lsp (--node-ipc | --socket=<port> | --pipe=<name>)

Runs the language server of the VS Code extension for any editor with a Language
Server Protocol client (Neovim, Helix, Emacs, Sublime, Zed, ...): diagnostics,
completion, hover, quick fixes, outline, formatting and the aepDestination/simulate
request, for *.destination.json and *.destination.jsonc files.

Transport (exactly one):
      --stdio             JSON-RPC on stdin/stdout, what most editors use. Nothing
                          else is written to stdout: logs go to the client
                          (window/logMessage)
      --node-ipc          Node's IPC channel (the server was forked by a Node client)
      --socket=<port>     Connect to a client listening on 127.0.0.1:<port>
      --pipe=<name>       Connect to a client listening on a named pipe / Unix socket

Options:
      --clientProcessId=<pid>  Exit when this process ends (the initialize request's
                               processId does the same)
  -h, --help              Show this help

The server ends on the LSP shutdown request and exit notification (exit code 0), or
when the client closes the connection (exit code 1 without a shutdown first).
Settings come from workspace/configuration, section "aepDestination".
`;

export type LspTransport =
  | { kind: 'stdio' }
  | { kind: 'node-ipc' }
  | { kind: 'socket'; port: number }
  | { kind: 'pipe'; name: string };

const OPTIONS = {
  stdio: { type: 'boolean' },
  'node-ipc': { type: 'boolean' },
  socket: { type: 'string' },
  pipe: { type: 'string' },
  clientProcessId: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Parses the lsp arguments; `'help'` when help was asked for. Throws a usage CliError. */
export function parseLspArgs(args: readonly string[]): LspTransport | 'help' {
  const { positionals, options: parsed, help, usage } = readCommandArgs('lsp', args, OPTIONS);
  if (positionals.length) throw usage(`unexpected argument '${positionals[0]}'`);
  const transports: LspTransport[] = [];
  for (const { name, value } of parsed) {
    switch (name) {
      case 'stdio':
        transports.push({ kind: 'stdio' });
        break;
      case 'node-ipc':
        transports.push({ kind: 'node-ipc' });
        break;
      case 'socket': {
        const port = /^\d+$/.test(value) ? Number(value) : NaN;
        if (!(port >= 1 && port <= 65535)) {
          throw usage(`--socket needs a port number from 1 to 65535, not '${value}'`);
        }
        transports.push({ kind: 'socket', port });
        break;
      }
      case 'pipe':
        transports.push({ kind: 'pipe', name: value });
        break;
      case 'clientProcessId':
        // vscode-languageserver reads it from process.argv itself and watches that process.
        if (!/^\d+$/.test(value))
          throw usage(`--clientProcessId needs a process id, not '${value}'`);
        break;
    }
  }
  if (help) return 'help';
  const [transport, ...more] = transports;
  if (!transport) throw usage('no transport given: use --stdio (or --node-ipc, --socket=<port>)');
  if (more.length) throw usage('give only one of --stdio, --node-ipc, --socket, --pipe');
  return transport;
}

/**
 * In --stdio mode stdout carries the protocol: a stray `console.log` anywhere in
 * the server would corrupt it. Console output goes to the client as log messages,
 * as vscode-languageserver itself does when it picks --stdio from the command line.
 */
function routeConsoleToClient(connection: Connection): void {
  const text = (args: unknown[]): string =>
    args.map((arg) => (typeof arg === 'string' ? arg : inspect(arg))).join(' ');
  console.log = (...args: unknown[]) => connection.console.log(text(args));
  console.info = (...args: unknown[]) => connection.console.info(text(args));
  console.debug = (...args: unknown[]) => connection.console.log(text(args));
  console.warn = (...args: unknown[]) => connection.console.warn(text(args));
  console.error = (...args: unknown[]) => connection.console.error(text(args));
  console.trace = (...args: unknown[]) => connection.console.log(`Trace: ${text(args)}`);
  console.dir = (arg: unknown) => connection.console.log(inspect(arg));
}

/**
 * For the transports whose end vscode-languageserver does not watch (it does for
 * stdin): when the client goes away the server ends too, 0 after a shutdown request.
 */
function exitWhenClosed(reader: MessageReader, describe: string): void {
  let shutdownRequested = false;
  const listen = reader.listen.bind(reader);
  reader.listen = (callback) =>
    listen((message) => {
      if (Message.isRequest(message) && message.method === 'shutdown') shutdownRequested = true;
      callback(message);
    });
  reader.onError((error) => {
    if (!shutdownRequested) process.stderr.write(`aep-dest: lsp: ${describe}: ${error.message}\n`);
  });
  reader.onClose(() => process.exit(shutdownRequested ? 0 : 1));
}

/**
 * The protocol over a TCP socket or a named pipe, as vscode-jsonrpc's
 * createServerSocketTransport and createServerPipeTransport make it, with the socket's backlog:
 * those functions keep the socket to themselves, and a slow client then got answers stretched
 * over the validation's slices, as over stdio before its backlog was watched.
 */
export function socketStreams(socket: net.Socket): {
  reader: MessageReader;
  writer: MessageWriter;
  backlog: OutputBacklog;
} {
  return {
    reader: new SocketMessageReader(socket),
    writer: new SocketMessageWriter(socket),
    backlog: streamBacklog(socket),
  };
}

function transportStreams(transport: Exclude<LspTransport, { kind: 'stdio' }>): {
  reader: MessageReader;
  writer: MessageWriter;
  backlog: OutputBacklog;
} {
  switch (transport.kind) {
    case 'node-ipc': {
      if (typeof process.send !== 'function') {
        throw usageError(
          'lsp',
          '--node-ipc needs an IPC channel: the client must fork this process',
        );
      }
      process.once('disconnect', () => process.exit(1));
      const reader = new IPCMessageReader(process);
      exitWhenClosed(reader, 'IPC channel');
      const writer = new IpcBacklogWriter(process);
      return { reader, writer, backlog: writer.backlog };
    }
    case 'socket': {
      const streams = socketStreams(net.createConnection(transport.port, '127.0.0.1'));
      exitWhenClosed(streams.reader, `socket 127.0.0.1:${transport.port}`);
      return streams;
    }
    case 'pipe': {
      const streams = socketStreams(net.createConnection(transport.name));
      exitWhenClosed(streams.reader, `pipe ${transport.name}`);
      return streams;
    }
  }
}

/**
 * `aep-dest lsp --stdio`: serves until the client sends exit (the library then
 * ends the process), so the returned promise settles only on a usage error or --help.
 */
export async function runLsp(args: readonly string[], ctx: CommandContext): Promise<number> {
  const transport = parseLspArgs(args);
  if (transport === 'help') {
    ctx.io.stdout(LSP_USAGE);
    return 0;
  }
  let connection: Connection;
  let backlog: OutputBacklog;
  if (transport.kind === 'stdio') {
    connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout);
    routeConsoleToClient(connection);
    backlog = streamBacklog(process.stdout);
  } else {
    const streams = transportStreams(transport);
    connection = createConnection(ProposedFeatures.all, streams.reader, streams.writer);
    backlog = streams.backlog;
  }
  // From the TypeScript sources __dirname is not two levels below the package root.
  startServer(connection, { packageRoot: findPackage().root, backlog });
  return new Promise<number>(() => {});
}

export const lspCommand: CliCommand = {
  usage: LSP_USAGE,
  run: runLsp,
};
