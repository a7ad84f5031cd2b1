import type { DestinationDocument, JsonNode } from '../engine/document';
import { propertyValue } from '../engine/document';
import {
  type DocumentSymbolLike,
  type Range,
  SymbolKind,
  type SymbolKindValue,
} from '../engine/types';

/**
 * The outline: every property, with mappings named `source → target` and
 * audiences by their name or id, so a long config reads like a table of contents.
 * What a symbol's name or detail already says is not repeated below it: a mapping
 * has no `source` / `target` children, an audience named "Winback" no `name` child,
 * and a list of plain values (`entities`, `alerts`) is one symbol listing them.
 */
export function getDocumentSymbols(doc: DestinationDocument): DocumentSymbolLike[] {
  const root = doc.rootObject;
  return root ? objectSymbols(doc, root, NONE_SHOWN) : [];
}

const NONE_SHOWN: readonly string[] = [];

/** One symbol, its fields in the order of the LSP type (no object built only to be spread). */
function symbol(
  name: string,
  kind: SymbolKindValue,
  detail: string | undefined,
  range: Range,
  selectionRange: Range,
): DocumentSymbolLike {
  return detail === undefined
    ? { name, kind, range, selectionRange }
    : { name, kind, detail, range, selectionRange };
}

/** `shown`: the object's properties its symbol's name and detail already show. */
function objectSymbols(
  doc: DestinationDocument,
  object: JsonNode,
  shown: readonly string[],
): DocumentSymbolLike[] {
  const symbols: DocumentSymbolLike[] = [];
  for (const property of object.children ?? []) {
    const key = property.children?.[0];
    const value = property.children?.[1];
    if (!key) continue;
    const name = String(key.value);
    if (shown.length > 0 && shown.includes(name)) continue;
    const entry = symbol(
      name || '""',
      kindOf(value),
      value ? valueDetail(value) : undefined,
      doc.rangeOf(property),
      doc.rangeOf(key),
    );
    if (value) entry.children = childSymbols(doc, value, name);
    symbols.push(entry);
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

/** `container`: the key or index that holds `value`. */
function childSymbols(
  doc: DestinationDocument,
  value: JsonNode,
  container: string | number,
): DocumentSymbolLike[] {
  if (value.type === 'object') return objectSymbols(doc, value, NONE_SHOWN);
  if (value.type !== 'array' || isScalarList(value)) return [];
  return (value.children ?? []).map((item, index) => {
    const { name, detail, shown } = itemName(item, container, index);
    const range = doc.rangeOf(item);
    const entry = symbol(name, kindOf(item), detail, range, {
      start: { ...range.start },
      end: { ...range.end },
    });
    entry.children =
      item.type === 'object' ? objectSymbols(doc, item, shown) : childSymbols(doc, item, index);
    return entry;
  });
}

interface ItemName {
  name: string;
  detail?: string;
  /** The item's properties that name and detail already show. */
  shown: readonly string[];
}

function itemName(item: JsonNode, container: string | number, index: number): ItemName {
  if (item.type !== 'object' || (container !== 'mappings' && container !== 'audiences'))
    return { name: isScalar(item) ? String(item.value) : String(index), shown: NONE_SHOWN };
  const shown: string[] = [];
  const text = (name: string) => {
    const v: unknown = propertyValue(item, name)?.value;
    if (typeof v !== 'string' || !v) return undefined;
    shown.push(name);
    return v;
  };
  if (container === 'mappings') {
    return { name: `${text('source') ?? '?'} → ${text('target') ?? '?'}`, shown };
  }
  const name = text('name');
  // Two audiences may share a name; the id tells them apart.
  const id = text('id');
  if (name) return id ? { name, detail: id, shown } : { name, shown };
  return { name: id ?? `audience ${index}`, shown };
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
