import * as l10n from '@vscode/l10n';
import { closest, distance } from 'fastest-levenshtein';
import {
  DEDUPE_TARGET,
  STANDARD_CATALOG,
  isUnsupportedDedupeField,
} from '../knowledge/marketoFields';
import type { FieldCatalog } from '../knowledge/marketoFields';
import type { MappingEntry, StringProperty } from '../engine/document';
import { replaceNodeEdit, setValueEdits } from '../engine/edits';
import type { RuleContext, RuleDefinition } from './ruleTypes';

const CATALOG =
  'domain.md, Identity and mappings (public docs: /rest/v1/leads/describe.json and describe2.json)';

function loadedCatalog(ctx: RuleContext): FieldCatalog | undefined {
  return ctx.catalog.status === 'loaded' ? ctx.catalog.catalog : undefined;
}

/**
 * The field a name means when it differs from it only in case (REST names are case-sensitive:
 * `Email` is no field, `email` is), from the instance's catalog or else the standard fields.
 */
function caseMismatch(catalog: FieldCatalog, name: string, isTarget: boolean): string | undefined {
  return CaseLookup.of(catalog).mismatch(name, isTarget);
}

const DEDUPE_TARGET_LOWER = DEDUPE_TARGET.toLowerCase();

/**
 * Per catalog's field list: each lower-cased name to the first field that has it. A rule over
 * every mapping takes the lookup once, not once per mapping. Answers are not remembered: a
 * lookup is two hash probes and a toLowerCase, cheaper than remembering 10,000 answers in a
 * process that validates once (the command line).
 */
class CaseLookup {
  private static readonly byFields = new WeakMap<readonly { name: string }[], CaseLookup>();
  private readonly lowerCaseNames = new Map<string, string>();

  private constructor(private readonly catalog: FieldCatalog) {
    for (const field of catalog.fields) {
      const lower = field.name.toLowerCase();
      if (!this.lowerCaseNames.has(lower)) this.lowerCaseNames.set(lower, field.name);
    }
  }

  static of(catalog: FieldCatalog): CaseLookup {
    let lookup = CaseLookup.byFields.get(catalog.fields);
    if (!lookup) {
      lookup = new CaseLookup(catalog);
      CaseLookup.byFields.set(catalog.fields, lookup);
    }
    return lookup;
  }

  mismatch(name: string, isTarget: boolean): string | undefined {
    const trimmed = name.trim();
    if (this.catalog.byName.has(trimmed) || (isTarget && trimmed === DEDUPE_TARGET))
      return undefined;
    const lower = trimmed.toLowerCase();
    if (isTarget && lower === DEDUPE_TARGET_LOWER) return DEDUPE_TARGET;
    return this.lowerCaseNames.get(lower);
  }
}

export const marketoFieldCaseRule: RuleDefinition = {
  code: 'marketo-field-case',
  severity: 'error',
  title: 'A Marketo field name is written in the wrong case',
  source: `${CATALOG} (REST API names); Marketo Engage Connection page, "Mapping"`,
  check(ctx) {
    const catalog = loadedCatalog(ctx) ?? STANDARD_CATALOG;
    const report = (node: StringProperty, meant: string, property: string): void =>
      ctx.report(
        node.node,
        l10n.t(
          '"{0}" is not a Marketo field: REST names are case-sensitive. Did you mean "{1}"?',
          node.value,
          meant,
        ),
        { replacements: [meant], property },
      );
    const dedupe = ctx.doc.stringValue('dedupeField');
    const meant = dedupe && caseMismatch(catalog, dedupe.value, false);
    if (dedupe && meant && !isUnsupportedDedupeField(dedupe.value))
      report(dedupe, meant, 'dedupeField');
    const lookup = CaseLookup.of(catalog);
    const mappings = ctx.doc.mappings;
    for (let i = 0; i < mappings.length; i++) {
      const target = (mappings[i] as MappingEntry).target;
      const field = target && lookup.mismatch(target.value, true);
      if (target && field) report(target, field, 'target');
    }
  },
  fix({ doc, data, startsAt }) {
    const replacement = data?.replacements?.[0];
    if (!replacement) return [];
    const node =
      data.property === 'dedupeField'
        ? doc.stringValue('dedupeField')
        : doc.mappings.find((m) => m.target && startsAt(m.target.node))?.target;
    if (!node || !startsAt(node.node)) return [];
    // The right name already written by another mapping: renaming would write it twice.
    if (
      data.property === 'target' &&
      doc.mappings.some((m) => m.target?.value === replacement && m.target.node !== node.node)
    )
      return [];
    return [
      {
        title: l10n.t('Change to "{0}"', replacement),
        edits: [replaceNodeEdit(doc, node.node, replacement)],
        isPreferred: true,
      },
    ];
  },
};

/**
 * A file the config names (the field catalog, the partitions) that cannot be used: one error
 * on the path, saying why, instead of rules that silently check against nothing.
 */
export function unreadableFileRule(
  rule: Pick<RuleDefinition, 'code' | 'title' | 'source'>,
  property: string,
  cannotUse: (message: string) => string,
  state: (ctx: RuleContext) => { status: string; message?: string },
): RuleDefinition {
  return {
    ...rule,
    severity: 'error',
    check(ctx) {
      const { status, message } = state(ctx);
      const value = ctx.doc.value(property);
      if (status === 'error' && value) ctx.report(value, cannotUse(message ?? ''));
    },
  };
}

export const marketoFieldsUnreadableRule = unreadableFileRule(
  {
    code: 'marketo-fields-unreadable',
    title: 'The marketoFields catalog file is missing or is not a describe/describe2 output',
    source: CATALOG,
  },
  'marketoFields',
  (message) => l10n.t('Cannot use the field catalog: {0}', message),
  (ctx) => ctx.catalog,
);

export const unknownMarketoFieldRule: RuleDefinition = {
  code: 'unknown-marketo-field',
  severity: 'warning',
  title: 'A mapping target is not a field of the Marketo instance',
  source: `${CATALOG}; Marketo Engage Connection page, "Mapping"`,
  check(ctx) {
    const catalog = loadedCatalog(ctx);
    if (!catalog) return;
    const names = catalog.fields.map((f) => f.name);
    const lookup = CaseLookup.of(catalog);
    const mappings = ctx.doc.mappings;
    for (let i = 0; i < mappings.length; i++) {
      const target = (mappings[i] as MappingEntry).target;
      if (!target || target.value === DEDUPE_TARGET || catalog.byName.has(target.value)) continue;
      if (lookup.mismatch(target.value, true)) continue; // marketo-field-case says it
      const near = names.length ? closest(target.value, names) : undefined;
      const meant =
        near && distance(target.value.toLowerCase(), near.toLowerCase()) <= 3 ? near : undefined;
      const path = ctx.catalog.status === 'loaded' ? ctx.catalog.path : '';
      ctx.report(
        target.node,
        meant
          ? l10n.t(
              '"{0}" is not a field of this Marketo instance ({1}); the value would be dropped. Did you mean "{2}"?',
              target.value,
              path,
              meant,
            )
          : l10n.t(
              '"{0}" is not a field of this Marketo instance ({1}); the value would be dropped.',
              target.value,
              path,
            ),
        meant ? { replacements: [meant] } : undefined,
      );
    }
  },
  fix({ doc, data, startsAt }) {
    const replacement = data?.replacements?.[0];
    const mapping = doc.mappings.find((m) => m.target && startsAt(m.target.node));
    if (!replacement || !mapping) return [];
    return [
      {
        title: l10n.t('Change to "{0}"', replacement),
        edits: setValueEdits(doc, ['mappings', mapping.index, 'target'], replacement),
        isPreferred: true,
      },
    ];
  },
};

export const readOnlyMarketoFieldRule: RuleDefinition = {
  code: 'read-only-marketo-field',
  severity: 'error',
  title: 'A mapping writes a read-only Marketo field',
  source: `${CATALOG} (rest.readOnly / updateable); standard fields id, createdAt and updatedAt`,
  check(ctx) {
    const catalog = loadedCatalog(ctx) ?? STANDARD_CATALOG;
    const mappings = ctx.doc.mappings;
    for (let i = 0; i < mappings.length; i++) {
      const target = (mappings[i] as MappingEntry).target;
      const field = target && catalog.byName.get(target.value);
      if (field?.readOnly && target) {
        ctx.report(
          target.node,
          l10n.t(
            '"{0}" ({1}) is read-only in Marketo: the export cannot write it.',
            field.name,
            field.displayName,
          ),
        );
      }
    }
  },
};

export const dedupeFieldNotSearchableRule: RuleDefinition = {
  code: 'dedupe-field-not-searchable',
  severity: 'error',
  title: 'dedupeField is not a searchable field of the Marketo instance',
  source:
    'Marketo Engage Connection page, "Marketo deduplication field" (the picker lists fields marked searchable)',
  check(ctx) {
    const catalog = loadedCatalog(ctx);
    const dedupe = ctx.doc.stringValue('dedupeField');
    if (!catalog || !dedupe || isUnsupportedDedupeField(dedupe.value)) return;
    if (caseMismatch(catalog, dedupe.value, false)) return; // marketo-field-case says it
    const field = catalog.byName.get(dedupe.value.trim());
    if (!field) {
      ctx.report(
        dedupe.node,
        l10n.t(
          '"{0}" is not a field of this Marketo instance, so it cannot be a deduplication field.',
          dedupe.value,
        ),
      );
    } else if (catalog.knowsSearchable && !field.searchable) {
      ctx.report(
        dedupe.node,
        l10n.t(
          '"{0}" is not a searchable field in this Marketo instance: only searchable fields can deduplicate. Mark it searchable in Marketo, or pick one of the searchable fields.',
          dedupe.value,
        ),
      );
    }
  },
};
