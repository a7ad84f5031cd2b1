/**
 * Findings in a shared mappings file, apart from the config's: validation reports them on that
 * file's nodes (they carry its URI), and this splits them off. The config keeps one summary on
 * its `"mappings"` path, so it shows them whether or not the shared file is open; the editor
 * publishes the rest on the shared file, the CLI prints them under its path.
 */
import * as l10n from '@vscode/l10n';
import type { DestinationDocument } from '../engine/document';
import type { MappingFileState } from '../engine/mappingFileLoader';
import type { Finding, Severity } from '../engine/types';
import { mappingsFileFindingsRule } from '../rules/mappingFileRules';
import { ruleDocsHref } from './validation';

/** The findings in one shared mappings file, as a config's validation found them. */
export interface SharedFileFindings {
  /** The file's URI (its editor's, when it is open). */
  uri: string;
  /** The path as the config writes it. */
  path: string;
  absolute: string;
  /** In that file's positions; each carries `uri`. */
  findings: Finding[];
}

export interface ValidationResult {
  /** The config's own findings, with the summary of those in the shared file. */
  findings: Finding[];
  /** The findings in the shared mappings file the config names, when it was read. */
  sharedFile?: SharedFileFindings;
}

/** Most severe first. */
const RANK: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

/** How many findings the summary quotes; it counts the others. */
const QUOTED = 3;

export function splitSharedFindings(
  doc: DestinationDocument,
  findings: Finding[],
  state: MappingFileState,
  options: { docsBaseUri: string; disabledRules?: ReadonlySet<string> },
): ValidationResult {
  const own = findings.filter((f) => f.uri === undefined);
  if (state.status !== 'loaded') return { findings: own };
  const shared = findings.filter((f) => f.uri !== undefined);
  const sharedFile: SharedFileFindings = {
    uri: state.uri,
    path: state.path,
    absolute: state.absolute,
    findings: shared,
  };
  const reference = doc.value('mappings');
  const code = mappingsFileFindingsRule.code;
  if (!shared.length || !reference || options.disabledRules?.has(code))
    return { findings: own, sharedFile };
  const summary: Finding = {
    code,
    severity: shared.reduce<Severity>(
      (worst, f) => (RANK[f.severity] < RANK[worst] ? f.severity : worst),
      'hint',
    ),
    message: summaryMessage(state.path, shared),
    range: doc.rangeOf(reference),
    href: ruleDocsHref(options.docsBaseUri, code),
  };
  const at = own.findIndex(
    (f) =>
      f.range.start.line > summary.range.start.line ||
      (f.range.start.line === summary.range.start.line &&
        f.range.start.character > summary.range.start.character),
  );
  own.splice(at < 0 ? own.length : at, 0, summary);
  return { findings: own, sharedFile };
}

function summaryMessage(path: string, findings: Finding[]): string {
  const quoted = findings
    .slice(0, QUOTED)
    .map((f) => l10n.t('line {0}: {1} ({2})', f.range.start.line + 1, f.message, f.code));
  if (findings.length > QUOTED) quoted.push(l10n.t('and {0} more', findings.length - QUOTED));
  const list = quoted.join('; ');
  return findings.length === 1
    ? l10n.t('1 finding in {0}: {1}', path, list)
    : l10n.t('{0} findings in {1}: {2}', findings.length, path, list);
}
