/**
 * The checks across files and the tree of a workspace's destinations, over summaries
 * (rules/configSummary.ts): pure, so the CLI (the files it was given) and the language server
 * (the workspace's files, open ones as typed) share them.
 */
import type { ConfigSummary } from '../rules/configSummary';
import { CROSS_FILE_RULES, internalErrorRule } from '../rules/ruleTable';
import type { Finding, Range, Severity } from '../engine/types';
import { ruleDocsHref } from './validation';

export interface CrossFileOptions {
  docsBaseUri: string;
  /** The codes turned off for a file (its settings; the CLI's --disable for every file). */
  disabledRules?: (uri: string) => ReadonlySet<string>;
}

function byPosition(a: Finding, b: Finding): number {
  return (
    a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character
  );
}

/**
 * The findings of the cross-file rules, per config URI (only URIs with findings). A config takes
 * part in a rule when it has what the rule compares: a recognisable Munchkin ID and a dedupe
 * field for conflicting-dedupe-field, a Munchkin ID and a workspace for duplicate-activation.
 */
export function validateAcross(
  configs: readonly ConfigSummary[],
  options: CrossFileOptions,
): Map<string, Finding[]> {
  const findings = new Map<string, Finding[]>();
  const add = (uri: string, finding: Finding): void => {
    const list = findings.get(uri);
    if (list) list.push(finding);
    else findings.set(uri, [finding]);
  };
  for (const rule of CROSS_FILE_RULES) {
    try {
      rule.checkAcross(configs, (uri, range, message, related) => {
        if (options.disabledRules?.(uri).has(rule.code)) return;
        add(uri, {
          code: rule.code,
          severity: rule.severity,
          message,
          range,
          href: ruleDocsHref(options.docsBaseUri, rule.code),
          related,
        });
      });
    } catch (error) {
      const first = configs[0];
      if (!first) continue;
      add(first.uri, {
        code: internalErrorRule.code,
        severity: internalErrorRule.severity,
        message: `Rule "${rule.code}" failed: ${error instanceof Error ? error.message : String(error)}`,
        range: { start: first.range.start, end: first.range.start },
        href: ruleDocsHref(options.docsBaseUri, internalErrorRule.code),
      });
    }
  }
  for (const list of findings.values()) list.sort(byPosition);
  return findings;
}

/** A file's own findings and its cross-file ones, in document order. */
export function mergeFindings(own: readonly Finding[], across: readonly Finding[]): Finding[] {
  return across.length ? [...own, ...across].sort(byPosition) : [...own];
}

export interface FindingCounts {
  errors: number;
  warnings: number;
}

export function countFindings(findings: Iterable<{ severity: Severity }>): FindingCounts {
  const counts = { errors: 0, warnings: 0 };
  for (const f of findings) {
    if (f.severity === 'error') counts.errors++;
    else if (f.severity === 'warning') counts.warnings++;
  }
  return counts;
}

export interface TreeAudience {
  id: string;
  name: string | undefined;
  range: Range;
}

export interface TreeDestination extends FindingCounts {
  uri: string;
  name: string | undefined;
  dedupeField: string | undefined;
  range: Range;
  audiences: TreeAudience[];
}

export interface TreeWorkspace {
  /** As the first config (by URI) writes it; undefined for configs without one. */
  workspace: string | undefined;
  destinations: TreeDestination[];
}

export interface TreeInstance {
  /** Normalised (upper case); undefined for configs whose Munchkin ID is missing or unreadable. */
  munchkinId: string | undefined;
  workspaces: TreeWorkspace[];
}

function compareOptional(a: string | undefined, b: string | undefined): number {
  // The unknown group comes last.
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  return a.localeCompare(b);
}

/**
 * Marketo instance → workspace → destination → audiences, grouped as the rules compare them
 * (one node for "Default" and "default"), sorted by name, each destination with its counts.
 */
export function destinationTree(
  configs: readonly ConfigSummary[],
  counts: (uri: string) => FindingCounts,
): TreeInstance[] {
  const instances = new Map<string | undefined, Map<string | undefined, TreeWorkspace>>();
  const sorted = [...configs].sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
  for (const config of sorted) {
    const instanceKey = config.munchkinId?.key;
    let workspaces = instances.get(instanceKey);
    if (!workspaces) {
      workspaces = new Map<string | undefined, TreeWorkspace>();
      instances.set(instanceKey, workspaces);
    }
    const workspaceKey = config.workspace?.key;
    let workspace = workspaces.get(workspaceKey);
    if (!workspace) {
      workspace = { workspace: config.workspace?.value.trim(), destinations: [] };
      workspaces.set(workspaceKey, workspace);
    }
    workspace.destinations.push({
      uri: config.uri,
      name: config.name,
      dedupeField: config.dedupeField?.value,
      range: config.range,
      audiences: config.audiences.map((a) => ({ id: a.id, name: a.name, range: a.range })),
      ...counts(config.uri),
    });
  }
  return [...instances.entries()]
    .sort(([a], [b]) => compareOptional(a, b))
    .map(([munchkinId, workspaces]) => ({
      munchkinId,
      workspaces: [...workspaces.values()]
        .sort((a, b) => compareOptional(a.workspace, b.workspace))
        .map((w) => ({
          ...w,
          destinations: w.destinations.sort((a, b) =>
            (a.name ?? a.uri).localeCompare(b.name ?? b.uri),
          ),
        })),
    }));
}
