/**
 * The words completion and hover share: how a schema property, a Marketo field,
 * the DedupeField identity and a source path are described to the user.
 */
import type { SchemaNode } from '../engine/schema';
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
  const match = /^[\s\S]*?[.!?](?=\s+[A-Z]|\s*$)/.exec(text);
  return (match?.[0] ?? text).trim();
}

/** A property's markdown description, with its title in bold first when the description lacks it. */
export function propertyMarkdown(schema: SchemaNode): string | undefined {
  const body = schema.markdownDescription ?? schema.description;
  if (!schema.title) return body;
  if (body?.startsWith('**')) return body;
  return body ? `**${schema.title}**\n\n${body}` : `**${schema.title}**`;
}

/** `Email Address · email · read-only`. */
export function fieldDetail(field: MarketoField): string {
  const parts = [field.displayName, field.dataType];
  if (field.readOnly) parts.push('read-only');
  if (field.searchable) parts.push('searchable');
  return parts.join(' · ');
}

function catalogName(active: ActiveCatalog): string {
  return active.path ? `instance field catalog \`${active.path}\`` : 'standard Marketo lead fields';
}

export function fieldMarkdown(field: MarketoField, active: ActiveCatalog): string {
  const lines = [
    `**${field.displayName}** — Marketo lead field`,
    '',
    `- REST name: \`${field.name}\``,
    `- Display name: ${field.displayName}`,
    `- Data type: \`${field.dataType}\`${field.length !== undefined ? ` (length ${field.length})` : ''}`,
    `- Read-only: ${field.readOnly ? '**yes**, an export cannot write it' : 'no'}`,
  ];
  if (active.catalog.knowsSearchable || field.searchable !== undefined) {
    lines.push(
      `- Searchable: ${field.searchable ? 'yes, it can be the deduplication field' : 'no'}`,
    );
  }
  lines.push('', `From the ${catalogName(active)}.`);
  return lines.join('\n');
}

/** What an unknown field name means, depending on the catalog in use. */
export function unknownFieldMarkdown(name: string, active: ActiveCatalog): string {
  return active.path
    ? `\`${name}\` is not a field of the ${catalogName(active)}.`
    : `\`${name}\` is not a standard Marketo lead field. It may be a custom field of the instance: set \`marketoFields\` to the instance's \`describe.json\` output to check it.`;
}

export const DEDUPE_IDENTITY_MARKDOWN = [
  `**${DEDUPE_TARGET}** — target identity: the field used to identify and match existing Marketo leads.`,
  '',
  '- Map the source used for deduplication (e.g. `workEmail.address` or `identityMap.Email`) to it; its value is compared with the Marketo field named in `dedupeField`.',
  '- Matching searches existing leads across **all partitions**, whatever `partition` receives new leads.',
  '- If several Marketo leads match one profile, only the **most recently updated** lead is updated.',
  '- `ECID` and Marketo `Lead ID` are **not supported** for deduplication.',
].join('\n');

/** What the deduplication field means for an export. */
export const DEDUPE_MEANING_MARKDOWN = [
  '**Marketo deduplication field** — an export matches each profile with existing Marketo leads by this field:',
  '',
  '- the value compared is the source mapped to the `DedupeField` identity in `mappings`;',
  '- matching searches **all partitions**; if several leads match, only the **most recently updated** lead is updated;',
  '- unmatched profiles create new leads only with `personAction` `updateExistingAndCreateNew`;',
  '- choose a field that is searchable, present and unique on every profile: a wrong dedupe field can create thousands of duplicate leads. Lead ID and ECID are not supported.',
].join('\n');

/** Markdown for a `dedupeField` value. */
export function dedupeValueMarkdown(name: string, active: ActiveCatalog): string {
  const field = active.catalog.byName.get(name);
  const parts: string[] = [];
  if (isUnsupportedDedupeField(name)) {
    parts.push(
      `\`${name}\` **cannot deduplicate**: Marketo Lead ID and ECID are not supported as deduplication fields.`,
    );
  } else if (field) {
    parts.push(fieldMarkdown(field, active));
    if (active.catalog.knowsSearchable && !field.searchable) {
      parts.push(`**Not searchable** in this instance: only searchable fields can deduplicate.`);
    }
  } else {
    parts.push(unknownFieldMarkdown(name, active));
  }
  parts.push(DEDUPE_MEANING_MARKDOWN);
  return parts.join('\n\n---\n\n');
}

/** Markdown for a mapping `target` value. */
export function targetMarkdown(name: string, active: ActiveCatalog): string {
  if (name === DEDUPE_TARGET) return DEDUPE_IDENTITY_MARKDOWN;
  const field = active.catalog.byName.get(name);
  return field ? fieldMarkdown(field, active) : unknownFieldMarkdown(name, active);
}

/** Markdown for a mapping `source` value, or undefined when the path is not a known one. */
export function sourceMarkdown(source: string): string | undefined {
  const namespace = identityNamespaceOf(source);
  if (namespace !== undefined) {
    const known = IDENTITY_NAMESPACES.find((n) => n.name === namespace);
    const head = `**identityMap.${namespace}** — identity namespace \`${namespace}\``;
    const note = 'Exporting identities requires the *View Identity Graph* permission.';
    return known
      ? `${head}\n\n${known.description}\n\n${note}`
      : `${head} (not one of the standard namespaces ${IDENTITY_NAMESPACES.map((n) => `\`${n.name}\``).join(', ')}).\n\n${note}`;
  }
  const xdm = XDM_SOURCE_PATHS.find((p) => p.path === source.trim());
  if (!xdm) return undefined;
  const suggestion = xdm.suggestedTarget
    ? `\n\nUsually mapped to the Marketo field \`${xdm.suggestedTarget}\`.`
    : '';
  return `**${xdm.path}** — Experience Platform XDM field\n\n${xdm.description}${suggestion}`;
}
