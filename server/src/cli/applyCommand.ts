import { PlatformError } from '../../../common/platform/platformClient';
import { planDataflow } from '../flowService/planFlow';
import { formatPlan, planJson } from '../flowService/planText';
import { oneOf, readCommandArgs } from './cliArgs';
import { CliError } from './cliError';
import type { CliCommand, CommandContext } from './commandTypes';
import { colorWanted, readCheckedConfig, withFlowShapes } from './flowServiceFiles';
import {
  CREDENTIALS_HELP,
  platformCliError,
  platformFromEnv,
  platformRequest,
} from './platformEnv';

export const APPLY_USAGE = `Usage: aep-dest apply <config> --flow-id <id> [--yes] [options]

Reads the dataflow and its target connection from Experience Platform, plans the
changes that bring the flow to the config (as plan does) and prints the plan.
Nothing is sent without --yes; with it, the plan is sent as one
PATCH /data/foundation/flowservice/flows/{id} with If-Match set to the etag just
read, so a flow someone changed in the meantime is refused (412), not overwritten.
The config is validated first; a config with errors is refused.

Options:
      --flow-id <id>          The dataflow to change (required)
  -y, --yes                   Send the patch (without it: show the plan only)
  -f, --format <text|json>    The plan as text (default) or as
                              {"ifMatch", "patch", "summary"}; with json, stdout
                              holds only that and the outcome goes to stderr
      --no-color              No ANSI colours in the text plan (also: NO_COLOR)
      --verbose               One line per request on stderr: method, URL, status,
                              time (never a header or a body)
  -h, --help                  Show this help

${CREDENTIALS_HELP}

Exit codes: 0 planned, applied or nothing to apply; 1 the config has errors, or the
            flow changed since it was read (412: nothing was applied); 2 usage,
            file, credential or Experience Platform error (refused credentials, no
            access, no such flow, rate limit, timeout, unreachable).
`;

export const APPLY_FORMATS = ['text', 'json'] as const;

export interface ApplyOptions {
  config: string;
  flowId: string;
  yes: boolean;
  format: (typeof APPLY_FORMATS)[number];
  noColor: boolean;
  verbose: boolean;
}

const OPTIONS = {
  'flow-id': { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  format: { type: 'string', short: 'f' },
  'no-color': { type: 'boolean' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function parseApplyArgs(args: readonly string[]): ApplyOptions | 'help' {
  const { positionals, options: parsed, help, usage } = readCommandArgs('apply', args, OPTIONS);
  let flowId: string | undefined;
  const options: Omit<ApplyOptions, 'config' | 'flowId'> = {
    yes: false,
    format: 'text',
    noColor: false,
    verbose: false,
  };
  for (const { name, value } of parsed) {
    switch (name) {
      case 'flow-id':
        flowId = value;
        break;
      case 'yes':
        options.yes = true;
        break;
      case 'format':
        options.format = oneOf(value, APPLY_FORMATS, 'format', usage);
        break;
      case 'no-color':
        options.noColor = true;
        break;
      case 'verbose':
        options.verbose = true;
        break;
    }
  }
  if (help) return 'help';
  if (positionals.length === 0) throw usage('no config given');
  if (positionals.length > 1) {
    throw usage(`one config at a time (got ${positionals.length}: ${positionals.join(', ')})`);
  }
  if (flowId === undefined || flowId.trim() === '') throw usage('no --flow-id given');
  return { config: positionals[0] as string, flowId: flowId.trim(), ...options };
}

function operations(count: number): string {
  return `${count} operation${count === 1 ? '' : 's'}`;
}

export async function runApply(args: readonly string[], ctx: CommandContext): Promise<number> {
  const options = parseApplyArgs(args);
  if (options === 'help') {
    ctx.io.stdout(APPLY_USAGE);
    return 0;
  }
  const config = await readCheckedConfig(ctx, options.config, 'applying');
  if (!config) return 1;
  const { client } = platformFromEnv(ctx, options.verbose);
  const { flowId } = options;
  const { flow, raw } = await platformRequest(() => client.getFlow(flowId));
  const tcIds = flow.targetConnectionIds;
  const tcId = Array.isArray(tcIds) && typeof tcIds[0] === 'string' ? tcIds[0] : undefined;
  const tc =
    tcId === undefined ? undefined : await platformRequest(() => client.getTargetConnection(tcId));
  const plan = withFlowShapes(() =>
    planDataflow({
      config,
      flow: { value: raw, source: `GET /flows/${flowId}` },
      ...(tc && tcId !== undefined
        ? { targetConnection: { value: tc.raw, source: `GET /targetConnections/${tcId}` } }
        : {}),
    }),
  );
  ctx.io.stdout(
    options.format === 'json'
      ? planJson(plan)
      : formatPlan(plan, { color: colorWanted(ctx, options.noColor) }),
  );
  const count = plan.patch.length;
  if (count === 0) {
    ctx.io.stderr(`aep-dest: nothing to apply: flow ${flowId} already matches the config\n`);
    return 0;
  }
  if (!options.yes) {
    ctx.io.stderr(
      `aep-dest: nothing sent; run again with --yes to apply ${count === 1 ? 'this operation' : `these ${count} operations`}\n`,
    );
    return 0;
  }
  let result: { id: string | undefined; etag: string | undefined };
  try {
    result = await client.patchFlow(flowId, plan.ifMatch ?? '', plan.patch);
  } catch (error) {
    if (error instanceof PlatformError && error.status === 412) {
      throw new CliError(`${error.message}; nothing was applied`, 'file', 1);
    }
    if (error instanceof PlatformError) throw platformCliError(error);
    throw error;
  }
  const line = `applied ${operations(count)} to flow ${result.id ?? flowId}; new etag ${result.etag ?? '(none given)'}\n`;
  if (options.format === 'json') ctx.io.stderr(`aep-dest: ${line}`);
  else ctx.io.stdout(line);
  return 0;
}

export const applyCommand: CliCommand = {
  usage: APPLY_USAGE,
  run: runApply,
};
