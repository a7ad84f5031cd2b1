import * as l10n from '@vscode/l10n';
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
 *
 * A generated config can hold 50,000 mappings: their outline is megabytes of JSON that the
 * editor would take seconds to receive and could not show usefully. As VS Code's JSON
 * language service does (its `resultLimit`), the outline stops at a number of symbols. It is
 * built breadth first, so the top-level properties and the first items of every list are in it
 * whatever the size, and where something is left out a last symbol of that list or object
 * says how much ("… 45,000 more mappings"), its range the part left out.
 */
export function getDocumentSymbols(
  doc: DestinationDocument,
  limit: number = MAX_SYMBOLS,
): DocumentSymbolLike[] {
  // The editor asks again for the same version (outline, breadcrumbs, sticky scroll): the
  // symbols are made once per version. Callers only read them.
  return doc.cached(`documentSymbols:${limit}`, () => makeSymbols(doc, limit));
}

function makeSymbols(doc: DestinationDocument, limit: number): DocumentSymbolLike[] {
  const root = doc.rootObject;
  if (!root) return [];
  const top = { children: [] as DocumentSymbolLike[] };
  const queue: Pending[] = [{ value: root, container: '', shown: NONE_SHOWN, owner: top }];
  const budget = { left: limit };
  // An index, not shift(): the queue holds one entry per container, tens of thousands.
  for (let i = 0; i < queue.length; i++) expand(doc, queue[i] as Pending, queue, budget);
  return top.children;
}

/** Symbols in one outline at most (VS Code's JSON outline stops at 5,000 too). */
export const MAX_SYMBOLS = 5000;
/** Items of one list at most, so one long list leaves room for the others. */
export const MAX_LIST_ITEMS = 1000;

const NONE_SHOWN: readonly string[] = [];

/** An object or array whose symbols are still to be made, and the symbol they go below. */
interface Pending {
  value: JsonNode;
  /** The key or index that holds `value`. */
  container: string | number;
  /** The object's properties its symbol's name and detail already show. */
  shown: readonly string[];
  /**
   * Its `children` are made with the first of them: a symbol without any (a leaf, a mapping
   * its row already names) has none, not an empty list: 4% of a 5 MB config's outline.
   */
  owner: { children?: DocumentSymbolLike[] };
}

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

function expand(
  doc: DestinationDocument,
  pending: Pending,
  queue: Pending[],
  budget: { left: number },
): void {
  const { value, owner } = pending;
  const children = value.children ?? [];
  const isObject = value.type === 'object';
  const cap = isObject ? children.length : Math.min(children.length, MAX_LIST_ITEMS);
  let i = 0;
  for (; i < cap && budget.left > 0; i++) {
    const child = children[i] as JsonNode;
    const made = isObject
      ? propertySymbol(doc, child, pending.shown, queue)
      : itemSymbol(doc, child, pending.container, i, queue);
    if (made) {
      addChild(owner, made);
      budget.left--;
    }
  }
  if (i < children.length) {
    const left = children.slice(i);
    // Properties the object's own symbol shows are not left out: they are not counted.
    const count = isObject ? left.filter((p) => !isShown(p, pending.shown)).length : left.length;
    if (count > 0) addChild(owner, moreSymbol(doc, left, count, pending.container, isObject));
  }
}

function addChild(owner: Pending['owner'], made: DocumentSymbolLike): void {
  (owner.children ??= []).push(made);
}

function propertySymbol(
  doc: DestinationDocument,
  property: JsonNode,
  shown: readonly string[],
  queue: Pending[],
): DocumentSymbolLike | undefined {
  const key = property.children?.[0];
  const value = property.children?.[1];
  if (!key || isShown(property, shown)) return undefined;
  const name = String(key.value);
  const entry = symbol(
    name || '""',
    kindOf(value),
    value ? valueDetail(value) : undefined,
    doc.rangeOf(property),
    doc.rangeOf(key),
  );
  if (value && hasChildSymbols(value))
    queue.push({ value, container: name, shown: NONE_SHOWN, owner: entry });
  return entry;
}

/** What one symbol is made from again (outlineUpdate.ts): the symbol, and its children's. */
export interface RemadeSymbol {
  /** Without `children`: the caller gives it those it had (a string edit keeps them). */
  symbol: DocumentSymbolLike;
  /** The object or array its children are made from; undefined when it has none. */
  value?: JsonNode;
  container: string | number;
  shown: readonly string[];
}

/**
 * The symbol of the child at `index` of `parent` (an object or an array) made again, as the
 * outline makes it: `container` and `shown` are those of `parent`'s own symbol.
 */
export function remadeSymbol(
  doc: DestinationDocument,
  parent: JsonNode,
  index: number,
  container: string | number,
  shown: readonly string[],
): RemadeSymbol | undefined {
  const child = parent.children?.[index];
  if (!child) return undefined;
  const queue: Pending[] = [];
  const symbol =
    parent.type === 'object'
      ? propertySymbol(doc, child, shown, queue)
      : itemSymbol(doc, child, container, index, queue);
  if (!symbol) return undefined;
  const next = queue[0];
  return next
    ? { symbol, value: next.value, container: next.container, shown: next.shown }
    : { symbol, container, shown: NONE_SHOWN };
}

/** `container`: the key or index that holds the list. */
function itemSymbol(
  doc: DestinationDocument,
  item: JsonNode,
  container: string | number,
  index: number,
  queue: Pending[],
): DocumentSymbolLike {
  const { name, detail, shown } = itemName(item, container, index);
  const range = doc.rangeOf(item);
  const entry = symbol(name, kindOf(item), detail, range, {
    start: { ...range.start },
    end: { ...range.end },
  });
  if (hasChildSymbols(item)) queue.push({ value: item, container: index, shown, owner: entry });
  return entry;
}

/** The last symbol of a list or object cut short: how many were left out, where they are. */
function moreSymbol(
  doc: DestinationDocument,
  left: JsonNode[],
  count: number,
  container: string | number,
  isObject: boolean,
): DocumentSymbolLike {
  const first = left[0] as JsonNode;
  const last = left[left.length - 1] as JsonNode;
  const range = doc.rangeOfOffsets(first.offset, last.offset + last.length);
  const selectionRange = doc.rangeOfOffsets(first.offset, first.offset);
  return symbol(moreName(count, container, isObject), SymbolKind.Null, undefined, range, {
    start: selectionRange.start,
    end: selectionRange.end,
  });
}

function moreName(count: number, container: string | number, isObject: boolean): string {
  const n = count.toLocaleString('en');
  if (isObject)
    return count === 1 ? l10n.t('… 1 more property') : l10n.t('… {0} more properties', n);
  if (container === 'mappings')
    return count === 1 ? l10n.t('… 1 more mapping') : l10n.t('… {0} more mappings', n);
  if (container === 'audiences')
    return count === 1 ? l10n.t('… 1 more audience') : l10n.t('… {0} more audiences', n);
  return count === 1 ? l10n.t('… 1 more item') : l10n.t('… {0} more items', n);
}

function isShown(property: JsonNode, shown: readonly string[]): boolean {
  return shown.length > 0 && shown.includes(String(property.children?.[0]?.value));
}

/** A scalar's text, or the values of a list of scalars (then shown without children). */
function valueDetail(value: JsonNode): string | undefined {
  if (isScalar(value)) return String(value.value);
  if (isScalarList(value))
    return (value.children ?? []).map((item) => String(item.value)).join(', ');
  return undefined;
}

/** Objects and arrays have symbols below theirs; a list of scalars shows them as its detail. */
function hasChildSymbols(value: JsonNode): boolean {
  return (
    (value.type === 'object' || value.type === 'array') &&
    !!value.children?.length &&
    !isScalarList(value)
  );
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
