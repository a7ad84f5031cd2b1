import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DestinationLanguageService } from '../languageService';
import type { Finding } from '../engine/types';
import { ALL_RULES, ruleByCode } from '../rules/ruleTable';
import type { CliCommand, CommandContext } from './commandTypes';
import { type FileReport, FORMATS, format, type OutputFormat, summarize } from './formatters';
import { CliError } from './cliError';
import { expandInputs, readInputFile } from './fileArgs';
import { oneOf, readCommandArgs } from './cliArgs';
import { addCrossFileFindings } from './crossFileReports';
import type { ConfigSummary } from '../rules/configSummary';

export const VALIDATE_USAGE = `Usage: aep-dest validate <file|dir|glob>... [options]

Validates AEP -> Marketo Engage destination configs (JSON with comments).
A directory means every **/*.destination.json and **/*.destination.jsonc below it
(node_modules and dot-directories skipped); a glob is expanded relative to the
current directory; a file is validated whatever its name.

The files a config names ("marketoFields", "marketoPartitions") are read wherever
they are, relative to the config: the command line reads what you point it at.
(The editor does not: it reads nothing in Restricted Mode, and nothing outside the
workspace folder.)

Options:
  -f, --format <text|json|sarif>  Output format (default: text)
      --disable <code[,code]>     Turn rules off; repeatable
      --max-warnings <n>          Exit 1 when there are more than n warnings
  -q, --quiet                     Print errors only (counts still include warnings)
  -h, --help                      Show this help

Exit codes: 0 no errors, 1 errors found (or too many warnings),
            2 usage or file error.
`;

export interface ValidateOptions {
  paths: string[];
  format: OutputFormat;
  disabledRules: string[];
  maxWarnings: number | undefined;
  quiet: boolean;
}

const OPTIONS = {
  format: { type: 'string', short: 'f' },
  disable: { type: 'string', multiple: true },
  'max-warnings': { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Parses the validate arguments; `'help'` when help was asked for. Throws a usage CliError. */
export function parseValidateArgs(args: readonly string[]): ValidateOptions | 'help' {
  const { positionals, options: parsed, help, usage } = readCommandArgs('validate', args, OPTIONS);
  const options: ValidateOptions = {
    paths: positionals,
    format: 'text',
    disabledRules: [],
    maxWarnings: undefined,
    quiet: false,
  };
  for (const { name, value } of parsed) {
    switch (name) {
      case 'quiet':
        options.quiet = true;
        break;
      case 'format':
        options.format = oneOf(value, FORMATS, 'format', usage);
        break;
      case 'disable':
        for (const code of value
          .split(',')
          .map((c) => c.trim())
          .filter(Boolean)) {
          if (!ruleByCode(code)) {
            throw usage(
              `unknown rule code '${code}' in --disable (known: ${ALL_RULES.map((r) => r.code).join(', ')})`,
            );
          }
          options.disabledRules.push(code);
        }
        break;
      case 'max-warnings': {
        if (!/^\d+$/.test(value.trim())) {
          throw usage(`--max-warnings needs a non-negative integer, not '${value}'`);
        }
        options.maxWarnings = Number(value.trim());
        break;
      }
    }
  }
  if (help) return 'help';
  if (!options.paths.length) throw usage('no files given');
  return options;
}

/** `aep-dest validate …`: returns the exit code. */
export async function runValidate(args: readonly string[], ctx: CommandContext): Promise<number> {
  const options = parseValidateArgs(args);
  if (options === 'help') {
    ctx.io.stdout(VALIDATE_USAGE);
    return 0;
  }
  const inputs = await expandInputs(options.paths, ctx.cwd);
  const service = new DestinationLanguageService({ docsBaseUri: ctx.tool.docsBaseUri });
  const settings = { disabledRules: options.disabledRules };

  const reports: FileReport[] = [];
  const summaries: ConfigSummary[] = [];
  const all: Finding[] = [];
  const fileErrors: string[] = [];
  for (const input of inputs) {
    let loaded;
    try {
      loaded = await readInputFile(input);
    } catch (error) {
      if (error instanceof CliError) {
        fileErrors.push(...error.lines);
        continue;
      }
      throw error;
    }
    const uri = pathToFileURL(loaded.absolutePath).href;
    const document = TextDocument.create(uri, 'aep-destination', 0, loaded.text);
    const findings = service.validate(document, settings);
    const configSummary = service.summarize(document, settings);
    if (configSummary) summaries.push(configSummary);
    service.forget(uri);
    all.push(...findings);
    reports.push({
      displayPath: loaded.displayPath,
      absolutePath: loaded.absolutePath,
      byteLength: loaded.byteLength,
      findings: options.quiet ? findings.filter((f) => f.severity === 'error') : findings,
    });
  }
  // A file that could not be read makes the run unreliable: report it, print no results.
  if (fileErrors.length) throw new CliError(fileErrors, 'file');
  // The files given are one set: two destinations among them may conflict.
  all.push(...addCrossFileFindings(reports, summaries, ctx.tool.docsBaseUri, options));

  const summary = summarize(all);
  ctx.io.stdout(format(options.format, { reports, summary, cwd: ctx.cwd, tool: ctx.tool }));
  if (summary.errors > 0) return 1;
  if (options.maxWarnings !== undefined && summary.warnings > options.maxWarnings) {
    ctx.io.stderr(
      `aep-dest: ${summary.warnings} warning${summary.warnings === 1 ? '' : 's'} found, more than --max-warnings ${options.maxWarnings}\n`,
    );
    return 1;
  }
  return 0;
}

export const validateCommand: CliCommand = {
  usage: VALIDATE_USAGE,
  run: runValidate,
};
