import type { DestinationDocument, JsonNode } from '../engine/document';
import { propertyValue } from '../engine/document';
import { type DocumentSymbolLike, SymbolKind, type SymbolKindValue } from '../engine/types';

/**
 * The outline: every property, with mappings named `source → target` and
 * audiences by their name or id, so a long config reads like a table of contents.
 * What a symbol's name or detail already says is not repeated below it: a mapping
 * has no `source` / `target` children, an audience named "Winback" no `name` child,
 * and a list of plain values (`entities`, `alerts`) is one symbol listing them.
 */
export function getDocumentSymbols(doc: DestinationDocument): DocumentSymbolLike[] {
  const root = doc.rootObject;
  return root ? objectSymbols(doc, root, [], new Set()) : [];
}

function objectSymbols(
  doc: DestinationDocument,
  object: JsonNode,
  path: (string | number)[],
  shown: ReadonlySet<string>,
): DocumentSymbolLike[] {
  const symbols: DocumentSymbolLike[] = [];
  for (const property of object.children ?? []) {
    const [key, value] = property.children ?? [];
    if (!key) continue;
    const name = String(key.value);
    if (shown.has(name)) continue;
    const detail = value ? valueDetail(value) : undefined;
    symbols.push({
      name: name || '""',
      kind: kindOf(value),
      ...(detail === undefined ? {} : { detail }),
      range: doc.rangeOf(property),
      selectionRange: doc.rangeOf(key),
      ...(value ? { children: childSymbols(doc, value, [...path, name]) } : {}),
    });
  }
  return symbols;
}

/** A scalar's text, or the values of a list of scalars (then shown without children). */
function valueDetail(value: JsonNode): string | undefined {
  if (isScalar(value)) return String(value.value);
  if (isScalarList(value))
    return (value.children ?? []).map((item) => String(item.value)).join(', ');
  return undefined;
}

function childSymbols(
  doc: DestinationDocument,
  value: JsonNode,
  path: (string | number)[],
): DocumentSymbolLike[] {
  if (value.type === 'object') return objectSymbols(doc, value, path, new Set());
  if (value.type !== 'array' || isScalarList(value)) return [];
  return (value.children ?? []).map((item, index) => {
    const { name, detail, shown } = itemName(item, path[path.length - 1], index);
    return {
      name,
      kind: kindOf(item),
      ...(detail === undefined ? {} : { detail }),
      range: doc.rangeOf(item),
      selectionRange: doc.rangeOf(item),
      children:
        item.type === 'object'
          ? objectSymbols(doc, item, [...path, index], shown)
          : childSymbols(doc, item, [...path, index]),
    };
  });
}

interface ItemName {
  name: string;
  detail?: string;
  /** The item's properties that name and detail already show. */
  shown: Set<string>;
}

function itemName(item: JsonNode, container: string | number | undefined, index: number): ItemName {
  const shown = new Set<string>();
  const text = (name: string) => {
    const v: unknown = propertyValue(item, name)?.value;
    if (typeof v !== 'string' || !v) return undefined;
    shown.add(name);
    return v;
  };
  if (container === 'mappings' && item.type === 'object') {
    return { name: `${text('source') ?? '?'} → ${text('target') ?? '?'}`, shown };
  }
  if (container === 'audiences' && item.type === 'object') {
    const name = text('name');
    // Two audiences may share a name; the id tells them apart.
    const id = text('id');
    if (name) return { name, ...(id ? { detail: id } : {}), shown };
    return { name: id ?? `audience ${index}`, shown };
  }
  return { name: isScalar(item) ? String(item.value) : String(index), shown };
}

function isScalarList(node: JsonNode): boolean {
  return node.type === 'array' && !!node.children?.length && node.children.every(isScalar);
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
