import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { pathToFileURL } from 'node:url';
import type * as sarif from 'sarif';
import type { Finding, Severity } from '../engine/types';
import { ruleDocsHref } from '../services/validation';
import { ALL_RULES } from '../rules/ruleTable';
import type { RuleDefinition } from '../rules/ruleTypes';
import type { SuppressedFinding } from '../rules/suppressionRules';
import { oneLine } from './cliError';
import { isInside, toForwardSlashes } from './fileArgs';
import { relatedJson, relatedSarif, relatedTextLines } from './relatedLocations';

export const FORMATS = ['text', 'json', 'sarif'] as const;
export type OutputFormat = (typeof FORMATS)[number];

/** One validated file: what to print about it. */
export interface FileReport {
  /** Path as given or relative to cwd, with forward slashes. */
  displayPath: string;
  absolutePath: string;
  byteLength: number;
  /** The findings to print (already filtered by --quiet). */
  findings: Finding[];
  /** What suppression comments hid (filtered alike): only SARIF lists them. */
  suppressed?: SuppressedFinding[];
}

/** Counts over every finding, printed or not; suppressed ones count apart. */
export interface Summary {
  errors: number;
  warnings: number;
  suppressed?: number;
}

export interface ToolInfo {
  version: string;
  informationUri: string | undefined;
  docsBaseUri: string;
}

export interface FormatInput {
  reports: FileReport[];
  summary: Summary;
  cwd: string;
  tool: ToolInfo;
}

export function summarize(findings: Iterable<Finding>, suppressed = 0): Summary {
  const summary: Summary = { errors: 0, warnings: 0, suppressed };
  for (const finding of findings) {
    if (finding.severity === 'error') summary.errors++;
    else if (finding.severity === 'warning') summary.warnings++;
  }
  return summary;
}

export function format(kind: OutputFormat, input: FormatInput): string {
  switch (kind) {
    case 'text':
      return formatText(input);
    case 'json':
      return formatJson(input);
    case 'sarif':
      return formatSarif(input);
  }
}

/** `path:line:col severity code message` per finding (1-based), then a summary line. */
export function formatText({ reports, summary, cwd }: FormatInput): string {
  const lines: string[] = [];
  for (const report of reports) {
    for (const f of report.findings) {
      const { line, character } = f.range.start;
      lines.push(
        `${report.displayPath}:${line + 1}:${character + 1} ${f.severity} ${f.code} ${oneLine(f.message)}`,
        ...relatedTextLines(f, reports, cwd),
      );
    }
  }
  const hidden = summary.suppressed ? ` (${l10n.t('{0} suppressed', summary.suppressed)})` : '';
  lines.push(
    l10n.t(
      '{0}: {1}, {2}',
      reports.length === 1 ? l10n.t('1 file checked') : l10n.t('{0} files checked', reports.length),
      summary.errors === 1 ? l10n.t('1 error') : l10n.t('{0} errors', summary.errors),
      summary.warnings === 1 ? l10n.t('1 warning') : l10n.t('{0} warnings', summary.warnings),
    ) + hidden,
  );
  return lines.join('\n') + '\n';
}

/**
 * One JSON document; each diagnostic has exactly code, severity, message and range (0-based),
 * and a cross-file one also relatedInformation (the other file's path, message and range).
 */
export function formatJson({ reports, summary, cwd }: FormatInput): string {
  const document = {
    files: reports.map((report) => ({
      path: report.displayPath,
      diagnostics: report.findings.map((f) => ({
        code: f.code,
        severity: f.severity,
        message: f.message,
        range: {
          start: { line: f.range.start.line, character: f.range.start.character },
          end: { line: f.range.end.line, character: f.range.end.character },
        },
        ...relatedJson(f, reports, cwd),
      })),
    })),
    summary: {
      errors: summary.errors,
      warnings: summary.warnings,
      suppressed: summary.suppressed ?? 0,
    },
  };
  return JSON.stringify(document, null, 2) + '\n';
}

export const SRCROOT = '%SRCROOT%';

const LEVEL: Record<Severity, sarif.ReportingConfiguration.level> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'note',
};

/**
 * SARIF's `name` for the rules whose PascalCase code would equal their id but for case, which
 * the validator rejects (SARIF1001): a name says what the rule is about.
 */
const SARIF_NAMES: Readonly<Record<string, string>> = {
  syntax: 'InvalidJsonWithComments',
  schema: 'SchemaViolation',
};

/** The rule's SARIF `name`: a readable identifier that is never its `id`. */
export function sarifName(rule: RuleDefinition): string {
  return SARIF_NAMES[rule.code] ?? pascalCase(rule.code);
}

/** `missing-person-action` -> `MissingPersonAction`. */
export function pascalCase(code: string): string {
  return code
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]?.toUpperCase() + part.slice(1))
    .join('');
}

function encodeRelativeUri(relativePath: string): string {
  return toForwardSlashes(relativePath).split('/').map(encodeURIComponent).join('/');
}

/** The artifact location of a file: relative to %SRCROOT% when under cwd, else an absolute file URI. */
function artifactLocation(
  report: Pick<FileReport, 'absolutePath'>,
  cwd: string,
): sarif.ArtifactLocation {
  if (isInside(cwd, report.absolutePath)) {
    return { uri: encodeRelativeUri(path.relative(cwd, report.absolutePath)), uriBaseId: SRCROOT };
  }
  return { uri: pathToFileURL(report.absolutePath).href };
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** SARIF 2.1.0 with one run; every rule is listed so ruleIndex is stable across runs. */
export function formatSarif({ reports, cwd, tool }: FormatInput): string {
  const ruleIndex = new Map(ALL_RULES.map((rule, index) => [rule.code, index]));
  const rules: sarif.ReportingDescriptor[] = ALL_RULES.map((rule) => ({
    id: rule.code,
    name: sarifName(rule),
    shortDescription: { text: rule.title },
    fullDescription: { text: `${sentence(rule.title)} Source: ${sentence(rule.source)}` },
    helpUri: ruleDocsHref(tool.docsBaseUri, rule.code),
    defaultConfiguration: { level: LEVEL[rule.severity] },
  }));
  const artifacts: sarif.Artifact[] = [];
  const results: sarif.Result[] = [];
  reports.forEach((report, index) => {
    const location = artifactLocation(report, cwd);
    artifacts.push({
      location,
      length: report.byteLength,
      mimeType: 'application/json',
      sourceLanguage: 'jsonc',
    });
    const physical = (range: Finding['range']): sarif.PhysicalLocation => ({
      artifactLocation: { ...location, index },
      region: {
        startLine: range.start.line + 1,
        startColumn: range.start.character + 1,
        endLine: range.end.line + 1,
        // SARIF's endColumn is the column after the region, as LSP's end character is.
        endColumn: range.end.character + 1,
      },
    });
    const result = (f: Finding): sarif.Result => {
      const made: sarif.Result = {
        ruleId: f.code,
        level: LEVEL[f.severity],
        message: { text: f.message },
        locations: [{ physicalLocation: physical(f.range) }],
        ...relatedSarif(f, reports, cwd, (absolutePath) => artifactLocation({ absolutePath }, cwd)),
      };
      const rule = ruleIndex.get(f.code);
      if (rule !== undefined) made.ruleIndex = rule;
      return made;
    };
    for (const f of report.findings) results.push(result(f));
    // Kept, as code scanning expects, with where and why they were suppressed.
    for (const f of report.suppressed ?? []) {
      results.push({
        ...result(f),
        suppressions: f.suppressions.map((s) => ({
          kind: 'inSource',
          ...(s.justification ? { justification: s.justification } : {}),
          location: { physicalLocation: physical(s.range) },
        })),
      });
    }
  });
  const driver: sarif.ToolComponent = {
    name: 'aep-dest',
    version: tool.version,
    semanticVersion: tool.version,
    rules,
  };
  if (tool.informationUri) driver.informationUri = tool.informationUri;
  const log: sarif.Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver },
        originalUriBaseIds: {
          [SRCROOT]: { uri: pathToFileURL(cwd).href.replace(/\/?$/, '/') },
        },
        artifacts,
        results,
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
