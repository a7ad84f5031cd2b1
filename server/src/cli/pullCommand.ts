import { configText, importDataflow } from '../flowService/importFlow';
import { importReportLines } from '../../../common/importReportText';
import { readCommandArgs } from './cliArgs';
import type { CliCommand, CommandContext } from './commandTypes';
import { checkOutFree, printLines, withFlowShapes, writeConfigOut } from './flowServiceFiles';
import { CREDENTIALS_HELP, platformFromEnv, platformRequest } from './platformEnv';

export const PULL_USAGE = `Usage: aep-dest pull --flow-id <id> [options]

Reads a destination dataflow from Experience Platform, with its target connection
and the audiences it activates, and turns it into a destination config, as import
does with saved answers (GET /flows/{id}, GET /targetConnections/{id}, GET
/data/core/ups/audiences/{id} for each audience). Only GET requests are sent.

Options:
      --flow-id <id>  The dataflow's id (required)
  -o, --out <file>    Write the config to a file (all or nothing) instead of stdout;
                      an existing file is refused
      --force         Overwrite an existing --out file
      --verbose       One line per request on stderr: method, URL, status, time
                      (never a header or a body)
  -h, --help          Show this help

${CREDENTIALS_HELP}

What import understood and kept, audiences that no longer exist and any warnings
are printed on stderr.

Exit codes: 0 pulled, 2 usage, file, credential or Experience Platform error
            (refused credentials, no access, no such flow, rate limit, timeout,
            unreachable).
`;

export interface PullOptions {
  flowId: string;
  out: string | undefined;
  force: boolean;
  verbose: boolean;
}

const OPTIONS = {
  'flow-id': { type: 'string' },
  out: { type: 'string', short: 'o' },
  force: { type: 'boolean' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function parsePullArgs(args: readonly string[]): PullOptions | 'help' {
  const { positionals, options: parsed, help, usage } = readCommandArgs('pull', args, OPTIONS);
  let flowId: string | undefined;
  const options: Omit<PullOptions, 'flowId'> = { out: undefined, force: false, verbose: false };
  for (const { name, value } of parsed) {
    switch (name) {
      case 'flow-id':
        flowId = value;
        break;
      case 'out':
        options.out = value;
        break;
      case 'force':
        options.force = true;
        break;
      case 'verbose':
        options.verbose = true;
        break;
    }
  }
  if (help) return 'help';
  if (positionals.length) {
    throw usage(`unexpected argument '${positionals[0] as string}' (the flow is --flow-id <id>)`);
  }
  if (flowId === undefined || flowId.trim() === '') throw usage('no --flow-id given');
  return { flowId: flowId.trim(), ...options };
}

export async function runPull(args: readonly string[], ctx: CommandContext): Promise<number> {
  const options = parsePullArgs(args);
  if (options === 'help') {
    ctx.io.stdout(PULL_USAGE);
    return 0;
  }
  checkOutFree(ctx, options.out, options.force);
  const { client, sandboxName } = platformFromEnv(ctx, options.verbose);
  const pulled = await platformRequest(() => client.pull(options.flowId));
  const tcIds = pulled.flow.targetConnectionIds;
  const tcId = Array.isArray(tcIds) && typeof tcIds[0] === 'string' ? tcIds[0] : '{id}';
  const { config, report } = withFlowShapes(() =>
    importDataflow({
      flow: { value: pulled.flow, source: `GET /flows/${options.flowId}` },
      ...(pulled.targetConnection
        ? {
            targetConnection: {
              value: pulled.targetConnection,
              source: `GET /targetConnections/${tcId}`,
            },
          }
        : {}),
      audiences: { value: pulled.audiences, source: 'GET /data/core/ups/audiences/{id}' },
    }),
  );
  writeConfigOut(ctx, options.out, configText(config));
  printLines(ctx, [
    ...importReportLines(report),
    ...pulled.missingAudiences.map(
      (id) =>
        `warning: audience ${id} is selected by the flow but not found in sandbox '${sandboxName}' (GET /data/core/ups/audiences/${id} answered 404): it may have been deleted`,
    ),
  ]);
  return 0;
}

export const pullCommand: CliCommand = {
  usage: PULL_USAGE,
  run: runPull,
};
