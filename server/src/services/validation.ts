import { CONFIG_RULES, DOCUMENT_RULES, internalErrorRule } from '../rules/ruleTable';
import type { CatalogState, PartitionState } from '../engine/catalogLoader';
import type { RuleDefinition } from '../rules/ruleTypes';
import type { DestinationDocument, JsonNode } from '../engine/document';
import type { Finding, FindingData, Range, Severity } from '../engine/types';

export interface ValidationOptions {
  /** Base URI of docs/rules/, ending with a slash; each finding links to `<base><code>.md`. */
  docsBaseUri: string;
  /** Codes the user turned off (setting or CLI flag). */
  disabledRules?: ReadonlySet<string>;
  /** The lead partitions named by `marketoPartitions`; none when not given. */
  partitions?: PartitionState;
}

function isRange(at: JsonNode | Range): at is Range {
  return 'start' in at;
}

export function ruleDocsHref(docsBaseUri: string, code: string): string {
  return `${docsBaseUri}${code}.md`;
}

/** Every finding of every rule on one parsed document, in document order. */
export function validateDocument(
  doc: DestinationDocument,
  catalog: CatalogState,
  options: ValidationOptions,
): Finding[] {
  const findings: Finding[] = [];
  const partitions: PartitionState = options.partitions ?? { status: 'none' };
  const run = (rule: RuleDefinition): void => {
    if (options.disabledRules?.has(rule.code)) return;
    const report = (
      at: JsonNode | Range,
      message: string,
      data?: FindingData,
      severity?: Severity,
    ): void => {
      findings.push({
        code: rule.code,
        severity: severity ?? rule.severity,
        message,
        range: isRange(at) ? at : doc.rangeOf(at),
        href: ruleDocsHref(options.docsBaseUri, rule.code),
        ...(data ? { data } : {}),
      });
    };
    try {
      rule.check({ doc, catalog, partitions, report });
    } catch (error) {
      findings.push({
        code: internalErrorRule.code,
        severity: internalErrorRule.severity,
        message: `Rule "${rule.code}" failed: ${error instanceof Error ? error.message : String(error)}`,
        range: doc.rangeOfOffsets(0, 0),
        href: ruleDocsHref(options.docsBaseUri, internalErrorRule.code),
      });
    }
  };
  DOCUMENT_RULES.forEach(run);
  if (doc.rootObject) CONFIG_RULES.forEach(run);
  return findings.sort(
    (a, b) =>
      a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
}
