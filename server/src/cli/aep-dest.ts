import * as path from 'node:path';
import * as v8 from 'node:v8';
import { docsBaseUriFor, findPackage } from '../host/packageInfo';
import { environmentLocale, useLocale } from '../host/locale';
import type { CliIo, CommandEntry } from './commandTypes';
import { CliError, oneLine } from './cliError';

/**
 * The command table. A new command is one entry here plus its module, e.g.
 * `simulate: { summary: '…', load: async () => (await import('./simulateCommand.js')).simulateCommand }`.
 */
export const COMMANDS: Record<string, CommandEntry> = {
  validate: {
    summary: 'Check destination configs and report problems',
    shortLived: true,
    load: async () => (await import('./validateCommand.js')).validateCommand,
  },
  simulate: {
    summary: 'Preview what an export would do in Marketo (updates, creates, lists, skips)',
    load: async () => (await import('./simulateCommand.js')).simulateCommand,
  },
  import: {
    summary: 'Turn a saved Experience Platform dataflow into a destination config',
    load: async () => (await import('./importCommand.js')).importCommand,
  },
  export: {
    summary: 'Write the POST /targetConnections and POST /flows bodies for a config',
    load: async () => (await import('./exportCommand.js')).exportCommand,
  },
  plan: {
    summary: 'Show the PATCH that brings a saved dataflow to a config',
    load: async () => (await import('./planCommand.js')).planCommand,
  },
  pull: {
    summary: 'Read a dataflow from Experience Platform into a destination config',
    load: async () => (await import('./pullCommand.js')).pullCommand,
  },
  apply: {
    summary: 'Change a dataflow in Experience Platform to match a config (--yes)',
    load: async () => (await import('./applyCommand.js')).applyCommand,
  },
  lsp: {
    summary: 'Run the language server for other editors (--stdio)',
    load: async () => (await import('./lspCommand.js')).lspCommand,
  },
};

function commandEntry(name: string): CommandEntry | undefined {
  return Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
}

export function mainUsage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const commands = Object.entries(COMMANDS)
    .map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`)
    .join('\n');
  return `Usage: aep-dest <command> [options]

Commands:
${commands}

Options:
  -h, --help     Show this help (aep-dest <command> --help for a command)
      --version  Print the version
      --locale   Language of the messages: en, sv, fr, es or zh-tw (default: from
                 LC_ALL, LC_MESSAGES or LANG; rule codes never change)

The command line reads the files you point it at, and the files a config names,
wherever they are (the editor reads nothing outside the workspace, and nothing in
Restricted Mode). Only pull and apply send requests, to Experience Platform.

Exit codes: 0 success, 1 problems found, 2 usage or file error.
`;
}

/**
 * Keeps V8's young generation at its start size for the rest of a short run (a command marked
 * `shortLived`). V8 doubles the semi-spaces (up to 16 MB each) when most young objects
 * survive, which is what a parse does: the whole tree of a 1 MB config survives. Growing then
 * costs fresh pages and copies the tree through ever larger semi-spaces, which a run of a
 * second never wins back: on `validate` of the 1 MB benchmark config a sixth less CPU and
 * 12 MB less peak memory (bench/suites/freshProcess.ts), a tiny config unchanged. Unlike the
 * semi-space size flags, which V8 reads only when it sets the heap up, the growth factor takes
 * effect when set at run time (`node --trace-gc`: the heap stays at its start size); `node
 * aep-dest.js` and npm's bin shims pass no V8 flags. The language server and simulations of
 * millions of rows keep V8's default: their throughput gains from a large young generation.
 */
function keepYoungGenerationSmall(): void {
  v8.setFlagsFromString('--semi-space-growth-factor=1');
}

function printError(io: CliIo, lines: readonly string[]): void {
  io.stderr(lines.map((line) => `aep-dest: ${oneLine(line)}\n`).join(''));
}

/**
 * Takes `--locale <tag>` / `--locale=<tag>` out of the arguments (any command, anywhere) and
 * sets the messages' language: that option, else LC_ALL, LC_MESSAGES or LANG.
 */
function applyLocale(argv: readonly string[], io: CliIo): string[] {
  const rest: string[] = [];
  let chosen: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (arg === '--locale') {
      chosen = argv[++i];
      if (!chosen) throw new CliError(`option '--locale' needs a value`, 'usage');
    } else if (arg.startsWith('--locale=')) chosen = arg.slice('--locale='.length);
    else rest.push(arg);
  }
  useLocale(chosen ?? environmentLocale(io.env ?? process.env));
  return rest;
}

async function dispatch(args: readonly string[], io: CliIo): Promise<number> {
  const argv = applyLocale(args, io);
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr(mainUsage());
    return 2;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' ? rest[0] : undefined;
    const entry = topic === undefined ? undefined : commandEntry(topic);
    if (topic !== undefined && !entry) throw new CliError(`unknown command '${topic}'`, 'usage');
    io.stdout(entry ? (await entry.load()).usage : mainUsage());
    return 0;
  }
  if (first === '--version' || first === '-V' || first === '-v') {
    io.stdout(`${findPackage().version}\n`);
    return 0;
  }
  if (first.startsWith('-')) {
    throw new CliError([`unknown option '${first}'`, `run 'aep-dest --help' for usage`], 'usage');
  }
  const entry = commandEntry(first);
  if (!entry) {
    throw new CliError(
      [
        `unknown command '${first}' (commands: ${Object.keys(COMMANDS).join(', ')})`,
        `run 'aep-dest --help' for usage`,
      ],
      'usage',
    );
  }
  // Only in the CLI's own process: a host that runs main() in-process keeps its heap settings.
  if (io.ownProcess && entry.shortLived) keepYoungGenerationSmall();
  const command = await entry.load();
  const pkg = findPackage();
  const cwd = path.resolve(io.cwd);
  return command.run(rest, {
    io,
    cwd,
    tool: {
      version: pkg.version,
      informationUri: pkg.informationUri,
      docsBaseUri: docsBaseUriFor(pkg.root),
    },
  });
}

/**
 * Runs the CLI and returns the exit code: 0 clean, 1 problems found, 2 usage
 * or file error. Never throws and never prints a stack trace.
 */
export async function main(argv: string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    try {
      if (error instanceof CliError) {
        printError(io, error.lines);
        return error.exitCode;
      }
      const message = error instanceof Error ? error.message : String(error);
      printError(io, [`internal error: ${message || 'unknown failure'}`]);
    } catch {
      // Even writing failed (closed stderr); the exit code still tells.
    }
    return 2;
  }
}

if (require.main === module) {
  // A closed pipe (`aep-dest … | head`) is not an error of ours.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') process.exitCode = 2;
  });
  main(process.argv.slice(2), {
    stdout: (s) => void process.stdout.write(s),
    stdoutBytes: (bytes) => void process.stdout.write(bytes),
    isTTY: process.stdout.isTTY === true,
    stderr: (s) => void process.stderr.write(s),
    cwd: process.cwd(),
    ownProcess: true,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      process.exitCode = 2;
    },
  );
}
