/**
 * The command line's side of the checks across files: the files given to `validate` are one set,
 * and its cross-file findings go into each file's report (relatedLocations.ts prints where they
 * point).
 */
import { pathToFileURL } from 'node:url';
import type { Finding } from '../engine/types';
import type { ConfigSummary } from '../rules/configSummary';
import { mergeFindings, validateAcross } from '../services/workspaceValidation';
import type { FileReport } from './formatters';

/**
 * Runs the cross-file rules over the files' summaries and adds each finding to its file's
 * report (errors only with --quiet). Returns every cross-file finding, for the summary counts.
 */
export function addCrossFileFindings(
  reports: FileReport[],
  summaries: readonly ConfigSummary[],
  docsBaseUri: string,
  options: { disabledRules: readonly string[]; quiet: boolean },
): Finding[] {
  const disabled = new Set(options.disabledRules);
  const across = validateAcross(summaries, { docsBaseUri, disabledRules: () => disabled });
  const all: Finding[] = [];
  for (const report of reports) {
    const found = across.get(pathToFileURL(report.absolutePath).href);
    if (!found) continue;
    all.push(...found);
    const shown = options.quiet ? found.filter((f) => f.severity === 'error') : found;
    report.findings = mergeFindings(report.findings, shown);
  }
  return all;
}
