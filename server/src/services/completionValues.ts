/**
 * Completion of values: enum members, Marketo field names, source paths, file
 * paths and the schema's snippets for arrays and objects.
 */
import * as l10n from '@vscode/l10n';
import type { JSONPath } from 'jsonc-parser';
import { type DestinationDocument, nodeAtPath, nodeValue } from '../engine/document';
import { type SchemaNode, schemaAt } from '../engine/schema';
import { schemaText } from '../engine/schemaText';
import {
  type CompletionItemKindValue,
  type CompletionItemLike,
  CompletionItemKind,
  InsertTextFormat,
  type TextEdit,
} from '../engine/types';
import { DEDUPE_TARGET, isUnsupportedDedupeField } from '../knowledge/marketoFields';
import type { PartitionList } from '../knowledge/marketoPartitions';
import { IDENTITY_NAMESPACES, XDM_SOURCE_PATHS } from '../knowledge/xdmPaths';
import type { CatalogState, PartitionState } from '../engine/catalogLoader';
import { fileItems } from './completionFiles';
import type { Span, ValueSlot } from './cursorContext';
import {
  dedupeIdentityMarkdown,
  activeCatalog,
  fieldDetail,
  fieldMarkdown,
  firstSentence,
  sourceMarkdown,
} from './knowledgeText';
import { bodyLines, bodyToSnippet } from './snippetText';

export function edit(doc: DestinationDocument, span: Span, newText: string): TextEdit {
  return { range: doc.rangeOfOffsets(span.start, span.end), newText };
}

/** Whether a path matches a pattern where `'*'` stands for any one segment. */
export function pathMatches(path: JSONPath, pattern: JSONPath): boolean {
  return path.length === pattern.length && pattern.every((p, i) => p === '*' || p === path[i]);
}

interface StringChoice {
  value: string;
  kind: CompletionItemKindValue;
  detail?: string;
  documentation?: string;
  sortText?: string;
}

/**
 * The edit that puts a JSON string in the value slot. In a string it replaces the text between
 * the quotes only: an edit that also covers a quote reaches outside a snippet's `"$1"`
 * placeholder, which ends the snippet, so Tab would no longer reach the next placeholder.
 */
function stringEdit(doc: DestinationDocument, slot: ValueSlot, value: string): TextEdit {
  const quoted = JSON.stringify(value);
  if (!slot.inString) return edit(doc, slot.span, quoted + (slot.commaAfter ? ',' : ''));
  const content = { start: slot.span.start + 1, end: slot.span.end - (slot.closed ? 1 : 0) };
  return edit(doc, content, quoted.slice(1, slot.closed ? -1 : undefined));
}

/** An item that puts a JSON string in the value slot, replacing a partial string. */
function stringItem(
  doc: DestinationDocument,
  slot: ValueSlot,
  choice: StringChoice,
): CompletionItemLike {
  return {
    label: choice.value,
    kind: choice.kind,
    ...(choice.detail ? { detail: choice.detail } : {}),
    ...(choice.documentation
      ? { documentation: { kind: 'markdown' as const, value: choice.documentation } }
      : {}),
    ...(choice.sortText ? { sortText: choice.sortText } : {}),
    filterText: choice.value,
    insertTextFormat: InsertTextFormat.PlainText,
    textEdit: stringEdit(doc, slot, choice.value),
  };
}

function sortKey(rank: number, index: number): string {
  return `${rank}${String(index).padStart(4, '0')}`;
}

/** Values of the other items of the array holding the slot (for `uniqueItems`). */
function siblingValues(doc: DestinationDocument, path: JSONPath): Set<unknown> {
  const index = path[path.length - 1];
  const array = nodeAtPath(doc.root, path.slice(0, -1));
  const values = new Set<unknown>();
  if (typeof index !== 'number' || array?.type !== 'array') return values;
  (array.children ?? []).forEach((child, i) => {
    if (i !== index) values.add(nodeValue(child));
  });
  return values;
}

/** `Audience and profile` from "Audience and profile: matched leads …", else the first sentence. */
function enumLabel(description: string | undefined): string | undefined {
  // French puts a space before the colon, Chinese writes a full-width one; translated labels run
  // longer than English ones (*Mettre à jour les personnes existantes et en créer de nouvelles*).
  const head = description?.split(/\s*[:：]/)[0];
  return head && description && head.length < description.length && head.length <= 64
    ? head
    : firstSentence(description);
}

function enumItems(
  doc: DestinationDocument,
  slot: ValueSlot,
  schema: SchemaNode,
): CompletionItemLike[] {
  const unique = schemaAt(slot.path.slice(0, -1));
  const taken =
    typeof slot.path[slot.path.length - 1] === 'number' && unique?.uniqueItems
      ? siblingValues(doc, slot.path)
      : new Set<unknown>();
  const items: CompletionItemLike[] = [];
  (schema.enum ?? []).forEach((value, i) => {
    if (typeof value !== 'string' || taken.has(value)) return;
    items.push(
      stringItem(doc, slot, {
        value,
        kind: CompletionItemKind.EnumMember,
        detail: enumLabel(schemaText(schema.enumDescriptions?.[i])),
        documentation: schemaText(
          schema.markdownEnumDescriptions?.[i] ?? schema.enumDescriptions?.[i],
        ),
        sortText: sortKey(0, i),
      }),
    );
  });
  return items;
}

function targetItems(
  doc: DestinationDocument,
  slot: ValueSlot,
  catalogState: CatalogState,
): CompletionItemLike[] {
  const active = activeCatalog(catalogState);
  const index = slot.path[1];
  // Which of the names offered another mapping already writes: one pass that looks each target
  // up among those names, never a set of every target (a generated config has 50,000).
  const offered = new Set<string>([DEDUPE_TARGET, ...active.catalog.fields.map((f) => f.name)]);
  const targeted = new Set<string>();
  for (const m of doc.mappings) {
    const target = m.target?.value;
    if (m.index !== index && target !== undefined && offered.has(target)) targeted.add(target);
  }
  // The field this mapping's source usually feeds (b2b.companyName → company) comes first.
  const source = doc.mappings.find((m) => m.index === index)?.source?.value;
  const suggested = XDM_SOURCE_PATHS.find((p) => p.path === source)?.suggestedTarget;
  const items: CompletionItemLike[] = [];
  if (!targeted.has(DEDUPE_TARGET)) {
    items.push(
      stringItem(doc, slot, {
        value: DEDUPE_TARGET,
        kind: CompletionItemKind.Constant,
        detail: l10n.t('Target identity · matches existing leads'),
        documentation: dedupeIdentityMarkdown(),
        sortText: sortKey(0, 0),
      }),
    );
  }
  active.catalog.fields.forEach((field, i) => {
    // An export cannot write a read-only field (read-only-marketo-field): never propose one.
    if (field.readOnly) return;
    const rank = targeted.has(field.name) ? 2 : field.name === suggested ? 0 : 1;
    items.push(
      stringItem(doc, slot, {
        value: field.name,
        kind: CompletionItemKind.Field,
        detail:
          fieldDetail(field) + (targeted.has(field.name) ? ' · ' + l10n.t('already mapped') : ''),
        documentation: fieldMarkdown(field, active),
        sortText: sortKey(rank, i),
      }),
    );
  });
  return items;
}

/** The instance's partitions: the Marketo picker offers the workspace's partitions by name. */
function partitionItems(
  doc: DestinationDocument,
  slot: ValueSlot,
  list: PartitionList,
  file: string,
): CompletionItemLike[] {
  return list.partitions.map((partition, i) =>
    stringItem(doc, slot, {
      value: partition.name,
      kind: CompletionItemKind.Value,
      detail:
        l10n.t('partition {0}', partition.id) +
        (partition.description ? ` — ${partition.description}` : ''),
      documentation: l10n.t(
        'Lead partition **{0}** (id {1}), from `{2}`.',
        partition.name,
        partition.id,
        file,
      ),
      sortText: sortKey(0, i),
    }),
  );
}

function dedupeItems(
  doc: DestinationDocument,
  slot: ValueSlot,
  catalogState: CatalogState,
): CompletionItemLike[] {
  const active = activeCatalog(catalogState);
  const candidates = active.catalog.fields.filter((f) => !isUnsupportedDedupeField(f.name));
  // The Marketo picker lists only searchable fields; do the same when the catalog says which.
  const searchable = active.catalog.knowsSearchable ? candidates.filter((f) => f.searchable) : [];
  const offered =
    active.catalog.origin === 'standard'
      ? // Without the instance's catalog: only what every instance can search by and what belongs
        // to one person; matching on a name, a city or a score merges different people.
        candidates.filter((f) => f.searchable && f.identifiesPerson && !f.readOnly)
      : searchable.length
        ? searchable
        : candidates;
  return offered.map((field, i) =>
    stringItem(doc, slot, {
      value: field.name,
      kind: CompletionItemKind.Field,
      detail: fieldDetail(field),
      documentation: fieldMarkdown(field, active),
      sortText: sortKey(field.name === 'email' ? 0 : field.readOnly ? 2 : 1, i),
    }),
  );
}

function sourceItems(doc: DestinationDocument, slot: ValueSlot): CompletionItemLike[] {
  const mapping = doc.mappings.find((m) => m.index === slot.path[1]);
  const target = mapping?.target?.value;
  const items = XDM_SOURCE_PATHS.map((source, i) =>
    stringItem(doc, slot, {
      value: source.path,
      kind: CompletionItemKind.Value,
      detail: source.suggestedTarget
        ? `${source.description} → Marketo ${source.suggestedTarget}`
        : source.description,
      documentation: sourceMarkdown(source.path),
      sortText: sortKey(target !== undefined && source.suggestedTarget === target ? 0 : 2, i),
    }),
  );
  IDENTITY_NAMESPACES.forEach((namespace, i) => {
    const value = `identityMap.${namespace.name}`;
    const first = target === DEDUPE_TARGET && namespace.name === 'Email';
    items.push(
      stringItem(doc, slot, {
        value,
        kind: CompletionItemKind.Constant,
        detail:
          namespace.name === 'ECID'
            ? l10n.t('Identity namespace {0} · not supported for dedupe', namespace.name)
            : l10n.t('Identity namespace {0}', namespace.name),
        documentation: sourceMarkdown(value),
        sortText: sortKey(first ? 0 : 1, i),
      }),
    );
  });
  return items;
}

function snippetItem(
  doc: DestinationDocument,
  slot: ValueSlot,
  label: string,
  body: string,
  description?: string,
): CompletionItemLike {
  return {
    label,
    kind: CompletionItemKind.Snippet,
    ...(description ? { detail: description } : {}),
    sortText: sortKey(0, 0) + label,
    filterText: label,
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: edit(doc, slot.span, body + (slot.commaAfter ? ',' : '')),
  };
}

/** Snippets for an object or array value: the schema's defaultSnippets, and an empty `{}` / `[]`. */
function structureItems(
  doc: DestinationDocument,
  slot: ValueSlot,
  schema: SchemaNode,
): CompletionItemLike[] {
  if (slot.inString) return [];
  const items = (schema.defaultSnippets ?? []).map((s) =>
    snippetItem(doc, slot, s.label ?? 'snippet', bodyToSnippet(s.body), schemaText(s.description)),
  );
  const index = slot.path[slot.path.length - 1];
  if (typeof index === 'number') {
    // An array item: the array's own snippets, spread, when the array is still empty.
    const arrayPath = slot.path.slice(0, -1);
    const array = nodeAtPath(doc.root, arrayPath);
    const empty = array?.type === 'array' && (array.children?.length ?? 0) === 0;
    for (const s of empty ? (schemaAt(arrayPath)?.defaultSnippets ?? []) : []) {
      if (Array.isArray(s.body))
        items.push(
          snippetItem(
            doc,
            slot,
            s.label ?? 'snippet',
            bodyLines(s.body),
            schemaText(s.description),
          ),
        );
    }
  }
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === 'object') items.push(snippetItem(doc, slot, '{}', '{$1}'));
  if (type === 'array') items.push(snippetItem(doc, slot, '[]', '[$1]'));
  return items;
}

/** `examples` and `default` of a plain string property. */
function exampleItems(
  doc: DestinationDocument,
  slot: ValueSlot,
  schema: SchemaNode,
): CompletionItemLike[] {
  const values = [
    ...(schema.default !== undefined ? [schema.default] : []),
    ...(schema.examples ?? []),
  ];
  const unique = [...new Set(values.filter((v): v is string => typeof v === 'string'))];
  return unique.map((value, i) =>
    stringItem(doc, slot, {
      value,
      kind: CompletionItemKind.Value,
      detail: value === schema.default ? l10n.t('default') : l10n.t('example'),
      sortText: sortKey(0, i),
    }),
  );
}

export interface ValueContext {
  catalog: CatalogState;
  /** The lead partitions of `marketoPartitions`; without them `partition` offers the schema's. */
  partitions?: PartitionState;
  /** Whether the folder may be listed for path completion (the editor's file policy); yes when absent. */
  mayList?: (directory: string) => boolean;
}

/** Paths whose values come from the catalog, the XDM paths or the file system, not the schema. */
const KNOWLEDGE_PATHS: readonly JSONPath[] = [
  ['mappings', '*', 'target'],
  ['mappings', '*', 'source'],
  ['dedupeField'],
  ['marketoFields'],
  ['marketoPartitions'],
  ['simulation', 'profiles'],
  ['simulation', 'leads'],
];

/**
 * Whether value completion has choices to offer at `path` as soon as its property is inserted
 * (so the key item reopens the suggestions): not for free text, whose only proposals are the
 * schema's examples (`123-ABC-456` is an example, not anyone's Munchkin ID).
 */
export function valueHasChoices(path: JSONPath, schema: SchemaNode): boolean {
  if (KNOWLEDGE_PATHS.some((pattern) => pathMatches(path, pattern))) return true;
  if ((schema.enum?.length ?? 0) > 1) return true;
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === 'object') return Object.keys(schema.properties ?? {}).length > 0;
  if (type === 'array') {
    const items = schema.items;
    return Boolean(
      schema.defaultSnippets?.length || items?.defaultSnippets?.length || items?.enum?.length,
    );
  }
  return false;
}

export function valueItems(
  doc: DestinationDocument,
  slot: ValueSlot,
  offset: number,
  ctx: ValueContext,
): CompletionItemLike[] {
  const { path } = slot;
  if (pathMatches(path, ['mappings', '*', 'target'])) return targetItems(doc, slot, ctx.catalog);
  if (pathMatches(path, ['mappings', '*', 'source'])) return sourceItems(doc, slot);
  if (pathMatches(path, ['dedupeField'])) return dedupeItems(doc, slot, ctx.catalog);
  if (pathMatches(path, ['marketoFields']))
    return fileItems(doc, slot, offset, 'catalog', ctx.mayList);
  if (pathMatches(path, ['marketoPartitions']))
    return fileItems(doc, slot, offset, 'catalog', ctx.mayList);
  if (pathMatches(path, ['mappings']) && !doc.isMappingsFile) {
    // The array, or the path of a shared mappings file.
    const files = fileItems(doc, slot, offset, 'mappings', ctx.mayList);
    const schema = schemaAt(path);
    return slot.inString || !schema ? files : [...structureItems(doc, slot, schema), ...files];
  }
  if (pathMatches(path, ['partition']) && ctx.partitions?.status === 'loaded')
    return partitionItems(doc, slot, ctx.partitions.value, ctx.partitions.path);
  if (pathMatches(path, ['simulation', 'profiles']) || pathMatches(path, ['simulation', 'leads'])) {
    return fileItems(doc, slot, offset, 'simulation', ctx.mayList);
  }
  const schema = schemaAt(path);
  if (!schema) return [];
  if (schema.enum) return enumItems(doc, slot, schema);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === 'object' || type === 'array') return structureItems(doc, slot, schema);
  return exampleItems(doc, slot, schema);
}
