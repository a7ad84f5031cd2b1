/**
 * Shared mappings files (`"mappings": "./mappings/standard.mappings.json"`): the file the
 * config names cannot be used, the findings in it summed up on the reference, and the shape
 * of such a file opened on its own.
 */
import * as l10n from '@vscode/l10n';
import { unreadableFileRule } from './catalogRules';
import type { RuleDefinition } from './ruleTypes';

const MAPPING = 'Marketo Engage Connection page, "Mapping" (the mapping step of the activation)';

export const mappingsFileUnreadableRule = unreadableFileRule(
  {
    code: 'mappings-file-unreadable',
    title: 'The shared mappings file is missing, not JSON, or not an array of mappings',
    source: MAPPING,
  },
  'mappings',
  (message) => l10n.t('Cannot use the shared mappings file: {0}', message),
  (ctx) => ctx.mappingFile,
);

/**
 * Not run as a rule: validation makes this finding on the config's `mappings` path when rules
 * found something in the shared file (services/validation.ts), so the config shows it whether or
 * not that file is open. Its severity is the worst of theirs.
 */
export const mappingsFileFindingsRule: RuleDefinition = {
  code: 'mappings-file-findings',
  severity: 'error',
  title: 'The shared mappings file the config names has findings',
  source: MAPPING,
  check() {},
};

/** A mappings file opened on its own must hold the array (the rest is the `schema` rule's). */
export const mappingsFileShapeRule: RuleDefinition = {
  code: 'schema',
  severity: 'error',
  title: 'A shared mappings file holds an array of mappings',
  source: MAPPING,
  check(ctx) {
    const root = ctx.doc.root;
    if (ctx.doc.notParsed || !root || root.type === 'array') return;
    ctx.report(
      root,
      l10n.t(
        'A shared mappings file holds an array of mappings (objects with "source" and "target"), not {0}.',
        root.type === 'object' ? l10n.t('an object') : root.type,
      ),
    );
  },
};
