import type { DestinationDocument, JsonNode } from '../engine/document';
import { propertyValue } from '../engine/document';
import { type DocumentSymbolLike, SymbolKind, type SymbolKindValue } from '../engine/types';

/**
 * The outline: every property, with mappings named `source → target` and
 * audiences by their name or id, so a long config reads like a table of contents.
 */
export function getDocumentSymbols(doc: DestinationDocument): DocumentSymbolLike[] {
  const root = doc.rootObject;
  return root ? objectSymbols(doc, root, []) : [];
}

function objectSymbols(
  doc: DestinationDocument,
  object: JsonNode,
  path: (string | number)[],
): DocumentSymbolLike[] {
  const symbols: DocumentSymbolLike[] = [];
  for (const property of object.children ?? []) {
    const [key, value] = property.children ?? [];
    if (!key) continue;
    const name = String(key.value);
    symbols.push({
      name: name || '""',
      kind: kindOf(value),
      ...(value && isScalar(value) ? { detail: String(value.value) } : {}),
      range: doc.rangeOf(property),
      selectionRange: doc.rangeOf(key),
      ...(value ? { children: childSymbols(doc, value, [...path, name]) } : {}),
    });
  }
  return symbols;
}

function childSymbols(
  doc: DestinationDocument,
  value: JsonNode,
  path: (string | number)[],
): DocumentSymbolLike[] {
  if (value.type === 'object') return objectSymbols(doc, value, path);
  if (value.type !== 'array') return [];
  return (value.children ?? []).map((item, index) => ({
    name: itemName(item, path[path.length - 1], index),
    kind: kindOf(item),
    ...(isScalar(item) ? { detail: String(item.value) } : {}),
    range: doc.rangeOf(item),
    selectionRange: doc.rangeOf(item),
    children: childSymbols(doc, item, [...path, index]),
  }));
}

function itemName(item: JsonNode, container: string | number | undefined, index: number): string {
  const text = (name: string) => {
    const v: unknown = propertyValue(item, name)?.value;
    return typeof v === 'string' && v ? v : undefined;
  };
  if (container === 'mappings' && item.type === 'object')
    return `${text('source') ?? '?'} → ${text('target') ?? '?'}`;
  if (container === 'audiences' && item.type === 'object')
    return text('name') ?? text('id') ?? `audience ${index}`;
  return isScalar(item) ? String(item.value) : String(index);
}

function isScalar(node: JsonNode): boolean {
  return (
    node.type === 'string' ||
    node.type === 'number' ||
    node.type === 'boolean' ||
    node.type === 'null'
  );
}

function kindOf(node: JsonNode | undefined): SymbolKindValue {
  switch (node?.type) {
    case 'object':
      return SymbolKind.Object;
    case 'array':
      return SymbolKind.Array;
    case 'number':
      return SymbolKind.Number;
    case 'boolean':
      return SymbolKind.Boolean;
    case 'null':
      return SymbolKind.Null;
    default:
      return SymbolKind.String;
  }
}
