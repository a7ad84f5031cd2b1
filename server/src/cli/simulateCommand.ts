import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseJsonc } from 'jsonc-parser';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DestinationLanguageService } from '../engine/languageService';
import {
  type SimulationConfig,
  SimulationInputError,
  type SimulationResult,
  configFromJson,
  jsonReportChunks,
  readLeads,
  readProfiles,
  simulate,
} from '../simulation/simulate';
import {
  type ReportMeta,
  toCsvReport,
  toMarkdownReport,
  toTextPlan,
} from '../simulation/reportFormats';
import { isJsonObject } from '../simulation/jsonInput';
import {
  type ResolvedInputs,
  type InputName,
  missingInputs,
  resolveSimulationInputs,
} from '../simulation/simulationInputs';
import { writeAtomically } from './atomicWrite';
import type { CliCommand, CommandContext } from './aep-dest';
import { formatText } from './formatters';
import { CliError, describeFsError, isInside, readInputFile, toForwardSlashes } from './inputFiles';
import { readArgs, usageError } from './cliArgs';

export const SIMULATE_USAGE = `Usage: aep-dest simulate <config> [options]

Previews what activating a destination would do in Marketo Engage: which profiles
update a lead, create one, are added to lists or are skipped, and the API calls it takes.
The config is validated first; a config with errors is refused.

Options:
      --profiles <file>   Audience members: CSV, JSON or NDJSON
                          (default: "simulation": {"profiles": ...} in the config)
      --leads <file>      Existing Marketo leads: CSV, JSON (REST "result") or NDJSON
                          (default: "simulation": {"leads": ...} in the config)
  -f, --format <text|json|markdown|csv>  Output format (default: text)
  -o, --out <file>        Write the report to a file (all or nothing) instead of stdout
      --no-color          No ANSI colours in the text plan (also: NO_COLOR)
  -h, --help              Show this help

Paths given as options are relative to the current directory; the config's
"simulation" paths are relative to the config.

Exit codes: 0 simulated, 1 the config has errors, 2 usage, file or input error.
`;

export const SIMULATE_FORMATS = ['text', 'json', 'markdown', 'csv'] as const;
export type SimulateFormat = (typeof SIMULATE_FORMATS)[number];

export interface SimulateOptions {
  config: string;
  profiles: string | undefined;
  leads: string | undefined;
  format: SimulateFormat;
  out: string | undefined;
  noColor: boolean;
}

const OPTIONS = {
  profiles: { type: 'string' },
  leads: { type: 'string' },
  format: { type: 'string', short: 'f' },
  out: { type: 'string', short: 'o' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function isFormat(value: string): value is SimulateFormat {
  return (SIMULATE_FORMATS as readonly string[]).includes(value);
}

function usage(message: string): CliError {
  return usageError('simulate', message);
}

/** Parses the simulate arguments; `'help'` when help was asked for. Throws a usage CliError. */
export function parseSimulateArgs(args: readonly string[]): SimulateOptions | 'help' {
  const { positionals, options: parsed } = readArgs('simulate', args, OPTIONS);
  const options: Omit<SimulateOptions, 'config'> = {
    profiles: undefined,
    leads: undefined,
    format: 'text',
    out: undefined,
    noColor: false,
  };
  let help = false;
  for (const { name, value } of parsed) {
    switch (name) {
      case 'help':
        help = true;
        break;
      case 'no-color':
        options.noColor = true;
        break;
      case 'format':
        if (!isFormat(value)) {
          throw usage(`unknown format '${value}' (expected ${SIMULATE_FORMATS.join(', ')})`);
        }
        options.format = value;
        break;
      case 'profiles':
      case 'leads':
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
interface InputPath {
  absolute: string;
  display: string;
}

type InputKind = InputName;

/**
 * The profiles and leads files: each option (cwd-relative), else the config's
 * `simulation` block (config-relative). Throws one usage error naming every missing input.
 */
function inputPaths(
  options: SimulateOptions,
  json: Record<string, unknown>,
  config: InputPath,
  cwd: string,
): Record<InputKind, InputPath> {
  const overrides: ResolvedInputs = {};
  if (options.profiles !== undefined) overrides.profiles = path.resolve(cwd, options.profiles);
  if (options.leads !== undefined) overrides.leads = path.resolve(cwd, options.leads);
  const resolved = resolveSimulationInputs(json, path.dirname(config.absolute), overrides);
  const missing = missingInputs(resolved);
  if (missing.length > 0 || !resolved.profiles || !resolved.leads) {
    const example = missing.map((kind) => `"${kind}": "./…"`).join(', ');
    throw new CliError(
      [
        `no ${missing.join(' and no ')} file for ${config.display}`,
        `give ${missing.map((kind) => `--${kind} FILE`).join(' and ')}, or set "simulation": {${example}} in the config (paths relative to the config)`,
      ],
      'usage',
    );
  }
  const shown = (absolute: string): InputPath => ({
    absolute,
    display: toForwardSlashes(isInside(cwd, absolute) ? path.relative(cwd, absolute) : absolute),
  });
  return { profiles: shown(resolved.profiles), leads: shown(resolved.leads) };
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
  const findings = service.validate(TextDocument.create(uri, 'aep-destination', 0, loaded.text));
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.length > 0) {
    const report = { ...loaded, findings: errors };
    ctx.io.stderr(
      formatText({
        reports: [report],
        summary: { errors: errors.length, warnings: 0 },
        cwd: ctx.cwd,
        tool: ctx.tool,
      }),
    );
    ctx.io.stderr(`aep-dest: ${configPath.display} has errors: fix them before simulating\n`);
    return 1;
  }
  const json: unknown = parseJsonc(loaded.text, [], { allowTrailingComma: true });
  if (!isJsonObject(json)) throw new CliError(`${configPath.display}: not a JSON object`, 'file');
  let config: SimulationConfig;
  try {
    config = configFromJson(json);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new CliError(`${configPath.display}: ${message}`, 'file');
  }
  const inputs = inputPaths(options, json, configPath, ctx.cwd);
  const profiles = readInput(inputs.profiles, readProfiles);
  const result = simulate(config, profiles, readInput(inputs.leads, readLeads));
  const meta: ReportMeta = {
    configName: typeof json.name === 'string' ? json.name : path.basename(configPath.display),
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
  const chunks = reportChunks(options.format, result, meta, color);
  if (options.out === undefined) {
    for (const chunk of chunks) ctx.io.stdout(chunk);
    return 0;
  }
  const target = path.resolve(ctx.cwd, options.out);
  try {
    writeAtomically(target, chunks);
  } catch (error) {
    throw new CliError(
      `cannot write ${toForwardSlashes(options.out)}: ${describeFsError(error)}`,
      'file',
    );
  }
  return 0;
}

/** The report as chunks: JSON streamed outcome batch by outcome batch, others whole. */
function reportChunks(
  format: SimulateFormat,
  result: SimulationResult,
  meta: ReportMeta,
  color: boolean,
): Iterable<string> {
  switch (format) {
    case 'json':
      return (function* () {
        yield* jsonReportChunks(result);
        yield '\n';
      })();
    case 'markdown':
      return [toMarkdownReport(result, meta)];
    case 'csv':
      return [toCsvReport(result)];
    case 'text':
      return [toTextPlan(result, meta, { color })];
  }
}

export const simulateCommand: CliCommand = {
  usage: SIMULATE_USAGE,
  run: runSimulate,
};
