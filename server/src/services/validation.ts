import {
  CONFIG_RULES,
  DOCUMENT_RULES,
  MAPPINGS_FILE_RULES,
  internalErrorRule,
} from '../rules/ruleTable';
import type { CatalogState, PartitionState } from '../engine/catalogLoader';
import type { RuleContext, RuleDefinition } from '../rules/ruleTypes';
import { type DestinationDocument, type JsonNode, KEYS_ONLY } from '../engine/document';
import { ALL_RULES } from '../rules/ruleTable';
import { type SuppressionOutcome, applySuppressions } from '../rules/suppressionRules';
import type { Finding, FindingData, Range, Severity } from '../engine/types';
import type { AccessDecision } from '../engine/fileAccess';
import type { MappingFileState } from '../engine/mappingFileLoader';

export interface ValidationOptions {
  /** Base URI of docs/rules/, ending with a slash; each finding links to `<base><code>.md`. */
  docsBaseUri: string;
  /** Codes the user turned off (setting or CLI flag). */
  disabledRules?: ReadonlySet<string>;
  /** Ignore every suppression comment (`--no-inline-config`): report what they would hide. */
  noInlineConfig?: boolean;
  /** The lead partitions named by `marketoPartitions`; none when not given. */
  partitions?: PartitionState;
  /** Whether a file the config names may be read (fileAccess.ts); everything when absent. */
  access?: (relative: string) => AccessDecision | undefined;
  /** The shared mappings file `mappings` names (attached to the document as its mappings). */
  mappingFile?: MappingFileState;
}

function isRange(at: JsonNode | Range): at is Range {
  return 'start' in at;
}

export function ruleDocsHref(docsBaseUri: string, code: string): string {
  return `${docsBaseUri}${code}.md`;
}

/** Every finding of every rule on one parsed document, in document order, but the suppressed. */
export function validateDocument(
  doc: DestinationDocument,
  catalog: CatalogState,
  options: ValidationOptions,
): Finding[] {
  return validateDocumentReport(doc, catalog, options).findings;
}

/** The findings to show, and those suppression comments hide (which SARIF still lists). */
export type ValidationReport = SuppressionOutcome;

/** What validateDocument returns, with the findings suppression comments hid. */
export function validateDocumentReport(
  doc: DestinationDocument,
  catalog: CatalogState,
  options: ValidationOptions,
): ValidationReport {
  const run = ruleRunner(doc, catalog, options);
  for (const rule of rulesFor(doc)) run.rule(rule);
  return suppress(doc, run.findings(), options);
}

const KNOWN_CODES = new Set(ALL_RULES.map((rule) => rule.code));

function suppress(
  doc: DestinationDocument,
  findings: Finding[],
  options: ValidationOptions,
): ValidationReport {
  if (options.noInlineConfig) return { findings, suppressed: [] };
  return applySuppressions(doc, findings, {
    knownCodes: KNOWN_CODES,
    disabledRules: options.disabledRules,
    href: (code) => ruleDocsHref(options.docsBaseUri, code),
  });
}

/**
 * What validateDocument returns, computed one rule at a time: `pause` runs between two rules
 * (the language server yields to its event loop there, so requests are answered in between)
 * and resolves false when the result is no longer wanted (a newer version of the text came):
 * the validation then stops and resolves undefined.
 */
export async function validateDocumentInSlices(
  doc: DestinationDocument,
  catalog: CatalogState,
  options: ValidationOptions,
  pause: () => Promise<boolean>,
): Promise<Finding[] | undefined> {
  const run = ruleRunner(doc, catalog, options);
  for (const rule of rulesFor(doc)) {
    if (!(await pause())) return undefined;
    run.rule(rule);
  }
  return suppress(doc, run.findings(), options).findings;
}

function rulesFor(doc: DestinationDocument): RuleDefinition[] {
  if (doc.isMappingsFile) return MAPPINGS_FILE_RULES;
  return doc.rootObject ? [...DOCUMENT_RULES, ...CONFIG_RULES] : DOCUMENT_RULES;
}

type Report = Parameters<RuleContext['report']>;

/** What a `keysOnly` rule reports, kept with the document (and carried to its next version). */
function keptReports(rule: RuleDefinition, ctx: RuleContext): readonly Report[] {
  return ctx.doc.cached(KEYS_ONLY + rule.code, () => {
    const kept: Report[] = [];
    rule.check({
      ...ctx,
      report: (...args) => {
        // A range does not move with the patched tree, a node does.
        if (isRange(args[0])) throw new Error('a keysOnly rule reports on nodes only');
        kept.push(args);
      },
    });
    return kept;
  });
}

function ruleRunner(
  doc: DestinationDocument,
  catalog: CatalogState,
  options: ValidationOptions,
): { rule(rule: RuleDefinition): void; findings(): Finding[] } {
  const findings: Finding[] = [];
  const partitions: PartitionState = options.partitions ?? { status: 'none' };
  const access = options.access ?? (() => undefined);
  const mappingFile: MappingFileState = options.mappingFile ?? { status: 'none' };
  const run = (rule: RuleDefinition): void => {
    if (options.disabledRules?.has(rule.code)) return;
    const report = (
      at: JsonNode | Range,
      message: string,
      data?: FindingData,
      severity?: Severity,
    ): void => {
      // A node of the shared mappings file: the finding is in that file.
      const owner = isRange(at) ? doc : doc.ownerOf(at);
      findings.push({
        code: rule.code,
        severity: severity ?? rule.severity,
        message,
        range: isRange(at) ? at : owner.rangeOf(at),
        href: ruleDocsHref(options.docsBaseUri, rule.code),
        ...(data ? { data } : {}),
        ...(owner === doc ? {} : { uri: owner.uri }),
      });
    };
    const ctx = { doc, catalog, partitions, report, access, mappingFile };
    try {
      if (rule.keysOnly) for (const kept of keptReports(rule, ctx)) report(...kept);
      else rule.check(ctx);
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
  return {
    rule: run,
    findings: () =>
      findings.sort(
        (a, b) =>
          a.range.start.line - b.range.start.line ||
          a.range.start.character - b.range.start.character,
      ),
  };
}
