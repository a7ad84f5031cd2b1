import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { ReportMeta } from '../../../common/reportFormats';
import { PartitionLoader } from '../engine/catalogLoader';
import { DestinationLanguageService } from '../languageService';
import { prepareSimulation } from '../prepareSimulation';
import { SimulationInputError, readLeads, readProfiles, simulate } from '../simulation/simulate';
import { ENGINES, type EngineChoice, ProgressLine, chooseEngine } from './simulateEngine';
import { reportChunks, simulateStreaming, writeReport } from './simulateStreaming';
import { profileInputWarnings } from '../simulation/profiles';
import { isKnownEncoding } from '../simulation/recordFiles';
import type { InputName, ResolvedInputs } from '../simulation/simulationInputs';
import { CliError } from './cliError';
import type { CliCommand, CommandContext } from './commandTypes';
import { isInside, readInputFile, toForwardSlashes } from './fileArgs';
import { printConfigErrors } from './flowServiceFiles';
import { oneOf, readCommandArgs } from './cliArgs';

export const SIMULATE_USAGE = `Usage: aep-dest simulate <config> [options]

Previews what activating a destination would do in Marketo Engage: which profiles
update a lead, create one, are added to lists or are skipped, and the API calls it takes.
The config is validated first; a config with errors is refused.

Options:
      --profiles <file>   Audience members: CSV, JSON or NDJSON
                          (default: "simulation": {"profiles": ...} in the config)
      --leads <file>      Existing Marketo leads: CSV, JSON (REST "result") or NDJSON
                          (default: "simulation": {"leads": ...} in the config)
      --partitions <file> Saved GET /rest/v1/leads/partitions.json answer, to name
                          the leads' leadPartitionId (default: "marketoPartitions")
      --encoding <name>   How to read input files that have no BOM and are not UTF-8,
                          e.g. windows-1252 (default: "simulation": {"encoding": ...}
                          in the config, else UTF-8; a BOM always decides)
  -f, --format <text|json|markdown|csv>  Output format (default: text)
  -o, --out <file>        Write the report to a file (all or nothing) instead of stdout
      --engine <auto|duckdb|typescript>  Simulation engine (default: auto: DuckDB
                          for CSV samples of 400 MB and more, and for Parquet)
      --progress, --no-progress  Progress on stderr (default: when stderr is a terminal)
      --no-color          No ANSI colours in the text plan (also: NO_COLOR)
  -h, --help              Show this help

Paths given as options are relative to the current directory; the config's
"simulation" paths are relative to the config, and are read wherever they lead:
the command line reads what you point it at.

Exit codes: 0 simulated, 1 the config has errors, 2 usage, file or input error.
`;

export const SIMULATE_FORMATS = ['text', 'json', 'markdown', 'csv'] as const;
export type SimulateFormat = (typeof SIMULATE_FORMATS)[number];

export interface SimulateOptions {
  config: string;
  profiles: string | undefined;
  leads: string | undefined;
  encoding: string | undefined;
  partitions: string | undefined;
  format: SimulateFormat;
  out: string | undefined;
  noColor: boolean;
  engine: EngineChoice;
  /** undefined: when stderr is a terminal. */
  progress: boolean | undefined;
}

const OPTIONS = {
  profiles: { type: 'string' },
  leads: { type: 'string' },
  encoding: { type: 'string' },
  partitions: { type: 'string' },
  format: { type: 'string', short: 'f' },
  out: { type: 'string', short: 'o' },
  'no-color': { type: 'boolean' },
  engine: { type: 'string' },
  progress: { type: 'boolean' },
  'no-progress': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Parses the simulate arguments; `'help'` when help was asked for. Throws a usage CliError. */
export function parseSimulateArgs(args: readonly string[]): SimulateOptions | 'help' {
  const { positionals, options: parsed, help, usage } = readCommandArgs('simulate', args, OPTIONS);
  const options: Omit<SimulateOptions, 'config'> = {
    profiles: undefined,
    leads: undefined,
    encoding: undefined,
    partitions: undefined,
    format: 'text',
    out: undefined,
    noColor: false,
    engine: 'auto',
    progress: undefined,
  };
  for (const { name, value } of parsed) {
    switch (name) {
      case 'no-color':
        options.noColor = true;
        break;
      case 'engine':
        options.engine = oneOf(value, ENGINES, 'engine', usage);
        break;
      case 'progress':
      case 'no-progress':
        options.progress = name === 'progress';
        break;
      case 'format':
        options.format = oneOf(value, SIMULATE_FORMATS, 'format', usage);
        break;
      case 'encoding':
        if (!isKnownEncoding(value)) {
          throw usage(
            `unknown encoding "${value}" for --encoding (e.g. windows-1252, iso-8859-1, utf-8)`,
          );
        }
        options.encoding = value;
        break;
      case 'profiles':
      case 'leads':
      case 'partitions':
      case 'out':
        options[name] = value;
        break;
    }
  }
  if (help) return 'help';
  if (positionals.length === 0) throw usage('no config given');
  if (positionals.length > 1) {
    throw usage(`one config at a time (got ${positionals.length}: ${positionals.join(', ')})`);
  }
  return { config: positionals[0] as string, ...options };
}

/** An input file: where to read it and how to name it in messages. */
export interface InputPath {
  absolute: string;
  display: string;
}

/** One usage error naming every missing input and how to give it. */
function missingInputsError(missing: readonly InputName[], config: InputPath): CliError {
  const example = missing.map((kind) => `"${kind}": "./…"`).join(', ');
  return new CliError(
    [
      `no ${missing.join(' and no ')} file for ${config.display}`,
      `give ${missing.map((kind) => `--${kind} FILE`).join(' and ')}, or set "simulation": {${example}} in the config (paths relative to the config)`,
    ],
    'usage',
  );
}

/** Reads one input; a SimulationInputError becomes a one-line `file:line: problem`. */
function readInput<T>(input: InputPath, read: (file: string) => T): T {
  try {
    return read(input.absolute);
  } catch (error) {
    if (error instanceof SimulationInputError) {
      const file = error.file === input.absolute ? input.display : error.file;
      throw new CliError(`${file}:${error.line}: ${error.problem}`, 'file');
    }
    throw error;
  }
}

/** `--partitions FILE`: its id → name map, or one `file[:line:col]: problem` file error. */
function readPartitions(input: InputPath): ReadonlyMap<string, string> {
  const state = new PartitionLoader().loadAbsolute(input.absolute, input.display);
  if (state.status === 'loaded') return state.value.nameById;
  if (state.status === 'error') throw new CliError(state.message.replace(/\.$/, ''), 'file');
  return new Map();
}

/** The config's `simulation.encoding`; one TextDecoder does not know is a file error naming the config. */
function configEncoding(encoding: string | undefined, config: InputPath): string | undefined {
  if (encoding !== undefined && !isKnownEncoding(encoding)) {
    throw new CliError(
      `${config.display}: unknown "simulation.encoding" "${encoding}" (e.g. windows-1252, iso-8859-1, utf-8)`,
      'file',
    );
  }
  return encoding;
}

/** `aep-dest simulate …`: returns the exit code. */
export async function runSimulate(args: readonly string[], ctx: CommandContext): Promise<number> {
  const options = parseSimulateArgs(args);
  if (options === 'help') {
    ctx.io.stdout(SIMULATE_USAGE);
    return 0;
  }
  const configPath: InputPath = {
    absolute: path.resolve(ctx.cwd, options.config),
    display: toForwardSlashes(path.normalize(options.config)),
  };
  const loaded = await readInputFile({
    absolutePath: configPath.absolute,
    displayPath: configPath.display,
  });
  const service = new DestinationLanguageService({ docsBaseUri: ctx.tool.docsBaseUri });
  const uri = pathToFileURL(configPath.absolute).href;
  // Options are cwd-relative; the config's "simulation" paths are resolved against the config.
  const overrides: ResolvedInputs = {};
  if (options.profiles !== undefined) overrides.profiles = path.resolve(ctx.cwd, options.profiles);
  if (options.leads !== undefined) overrides.leads = path.resolve(ctx.cwd, options.leads);
  const prepared = prepareSimulation(
    service,
    TextDocument.create(uri, 'aep-destination', 0, loaded.text),
    {},
    overrides,
  );
  switch (prepared.kind) {
    case 'configErrors':
      printConfigErrors(ctx, loaded, prepared.errors, 'simulating');
      return 1;
    // The CLI sets no file policy, so nothing is refused; said like any unusable input all the same.
    case 'refused':
    case 'unusableConfig':
      throw new CliError(`${configPath.display}: ${prepared.message}`, 'file');
    case 'needsInputs':
      throw missingInputsError(prepared.missing, configPath);
    case 'ready':
      break;
  }
  const shown = (absolute: string): InputPath => ({
    absolute,
    // The current directory itself is `.`: an empty name would print `:1: …`.
    display:
      toForwardSlashes(isInside(ctx.cwd, absolute) ? path.relative(ctx.cwd, absolute) : absolute) ||
      '.',
  });
  const inputs = { profiles: shown(prepared.inputs.profiles), leads: shown(prepared.inputs.leads) };
  const partitionNames =
    options.partitions === undefined
      ? prepared.partitionNames
      : readPartitions(shown(path.resolve(ctx.cwd, options.partitions)));
  const encoding = options.encoding ?? configEncoding(prepared.encoding, configPath);
  const files = { profiles: inputs.profiles.absolute, leads: inputs.leads.absolute };
  const engine = await chooseEngine(options.engine, files, encoding, (line) =>
    ctx.io.stderr(`aep-dest: note: ${line}\n`),
  );
  const progress =
    (options.progress ?? process.stderr.isTTY === true)
      ? new ProgressLine(ctx.io.stderr)
      : undefined;
  const meta: ReportMeta = {
    configName: prepared.configName ?? path.basename(configPath.display),
    configPath: configPath.display,
    profilesFile: inputs.profiles.display,
    leadsFile: inputs.leads.display,
  };
  const color =
    options.format === 'text' &&
    options.out === undefined &&
    !options.noColor &&
    !process.env.NO_COLOR &&
    ctx.io.isTTY === true;
  if (engine === 'duckdb') {
    return simulateStreaming(ctx, options, prepared.config, inputs, {
      partitionNames,
      leadFields: prepared.leadFields,
      progress,
      meta,
      color,
    });
  }
  const profiles = readInput(inputs.profiles, (file) => readProfiles(file, { encoding }));
  const leads = readInput(inputs.leads, (file) =>
    readLeads(file, {
      partitionNames,
      ...(encoding === undefined ? {} : { encoding }),
      ...(prepared.leadFields === undefined ? {} : { fields: prepared.leadFields }),
    }),
  );
  const result = simulate(
    prepared.config,
    profiles,
    leads,
    progress ? { onProgress: (done, total) => progress.update('simulating', done, total) } : {},
  );
  progress?.clear();
  for (const warning of profileInputWarnings(profiles)) {
    const file = warning.file === inputs.profiles.absolute ? inputs.profiles.display : warning.file;
    ctx.io.stderr(`aep-dest: warning: ${file}:${warning.line}: ${warning.message}\n`);
  }
  writeReport(ctx, options, reportChunks(options.format, result, meta, color));
  return 0;
}

export const simulateCommand: CliCommand = {
  usage: SIMULATE_USAGE,
  run: runSimulate,
};
