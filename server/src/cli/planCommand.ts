import { planDataflow } from '../flowService/planFlow';
import { formatPlan, planJson } from '../flowService/planText';
import { oneOf, readCommandArgs } from './cliArgs';
import type { CliCommand, CommandContext } from './commandTypes';
import { colorWanted, readCheckedConfig, readJsonAnswer, withFlowShapes } from './flowServiceFiles';

export const PLAN_USAGE = `Usage: aep-dest plan <config> --flow <flow.json> [options]

Shows what would bring a saved dataflow to the config: the name and description to
replace, audiences and mappings to add and remove, as the RFC 6902 patch that
PATCH /data/foundation/flowservice/flows/{id} takes (removals by index, highest
first). Nothing is sent: apply does that. What differs but no PATCH /flows can change
(target-connection params, an older etag) is listed under "Not in this plan".
The config is validated first; a config with errors is refused.

Options:
      --flow <file>               Saved GET /flows/{id} answer, or the one flow object
                                  (required)
      --target-connection <file>  Saved GET /targetConnections/{id} answer, to compare
                                  its params with the config's connection settings
  -f, --format <text|json>        text: the changes, one a line (default); json:
                                  {"ifMatch", "patch", "summary"}
      --no-color                  No ANSI colours in the text plan (also: NO_COLOR)
  -h, --help                      Show this help

Exit codes: 0 planned (with or without changes), 1 the config has errors,
            2 usage or file error.
`;

export const PLAN_FORMATS = ['text', 'json'] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

export interface PlanOptions {
  config: string;
  flow: string;
  targetConnection: string | undefined;
  format: PlanFormat;
  noColor: boolean;
}

const OPTIONS = {
  flow: { type: 'string' },
  'target-connection': { type: 'string' },
  format: { type: 'string', short: 'f' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function parsePlanArgs(args: readonly string[]): PlanOptions | 'help' {
  const { positionals, options: parsed, help, usage } = readCommandArgs('plan', args, OPTIONS);
  let flow: string | undefined;
  const options: Omit<PlanOptions, 'config' | 'flow'> = {
    targetConnection: undefined,
    format: 'text',
    noColor: false,
  };
  for (const { name, value } of parsed) {
    switch (name) {
      case 'flow':
        flow = value;
        break;
      case 'target-connection':
        options.targetConnection = value;
        break;
      case 'format':
        options.format = oneOf(value, PLAN_FORMATS, 'format', usage);
        break;
      case 'no-color':
        options.noColor = true;
        break;
    }
  }
  if (help) return 'help';
  if (positionals.length === 0) throw usage('no config given');
  if (positionals.length > 1) {
    throw usage(`one config at a time (got ${positionals.length}: ${positionals.join(', ')})`);
  }
  if (flow === undefined)
    throw usage('no --flow given: the saved GET /flows/{id} answer to plan against');
  return { config: positionals[0] as string, flow, ...options };
}

export async function runPlan(args: readonly string[], ctx: CommandContext): Promise<number> {
  const options = parsePlanArgs(args);
  if (options === 'help') {
    ctx.io.stdout(PLAN_USAGE);
    return 0;
  }
  const config = await readCheckedConfig(ctx, options.config, 'planning');
  if (!config) return 1;
  const flow = await readJsonAnswer(ctx, options.flow);
  const targetConnection =
    options.targetConnection === undefined
      ? undefined
      : await readJsonAnswer(ctx, options.targetConnection);
  const plan = withFlowShapes(() =>
    planDataflow({ config, flow, ...(targetConnection ? { targetConnection } : {}) }),
  );
  ctx.io.stdout(
    options.format === 'json'
      ? planJson(plan)
      : formatPlan(plan, { color: colorWanted(ctx, options.noColor) }),
  );
  return 0;
}

export const planCommand: CliCommand = {
  usage: PLAN_USAGE,
  run: runPlan,
};
