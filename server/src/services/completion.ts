/**
 * Completion: property names (with value-shaped snippets) and the schema's
 * skeletons at key positions; values (enums, Marketo fields, source paths,
 * file paths, snippets) at value positions. Works on half-typed text.
 */
import { type JSONPath, type Node as JsonNode, findNodeAtOffset, getNodePath } from 'jsonc-parser';
import { type DestinationDocument, nodeAtPath } from '../engine/document';
import { type SchemaNode, schemaAt } from '../engine/schema';
import { schemaText } from '../engine/schemaText';
import {
  type CompletionItemLike,
  type CompletionListLike,
  CompletionItemKind,
  InsertTextFormat,
} from '../engine/types';
import type { CatalogState, PartitionState } from '../engine/catalogLoader';
import { edit, valueHasChoices, valueItems } from './completionValues';
import { type KeySlot, analyzeCursor } from './cursorContext';
import { firstSentence, propertyMarkdown } from './knowledgeText';
import { TRIGGER_SUGGEST, bodyLines, escapeSnippet, propertyValueSnippet } from './snippetText';

export interface CompletionContext {
  catalog: CatalogState;
  partitions?: PartitionState;
  /** Whether a folder may be listed for path completion; yes when absent. */
  mayList?: (directory: string) => boolean;
}

const NOTHING: CompletionListLike = { isIncomplete: false, items: [] };

export function getCompletions(
  doc: DestinationDocument,
  offset: number,
  ctx: CompletionContext,
): CompletionListLike {
  if (doc.notParsed) return NOTHING;
  const at = Math.max(0, Math.min(offset, doc.text.length));
  const found = analyzeCursor(doc.text, at, doc.syntaxErrors.length === 0 ? doc.root : undefined);
  if (!found) return NOTHING;
  // A shared mappings file's array is a config's `mappings`: it completes as that.
  const slot = doc.isMappingsFile ? inMappings(found) : found;
  const items =
    slot.kind === 'key'
      ? keyItems(doc, slot, at)
      : valueItems(doc, slot, at, {
          catalog: ctx.catalog,
          partitions: ctx.partitions,
          ...(ctx.mayList ? { mayList: ctx.mayList } : {}),
        });
  return { isIncomplete: false, items };
}

function inMappings<S extends ReturnType<typeof analyzeCursor>>(
  slot: NonNullable<S>,
): NonNullable<S> {
  return slot.kind === 'key'
    ? { ...slot, objectPath: ['mappings', ...slot.objectPath] }
    : { ...slot, path: ['mappings', ...slot.path] };
}

function samePath(a: JSONPath, b: JSONPath): boolean {
  return a.length === b.length && a.every((segment, i) => segment === b[i]);
}

/** The object node the key slot belongs to: the innermost one around the cursor with that path. */
function objectAround(
  doc: DestinationDocument,
  path: JSONPath,
  offset: number,
): JsonNode | undefined {
  if (!doc.root) return undefined;
  const local = doc.isMappingsFile ? path.slice(1) : path;
  for (let node = findNodeAtOffset(doc.root, offset, true); node; node = node.parent) {
    if (node.type === 'object' && samePath(getNodePath(node), local)) return node;
  }
  const node = nodeAtPath(doc.root, local);
  return node?.type === 'object' ? node : undefined;
}

/** Keys present in the object, except the one being typed at the cursor. */
function presentKeys(object: JsonNode | undefined, slot: KeySlot, offset: number): Set<string> {
  const keys = new Set<string>();
  for (const property of object?.children ?? []) {
    const key = property.children?.[0];
    if (!key || typeof key.value !== 'string') continue;
    const typing =
      key.offset === slot.span.start || (key.offset <= offset && offset <= key.offset + key.length);
    if (!typing) keys.add(key.value);
  }
  return keys;
}

function keyItems(doc: DestinationDocument, slot: KeySlot, offset: number): CompletionItemLike[] {
  const schema = schemaAt(slot.objectPath);
  if (!schema?.properties) return [];
  const object = objectAround(doc, slot.objectPath, offset);
  const present = presentKeys(object, slot, offset);
  const before = slot.commaBefore ? ', ' : '';
  const after = slot.commaAfter && !slot.hasColon ? ',' : '';
  const items: CompletionItemLike[] = [];

  if (present.size === 0 && !slot.hasColon)
    items.push(...skeletonItems(doc, slot, schema, before, after));

  Object.entries(schema.properties).forEach(([name, property], i) => {
    // `doNotSuggest` (as VS Code's JSON schemas say it): a key the tools write, not the user.
    if (present.has(name) || property.doNotSuggest === true) return;
    const key = JSON.stringify(name);
    const newText = slot.hasColon
      ? escapeSnippet(key)
      : `${escapeSnippet(key)}: ${propertyValueSnippet(property)}`;
    const documentation = propertyMarkdown(property);
    const detail = firstSentence(schemaText(property.description));
    // The value's choices open as soon as the key is in, as in VS Code's JSON support; not when
    // only the name was replaced (the value is already there).
    const reopen = !slot.hasColon && valueHasChoices([...slot.objectPath, name], property);
    items.push({
      label: name,
      kind: CompletionItemKind.Property,
      ...(detail ? { detail } : {}),
      ...(documentation
        ? { documentation: { kind: 'markdown' as const, value: documentation } }
        : {}),
      sortText: `1${String(i).padStart(4, '0')}`,
      filterText: slot.quoted ? key : name,
      insertTextFormat: InsertTextFormat.Snippet,
      textEdit: edit(doc, slot.span, before + newText + after),
      ...(reopen ? { command: TRIGGER_SUGGEST } : {}),
    });
  });
  return items;
}

/** The schema's defaultSnippets for an empty object, inserted without their braces. */
function skeletonItems(
  doc: DestinationDocument,
  slot: KeySlot,
  schema: SchemaNode,
  before: string,
  after: string,
): CompletionItemLike[] {
  const items: CompletionItemLike[] = [];
  for (const snippet of schema.defaultSnippets ?? []) {
    const body = snippet.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) continue;
    const label = snippet.label ?? 'snippet';
    items.push({
      label,
      kind: CompletionItemKind.Snippet,
      ...(snippet.description ? { detail: schemaText(snippet.description) } : {}),
      sortText: `0${label}`,
      filterText: slot.quoted ? `"${label}` : label,
      insertTextFormat: InsertTextFormat.Snippet,
      textEdit: edit(doc, slot.span, before + bodyLines(body) + after),
    });
  }
  return items;
}
