import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DestinationLanguageService, type SharedFileFindings } from '../languageService';
import { mappingsFileFindingsRule } from '../rules/mappingFileRules';
import type { Finding } from '../engine/types';
import { StaticTextDocument } from '../engine/staticTextDocument';
import { ALL_RULES, ruleByCode } from '../rules/ruleTable';
import type { CliCommand, CommandContext } from './commandTypes';
import { type FileReport, FORMATS, format, type OutputFormat, summarize } from './formatters';
import { CliError } from './cliError';
import { expandInputs, isInside, readInputFile, toForwardSlashes } from './fileArgs';
import { oneOf, readCommandArgs } from './cliArgs';
import { addCrossFileFindings } from './crossFileReports';
import type { ConfigSummary } from '../rules/configSummary';

export const VALIDATE_USAGE = `Usage: aep-dest validate <file|dir|glob>... [options]

Validates AEP -> Marketo Engage destination configs (JSON with comments).
A directory means every **/*.destination.json and **/*.destination.jsonc below it
(node_modules and dot-directories skipped); a glob is expanded relative to the
current directory; a file is validated whatever its name.

The files a config names ("marketoFields", "marketoPartitions", a shared
"mappings" file) are read wherever they are, relative to the config:
the command line reads what you point it at. Findings in a shared mappings
file are printed under its own path, once however many configs use it.
(The editor does not: it reads nothing in Restricted Mode, and nothing outside the
workspace folder.)

Options:
  -f, --format <text|json|sarif>  Output format (default: text)
      --disable <code[,code]>     Turn rules off; repeatable
      --max-warnings <n>          Exit 1 when there are more than n warnings
      --no-inline-config          Ignore suppression comments (aep-dest-disable…)
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
  noInlineConfig: boolean;
}

const OPTIONS = {
  format: { type: 'string', short: 'f' },
  disable: { type: 'string', multiple: true },
  'max-warnings': { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  'no-inline-config': { type: 'boolean' },
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
    noInlineConfig: false,
  };
  for (const { name, value } of parsed) {
    switch (name) {
      case 'quiet':
        options.quiet = true;
        break;
      case 'no-inline-config':
        options.noInlineConfig = true;
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
  let suppressedCount = 0;
  const fileErrors: string[] = [];
  const shared: SharedFileFindings[] = [];
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
    // A file read once: positions from a line index made at memory speed (no edits to track).
    const document = new StaticTextDocument(uri, 0, loaded.text);
    const result = service.validateFiles(document, settings, {
      noInlineConfig: options.noInlineConfig,
    });
    // The cross-file rules compare two configs or more: one file alone needs no summary.
    const configSummary = inputs.length > 1 ? service.summarize(document, settings) : undefined;
    if (configSummary) summaries.push(configSummary);
    service.forget(uri);
    // The findings in a shared mappings file are printed under its own path: not summed up here.
    const findings = result.findings.filter((f) => f.code !== mappingsFileFindingsRule.code);
    const suppressed = result.suppressed;
    suppressedCount += suppressed.length;
    reports.push({
      displayPath: loaded.displayPath,
      absolutePath: loaded.absolutePath,
      byteLength: loaded.byteLength,
      findings,
      suppressed: options.quiet ? suppressed.filter((f) => f.severity === 'error') : suppressed,
    });
    if (result.sharedFile) shared.push(result.sharedFile);
  }
  // A file that could not be read makes the run unreliable: report it, print no results.
  if (fileErrors.length) throw new CliError(fileErrors, 'file');
  // The files given are one set: two destinations among them may conflict.
  addCrossFileFindings(reports, summaries, ctx.tool.docsBaseUri, { ...options, quiet: false });
  addSharedFileReports(reports, shared, ctx.cwd);
  for (const report of reports) {
    all.push(...report.findings);
    if (options.quiet) report.findings = report.findings.filter((f) => f.severity === 'error');
  }

  const summary = summarize(all, suppressedCount);
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

/**
 * One report per shared mappings file, after the configs (or merged into the file's own report
 * when it was given too): what every config that uses it found there, each finding once.
 */
function addSharedFileReports(reports: FileReport[], shared: SharedFileFindings[], cwd: string) {
  const byPath = new Map(reports.map((report) => [report.absolutePath, report]));
  const seen = new Map<string, Set<string>>();
  for (const file of shared) {
    let report = byPath.get(file.absolute);
    if (!report) {
      report = {
        displayPath: isInside(cwd, file.absolute)
          ? toForwardSlashes(path.relative(cwd, file.absolute))
          : file.absolute,
        absolutePath: file.absolute,
        byteLength: byteLengthOf(file.absolute),
        findings: [],
      };
      byPath.set(file.absolute, report);
      reports.push(report);
    }
    let keys = seen.get(file.absolute);
    if (!keys) {
      keys = new Set(report.findings.map(findingKey));
      seen.set(file.absolute, keys);
    }
    for (const finding of file.findings) {
      if (keys.has(findingKey(finding))) continue;
      keys.add(findingKey(finding));
      report.findings.push(finding);
    }
    report.findings.sort(
      (a, b) =>
        a.range.start.line - b.range.start.line ||
        a.range.start.character - b.range.start.character,
    );
  }
}

function findingKey(f: Finding): string {
  return `${f.code}|${f.range.start.line}:${f.range.start.character}|${f.message}`;
}

function byteLengthOf(absolute: string): number {
  try {
    return fs.statSync(absolute).size;
  } catch {
    return 0;
  }
}

export const validateCommand: CliCommand = {
  usage: VALIDATE_USAGE,
  run: runValidate,
};
