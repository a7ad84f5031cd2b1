import {
  batchOnlyAudienceRule,
  duplicateAudienceRule,
  noAudiencesRule,
  tooManyAudiencesRule,
  unsupportedAudienceTypeRule,
} from './audienceRules';
import {
  dedupeFieldNotSearchableRule,
  marketoFieldCaseRule,
  marketoFieldsUnreadableRule,
  readOnlyMarketoFieldRule,
  unknownMarketoFieldRule,
} from './catalogRules';
import {
  invalidMunchkinIdRule,
  missingPersonActionRule,
  partitionNotAllowedRule,
  partitionWithoutEffectRule,
  personActionNotApplicableRule,
  secretInConfigRule,
} from './connectionRules';
import {
  type CrossFileRule,
  conflictingDedupeFieldRule,
  duplicateActivationRule,
} from './crossFileRules';
import { duplicateKeyRule, fileTooLargeRule, syntaxRule } from './documentRules';
import { pathOutsideWorkspaceRule, untrustedWorkspaceFileRule } from './fileAccessRules';
import {
  dedupeFieldOverwrittenRule,
  dedupeSourceMismatchRule,
  missingDedupeMappingRule,
  unsupportedDedupeFieldRule,
} from './dedupeRules';
import {
  duplicateMappingTargetRule,
  missingRequiredMappingRule,
  tooManyMappedAttributesRule,
  unsupportedArraySourceRule,
} from './mappingRules';
import {
  mappingsFileFindingsRule,
  mappingsFileShapeRule,
  mappingsFileUnreadableRule,
} from './mappingFileRules';
import { marketoPartitionsUnreadableRule, unknownPartitionRule } from './partitionRules';
import type { RuleDefinition } from './ruleTypes';
import { schemaRule } from './schemaRule';
import { unusedSuppressionRule } from './suppressionRules';

/** Rules that read the document text itself; they run whatever state the tree is in. */
export const DOCUMENT_RULES: RuleDefinition[] = [syntaxRule, fileTooLargeRule];

/** Rules that read the parsed config; they run when the text parsed into a tree. */
export const CONFIG_RULES: RuleDefinition[] = [
  duplicateKeyRule,
  schemaRule,
  invalidMunchkinIdRule,
  missingDedupeMappingRule,
  unsupportedDedupeFieldRule,
  dedupeSourceMismatchRule,
  dedupeFieldOverwrittenRule,
  missingRequiredMappingRule,
  duplicateMappingTargetRule,
  partitionNotAllowedRule,
  personActionNotApplicableRule,
  missingPersonActionRule,
  partitionWithoutEffectRule,
  unsupportedAudienceTypeRule,
  duplicateAudienceRule,
  batchOnlyAudienceRule,
  noAudiencesRule,
  tooManyMappedAttributesRule,
  tooManyAudiencesRule,
  unsupportedArraySourceRule,
  secretInConfigRule,
  marketoFieldsUnreadableRule,
  marketoFieldCaseRule,
  unknownMarketoFieldRule,
  readOnlyMarketoFieldRule,
  dedupeFieldNotSearchableRule,
  marketoPartitionsUnreadableRule,
  unknownPartitionRule,
  mappingsFileUnreadableRule,
  untrustedWorkspaceFileRule,
  pathOutsideWorkspaceRule,
];

/**
 * Rules over a set of configs (the CLI's files, the editor's workspace): workspaceValidation.ts
 * runs them; on one file they find nothing.
 */
export const CROSS_FILE_RULES: CrossFileRule[] = [
  conflictingDedupeFieldRule,
  duplicateActivationRule,
];

/** Reported when a rule itself fails, so a bug in one rule never hides the others. */
export const internalErrorRule: RuleDefinition = {
  code: 'internal-error',
  severity: 'warning',
  title: 'A rule failed while checking this file',
  source: 'The product itself: a bug report is welcome',
  check() {},
};

/**
 * The rules of a shared mappings file opened on its own (`*.mappings.json`): the text, the array
 * against the schema of a config's `mappings`, and what its mappings say whatever the config; the
 * rest needs the config that uses it (its dedupe field, sync type, catalog).
 */
export const MAPPINGS_FILE_RULES: RuleDefinition[] = [
  ...DOCUMENT_RULES,
  duplicateKeyRule,
  mappingsFileShapeRule,
  schemaRule,
  duplicateMappingTargetRule,
  unsupportedArraySourceRule,
];

export const ALL_RULES: RuleDefinition[] = [
  ...DOCUMENT_RULES,
  ...CONFIG_RULES,
  mappingsFileFindingsRule,
  ...CROSS_FILE_RULES,
  internalErrorRule,
  // Reported after every other rule, from their findings (services/validation.ts).
  unusedSuppressionRule,
];

const byCode = new Map(ALL_RULES.map((rule) => [rule.code, rule]));

export function ruleByCode(code: string): RuleDefinition | undefined {
  return byCode.get(code);
}
