/**
 * Reuse of the previous version's tree for the common keystroke: an edit that stays inside one
 * string token (a value or a key) and leaves it a plain string (no quote, backslash or control
 * character in it). The tree is then patched in place instead of reparsed: the string node's
 * value and length, its ancestors' lengths, and the offsets (and colon offsets) of every node
 * after it, which shift by the change in length. The patched tree is exactly the tree a fresh
 * parse of the new text gives (test/unit/treeReuse.test.ts); every other edit returns
 * undefined and the caller parses in full.
 *
 * The edit is found by comparing the two texts (common prefix and suffix), so no change event
 * is needed and any pair of texts is handled correctly. The tree is patched in place: its
 * previous owner must let go of it (document.ts reparses its own text if it is read again).
 */
import type { Node as JsonNode } from 'jsonc-parser';

/** A node of the tree while it is patched (jsonc-parser's `Node` has readonly fields). */
interface MutableNode {
  offset: number;
  length: number;
  colonOffset?: number;
  value?: unknown;
  parent?: MutableNode;
  children?: MutableNode[];
}

export interface TreePatch {
  /** The string node whose value changed (a key or a value); the root when the texts are equal. */
  node: JsonNode;
  /** Whether that string is a property's key. */
  isKey: boolean;
  /** Whether its value is what it was (an edit that changed nothing, or text identical). */
  unchanged: boolean;
}

/** Every node of the tree in document (pre-)order: offsets never decrease along it. */
export function nodesInOrder(root: JsonNode): JsonNode[] {
  const order: JsonNode[] = [];
  const stack: JsonNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as JsonNode;
    order.push(node);
    const children = node.children;
    if (children)
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as JsonNode);
  }
  return order;
}

/** The length of the common prefix of `a` and `b`. */
function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  // Large steps first: comparing slices runs at memory speed, a charCodeAt loop does not.
  let i = 0;
  for (let step = 65_536; step >= 64; step >>= 4) {
    while (i + step <= n && a.slice(i, i + step) === b.slice(i, i + step)) i += step;
  }
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** The length of the common suffix of `a` and `b`, at most `max`. */
function commonSuffix(a: string, b: string, max: number): number {
  let i = 0;
  const la = a.length;
  const lb = b.length;
  for (let step = 65_536; step >= 64; step >>= 4) {
    while (i + step <= max && a.slice(la - i - step, la - i) === b.slice(lb - i - step, lb - i))
      i += step;
  }
  while (i < max && a.charCodeAt(la - i - 1) === b.charCodeAt(lb - i - 1)) i++;
  return i;
}

/**
 * The index of the child whose extent holds `offset` (children are in document order and do not
 * overlap, so a binary search finds it), or -1 when none does.
 */
export function childIndexAt(
  children: readonly { offset: number; length: number }[],
  offset: number,
): number {
  let lo = 0;
  let hi = children.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const child = children[mid] as { offset: number; length: number };
    if (offset < child.offset) hi = mid - 1;
    else if (offset >= child.offset + child.length) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/** The innermost node whose extent holds `offset`, starting from `root` (binary search). */
function innermostAt(root: JsonNode, offset: number): JsonNode | undefined {
  let node = root;
  if (offset < node.offset || offset >= node.offset + node.length) return undefined;
  for (;;) {
    const children = node.children;
    if (!children || children.length === 0) return node;
    const found = children[childIndexAt(children, offset)];
    if (!found) return node;
    node = found;
  }
}

/** Whether `text[from, to)` is plain string content: no quote, backslash or control character. */
function isPlainContent(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 32 || c === 34 || c === 92) return false;
  }
  return true;
}

/**
 * Patches `root` (the error-free tree of `oldText`, `order` its nodes from `nodesInOrder`) into
 * the tree of `newText` when the two texts differ inside one plain string token; undefined
 * (nothing touched) otherwise.
 */
export function patchTree(
  root: JsonNode,
  order: () => JsonNode[],
  oldText: string,
  newText: string,
): TreePatch | undefined {
  const prefix = commonPrefix(oldText, newText);
  const delta = newText.length - oldText.length;
  // Versions that come back to an earlier text (an edit undone, a case flipped back) or that
  // only bump the version: the whole tree holds.
  if (delta === 0 && prefix === oldText.length)
    return { node: root, isKey: false, unchanged: true };
  const suffix = commonSuffix(oldText, newText, Math.min(oldText.length, newText.length) - prefix);
  const oldEnd = oldText.length - suffix;
  // The changed span is [prefix, oldEnd) in the old text, [prefix, newEnd) in the new one. An
  // insertion just before a closing quote has prefix at that quote: look one to the left.
  if (prefix === 0) return undefined;
  const node = innermostAt(root, prefix - 1);
  if (node?.type !== 'string') return undefined;
  const contentStart = node.offset + 1;
  const closeQuote = node.offset + node.length - 1;
  if (prefix < contentStart || oldEnd > closeQuote) return undefined;
  const newClose = closeQuote + delta;
  if (!isPlainContent(newText, contentStart, newClose)) return undefined;
  // The old content must be plain too: an escape elsewhere in it would need unescaping.
  if (!isPlainContent(oldText, contentStart, closeQuote)) return undefined;
  const value = newText.substring(contentStart, newClose);
  const unchanged = value === node.value;
  const key = isKey(node);
  const target = node as MutableNode;
  target.value = value;
  if (delta !== 0) {
    target.length += delta;
    for (let up = target.parent; up; up = up.parent) up.length += delta;
    if (key) (target.parent as MutableNode).colonOffset! += delta;
    shiftAfter(order(), node.offset, delta);
  }
  return { node, isKey: key, unchanged };
}

/** An edit inside one plain string, as `stringEditIn` finds it (the tree is not touched). */
export interface StringEdit {
  /** The string node of the new tree that holds the edit (a key or a value). */
  node: JsonNode;
  isKey: boolean;
  /** The string's content before the edit. */
  oldValue: string;
  /** The change in length: every offset after `node.offset` moved by it. */
  delta: number;
}

/**
 * How `newText` differs from `oldText` when they differ inside one plain string token, found
 * in `newRoot`, the tree of `newText` (patchTree's test, made from the other side: the text
 * before the edit is the same, so the token that holds it is at the same offset in both).
 * 'same' for equal texts; undefined for any other edit. Such an edit keeps every token and
 * every line break: only offsets after the string move, on the string's own line.
 */
export function stringEditIn(
  newRoot: JsonNode,
  oldText: string,
  newText: string,
): StringEdit | 'same' | undefined {
  const prefix = commonPrefix(oldText, newText);
  const delta = newText.length - oldText.length;
  if (delta === 0 && prefix === oldText.length) return 'same';
  if (prefix === 0) return undefined;
  const suffix = commonSuffix(oldText, newText, Math.min(oldText.length, newText.length) - prefix);
  const node = innermostAt(newRoot, prefix - 1);
  if (node?.type !== 'string') return undefined;
  const contentStart = node.offset + 1;
  const newClose = node.offset + node.length - 1;
  if (prefix < contentStart || newText.length - suffix > newClose) return undefined;
  const oldClose = newClose - delta;
  if (!isPlainContent(newText, contentStart, newClose)) return undefined;
  if (oldClose < contentStart || !isPlainContent(oldText, contentStart, oldClose)) return undefined;
  if (oldText.charCodeAt(oldClose) !== 34) return undefined;
  return { node, isKey: isKey(node), oldValue: oldText.substring(contentStart, oldClose), delta };
}

/** Adds `delta` to the offset and colon offset of every node that starts after `offset`. */
function shiftAfter(order: JsonNode[], offset: number, delta: number): void {
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((order[mid] as JsonNode).offset > offset) hi = mid;
    else lo = mid + 1;
  }
  for (let i = lo; i < order.length; i++) {
    const node = order[i] as MutableNode;
    node.offset += delta;
    if (node.colonOffset !== undefined) node.colonOffset += delta;
  }
}

type Container = Record<string, unknown> | unknown[];

/**
 * The plain value of the document (document.ts `jsonValue`: the last of duplicate keys wins)
 * after `patch` changed a string value, made from `value`, the value
 * before: the containers on the way to the string are copied (the value before stays as it
 * was: a simulation may still read it), the rest shared. Undefined when it cannot be told
 * (the caller then computes it from the tree).
 */
export function patchedValue(value: unknown, patch: TreePatch): unknown {
  if (patch.isKey) return undefined;
  const steps: (string | number)[] = [];
  let child = patch.node;
  for (let up = child.parent; up; up = up.parent) {
    if (up.type === 'property') {
      const object = up.parent;
      const name = up.children?.[0]?.value as unknown;
      if (object?.type !== 'object' || typeof name !== 'string') return undefined;
      // A property shadowed by a later one of the same name is not in the value at all.
      const children = object.children ?? [];
      for (let i = children.length - 1; children[i] !== up; i--)
        if (children[i]?.children?.[0]?.value === name) return value;
      steps.push(name);
      child = object;
      up = object;
    } else if (up.type === 'array') {
      steps.push((up.children ?? []).indexOf(child));
      child = up;
    } else return undefined;
  }
  // `steps` runs from the string up to the root; the containers from the root down.
  const containers: Container[] = [];
  let at: unknown = value;
  for (let i = steps.length - 1; i >= 0; i--) {
    if (typeof at !== 'object' || at === null) return undefined;
    containers.push(at as Container);
    at = (at as Record<string | number, unknown>)[steps[i] as string | number];
  }
  let replaced = patch.node.value as unknown;
  for (let i = 0; i < steps.length; i++) {
    const original = containers[containers.length - 1 - i] as Container;
    // The copy keeps the original's prototype: null from the tree, Object's from JSON.parse.
    const copy: Container = Array.isArray(original)
      ? original.slice()
      : Object.assign(
          Object.create(Object.getPrototypeOf(original) as object | null) as Record<
            string,
            unknown
          >,
          original,
        );
    (copy as Record<string | number, unknown>)[steps[i] as string | number] = replaced;
    replaced = copy;
  }
  return replaced;
}

/** Whether a node is a property's key (its first child). */
export function isKey(node: JsonNode): boolean {
  return node.parent?.type === 'property' && node.parent.children?.[0] === node;
}
