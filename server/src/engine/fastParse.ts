/**
 * A fast, single-pass tree parser for well-formed JSONC: a drop-in for jsonc-parser's
 *
 *   parseTree(text, errors, { allowTrailingComma: true, disallowComments: false,
 *     allowEmptyContent: false })
 *
 * on the texts on which that call reports no errors. It returns the very tree parseTree returns
 * (same node types, offsets, lengths, values, `colonOffset`, parent links, children order, even
 * the same property order in each node, and no `parent` key on the root), or `undefined`
 * whenever parseTree would report an error: the caller then runs parseTree, for its errors and
 * its error-recovering tree. It never returns a different tree (test/unit/fastParse.test.ts).
 *
 * What parseTree accepts without errors (jsonc-parser 3.x scanner and parser):
 * - trivia between tokens: space, tab, LF, CR (nothing else: no form feed, no BOM, no NBSP),
 *   `//` comments up to LF or CR or the end, closed `/* … *\/` comments;
 * - strings: no character below U+0020 inside; escapes `\" \\ \/ \b \f \n \r \t` and `\u`
 *   with exactly four hex digits, each `\u` one UTF-16 code unit (lone surrogates kept);
 * - numbers: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, valued by `Number(token)`
 *   (so `-0` is -0, `1e400` is Infinity, big integers round to the nearest double);
 * - `true`, `false`, `null` followed by a character that cannot continue a word;
 * - a trailing comma after the last member of an object or array (never in an empty one);
 * - exactly one value in the whole text.
 *
 * Speed: one pass of `charCodeAt`, string values sliced from the text (unescaped only when they
 * hold a backslash), no token objects, and no garbage: every `children` array is made once at
 * its exact size (parseTree grows them by push, which reserves room for 16). On the 1 MB
 * benchmark config the tree takes 8.1 MB (parseTree's 13.2 MB) and the parse allocates 8.5 MB
 * in all (parseTree 20.4 MB): that matters most on large configs, where most of parseTree's
 * time is garbage collection. Nesting is handled without recursion: no depth overflows.
 */
import type { Node, NodeType } from 'jsonc-parser';
import {
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON,
  COMMA,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
  dropKeyCache,
  escapedStringEnd,
  knownKey,
  numberEnd,
  plainStringEnd,
  skipTrivia,
  startKeyCache,
  takeEscapedValue,
} from './jsonTokens';

/** A node while it is being built (jsonc-parser's `Node` has readonly fields). */
interface MutableNode {
  type: NodeType;
  offset: number;
  length: number;
  parent?: MutableNode | undefined;
  children?: MutableNode[];
  value?: string | number | boolean | null;
  colonOffset?: number;
}

/** The key node `parseKey` last created, waiting for its property's value. */
let pendingKey: MutableNode | undefined;
/** Where the value after the key `parseKey` last parsed starts. */
let keyEnd = 0;

/**
 * jsonc-parser's `parseTree(text, errors, { allowTrailingComma: true, disallowComments: false,
 * allowEmptyContent: false })` for a text on which it reports no errors; `undefined` for every
 * other text: call parseTree then.
 *
 * `maxDepth`: also `undefined` when objects and arrays nest deeper than this (the root object
 * or array is depth 1), so that a caller with a depth limit needs no separate depth check on
 * the fast path: its slow path (the pre-check, then parseTree) then finds and reports it.
 *
 * `index`: filled with the tree's objects, properties and string values (`NodeIndex`); meaningless
 * when the result is undefined.
 */
export function fastParseTree(
  text: string,
  maxDepth: number = Infinity,
  index?: NodeIndex,
): Node | undefined {
  const into = index ?? { objects: [], properties: [], stringValues: [] };
  startKeyCache();
  const root = parse(text, maxDepth, into);
  // Module state must not keep this tree (or the text) alive until the next parse.
  pendingKey = undefined;
  takeEscapedValue();
  dropKeyCache();
  return root;
}

/**
 * Every object, property and string value of a tree, each list in document order: what the
 * rules that look at the whole tree share (document.ts `nodeIndex`). The parser fills it as it
 * makes the nodes, which saves a walk over the whole tree afterwards. Keys are not listed among
 * the string values: each is its property's first child, and half the strings of a config.
 */
export interface NodeIndex {
  objects: Node[];
  properties: Node[];
  stringValues: Node[];
}

interface MutableIndex {
  objects: MutableNode[];
  properties: MutableNode[];
  stringValues: MutableNode[];
}

function parse(text: string, maxDepth: number, index: MutableIndex): MutableNode | undefined {
  const { objects, stringValues } = index;
  const len = text.length;
  let pos = skipTrivia(text, 0, len);
  if (pos < 0 || pos >= len) return undefined;

  let root: MutableNode | undefined;
  /** The innermost open object or array. */
  let container: MutableNode | undefined;
  /** The parent of the next value: a property, an array, or undefined for the root. */
  let holder: MutableNode | undefined;
  // The members of the open containers, innermost last: each container's `children` array is
  // made when it closes, at its exact size (an array grown by push has room for 16 or more).
  const members: MutableNode[] = [];
  let top = 0;
  /**
   * Per open container, innermost last: where its members start in `members`, times 2, plus 1
   * for an object (so closing a container tells whether the enclosing one is an object).
   */
  const starts: number[] = [];
  /** The closing bracket of `container`: `}` or `]` (0 at the top level). */
  let close = 0;

  for (;;) {
    // ---- A value starts at `pos`; its parent is `holder`.
    const c = text.charCodeAt(pos);
    let node: MutableNode;
    let end: number;
    if (c === QUOTE) {
      end = plainStringEnd(text, pos + 1);
      let value: string;
      if (end >= 0) {
        value = text.substring(pos + 1, end);
      } else {
        end = escapedStringEnd(text, pos + 1);
        if (end < 0) return undefined;
        value = takeEscapedValue();
      }
      end++;
      node = { type: 'string', offset: pos, length: end - pos, parent: holder, value };
      stringValues.push(node);
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      const isObject = c === OPEN_BRACE;
      // `children` is set when the container closes; the property order is parseTree's.
      if (holder === undefined) {
        // The root: parseTree deletes its `parent` key; never adding it gives the same object.
        node = {
          type: isObject ? 'object' : 'array',
          offset: pos,
          length: -1,
          children: undefined,
        };
        root = node;
      } else {
        node = {
          type: isObject ? 'object' : 'array',
          offset: pos,
          length: -1,
          parent: holder,
          children: undefined,
        };
        // `holder` is `container` itself when that is an array, else a property of it.
        if (holder !== container) holder.children = [pendingKey as MutableNode, node];
        else members[top++] = node;
      }
      container = node;
      if (isObject) objects.push(node);
      if (starts.push(isObject ? top * 2 + 1 : top * 2) > maxDepth) return undefined;
      close = isObject ? CLOSE_BRACE : CLOSE_BRACKET;
      pos = skipTrivia(text, pos + 1, len);
      if (pos < 0) return undefined;
      if (text.charCodeAt(pos) !== close) {
        if (isObject) {
          holder = parseKey(text, pos, len, node, index);
          if (holder === undefined) return undefined;
          members[top++] = holder;
          pos = keyEnd;
        } else {
          holder = node;
        }
        continue;
      }
      // An empty object or array: closed below, as after the last member.
      end = -1;
    } else {
      if (c === 116 /* t */) {
        if (
          text.charCodeAt(pos + 1) !== 114 ||
          text.charCodeAt(pos + 2) !== 117 ||
          text.charCodeAt(pos + 3) !== 101
        )
          return undefined;
        end = pos + 4;
        node = { type: 'boolean', offset: pos, length: 4, parent: holder, value: true };
      } else if (c === 102 /* f */) {
        if (
          text.charCodeAt(pos + 1) !== 97 ||
          text.charCodeAt(pos + 2) !== 108 ||
          text.charCodeAt(pos + 3) !== 115 ||
          text.charCodeAt(pos + 4) !== 101
        )
          return undefined;
        end = pos + 5;
        node = { type: 'boolean', offset: pos, length: 5, parent: holder, value: false };
      } else if (c === 110 /* n */) {
        if (
          text.charCodeAt(pos + 1) !== 117 ||
          text.charCodeAt(pos + 2) !== 108 ||
          text.charCodeAt(pos + 3) !== 108
        )
          return undefined;
        end = pos + 4;
        node = { type: 'null', offset: pos, length: 4, parent: holder, value: null };
      } else {
        // A number (or an error): jsonc-parser values the token with Number().
        end = numberEnd(text, pos);
        if (end < 0) return undefined;
        node = {
          type: 'number',
          offset: pos,
          length: end - pos,
          parent: holder,
          value: Number(text.substring(pos, end)),
        };
      }
    }

    if (end >= 0) {
      // A scalar value ends at `end`. Whatever follows it must be trivia, `,`, `]`, `}` or the
      // end of the text: anything else (a word character, a digit, `.`, …) fails below, which
      // is also where jsonc-parser reports an error (a longer unknown word, a second token).
      if (holder === undefined) {
        root = node;
        delete root.parent; // as parseTree does
      } else if (holder !== container) {
        holder.children = [pendingKey as MutableNode, node];
        holder.length = end - holder.offset;
      } else members[top++] = node;
      pos = end;
    }

    // ---- After a value (or at the closing bracket of an empty container): commas and closes.
    for (;;) {
      pos = skipTrivia(text, pos, len);
      if (pos < 0) return undefined;
      if (container === undefined) {
        return pos === len ? root : undefined;
      }
      let ch = text.charCodeAt(pos);
      if (end >= 0 && ch === COMMA) {
        pos = skipTrivia(text, pos + 1, len);
        if (pos < 0) return undefined;
        ch = text.charCodeAt(pos);
        if (ch !== close) {
          // The next member.
          if (close === CLOSE_BRACE) {
            holder = parseKey(text, pos, len, container, index);
            if (holder === undefined) return undefined;
            members[top++] = holder;
            pos = keyEnd;
          } else {
            holder = container;
          }
          break;
        }
        // A trailing comma: allowed.
      }
      if (ch !== close) return undefined;
      end = pos + 1;
      const start = (starts.pop() as number) >> 1;
      container.children = members.slice(start, top);
      top = start;
      container.length = end - container.offset;
      const enclosing = starts.length > 0 ? (starts[starts.length - 1] as number) : -1;
      if (enclosing < 0) {
        container = undefined; // the root closed
        close = 0;
      } else if ((enclosing & 1) === 1) {
        // In an object: the parent is a property, which ends here too.
        const property = container.parent as MutableNode;
        property.length = end - property.offset;
        container = property.parent;
        close = CLOSE_BRACE;
      } else {
        container = container.parent;
        close = CLOSE_BRACKET;
      }
      pos = end;
    }
  }
}

/**
 * Parses `"key" :` at `pos` (a token) in `object`: returns the property node, with the key
 * node in `pendingKey` and `keyEnd` at the value's first token; undefined at a syntax error.
 */
function parseKey(
  text: string,
  pos: number,
  len: number,
  object: MutableNode,
  index: MutableIndex,
): MutableNode | undefined {
  if (text.charCodeAt(pos) !== QUOTE) return undefined;
  let end = plainStringEnd(text, pos + 1);
  let name: string;
  if (end >= 0) {
    name = knownKey(text, pos + 1, end);
  } else {
    end = escapedStringEnd(text, pos + 1);
    if (end < 0) return undefined;
    name = takeEscapedValue();
  }
  end++;
  const colon = skipTrivia(text, end, len);
  if (colon < 0 || text.charCodeAt(colon) !== COLON) return undefined;
  const valueStart = skipTrivia(text, colon + 1, len);
  if (valueStart < 0) return undefined;
  // Property order as in parseTree's nodes: property {type, offset, length, parent, children,
  // colonOffset} (children set with the value), key {type, value, offset, length, parent}.
  const property: MutableNode = {
    type: 'property',
    offset: pos,
    length: -1,
    parent: object,
    children: undefined,
    colonOffset: colon,
  };
  pendingKey = {
    type: 'string',
    value: name,
    offset: pos,
    length: end - pos,
    parent: property,
  };
  index.properties.push(property);
  keyEnd = valueStart;
  return property;
}
