import type { LegacyCard } from '../../../common/flowServiceTypes';
import { configText, importDataflow } from '../flowService/importFlow';
import { importReportLines } from '../../../common/importReportText';
import type { NamedJson } from '../flowService/flowShapes';
import { oneOf, readCommandArgs } from './cliArgs';
import type { CliCommand, CommandContext } from './commandTypes';
import {
  checkOutFree,
  printLines,
  readJsonAnswer,
  withFlowShapes,
  writeConfigOut,
} from './flowServiceFiles';

export const IMPORT_USAGE = `Usage: aep-dest import <flow.json> [options]

Turns a saved destination dataflow into a destination config: its name, connection
settings, mappings and audiences, plus a "flowService" block with what the config
cannot say (ids, etag, the selectors as the flow holds them), so that export gives
back what was imported. A dataflow of an older card ((V2) Marketo Engage, Marketo
Engage Person Sync) is migrated to a Marketo Engage Connection config.

<flow.json> is the answer of GET /data/foundation/flowservice/flows/{id}
({"items": [flow]}) or the one flow object.

Options:
      --target-connection <file>  Saved GET /targetConnections/{id} answer, or a POST
                                  /targetConnections body: Munchkin ID, workspace, sync
                                  type, partition, deduplication field, person action
      --audiences <file>          Saved GET /data/core/ups/audiences answer: each
                                  audience's origin, type and evaluation
      --card <v2|person-sync|connection>  The card that made the dataflow (default:
                                  detected from the target connection's params)
  -o, --out <file>                Write the config to a file (all or nothing) instead
                                  of stdout; an existing file is refused
      --force                     Overwrite an existing --out file
  -h, --help                      Show this help

Which params became which config keys, which were kept as they were, what carried
over from an older card and any warnings are printed on stderr.

Exit codes: 0 imported, 2 usage or file error (missing file, malformed JSON, not a
            dataflow).
`;

export const IMPORT_CARDS = ['v2', 'person-sync', 'connection'] as const;
const CARDS: Record<(typeof IMPORT_CARDS)[number], LegacyCard | 'connection'> = {
  v2: 'marketoEngageV2',
  'person-sync': 'marketoEngagePersonSync',
  connection: 'connection',
};

export interface ImportOptions {
  flow: string;
  targetConnection: string | undefined;
  audiences: string | undefined;
  card: LegacyCard | 'connection' | undefined;
  out: string | undefined;
  force: boolean;
}

const OPTIONS = {
  'target-connection': { type: 'string' },
  audiences: { type: 'string' },
  card: { type: 'string' },
  out: { type: 'string', short: 'o' },
  force: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function parseImportArgs(args: readonly string[]): ImportOptions | 'help' {
  const { positionals, options: parsed, help, usage } = readCommandArgs('import', args, OPTIONS);
  const options: Omit<ImportOptions, 'flow'> = {
    targetConnection: undefined,
    audiences: undefined,
    card: undefined,
    out: undefined,
    force: false,
  };
  for (const { name, value } of parsed) {
    switch (name) {
      case 'target-connection':
        options.targetConnection = value;
        break;
      case 'audiences':
        options.audiences = value;
        break;
      case 'card':
        options.card = CARDS[oneOf(value, IMPORT_CARDS, 'card', usage)];
        break;
      case 'out':
        options.out = value;
        break;
      case 'force':
        options.force = true;
        break;
    }
  }
  if (help) return 'help';
  if (positionals.length === 0) throw usage('no flow file given');
  if (positionals.length > 1) {
    throw usage(`one flow at a time (got ${positionals.length}: ${positionals.join(', ')})`);
  }
  return { flow: positionals[0] as string, ...options };
}

export async function runImport(args: readonly string[], ctx: CommandContext): Promise<number> {
  const options = parseImportArgs(args);
  if (options === 'help') {
    ctx.io.stdout(IMPORT_USAGE);
    return 0;
  }
  checkOutFree(ctx, options.out, options.force);
  const flow = await readJsonAnswer(ctx, options.flow);
  const optional = async (arg: string | undefined): Promise<NamedJson | undefined> =>
    arg === undefined ? undefined : readJsonAnswer(ctx, arg);
  const targetConnection = await optional(options.targetConnection);
  const audiences = await optional(options.audiences);
  const { config, report } = withFlowShapes(() =>
    importDataflow({
      flow,
      ...(targetConnection ? { targetConnection } : {}),
      ...(audiences ? { audiences } : {}),
      ...(options.card ? { card: options.card } : {}),
    }),
  );
  writeConfigOut(ctx, options.out, configText(config));
  printLines(ctx, importReportLines(report));
  return 0;
}

export const importCommand: CliCommand = {
  usage: IMPORT_USAGE,
  run: runImport,
};
