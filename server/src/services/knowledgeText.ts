/**
 * The words completion and hover share: how a schema property, a Marketo field,
 * the DedupeField identity and a source path are described to the user.
 */
import * as l10n from '@vscode/l10n';
import { type SchemaNode, describe } from '../engine/schema';
import { schemaText } from '../engine/schemaText';
import {
  DEDUPE_TARGET,
  type FieldCatalog,
  type MarketoField,
  STANDARD_CATALOG,
  isUnsupportedDedupeField,
} from '../knowledge/marketoFields';
import { IDENTITY_NAMESPACES, XDM_SOURCE_PATHS, identityNamespaceOf } from '../knowledge/xdmPaths';
import type { CatalogState } from '../engine/catalogLoader';

/** The catalog completion and hover use: the instance's when loaded, else the standard fields. */
export interface ActiveCatalog {
  catalog: FieldCatalog;
  /** The instance catalog's path, when it is the instance's. */
  path?: string;
}

export function activeCatalog(state: CatalogState): ActiveCatalog {
  return state.status === 'loaded'
    ? { catalog: state.catalog, path: state.path }
    : { catalog: STANDARD_CATALOG };
}

/** The first sentence of a plain description ("e.g. x" does not end one). */
export function firstSentence(text: string | undefined): string | undefined {
  if (!text) return undefined;
  // A capital of any script starts the next sentence (Å, É); a Chinese full stop ends one.
  const match = /^[\s\S]*?(?:[.!?](?=\s+\p{Lu}|\s*$)|[。！？])/u.exec(text);
  return (match?.[0] ?? text).trim();
}

/** A property's markdown description, with its title in bold first when the description lacks it. */
export function propertyMarkdown(schema: SchemaNode): string | undefined {
  const body = describe(schema);
  const title = schemaText(schema.title);
  if (!title) return body;
  if (body?.startsWith('**')) return body;
  return body ? `**${title}**\n\n${body}` : `**${title}**`;
}

/** `Email Address · email · read-only`. */
export function fieldDetail(field: MarketoField): string {
  const parts = [field.displayName, field.dataType];
  if (field.readOnly) parts.push(l10n.t('read-only'));
  if (field.searchable) parts.push(l10n.t('searchable'));
  return parts.join(' · ');
}

function catalogName(active: ActiveCatalog): string {
  return active.path
    ? l10n.t('From the instance field catalog `{0}`.', active.path)
    : l10n.t('From the standard Marketo lead fields.');
}

export function fieldMarkdown(field: MarketoField, active: ActiveCatalog): string {
  const lines = [
    l10n.t('**{0}** — Marketo lead field', field.displayName),
    '',
    l10n.t('- REST name: `{0}`', field.name),
    l10n.t('- Display name: {0}', field.displayName),
    field.length !== undefined
      ? l10n.t('- Data type: `{0}` (length {1})', field.dataType, field.length)
      : l10n.t('- Data type: `{0}`', field.dataType),
    field.readOnly
      ? l10n.t('- Read-only: **yes**, an export cannot write it')
      : l10n.t('- Read-only: no'),
  ];
  if (active.catalog.knowsSearchable || field.searchable !== undefined) {
    lines.push(
      field.searchable
        ? l10n.t('- Searchable: yes, it can be the deduplication field')
        : l10n.t('- Searchable: no'),
    );
  }
  lines.push('', catalogName(active));
  return lines.join('\n');
}

/** What an unknown field name means, depending on the catalog in use. */
export function unknownFieldMarkdown(name: string, active: ActiveCatalog): string {
  return active.path
    ? l10n.t('`{0}` is not a field of the instance field catalog `{1}`.', name, active.path)
    : l10n.t(
        "`{0}` is not a standard Marketo lead field. It may be a custom field of the instance: set `marketoFields` to the instance's `describe.json` output to check it.",
        name,
      );
}

export function dedupeIdentityMarkdown(): string {
  return [
    l10n.t(
      '**{0}** — target identity: the field used to identify and match existing Marketo leads.',
      DEDUPE_TARGET,
    ),
    '',
    l10n.t(
      '- Map the source used for deduplication (e.g. `workEmail.address` or `identityMap.Email`) to it; its value is compared with the Marketo field named in `dedupeField`.',
    ),
    l10n.t(
      '- Matching searches existing leads across **all partitions**, whatever `partition` receives new leads.',
    ),
    l10n.t(
      '- If several Marketo leads match one profile, only the **most recently updated** lead is updated.',
    ),
    l10n.t('- `ECID` and Marketo `Lead ID` are **not supported** for deduplication.'),
  ].join('\n');
}

/** What the deduplication field means for an export. */
function dedupeMeaningMarkdown(): string {
  return [
    l10n.t(
      '**Marketo deduplication field** — an export matches each profile with existing Marketo leads by this field:',
    ),
    '',
    l10n.t(
      '- the value compared is the source mapped to the `DedupeField` identity in `mappings`;',
    ),
    l10n.t(
      '- matching searches **all partitions**; if several leads match, only the **most recently updated** lead is updated;',
    ),
    l10n.t(
      '- unmatched profiles create new leads only with `personAction` `updateExistingAndCreateNew`;',
    ),
    l10n.t(
      '- choose a field that is searchable, present and unique on every profile: a wrong dedupe field can create thousands of duplicate leads. Lead ID and ECID are not supported.',
    ),
  ].join('\n');
}

/** Markdown for a `dedupeField` value. */
export function dedupeValueMarkdown(name: string, active: ActiveCatalog): string {
  const field = active.catalog.byName.get(name);
  const parts: string[] = [];
  if (isUnsupportedDedupeField(name)) {
    parts.push(
      l10n.t(
        '`{0}` **cannot deduplicate**: Marketo Lead ID and ECID are not supported as deduplication fields.',
        name,
      ),
    );
  } else if (field) {
    parts.push(fieldMarkdown(field, active));
    if (active.catalog.knowsSearchable && !field.searchable) {
      parts.push(
        l10n.t('**Not searchable** in this instance: only searchable fields can deduplicate.'),
      );
    }
  } else {
    parts.push(unknownFieldMarkdown(name, active));
  }
  parts.push(dedupeMeaningMarkdown());
  return parts.join('\n\n---\n\n');
}

/** Markdown for a mapping `target` value. */
export function targetMarkdown(name: string, active: ActiveCatalog): string {
  if (name === DEDUPE_TARGET) return dedupeIdentityMarkdown();
  const field = active.catalog.byName.get(name);
  return field ? fieldMarkdown(field, active) : unknownFieldMarkdown(name, active);
}

/** Markdown for a mapping `source` value, or undefined when the path is not a known one. */
export function sourceMarkdown(source: string): string | undefined {
  const namespace = identityNamespaceOf(source);
  if (namespace !== undefined) {
    const known = IDENTITY_NAMESPACES.find((n) => n.name === namespace);
    const note = l10n.t('Exporting identities requires the *View Identity Graph* permission.');
    return known
      ? `${l10n.t('**identityMap.{0}** — identity namespace `{0}`', namespace)}\n\n${known.description}\n\n${note}`
      : `${l10n.t(
          '**identityMap.{0}** — identity namespace `{0}` (not one of the standard namespaces {1}).',
          namespace,
          IDENTITY_NAMESPACES.map((n) => `\`${n.name}\``).join(', '),
        )}\n\n${note}`;
  }
  const xdm = XDM_SOURCE_PATHS.find((p) => p.path === source.trim());
  if (!xdm) return undefined;
  const suggestion = xdm.suggestedTarget
    ? '\n\n' + l10n.t('Usually mapped to the Marketo field `{0}`.', xdm.suggestedTarget)
    : '';
  return `${l10n.t('**{0}** — Experience Platform XDM field', xdm.path)}\n\n${xdm.description}${suggestion}`;
}
