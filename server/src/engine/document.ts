import type { JSONPath, Node as JsonNode } from 'jsonc-parser';
import {
  DEFAULT_LIMITS,
  type NotParsedReason,
  type ParseLimits,
  type SyntaxProblem,
  parseText,
  strictJsonValue,
} from './parseText';
import type { NodeIndex } from './fastParse';
import { type TreePatch, isKey, nodesInOrder, patchTree, patchedValue } from './treeReuse';
import type { Position, Range, TextDocumentLike } from './types';

export type { JsonNode, TreePatch };
export { isKey };
export {
  DEFAULT_LIMITS,
  MAX_NESTING_DEPTH,
  type ParseLimits,
  type SyntaxProblem,
} from './parseText';

export interface StringProperty {
  value: string;
  /** The value node. */
  node: JsonNode;
}

export interface MappingEntry {
  index: number;
  node: JsonNode;
  /** The `source` value, when it is a string. */
  source?: StringProperty;
  /** The `target` value, when it is a string. */
  target?: StringProperty;
}

export interface AudienceEntry {
  index: number;
  node: JsonNode;
}

/**
 * One parse of one document version. Every feature (validation, completion,
 * hover, code actions, symbols) reads this object; nothing reparses.
 */
export class DestinationDocument {
  readonly uri: string;
  readonly version: number;
  readonly text: string;
  readonly syntaxErrors: SyntaxProblem[];
  /** Set when the file was not parsed at all, with the reason. */
  readonly notParsed: NotParsedReason;
  /** The size limit this parse applied, so a settings change invalidates it. */
  readonly limits: number;
  /** Whether this version patched the previous version's tree instead of parsing (tests). */
  readonly reusedTree: boolean;
  private tree: JsonNode | undefined;
  /** The tree's nodes in document order, once a reuse needed them (treeReuse.ts). */
  private order: JsonNode[] | undefined;
  /** Set when a newer version took the tree over: reading `root` then reparses this text. */
  private handedOver = false;
  private memo = new Map<string, unknown>();
  private sharedFile: DestinationDocument | undefined;

  /**
   * `previous`: the version this one replaces. When the edit between the two stays inside one
   * string, its tree is patched and taken over (with the caches that still hold) instead of a
   * new parse; `previous` then parses its own text again if it is ever read.
   */
  constructor(
    readonly textDocument: TextDocumentLike,
    limits: ParseLimits = DEFAULT_LIMITS,
    previous?: DestinationDocument,
  ) {
    this.uri = textDocument.uri;
    this.version = textDocument.version;
    this.text = textDocument.getText();
    this.limits = limits.maxFileSize;
    const reused = previous?.handOver(this.text, limits);
    if (reused) {
      this.tree = reused.root;
      this.order = reused.order;
      this.memo = reused.memo;
      this.syntaxErrors = [];
      this.notParsed = undefined;
      this.reusedTree = true;
      return;
    }
    const { root, errors, notParsed, index } = parseText(this.text, limits);
    if (index) this.memo.set('nodeIndex', index);
    this.tree = root;
    this.syntaxErrors = errors;
    this.notParsed = notParsed;
    this.reusedTree = false;
  }

  get root(): JsonNode | undefined {
    if (this.handedOver) {
      this.handedOver = false;
      this.tree = parseText(this.text, { maxFileSize: this.limits }).root;
    }
    return this.tree;
  }

  /**
   * This version's tree patched into the tree of `text` (the next version), with the caches
   * that still hold; undefined when the edit is not inside one string (nothing is touched).
   */
  private handOver(
    text: string,
    limits: ParseLimits,
  ): { root: JsonNode; order: JsonNode[] | undefined; memo: Map<string, unknown> } | undefined {
    const root = this.tree;
    if (
      !root ||
      this.handedOver ||
      this.notParsed !== undefined ||
      this.syntaxErrors.length > 0 ||
      this.limits !== limits.maxFileSize ||
      text.length > limits.maxFileSize
    )
      return undefined;
    const patch = patchTree(root, () => (this.order ??= nodesInOrder(root)), this.text, text);
    if (!patch) return undefined;
    const handed = { root, order: this.order, memo: carriedMemo(this.memo, patch) };
    this.handedOver = true;
    this.tree = undefined;
    this.order = undefined;
    this.memo = new Map();
    return handed;
  }

  positionAt(offset: number): Position {
    return this.textDocument.positionAt(offset);
  }

  offsetAt(position: Position): number {
    return this.textDocument.offsetAt(position);
  }

  rangeOf(node: JsonNode): Range {
    return this.rangeOfOffsets(node.offset, node.offset + node.length);
  }

  rangeOfOffsets(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }

  /** The root object, when the document is an object. */
  get rootObject(): JsonNode | undefined {
    return this.root?.type === 'object' ? this.root : undefined;
  }

  /** The property node (`key: value` pair) of a top-level key; the last one wins, as in JSON.parse. */
  property(name: string): JsonNode | undefined {
    return this.cached(`prop:${name}`, () => findProperty(this.rootObject, name));
  }

  /** The value node of a top-level key. */
  value(name: string): JsonNode | undefined {
    return this.property(name)?.children?.[1];
  }

  /** The key node of a top-level key. */
  key(name: string): JsonNode | undefined {
    return this.property(name)?.children?.[0];
  }

  /** The string value of a top-level key, or undefined when absent or not a string. */
  stringValue(name: string): StringProperty | undefined {
    return asStringProperty(this.value(name));
  }

  /**
   * The mappings every rule and service sees: the config's own array, or, when `mappings` is a
   * path, the entries of the shared file it resolves to (nodes of that file's document: see
   * `ownerOf`); none while the file is not resolved.
   */
  get mappings(): MappingEntry[] {
    if (this.isMappingsFile) return this.fileMappings;
    const value = this.value('mappings');
    if (value?.type === 'string') return this.sharedFile?.fileMappings ?? [];
    return this.cached('mappings', () => mappingEntries(value));
  }

  /** The entries of a shared mappings file, whose root is the array. */
  get fileMappings(): MappingEntry[] {
    return this.cached('fileMappings', () => mappingEntries(this.root));
  }

  /**
   * The shared mappings file `"mappings": "<path>"` resolves to, set by the language service
   * before each use: the file changes on disk or in its editor independently of this text.
   */
  useMappingFile(file: DestinationDocument | undefined): void {
    this.sharedFile = file;
  }

  /** The shared mappings file this config's `mappings` names, when it is resolved. */
  get mappingFile(): DestinationDocument | undefined {
    return this.value('mappings')?.type === 'string' ? this.sharedFile : undefined;
  }

  /**
   * A file named `*.mappings.json(c)`: a shared mappings file opened on its own, validated as
   * the `mappings` array of a config.
   */
  get isMappingsFile(): boolean {
    return /\.mappings\.jsonc?$/i.test(this.uri);
  }

  /** The document `node` belongs to: this one, or the shared mappings file. */
  ownerOf(node: JsonNode): DestinationDocument {
    const file = this.mappingFile;
    if (!file) return this;
    let top = node;
    while (top.parent) top = top.parent;
    return top === file.root ? file : this;
  }

  /**
   * Where the value at `path` is written, following the `mappings` reference into the shared
   * file: the document and the path within it (a mappings file's own array is `mappings`).
   */
  locate(path: JSONPath): { doc: DestinationDocument; path: JSONPath } {
    const file = this.mappingFile;
    if (path[0] === 'mappings' && file) return { doc: file, path: path.slice(1) };
    if (path[0] === 'mappings' && this.isMappingsFile) return { doc: this, path: path.slice(1) };
    return { doc: this, path };
  }

  /** The node at `path` of the resolved config (see `locate`); none for a mappings file's root. */
  resolvedNodeAt(path: JSONPath): JsonNode | undefined {
    const at = this.locate(path);
    if (at.doc === this && this.isMappingsFile && path[0] !== 'mappings') return undefined;
    return nodeAtPath(at.doc.root, at.path);
  }

  /**
   * The config's value with `mappings` resolved: the shared file's array in place of the path
   * (for the schema, the simulation and the Flow Service); a mappings file's own array as
   * `{ mappings }`.
   */
  get resolvedValue(): unknown {
    const value = this.jsonValue;
    if (this.isMappingsFile) return Array.isArray(value) ? withMappings({}, value) : undefined;
    const file = this.mappingFile;
    if (!file || typeof value !== 'object' || value === null) return value;
    return withMappings(value, file.jsonValue);
  }

  get audiences(): AudienceEntry[] {
    return this.cached('audiences', () =>
      arrayItems(this.value('audiences')).map((node, index) => ({ index, node })),
    );
  }

  /**
   * Every object, property and string value (keys are the properties' first children), each
   * list in document order, shared by the rules that look at the whole tree (duplicate keys,
   * credentials).
   */
  get nodeIndex(): NodeIndex {
    // Usually gathered by the parser (fastParse.ts); walked here after a recovering parse.
    return this.cached('nodeIndex', () => {
      const index = {
        objects: [] as JsonNode[],
        properties: [] as JsonNode[],
        stringValues: [] as JsonNode[],
      };
      const stack: JsonNode[] = this.root ? [this.root] : [];
      while (stack.length) {
        const node = stack.pop() as JsonNode;
        if (node.type === 'object') index.objects.push(node);
        else if (node.type === 'property') index.properties.push(node);
        else if (node.type === 'string' && !isKey(node)) index.stringValues.push(node);
        const children = node.children;
        if (children)
          for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as JsonNode);
      }
      return index;
    });
  }

  /**
   * The plain JavaScript value of the document (for schema validation), computed once: by
   * JSON.parse when the text is plain JSON, else from the tree.
   */
  get jsonValue(): unknown {
    return this.cached('value', () => {
      const root = this.root;
      if (!root) return undefined;
      const value = this.syntaxErrors.length === 0 ? strictJsonValue(this.text) : undefined;
      return value === undefined ? nodeValue(root) : value;
    });
  }

  /** Memoises a derived fact for the lifetime of this document version. */
  cached<T>(key: string, compute: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const value = compute();
    this.memo.set(key, value);
    return value;
  }
}

/** The memo key of `mayHoldDirectives` (suppressions.ts): a fact about comments, carried. */
export const MAY_HOLD_DIRECTIVES = 'mayHoldDirectives';

/**
 * The memo keys of facts about keys and structure alone: an edit inside a value keeps them.
 * Their nodes stay the tree's (the patch moves their offsets), and the lines stay, since a
 * value that takes a line break is no longer one string and is parsed afresh.
 */
export const KEYS_ONLY = 'keysOnly:';

/**
 * A cached fact that an edit inside a value updates instead of dropping it (`carriedMemo`):
 * on a 1 MB config, testing again the one string that changed instead of every string.
 */
export interface CarriedFact {
  /** The fact for the version after `patch`, which changed one value (never a key). */
  afterValueEdit(patch: TreePatch): CarriedFact;
}

function isCarriedFact(value: unknown): value is CarriedFact {
  return typeof (value as Partial<CarriedFact> | undefined)?.afterValueEdit === 'function';
}

/** The cached facts of the previous version that hold after `patch` (see `handOver`). */
function carriedMemo(memo: Map<string, unknown>, patch: TreePatch): Map<string, unknown> {
  if (patch.unchanged) return memo;
  const carried = new Map<string, unknown>();
  for (const [key, value] of memo) {
    // The node index is the tree's shape; comments stay as they were. Property lookups and
    // lists depend on keys too.
    if (
      key === 'nodeIndex' ||
      key === MAY_HOLD_DIRECTIVES ||
      (!patch.isKey &&
        (key === 'audiences' || key.startsWith('prop:') || key.startsWith(KEYS_ONLY)))
    )
      carried.set(key, value);
    else if (!patch.isKey && isCarriedFact(value)) carried.set(key, value.afterValueEdit(patch));
  }
  const value = memo.has('value') ? patchedValue(memo.get('value'), patch) : undefined;
  if (value !== undefined) carried.set('value', value);
  const mappings = memo.get('mappings') as MappingEntry[] | undefined;
  if (mappings && !patch.isKey) {
    const node = patch.node;
    const now: StringProperty = { value: node.value as string, node };
    carried.set(
      'mappings',
      mappings.map((entry) =>
        entry.source?.node === node
          ? { ...entry, source: now }
          : entry.target?.node === node
            ? { ...entry, target: now }
            : entry,
      ),
    );
  }
  return carried;
}

function mappingEntries(array: JsonNode | undefined): MappingEntry[] {
  const items = arrayItems(array);
  const entries = new Array<MappingEntry>(items.length);
  for (let index = 0; index < items.length; index++) {
    const node = items[index] as JsonNode;
    // One pass over the item's properties for both keys; the last of duplicates wins.
    let source: JsonNode | undefined;
    let target: JsonNode | undefined;
    const properties = node.type === 'object' ? node.children : undefined;
    if (properties) {
      for (let i = 0; i < properties.length; i++) {
        const pair = (properties[i] as JsonNode).children;
        const key: unknown = pair?.[0]?.value;
        if (key === 'source') source = pair?.[1];
        else if (key === 'target') target = pair?.[1];
      }
    }
    entries[index] = {
      index,
      node,
      source: asStringProperty(source),
      target: asStringProperty(target),
    };
  }
  return entries;
}

/** A copy of a config value (null prototype, as `nodeValue` makes them) with other mappings. */
function withMappings(value: object, mappings: unknown): Record<string, unknown> {
  const copy = Object.assign(Object.create(null) as Record<string, unknown>, value);
  copy.mappings = mappings;
  return copy;
}

export function findProperty(object: JsonNode | undefined, name: string): JsonNode | undefined {
  if (object?.type !== 'object' || !object.children) return undefined;
  const properties = object.children;
  // The last of duplicate keys counts, as in JSON.parse: searched from the end.
  for (let i = properties.length - 1; i >= 0; i--) {
    const property = properties[i] as JsonNode;
    if (property.children?.[0]?.value === name) return property;
  }
  return undefined;
}

export function propertyValue(object: JsonNode | undefined, name: string): JsonNode | undefined {
  return findProperty(object, name)?.children?.[1];
}

export function nodeAtPath(root: JsonNode | undefined, path: JSONPath): JsonNode | undefined {
  let node = root;
  for (const segment of path) {
    if (!node) return undefined;
    if (typeof segment === 'number')
      node = node.type === 'array' ? node.children?.[segment] : undefined;
    else node = propertyValue(node, segment);
  }
  return node;
}

export function asStringProperty(node: JsonNode | undefined): StringProperty | undefined {
  return node?.type === 'string' && typeof node.value === 'string'
    ? { value: node.value, node }
    : undefined;
}

export function arrayItems(node: JsonNode | undefined): JsonNode[] {
  return node?.type === 'array' ? (node.children ?? []) : [];
}

/**
 * The node's value as JSON.parse would give it, with null-prototype objects so
 * that `__proto__` and `constructor` keys are plain data.
 */
export function nodeValue(node: JsonNode): unknown {
  switch (node.type) {
    case 'object': {
      const result: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? [];
        if (key && value) result[String(key.value)] = nodeValue(value);
      }
      return result;
    }
    case 'array':
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value;
  }
}
